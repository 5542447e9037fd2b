// The change feed read by a client nobody on the team wrote: the `ldes-client` package replicates the
// whole feed over HTTP and ends up with exactly the records the store holds; after a change and a
// withdrawal, the same client (with its saved state) reads only those two events.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { replicateLDES } from 'ldes-client';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { parseString } from '../src/rdf/parse.js';
import { quad, type Quad } from '../src/rdf/terms.js';
import { FRAGMENT, fragmentOf } from '../src/api/feed.js';
import { canonical } from './support/rdf.js';
import { hasCorpus, ldesPage } from './support/corpus.js';
import { freePort } from './support/postgres-server.js';

const KEY = 'test-admin-key-0123456789abcdef';
const AS = 'https://www.w3.org/ns/activitystreams#';
/** A member as ldes-client emits it. */
type Member = { id: { value: string; equals(t: unknown): boolean }; quads: unknown[] };
let app: FastifyInstance;
let services: Services;
let dir: string;
let base: string;

const push = (catalog: string, body: string, type = 'text/turtle') =>
  app.inject({ method: 'POST', url: `/api/v1/catalogs/${catalog}/records`, headers: { 'content-type': type, authorization: `Bearer ${KEY}` }, payload: body });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vindbaar-feed-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: join(dir, 'data'), VINDBAAR_ADMIN_KEY: KEY, VINDBAAR_BASE_URL: base, VINDBAAR_SAMPLE_DATA: 'false' }), pino({ level: 'silent' }));
  app = await buildServer(services);
  await app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Reads the feed with ldes-client (state kept in `statePath`) and returns the members it emitted. */
async function replicate(statePath: string): Promise<Member[]> {
  const client = replicateLDES({ url: `${base}/feed`, statePath, noShape: true }, 'ascending');
  const reader = client.stream({ highWaterMark: 100 }).getReader();
  const members: Member[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    members.push(value);
  }
  return members;
}

