// vindbaar refresh: derived parts of stored records built anew from their stored triples.
import { createReadStream } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { ingest } from '../src/ingest/pipeline.js';
import { refreshRecords } from '../src/ingest/refresh.js';
import { storeRederived } from '../src/store/records.js';
import { profileValidator, readManifest } from '../src/validation/profiles.js';
import pino from 'pino';
import { LinkChecking } from '../src/quality/link-checking.js';
import { LinkChecker } from '../src/quality/link-check.js';

const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), '../samples');

interface Snapshot {
  id: string;
  hash: string;
  nquads: string;
  json: string;
  validation: string | null;
  version: number;
  keys: string[] | null;
}

async function snapshot(db: Db): Promise<Map<string, Snapshot>> {
  const r = await db.query<Snapshot>(
    `SELECT id, hash, nquads, json::text AS json, validation::text AS validation, version,
       (SELECT array_agg(k.key ORDER BY k.key) FROM record_keys k WHERE k.record_id = records.id) AS keys
     FROM records ORDER BY id`,
  );
  return new Map(r.rows.map((row) => [row.id, row]));
}

/** JSON up to the order of keys and array items (a record's JSON follows the order its triples came in). */
function orderFree(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(orderFree).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, orderFree((v as Record<string, unknown>)[k])]));
  return v;
}
const comparable = (m: Map<string, Snapshot>) =>
  new Map([...m].map(([id, s]) => [id, { ...s, json: orderFree(JSON.parse(s.json)), validation: s.validation && orderFree(JSON.parse(s.validation)) }]));

