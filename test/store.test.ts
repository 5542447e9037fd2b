import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createReadStream, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { ingest } from '../src/ingest/pipeline.js';
import { PostgresSearch } from '../src/search/postgres.js';
import { drainOutbox } from '../src/search/indexer.js';
import { getRecord, recordVersions } from '../src/store/records.js';
import { localId } from '../src/ingest/prepare.js';
import { RdfSyntaxError } from '../src/rdf/errors.js';
import type { Db } from '../src/store/db.js';
import { holderName, LeaseTakenError, takeLease, withLease } from '../src/store/leases.js';
import { STORES } from './support/stores.js';
import { hasCorpus, ldesPage, corpusPath } from './support/corpus.js';

const BASE = 'http://vindbaar.test';
const options = (catalogId: string, format: 'trig' | 'turtle' = 'trig', atomic = false) => ({
  catalogId,
  source: { id: `test:${catalogId}`, kind: 'file', location: null },
  format,
  baseUrl: BASE,
  batchSize: 50,
  atomic,
});

async function* text(s: string) {
  yield s;
}

async function count(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  const r = await db.query<{ n: number }>(sql, params);
  return r.rows[0].n;
}

describe.each(STORES)('store on $name', (store) => {
  describe.skipIf(!store.available || !hasCorpus)('with real data.gov.be records', () => {
    let db: Db;
    beforeAll(async () => {
      db = await store.open();
    });
    afterAll(async () => db?.close());

    it('stores one record per dataset and writes nothing when the same input comes again', async () => {
      const first = await ingest(db, createReadStream(ldesPage(3)), options('datagovbe'));
      expect(first.byKind.Dataset).toBe(100);
      expect(first.created).toBe(first.records);
      const outbox = await count(db, 'SELECT count(*)::int AS n FROM outbox');
      expect(outbox).toBe(first.records);
      const second = await ingest(db, createReadStream(ldesPage(3)), options('datagovbe'));
      expect(second).toMatchObject({ created: 0, updated: 0, unchanged: first.records });
      expect(await count(db, 'SELECT count(*)::int AS n FROM outbox')).toBe(outbox);
      expect(await count(db, 'SELECT count(*)::int AS n FROM record_versions')).toBe(0);
    });

    it('records a real change as a new version and keeps the old one', async () => {
      const page = readFileSync(ldesPage(3), 'utf8');
      const iri = 'http://data.gov.be/dataset/biodiversity/c4448333-75ea-44e5-bd34-c436f01261ac';
      const changed = page.replace('"AxIOM: Amphipod crustaceans from insular Posidonia oceanica seagrass meadows"@en', '"AxIOM (revised title)"@en');
      expect(changed).not.toBe(page);
      const report = await ingest(db, text(changed), options('datagovbe'));
      expect(report).toMatchObject({ created: 0, updated: 1 });
      const id = localId('datagovbe', iri);
      const record = await getRecord(db, id);
      expect(record?.version).toBe(2);
      expect((record?.json as { title: { en: string } }).title.en).toBe('AxIOM (revised title)');
      expect(record?.nquads).toContain('AxIOM (revised title)');
      const versions = await recordVersions(db, id);
      expect(versions).toHaveLength(1);
      expect(versions[0].version).toBe(1);
    });

    it('indexes the outbox and finds records by words in Dutch and English, with facets', async () => {
      const search = new PostgresSearch(db);
      await drainOutbox(db, search);
      expect(await count(db, 'SELECT count(*)::int AS n FROM outbox')).toBe(0);
      const all = await search.search({ filters: {}, kinds: ['Dataset'], sort: '-modified', offset: 0, limit: 5 });
      expect(all.total).toBe(100);
      const en = await search.search({ q: 'seagrass', filters: {}, kinds: ['Dataset'], sort: 'relevance', offset: 0, limit: 5 });
      expect(en.total).toBeGreaterThan(0);
      // Dutch stemming: "zeegrasvelden" in the Dutch description is found from "zeegrasveld".
      const nl = await search.search({ q: 'zeegrasveld', filters: {}, kinds: ['Dataset'], sort: 'relevance', offset: 0, limit: 5 });
      expect(nl.total).toBeGreaterThan(0);
      const publisher = all.facets.publisher[0];
      const filtered = await search.search({ filters: { publisher: [publisher.value] }, kinds: ['Dataset'], sort: '-modified', offset: 0, limit: 5 });
      expect(filtered.total).toBe(publisher.count);
      // Multi-select: the publisher facet still lists the other publishers while one is selected.
      expect(filtered.facets.publisher.length).toBe(all.facets.publisher.length);
    });
  });

  describe.skipIf(!store.available)('bad input', () => {
    let db: Db;
    beforeAll(async () => {
      db = await store.open();
    });
    afterAll(async () => db?.close());

    it('stores nothing from an atomic document with a syntax error', async () => {
      const doc = `@prefix dcat: <http://www.w3.org/ns/dcat#>.\n<http://x.org/a> a dcat:Dataset.\n<http://x.org/b> a dcat:Dataset ;; oops .\n`;
      await expect(ingest(db, text(doc), options('bad', 'turtle', true))).rejects.toBeInstanceOf(RdfSyntaxError);
      expect(await count(db, 'SELECT count(*)::int AS n FROM records')).toBe(0);
    });

    it('never lets left-over triples about a dataset replace the dataset', async () => {
      const ds = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.\n<http://x.org/keep> a dcat:Dataset; dct:title "Blijft"@nl.`;
      await ingest(db, text(ds), options('leftover', 'turtle', true));
      const extra = await ingest(db, text('<http://x.org/keep> <http://purl.org/dc/terms/description> "Los"@nl .'), options('leftover', 'turtle', true));
      expect(extra.byKind).toEqual({ Resource: 1 });
      const kept = await getRecord(db, localId('leftover', 'http://x.org/keep'));
      expect(kept?.kind).toBe('Dataset');
      expect(kept?.nquads).toContain('Blijft');
    });

    it('counts a record the input gives twice once, so that the counts add up to the records', async () => {
      const { ingestFrom } = await import('../src/ingest/pipeline.js');
      const { documentsSource } = await import('../src/ingest/local-source.js');
      const { parseString } = await import('../src/rdf/parse.js');
      const doc = async (title: string) => {
        const quads = await parseString(`<http://x.org/twice> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "${title}"@nl.`, { format: 'turtle' });
        return { quads: (async function* () { yield quads; })() };
      };
      // As a CSW page that lists the same record twice: two documents, one batch.
      const documents = async function* () {
        yield await doc('Eerst');
        yield await doc('Dan');
      };
      const report = await ingestFrom(db, documentsSource(documents(), { catalogId: 'twice', baseUrl: BASE, batchSize: 250 }), { ...options('twice'), catalogId: 'twice' });
      expect(report).toMatchObject({ records: 1, created: 1, byKind: { Dataset: 1 } });
      expect((await getRecord(db, localId('twice', 'http://x.org/twice')))?.nquads).toContain('"Dan"@nl');
    });

    it('gives a blank-node dataset a stable IRI and a warning', async () => {
      const doc = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.\n[] a dcat:Dataset; dct:identifier "abc"; dct:title "Zonder IRI"@nl.`;
      const a = await ingest(db, text(doc), options('blank', 'turtle', true));
      const b = await ingest(db, text(doc), options('blank', 'turtle', true));
      expect(a.created).toBe(1);
      expect(b.unchanged).toBe(1);
      expect(a.warnings[0].iri).toMatch(new RegExp(`^${BASE}/id/dataset/`));
      expect(a.warnings[0].messages.join(' ')).toMatch(/no IRI/);
      // The same dataset with its titles in the other order is the same dataset.
      const p = '@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.\n';
      const first = await ingest(db, text(`${p}[] a dcat:Dataset; dct:title "Bomen"@nl, "Trees"@en.`), options('blank-order', 'turtle', true));
      const swapped = await ingest(db, text(`${p}[] a dcat:Dataset; dct:title "Trees"@en, "Bomen"@nl.`), options('blank-order', 'turtle', true));
      expect(swapped.warnings[0].iri).toBe(first.warnings[0].iri);
      expect(swapped.unchanged).toBe(1);
    });
  });

  describe.skipIf(!store.available)('leases', () => {
    let db: Db;
    beforeAll(async () => {
      db = await store.open();
    });
    afterAll(async () => db?.close());

    it('lets one holder at a time run, says who holds it, and frees it after the work or a failure', async () => {
      await takeLease(db, 'job', 'first', 60);
      const taken = await takeLease(db, 'job', 'second', 60).catch((e: unknown) => e);
      expect(taken).toBeInstanceOf(LeaseTakenError);
      expect((taken as LeaseTakenError).message).toMatch(/job is already running \(first, since .*runs out at/);
      await takeLease(db, 'job', 'first', 60); // the holder renews
      // A holder that died: its lease runs out and the next one takes over.
      await db.query("UPDATE leases SET until = now() - interval '1 second' WHERE name = 'job'");
      await takeLease(db, 'job', 'second', 60);
      // A holder on this machine whose process is gone is not waited for; a live one, or one whose
      // process id means another process (another container with the same host name), is.
      const space = / in (\S+) at /.exec(holderName())?.[1];
      expect(space).toBeTruthy();
      const named = (pid: number, where = space) => `${hostname()} pid ${pid} in ${where} at 2026-01-01T00:00:00.000Z #1`;
      await db.query("UPDATE leases SET holder = $1 WHERE name = 'job'", [named(999999999)]);
      await takeLease(db, 'job', 'third', 60);
      for (const holder of [named(process.ppid), named(999999999, 'elsewhere-1'), `${hostname()} pid 999999999 at 2026-01-01T00:00:00.000Z`]) {
        await db.query("UPDATE leases SET holder = $1 WHERE name = 'job'", [holder]);
        await expect(takeLease(db, 'job', 'fourth', 60)).rejects.toBeInstanceOf(LeaseTakenError);
      }
      await db.query("DELETE FROM leases WHERE name = 'job'");

      let inside = '';
      await withLease(db, 'work', async () => {
        inside = (await db.query<{ holder: string }>("SELECT holder FROM leases WHERE name = 'work'")).rows[0].holder;
        await expect(withLease(db, 'work', async () => 'never')).rejects.toBeInstanceOf(LeaseTakenError);
      });
      expect(inside).toMatch(/pid \d+/);
      await expect(withLease(db, 'work', async () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
      expect(await withLease(db, 'work', async () => 'ran')).toBe('ran');
      // Work that lost its lease (taken over while the store could not be reached) is stopped at its
      // next check, before any step it must not take alongside another holder.
      const steps: string[] = [];
      const lost = withLease(db, 'work', async (stillHeld) => {
        await stillHeld();
        steps.push('before');
        await db.query("UPDATE leases SET holder = 'someone else' WHERE name = 'work'");
        await stillHeld();
        steps.push('after');
      });
      await expect(lost).rejects.toThrow(/work lease was lost/);
      expect(steps).toEqual(['before']);
      expect(await count(db, "SELECT count(*)::int AS n FROM leases WHERE holder = 'someone else'")).toBe(1);
      await db.query("DELETE FROM leases WHERE name = 'work'");
      expect(await count(db, "SELECT count(*)::int AS n FROM leases WHERE name = 'work'")).toBe(0);
    });
  });
});

describe.skipIf(!hasCorpus)('GeoDCAT-AP example stored', () => {
  it('keeps its triples in the stored N-Quads', async () => {
    const db = await STORES[0].open();
    const report = await ingest(db, createReadStream(corpusPath('examples/semic-geodcat-ap-2.0.0/dataset.ttl')), options('geo', 'turtle'));
    expect(report.records).toBeGreaterThan(0);
    await db.close();
  });
});