/** The state a replica ends with: each object's triples from its latest event; deletes remove it. */
function applyMembers(state: Map<string, Quad[]>, members: Member[]): void {
  for (const m of members) {
    const quads = m.quads as unknown as Quad[];
    const activity = m.id.value;
    const type = quads.find((q) => q.subject.value === activity && q.predicate.value === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type')?.object.value;
    const object = quads.find((q) => q.subject.value === activity && q.predicate.value === `${AS}object`)!.object.value;
    if (type === `${AS}Delete`) state.delete(object);
    else state.set(object, quads.filter((q) => q.graph.value === activity).map((q) => quad(q.subject, q.predicate, q.object)));
  }
}

/** What the store holds: every live dataset, series and service with its triples. */
async function storeState(): Promise<Map<string, string>> {
  const r = await services.db.query<{ iri: string; nquads: string }>(
    "SELECT iri, nquads FROM records WHERE deleted_at IS NULL AND kind IN ('Dataset', 'DatasetSeries', 'DataService')",
  );
  const out = new Map<string, string>();
  for (const row of r.rows) out.set(row.iri, await canonical(await parseString(row.nquads, { format: 'ntriples' })));
  return out;
}

async function sameAsStore(state: Map<string, Quad[]>): Promise<void> {
  const store = await storeState();
  expect([...state.keys()].sort()).toEqual([...store.keys()].sort());
  for (const [iri, quads] of state) expect(await canonical(quads), iri).toBe(store.get(iri));
}

describe.skipIf(!hasCorpus)('the change feed, replicated by ldes-client', () => {
  const replica = new Map<string, Quad[]>();
  let statePath: string;

  it('replicates every record the store holds, across fragments', async () => {
    for (const n of [3, 4, 5]) expect((await push('datagovbe', readFileSync(ldesPage(n), 'utf8'), 'application/trig')).statusCode).toBe(200);
    const events = (await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM feed_events')).rows[0].n;
    expect(events).toBeGreaterThan(FRAGMENT);
    statePath = join(dir, 'client-state');
    const members = await replicate(statePath);
    expect(members).toHaveLength(events);
    applyMembers(replica, members);
    await sameAsStore(replica);
  });

  it('after a change and a withdrawal, reads only those two events', async () => {
    const r = await services.db.query<{ id: string; iri: string; nquads: string }>("SELECT id, iri, nquads FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL ORDER BY id LIMIT 2");
    const [changed, withdrawn] = r.rows;
    const edited = changed.nquads.replace(/(<http:\/\/purl\.org\/dc\/terms\/title> ")([^"]*)"/, '$1$2 (herzien)"');
    expect(edited).not.toBe(changed.nquads);
    expect((await push('datagovbe', edited, 'application/n-triples')).json()).toMatchObject({ updated: 1 });
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/datagovbe/records/${withdrawn.id}`, headers: { authorization: `Bearer ${KEY}` } });
    expect(del.statusCode, del.body).toBeLessThan(300);
    const members = await replicate(statePath);
    expect(members.map((m) => (m.quads as unknown as Quad[]).find((q) => q.subject.value === m.id.value && q.predicate.value === `${AS}object`)?.object.value).sort()).toEqual([changed.iri, withdrawn.iri].sort());
    applyMembers(replica, members);
    expect(replica.has(withdrawn.iri)).toBe(false);
    await sameAsStore(replica);
  });

  it('speaks once for a dataset held in two catalogues: a copy under the same IRI is neither announced nor withdrawn', async () => {
    const r = await services.db.query<{ iri: string; nquads: string }>("SELECT iri, nquads FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL AND catalog_id = 'datagovbe' ORDER BY id LIMIT 1");
    const { iri, nquads } = r.rows[0];
    const count = async () => (await services.db.query<{ all: number; announced: number }>('SELECT count(*)::int AS all, (count(*) FILTER (WHERE announced))::int AS announced FROM feed_events')).rows[0];
    const before = await count();
    expect((await push('spiegel', nquads.replace(/(<http:\/\/purl\.org\/dc\/terms\/title> ")([^"]*)"/, '$1$2 (kopie)"'), 'application/n-triples')).statusCode).toBe(200);
    const copy = (await services.db.query<{ id: string }>("SELECT id FROM records WHERE catalog_id = 'spiegel'")).rows[0].id;
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/spiegel/records/${copy}`, headers: { authorization: `Bearer ${KEY}` } });
    expect(del.statusCode, del.body).toBeLessThan(300);
    // Not announced, but logged: the SPARQL store and the link discovery follow every record.
    expect(await count()).toEqual({ all: before.all + 2, announced: before.announced });
    const members = await replicate(statePath);
    expect(members).toHaveLength(0);
    expect(replica.has(iri)).toBe(true);
    await sameAsStore(replica);
    // The copy again, then the primary withdrawn: the dataset lives on in the copy, announced as a change.
    expect((await push('spiegel', nquads.replace(/(<http:\/\/purl\.org\/dc\/terms\/title> ")([^"]*)"/, '$1$2 (kopie)"'), 'application/n-triples')).statusCode).toBe(200);
    const primary = (await services.db.query<{ id: string }>("SELECT id FROM records WHERE catalog_id = 'datagovbe' AND iri = $1", [iri])).rows[0].id;
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/datagovbe/records/${primary}`, headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBeLessThan(300);
    const handover = await replicate(statePath);
    expect(handover).toHaveLength(1);
    expect((handover[0].quads as unknown as Quad[]).some((q) => q.predicate.value === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type' && q.object.value === `${AS}Update`)).toBe(true);
    expect((handover[0].quads as unknown as Quad[]).some((q) => q.object.termType === 'Literal' && q.object.value.endsWith('(kopie)'))).toBe(true);
  });

  it('announces the record that speaks for an IRI when the duplicate linking hands it over', async () => {
    const { createKey } = await import('../src/store/keys.js');
    const iri = 'https://data.example.be/id/dataset/overdracht';
    const doc = (title: string) => `<${iri}> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "${title}"@nl;
      <http://purl.org/dc/terms/publisher> [ <http://xmlns.com/foaf/0.1/name> "Dienst Overdracht" ].`;
    // An aggregator's copy first (an administrator's push): it speaks for the IRI.
    expect((await push('verzamelaar', doc('Overdracht (verzameld)'))).statusCode).toBe(200);
    await replicate(statePath);
    // Then the publisher's own push: it becomes the primary, and the feed says so with its triples.
    const key = await createKey(services.db, 'publisher', 'eigen', 'Dienst Overdracht');
    const own = await app.inject({ method: 'POST', url: '/api/v1/catalogs/overdracht/records', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${key}` }, payload: doc('Overdracht') });
    expect(own.statusCode, own.body).toBe(200);
    const primary = (await services.db.query<{ catalog_id: string }>('SELECT catalog_id FROM records WHERE iri = $1 AND duplicate_of IS NULL AND deleted_at IS NULL', [iri])).rows;
    expect(primary).toEqual([{ catalog_id: 'overdracht' }]);
    const members = await replicate(statePath);
    expect(members).toHaveLength(1);
    expect((members[0].quads as unknown as Quad[]).some((q) => q.object.termType === 'Literal' && q.object.value === 'Overdracht')).toBe(true);
  });

  it('links each fragment to the next one that holds events, so that a walk from the start reaches the end after a purge', async () => {
    for (const n of [6, 7]) expect((await push('datagovbe', readFileSync(ldesPage(n), 'utf8'), 'application/trig')).statusCode).toBe(200);
    const total = (await services.db.query<{ n: number }>('SELECT max(seq)::int AS n FROM feed_events')).rows[0].n;
    expect(total).toBeGreaterThan(2 * FRAGMENT);
    // As a purge of withdrawn records leaves them: the whole second fragment without events.
    const kept = await services.db.query<Record<string, unknown>>(`SELECT * FROM feed_events WHERE seq > ${FRAGMENT} AND seq <= ${2 * FRAGMENT}`);
    await services.db.query(`DELETE FROM feed_events WHERE seq > ${FRAGMENT} AND seq <= ${2 * FRAGMENT}`);
    try {
      const first = await app.inject({ url: '/feed/0', headers: { accept: 'application/n-quads' } });
      expect(first.body).toContain(`<https://w3id.org/tree#node> <${base}/feed/2>`);
      const fresh = await replicate(join(dir, 'client-after-purge'));
      expect(fresh.length).toBe((await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM feed_events WHERE announced')).rows[0].n);
    } finally {
      for (const e of kept.rows)
        await services.db.query('INSERT INTO feed_events (seq, record_id, iri, kind, version, op, at, announced) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [e.seq, e.record_id, e.iri, e.kind, e.version, e.op, e.at, e.announced]);
    }
  });

  it('describes itself as an LDES with a retention policy, and answers bad requests clearly', async () => {
    const root = await app.inject({ url: '/feed', headers: { accept: 'application/n-quads' } });
    expect(root.body).toContain(`<${base}/feed> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/ldes#EventStream>`);
    expect(root.body).toContain('<https://w3id.org/ldes#DurationAgoPolicy>');
    expect((await app.inject({ url: '/feed', headers: { accept: 'image/png' } })).statusCode).toBe(406);
    // Turtle has no named graphs: a client asking for it, however it asks, gets TriG, its superset.
    for (const accept of ['text/turtle', 'text/turtle; charset=utf-8', 'text/turtle, text/n3', 'text/turtle;q=0.9, image/png;q=0.1'])
      expect((await app.inject({ url: '/feed', headers: { accept } })).headers['content-type'], accept).toMatch(/^application\/trig/);
    expect((await app.inject({ url: '/feed', headers: { accept: 'text/turtle;q=0.5, application/n-quads' } })).headers['content-type']).toMatch(/^application\/n-quads/);
    // Plain JSON is JSON-LD, as from the catalogue and the dumps.
    expect((await app.inject({ url: '/feed', headers: { accept: 'application/json' } })).headers['content-type']).toMatch(/^application\/ld\+json/);
    // Past the newest fragment: an empty page that still names its stream, not an error.
    const beyond = await app.inject({ url: '/feed/999999', headers: { accept: 'application/n-quads' } });
    expect(beyond.statusCode).toBe(200);
    expect(beyond.body).toContain(`<${base}/feed/999999> <http://purl.org/dc/terms/isPartOf> <${base}/feed>`);
    expect(beyond.body).not.toContain('https://w3id.org/tree#member');
    expect(beyond.headers['cache-control']).toBe('public, max-age=10');
    expect((await app.inject({ url: '/feed/-1' })).statusCode).toBe(400);
    // The newest fragment may still grow: it must not be cached for long.
    const events = (await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM feed_events')).rows[0].n;
    const last = await app.inject({ url: `/feed/${Math.floor((events - 1) / FRAGMENT)}` });
    expect(last.headers['cache-control']).toBe('public, max-age=10');
    expect(last.headers['content-type']).toMatch(/^application\/trig/);
    // Member IRIs are minted here and dereference: 303 to the fragment that describes the member.
    const member = /<(http[^>]*\/feed\/events\/\d+)>/.exec(last.body)![1];
    const seeOther = await app.inject({ url: member.slice(base.length) });
    expect(seeOther.statusCode).toBe(303);
    const described = await app.inject({ url: String(seeOther.headers.location).slice(base.length), headers: { accept: 'application/n-quads' } });
    expect(described.body).toContain(`<${base}/feed> <https://w3id.org/tree#member> <${member}>`);
    expect((await app.inject({ url: '/feed/events/999999999' })).statusCode).toBe(404);
  });
});

describe('validators of the feed', () => {
  it('the stream and its fragments answer 304 while they hold; a fragment gives Last-Modified once its events are settled, and a change in it makes a new validator', async () => {
    const ttl = (title: string) => `<https://validators.example/ds/1> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "${title}"@nl.`;
    expect((await push('validators', ttl('Eerste'))).statusCode).toBe(200);
    const nq = { accept: 'application/n-quads' };
    const root = await app.inject({ url: '/feed', headers: nq });
    expect(root.headers.etag).toMatch(/^"/);
    expect(root.headers.vary).toBe('Accept');
    expect((await app.inject({ url: '/feed', headers: { ...nq, 'if-none-match': String(root.headers.etag) } })).statusCode).toBe(304);
    expect((await app.inject({ url: '/feed', headers: { accept: 'application/trig', 'if-none-match': String(root.headers.etag) } })).statusCode).toBe(200);
    const newest = async () => fragmentOf((await services.db.query<{ n: number }>('SELECT max(seq)::int AS n FROM feed_events')).rows[0].n);
    const url = `/feed/${await newest()}`;
    const fresh = await app.inject({ url, headers: nq });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toContain('https://validators.example/ds/1');
    expect(fresh.headers.vary).toBe('Accept');
    // Events just written: a transaction still running may add one stamped before them, so the date
    // cannot tell whether the fragment changed; the ETag can.
    expect(fresh.headers['last-modified']).toBeUndefined();
    expect((await app.inject({ url, headers: { ...nq, 'if-none-match': String(fresh.headers.etag) } })).statusCode).toBe(304);
    // Settled: as they are an hour later.
    await services.db.query("UPDATE feed_events SET at = at - interval '1 hour'");
    const settled = await app.inject({ url, headers: nq });
    const lastModified = String(settled.headers['last-modified']);
    expect(Date.parse(lastModified)).toBeLessThan(Date.now() - 3_000_000);
    expect((await app.inject({ url, headers: { ...nq, 'if-modified-since': lastModified } })).statusCode).toBe(304);
    expect((await app.inject({ url, headers: { ...nq, 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() } })).statusCode).toBe(200);
    // A change of the record: a new event in this fragment (or the relation to the next one).
    expect((await push('validators', ttl('Tweede'))).statusCode).toBe(200);
    for (const validator of [{ 'if-none-match': String(settled.headers.etag) }, { 'if-modified-since': lastModified }]) {
      const after = await app.inject({ url, headers: { ...nq, ...validator } });
      expect(after.statusCode, JSON.stringify(validator)).toBe(200);
    }
    expect((await app.inject({ url, headers: nq })).headers.etag).not.toBe(settled.headers.etag);
  });
});