const announced = async (db: Db) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM feed_events WHERE announced')).rows[0].n;
const count = async (db: Db, table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

describe('refresh of stored records', () => {
  let db: Db;
  let fresh: Map<string, Snapshot>;
  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory://' });
    await migrate(db);
    for (const [file, catalogId, profile] of [['flemish-work.ttl', 'werk', 'dcat-ap-vl-2.0'], ['datagovbe.ttl', 'datagovbe', 'dcat-ap-3.0.1']]) {
      const layers = readManifest(profile).defaultLayers;
      await ingest(db, createReadStream(join(SAMPLES, file)), {
        catalogId,
        source: { id: `file:${catalogId}`, kind: 'file', location: null },
        format: 'turtle',
        baseIRI: pathToFileURL(join(SAMPLES, file)).href,
        baseUrl: 'http://catalogue.test',
        validation: { profile, layers, validator: profileValidator(profile, { layers }), policy: 'accept-with-report' },
      });
    }
    await db.query('DELETE FROM outbox');
    fresh = await snapshot(db);
  }, 120_000);
  afterAll(() => db?.close());

  it('finds nothing to change in records this version stored', async () => {
    for (const revalidate of [false, true]) {
      const r = await refreshRecords(db, { batchSize: 50, revalidate });
      expect(r.read).toBeGreaterThan(100);
      expect(r.failed).toEqual([]);
      expect(r).toMatchObject({ changed: 0, json: 0, identityKeys: 0, validation: 0, canonical: 0 });
    }
    expect(await count(db, 'outbox')).toBe(0);
  }, 120_000);

  it('writes back what an older version derived differently, without new versions or feed events, and queues it for the index', async () => {
    const ids = [...fresh.values()].filter((s) => s.keys && s.validation).slice(0, 3).map((s) => s.id);
    expect(ids).toHaveLength(3);
    const [a, b, c] = ids;
    await db.query(`UPDATE records SET json = '{"old": true}', validation = '{"verdict": "conforms", "results": []}' WHERE id = $1`, [a]);
    await db.query('DELETE FROM record_keys WHERE record_id = $1', [b]);
    // An older canonical form of the same triples (lines in another order), and so another hash.
    const lines = fresh.get(c)!.nquads.trim().split('\n').reverse().join('\n') + '\n';
    await db.query(`UPDATE records SET nquads = $2, hash = 'an-older-hash' WHERE id = $1`, [c, lines]);
    const feed = await announced(db);
    const versions = await count(db, 'record_versions');
    const modified = async (id: string) => (await db.query<{ t: Date }>('SELECT last_modified AS t FROM records WHERE id = $1', [id])).rows[0].t.getTime();
    const versionSince = async (id: string) => (await db.query<{ t: Date }>('SELECT version_since AS t FROM records WHERE id = $1', [id])).rows[0].t.getTime();
    const before = await modified(a);
    const since = await versionSince(a);

    // Without --revalidate the stored reports stay as they are.
    expect(await refreshRecords(db, { dryRun: true })).toMatchObject({ changed: 3, json: 1, identityKeys: 1, validation: 0, canonical: 1 });
    const dry = await refreshRecords(db, { dryRun: true, revalidate: true });
    expect(dry).toMatchObject({ changed: 3, json: 1, identityKeys: 1, validation: 1, canonical: 1 });
    expect((await snapshot(db)).get(a)!.json).toBe('{"old": true}');

    const r = await refreshRecords(db, { revalidate: true });
    expect(r).toMatchObject({ changed: 3, json: 1, identityKeys: 1, validation: 1, canonical: 1, skipped: 0, failed: [] });
    expect(comparable(await snapshot(db))).toEqual(comparable(fresh));
    // Nothing for the public feed; those who follow every record (quality facts, register, SPARQL store)
    // are told of the datasets among them.
    expect(await announced(db)).toBe(feed);
    const told = await db.query<{ record_id: string }>(`SELECT record_id FROM feed_events WHERE NOT announced AND op = 'update' ORDER BY record_id`);
    const datasets = await db.query<{ id: string }>(`SELECT id FROM records WHERE id = ANY($1::text[]) AND kind IN ('Dataset', 'DatasetSeries', 'DataService') ORDER BY id`, [ids]);
    expect(told.rows.map((t) => t.record_id)).toEqual(datasets.rows.map((d) => d.id));
    expect(await count(db, 'record_versions')).toBe(versions);
    // What is served changed: its Last-Modified and ETag (built from it) move, so that clients fetch it.
    expect(await modified(a)).toBeGreaterThan(before);
    // Its version did not: the history still says when its triples last changed.
    expect(await versionSince(a)).toBe(since);
    const queued = await db.query<{ record_id: string }>('SELECT DISTINCT record_id FROM outbox ORDER BY record_id');
    expect(queued.rows.map((q) => q.record_id)).toEqual([...ids].sort());
    expect((await refreshRecords(db, { revalidate: true })).changed).toBe(0);
  }, 120_000);

  it('stops between batches when told to, and goes on from the record it names', async () => {
    const all = (await db.query<{ id: string }>(`SELECT id FROM records WHERE deleted_at IS NULL AND iri NOT LIKE 'urn:vindbaar:resource:%' ORDER BY id`)).rows.map((r) => r.id);
    // Two records an older version derived differently: one in the first batch, one after it.
    const [early, late] = [all[3], all[all.length - 2]];
    await db.query(`UPDATE records SET json = '{"old": true}' WHERE id = ANY($1::text[])`, [[early, late]]);
    const stop = new AbortController();
    const first = await refreshRecords(db, { batchSize: 20, signal: stop.signal, onProgress: () => stop.abort() });
    expect(first).toMatchObject({ stopped: true, read: 20, changed: 1, last: all[19] });
    expect((await snapshot(db)).get(late)!.json).toBe('{"old": true}');
    const rest = await refreshRecords(db, { batchSize: 20, after: first.last });
    expect(rest).toMatchObject({ stopped: false, read: all.length - 20, changed: 1, last: all[all.length - 1] });
    expect(comparable(await snapshot(db))).toEqual(comparable(fresh));
  }, 120_000);

  it('brings the quality facts and the register entry of a refreshed record up to date', async () => {
    const discovery = new LinkChecking(db, new LinkChecker({ userAgent: 'vindbaar-test' }), pino({ level: 'silent' }));
    await discovery.discover();
    const entry = await db.query<{ record_id: string }>(`SELECT record_id FROM access_register WHERE origin = 'harvested' ORDER BY record_id LIMIT 1`);
    expect(entry.rows).toHaveLength(1);
    const id = entry.rows[0].record_id;
    const facts = async () => (await db.query('SELECT publisher, access, score, band, verdict FROM record_quality WHERE record_id = $1', [id])).rows[0];
    const register = async () => (await db.query('SELECT access, title, publisher, conditions, legal_basis::text FROM access_register WHERE record_id = $1 AND origin = $2', [id, 'harvested'])).rows;
    const [goodFacts, goodEntry] = [await facts(), await register()];
    expect(goodEntry).toHaveLength(1);
    // The JSON as an older version might have derived it, and the facts made from it.
    await db.query(`UPDATE records SET json = '{"title": "oud"}', version = version + 1 WHERE id = $1`, [id]);
    await discovery.discover();
    expect(await register()).toEqual([]);
    expect(await facts()).not.toEqual(goodFacts);
    expect((await refreshRecords(db)).changed).toBe(1);
    await discovery.discover();
    expect(await facts()).toEqual(goodFacts);
    expect(await register()).toEqual(goodEntry);
  }, 120_000);

  it('keeps the report of a record validated against a profile this version does not have, and still refreshes the rest', async () => {
    const s = [...(await snapshot(db)).values()].find((x) => x.validation)!;
    await db.query(`UPDATE records SET validated_with = 'dcat-ap-9', json = '{"old": true}' WHERE id = $1`, [s.id]);
    const r = await refreshRecords(db, { revalidate: true });
    expect(r).toMatchObject({ changed: 1, json: 1, validation: 0, failed: [], unknownProfiles: { 'dcat-ap-9': 1 } });
    const after = (await snapshot(db)).get(s.id)!;
    expect(after.validation).toBe(s.validation);
    expect(orderFree(JSON.parse(after.json))).toEqual(orderFree(JSON.parse(s.json)));
  }, 120_000);

  it('leaves a record alone that an ingest changed, or validated against another profile, after it was read', async () => {
    const s = [...(await snapshot(db)).values()][0];
    const profile = (await db.query<{ p: string | null }>('SELECT validated_with AS p FROM records WHERE id = $1', [s.id])).rows[0].p;
    const stale = { id: s.id, catalogId: 'werk', readHash: s.hash, readValidatedWith: profile, hash: s.hash, nquads: s.nquads, json: '{"stale": true}', validation: null };
    for (const changedSince of [{ readHash: 'not-the-stored-hash' }, { readValidatedWith: 'another-profile' }]) {
      expect(await db.transaction((tx) => storeRederived(tx, [{ ...stale, ...changedSince }]))).toEqual([]);
      expect((await snapshot(db)).get(s.id)!.json).toBe(s.json);
    }
    // As read: written.
    expect(await db.transaction((tx) => storeRederived(tx, [stale]))).toEqual([s.id]);
  });
});
