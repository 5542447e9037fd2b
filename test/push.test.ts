// The push API of entity portals: publisher keys scoped to one organisation, PUT and DELETE of single
// records next to the bulk POST, and what a key may not touch.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';

const ADMIN = 'test-admin-key-0123456789abcdef';
let app: FastifyInstance;
let services: Services;
let dir: string;
let keyA: string;
let keyB: string;
let keyAId: string;

const dataset = (iri: string, title: string) => `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
<${iri}> a dcat:Dataset; dct:title "${title}"@nl; dct:description "Beschrijving"@nl; dcat:distribution <${iri}/csv>.
<${iri}/csv> a dcat:Distribution; dcat:accessURL <${iri}/data.csv>.`;

const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, key: string | undefined, payload?: string, type = 'text/turtle') =>
  app.inject({ method, url, headers: { ...(payload !== undefined ? { 'content-type': type } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) }, payload });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vindbaar-push-'));
  services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: ADMIN, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_BASE_URL: 'http://vindbaar.test' }), pino({ level: 'silent' }));
  app = await buildServer(services);
});
afterAll(async () => {
  await app?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('publisher keys', () => {
  it('are created by an administrator, shown once, listed without their secret', async () => {
    const noOrg = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: { authorization: `Bearer ${ADMIN}` }, payload: { role: 'publisher', label: 'x' } });
    expect(noOrg.statusCode).toBe(400);
    const a = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: { authorization: `Bearer ${ADMIN}` }, payload: { role: 'publisher', organisation: 'Stad Gent', label: 'Gent open data portal' } });
    expect(a.statusCode).toBe(201);
    keyA = a.json().key;
    keyAId = a.json().id;
    expect(keyA).toMatch(/^vb_[a-z0-9]{8}_/);
    keyB = (await app.inject({ method: 'POST', url: '/api/v1/keys', headers: { authorization: `Bearer ${ADMIN}` }, payload: { role: 'publisher', organisation: 'Provincie Antwerpen', label: 'Antwerpen' } })).json().key;
    const list = await app.inject({ url: '/api/v1/keys', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(list.json().member.find((k: { id: string }) => k.id === keyAId)).toMatchObject({ role: 'publisher', organisation: 'Stad Gent' });
    // The secret is everything after "vb_<prefix>_" (it may itself contain "_").
    const secret = keyA.slice('vb_12345678_'.length);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(list.body).not.toContain(secret);
    const stored = await services.db.query<{ secret_hash: string }>('SELECT secret_hash FROM api_keys WHERE id = $1', [keyAId]);
    expect(stored.rows[0].secret_hash).not.toContain(secret);
  });

  it('may not manage sources or keys', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/v1/sources', headers: { authorization: `Bearer ${keyA}` }, payload: { id: 'x', type: 'dcat', url: 'http://example.org/' } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/keys', headers: { authorization: `Bearer ${keyA}` } })).statusCode).toBe(403);
  });
});

describe('pushing records', () => {
  const iri = 'http://data.gent.be/dataset/parkeren';
  const path = `/api/v1/catalogs/gent/records/${encodeURIComponent(iri)}`;

  it('a publisher creates its catalogue with a first push; another organisation cannot write into it', async () => {
    const first = await send('POST', '/api/v1/catalogs/gent/records', keyA, dataset('http://data.gent.be/dataset/fietsen', 'Fietsenstallingen'));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ created: 1 });
    const other = await send('POST', '/api/v1/catalogs/gent/records', keyB, dataset('http://example.org/x', 'X'));
    expect(other.statusCode).toBe(403);
    expect(other.headers['content-type']).toMatch(/problem\+json/);
    expect(other.json().detail).toContain('Provincie Antwerpen');
    expect((await send('PUT', path, keyB, dataset(iri, 'X'))).statusCode).toBe(403);
    const anonymous = await send('POST', '/api/v1/catalogs/gent/records', undefined, dataset(iri, 'X'));
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="vindbaar"');
  });

  it("statements about another catalogue's records (with a warning) or about this service's own resources are left out", async () => {
    const spoof = `${dataset('http://data.antwerpen.be/dataset/bomen', 'Bomen')}
      <http://data.gent.be/dataset/fietsen> <http://purl.org/dc/terms/title> "GESPOOFT"@nl.
      <http://vindbaar.test/catalog> <http://purl.org/dc/terms/title> "GESPOOFTE CATALOGUS"@nl.`;
    const r = await send('POST', '/api/v1/catalogs/antwerpen/records', keyB, spoof);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ created: 1 });
    expect(JSON.stringify(r.json().warnings)).toContain('another catalogue');
    const stored = await services.db.query<{ iri: string }>(`SELECT iri FROM records WHERE catalog_id = 'antwerpen'`);
    expect(stored.rows.map((x) => x.iri)).toEqual(['http://data.antwerpen.be/dataset/bomen']);
    const page = await app.inject({ url: '/catalog', headers: { accept: 'application/n-triples' } });
    expect(page.body).not.toContain('GESPOOFT');
    // The other order: statements about a dataset that does not exist yet are kept as a resource, and
    // withdrawn when its own catalogue brings the dataset.
    const early = await send('POST', '/api/v1/catalogs/antwerpen/records', keyB, `${dataset('http://data.antwerpen.be/dataset/bomen', 'Bomen')}
      <http://data.gent.be/dataset/later> <http://purl.org/dc/terms/title> "VOORAF GESPOOFT"@nl.`);
    expect(early.statusCode).toBe(200);
    expect((await send('POST', '/api/v1/catalogs/gent-later/records', keyA, dataset('http://data.gent.be/dataset/later', 'Later'))).json()).toMatchObject({ created: 1 });
    const kept = await services.db.query<{ kind: string; live: boolean }>(`SELECT kind, deleted_at IS NULL AS live FROM records WHERE iri = 'http://data.gent.be/dataset/later' ORDER BY kind`);
    expect(kept.rows).toEqual([
      { kind: 'Dataset', live: true },
      { kind: 'Resource', live: false },
    ]);
  });

  it('a request that fails creates no catalogue: a deletion in an unknown one is 404, a malformed first push leaves none behind', async () => {
    const del = await send('DELETE', '/api/v1/catalogs/nergens/records/x', keyB);
    expect(del.statusCode).toBe(404);
    const bad = await send('POST', '/api/v1/catalogs/kapot/records', keyB, '<http://x.org/a> <http://x.org/b> .');
    expect(bad.statusCode).toBe(400);
    const left = await services.db.query(`SELECT id FROM catalogs WHERE id IN ('nergens', 'kapot')`);
    expect(left.rows).toEqual([]);
    // Another organisation may still take the name.
    expect((await send('POST', '/api/v1/catalogs/kapot/records', keyA, dataset('http://data.gent.be/dataset/kapot', 'Heel'))).statusCode).toBe(200);
  });

  it('a body in a media type no parser reads, or a bad parameter, is refused with what to send instead', async () => {
    // What curl --data-binary sends unless told otherwise.
    for (const type of ['application/x-www-form-urlencoded', 'image/png']) {
      const r = await send('POST', '/api/v1/catalogs/gent/records', keyA, dataset('http://data.gent.be/dataset/vorm', 'Vorm'), type);
      expect(r.statusCode).toBe(415);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
      expect(r.json().detail).toBe(`This route does not read ${type}; send one of ${r.json().accepted.join(', ')}. Nothing was changed.`);
      expect(r.json().accepted).toContain('text/turtle');
      expect(r.json().accepted).toContain('application/ld+json');
    }
    const profile = await send('POST', '/api/v1/catalogs/gent/records?profile=dcat-ap-vl', keyA, dataset('http://data.gent.be/dataset/vorm', 'Vorm'));
    expect(profile.statusCode).toBe(400);
    expect(profile.json().detail).toMatch(/^querystring\/profile must be equal to one of the allowed values: .*dcat-ap-vl-2\.0/);
    const n = await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE iri = 'http://data.gent.be/dataset/vorm'");
    expect(n.rows[0].n).toBe(0);
  });

  it('a document with relative IRIs is told that they name this service\'s own documents, not that it holds no triples', async () => {
    const relative = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
<#fietsen> a dcat:Dataset; dct:title "Fietsen"@nl; dct:description "Relatief"@nl.`;
    const all = await send('POST', '/api/v1/catalogs/gent-relatief/records', keyA, relative);
    expect(all.statusCode).toBe(400);
    expect(all.json().detail).not.toContain('no RDF triples');
    expect(all.json().detail).toContain('3 triple(s) about this service\'s own documents (such as <http://vindbaar.test/api/v1/catalogs/gent-relatief/records#fietsen>) were left out');
    expect(all.json().detail).toContain('give the records absolute IRIs');
    // Beside records of its own: stored, with a warning that says what was left out.
    const some = await send('POST', '/api/v1/catalogs/gent-relatief/records', keyA, `${relative}\n${dataset('http://data.gent.be/dataset/absoluut', 'Absoluut')}`);
    expect(some.statusCode).toBe(200);
    expect(some.json()).toMatchObject({ created: 1 });
    expect(JSON.stringify(some.json().warnings)).toContain('were left out');
  });

  it('a record with an RDF list of thousands of items (as deep a chain of blank nodes) is stored and validated', async () => {
    const list = Array.from({ length: 5000 }, (_, i) => `"k${i}"`).join(' ');
    const r = await send('POST', '/api/v1/catalogs/gent-lijst/records', keyA, `${dataset('http://data.gent.be/dataset/lijst', 'Lijst')}\n<http://data.gent.be/dataset/lijst> <http://data.gent.be/ns/volgorde> (${list}).`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ created: 1, validation: { checked: 1 } });
    const id = (await services.db.query<{ id: string }>("SELECT id FROM records WHERE iri = 'http://data.gent.be/dataset/lijst'")).rows[0].id;
    expect((await app.inject({ url: `/api/v1/records/${id}/validation` })).statusCode).toBe(200);
    const nt = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'application/n-triples' } });
    expect(nt.body).toContain('"k4999"');
  });

  it('a syntax error in a token that runs to the end of a large document quotes a short piece of it, not the whole', async () => {
    // A string never closed: the parser's token is the rest of the document, here 2 MB (gzip makes it 2 KB).
    const unclosed = `@prefix dct: <http://purl.org/dc/terms/>.\n<http://data.gent.be/dataset/lang> dct:title "${'x'.repeat(2_000_000)} .`;
    for (const encoded of [false, true]) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/catalogs/gent/records',
        headers: { authorization: `Bearer ${keyA}`, 'content-type': 'text/turtle', ...(encoded ? { 'content-encoding': 'gzip' } : {}) },
        payload: encoded ? gzipSync(unclosed) : unclosed,
      });
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
      expect(r.body.length).toBeLessThan(1000);
      expect(r.json()).toMatchObject({ title: 'Malformed RDF', line: 2 });
      expect(r.json().detail).toMatch(/^Unexpected ""x+… \(\d+ more characters\) \(line 2(, column \d+)?\)\. Nothing was stored\.$/);
    }
  });

  it('reads the charset the Content-Type declares and gzip bodies; refuses bytes not valid in it, and unknown charsets or encodings', async () => {
    const raw = (body: Buffer, headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/api/v1/catalogs/gent-bytes/records', headers: { authorization: `Bearer ${keyA}`, ...headers }, payload: body });
    const latin = Buffer.from(dataset('http://data.gent.be/dataset/cafe', 'Caf\u00e9s'), 'latin1');
    const declared = await raw(latin, { 'content-type': 'text/turtle; charset=iso-8859-1' });
    expect(declared.statusCode, declared.body).toBe(200);
    const id = (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', ['http://data.gent.be/dataset/cafe'])).rows[0].id;
    expect(JSON.stringify((await app.inject({ url: `/api/v1/datasets/${id}` })).json())).toContain('Caf\u00e9s');
    const undeclared = await raw(Buffer.from(dataset('http://data.gent.be/dataset/cafe2', 'Caf\u00e9s'), 'latin1'), { 'content-type': 'text/turtle' });
    expect(undeclared.statusCode).toBe(400);
    expect(undeclared.headers['content-type']).toMatch(/problem\+json/);
    expect(undeclared.json().detail).toMatch(/not valid UTF-8 at byte \d+ \(line 2\)/);
    expect((await services.db.query('SELECT 1 FROM records WHERE iri = $1', ['http://data.gent.be/dataset/cafe2'])).rows).toHaveLength(0);
    expect((await raw(latin, { 'content-type': 'text/turtle; charset=klingon' })).statusCode).toBe(415);
    const zipped = await raw(gzipSync(Buffer.from(dataset('http://data.gent.be/dataset/zip', 'Gezipt'))), { 'content-type': 'text/turtle', 'content-encoding': 'gzip' });
    expect(zipped.statusCode, zipped.body).toBe(200);
    expect(zipped.json()).toMatchObject({ created: 1 });
    expect((await raw(Buffer.from('x'), { 'content-type': 'text/turtle', 'content-encoding': 'br' })).statusCode).toBe(415);
    expect((await raw(Buffer.from('not gzip at all'), { 'content-type': 'text/turtle', 'content-encoding': 'gzip' })).statusCode).toBe(400);
    // A small bomb: 60 MB of spaces packed into some 60 KB, over the configured body limit once unpacked.
    const bomb = await raw(gzipSync(Buffer.alloc(60 * 1024 * 1024, 0x20)), { 'content-type': 'text/turtle', 'content-encoding': 'gzip' });
    expect(bomb.statusCode).toBe(413);
  });

  it('PUT creates, then replaces, one record named by its IRI or its id', async () => {
    const created = await send('PUT', path, keyA, dataset(iri, 'Parkeergarages'));
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toMatch(/^http:\/\/vindbaar\.test\/api\/v1\/records\/\w+$/);
    expect((await app.inject({ url: (created.headers.location as string).replace('http://vindbaar.test', '') })).statusCode).toBe(200);
    expect(created.json()).toMatchObject({ created: 1, updated: 0 });
    const same = await send('PUT', path, keyA, dataset(iri, 'Parkeergarages'));
    expect(same.json()).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const id = (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [iri])).rows[0].id;
    const changed = await send('PUT', `/api/v1/catalogs/gent/records/${id}`, keyA, dataset(iri, 'Parkeergarages en fietsenstallingen'));
    expect(changed.json()).toMatchObject({ updated: 1 });
    const record = await app.inject({ url: `/api/v1/datasets/${id}` });
    expect(JSON.stringify(record.json())).toContain('Parkeergarages en fietsenstallingen');
  });

  it('a record read as Turtle and pushed straight back is unchanged: the catalogue record this service adds is not stored', async () => {
    const id = (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [iri])).rows[0].id;
    const before = (await services.db.query<{ version: number }>('SELECT version FROM records WHERE id = $1', [id])).rows[0].version;
    for (let trip = 0; trip < 2; trip++) {
      const ttl = (await app.inject({ url: `/api/v1/records/${id}.ttl` })).body;
      expect(ttl).toContain('CatalogRecord');
      const back = await send('PUT', path, keyA, ttl);
      expect(back.statusCode, back.body).toBe(200);
      expect(back.json()).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    }
    expect((await services.db.query<{ version: number }>('SELECT version FROM records WHERE id = $1', [id])).rows[0].version).toBe(before);
  });

  it('PUT refuses a body about another record, several records, bad RDF or a wrong media type, and changes nothing', async () => {
    const other = await send('PUT', path, keyA, dataset('http://data.gent.be/dataset/andere', 'Andere'));
    expect(other.statusCode).toBe(409);
    const two = await send('PUT', path, keyA, `${dataset(iri, 'A')}\n${dataset('http://data.gent.be/dataset/twee', 'B')}`);
    expect(two.statusCode).toBe(400);
    expect(two.json().title).toBe('One record expected');
    const bad = await send('PUT', path, keyA, '<http://a> <http://b> "unclosed .');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().line).toBe(1);
    expect((await send('PUT', path, keyA, '{}', 'application/x-unknown')).statusCode).toBe(415);
    const n = await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE catalog_id = 'gent' AND kind = 'Dataset'");
    expect(n.rows[0].n).toBe(2);
  });

  it('DELETE withdraws the record: it answers 410 Gone', async () => {
    expect((await send('DELETE', path, keyB)).statusCode).toBe(403);
    const gone = await send('DELETE', path, keyA);
    expect(gone.statusCode).toBe(204);
    const id = (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [iri])).rows[0].id;
    expect((await app.inject({ url: `/api/v1/datasets/${id}` })).statusCode).toBe(410);
    expect((await send('DELETE', `/api/v1/catalogs/gent/records/${encodeURIComponent('http://data.gent.be/nope')}`, keyA)).statusCode).toBe(404);
    // The IRI written into the path as it is, slashes and all: told to encode it.
    for (const method of ['PUT', 'DELETE'] as const) {
      const raw = await send(method, `/api/v1/catalogs/gent/records/${iri}`, keyA, method === 'PUT' ? dataset(iri, 'Parkeergarages') : undefined);
      expect(raw.statusCode).toBe(404);
      expect(raw.headers['content-type']).toMatch(/problem\+json/);
      expect(raw.json().detail).toMatch(/by its IRI URL-encoded \(https%3A%2F%2F…\), as one path segment/);
    }
    // Put back: the tombstone comes alive again.
    expect((await send('PUT', path, keyA, dataset(iri, 'Parkeergarages'))).json()).toMatchObject({ created: 1 });
    expect((await app.inject({ url: `/api/v1/datasets/${id}` })).statusCode).toBe(200);
  });

  it('a catalogue node pushed one dataset at a time keeps listing the earlier ones, as long as they live', async () => {
    const cat = 'http://data.gent.be/catalog/geo';
    const doc = (n: number) => `${dataset(`http://data.gent.be/geo/${n}`, `Geo ${n}`)}\n<${cat}> a dcat:Catalog; dct:title "Geo"@nl; dcat:dataset <http://data.gent.be/geo/${n}>.`;
    const listing = async () => {
      const r = (await services.db.query<{ nquads: string }>("SELECT nquads FROM records WHERE catalog_id = 'gent' AND iri = $1 AND kind = 'Catalog'", [cat])).rows[0];
      return [...r.nquads.matchAll(/<http:\/\/www\.w3\.org\/ns\/dcat#dataset> <([^>]+)>/g)].map((m) => m[1]).sort();
    };
    for (const n of [1, 2]) expect((await send('POST', '/api/v1/catalogs/gent/records', keyA, doc(n))).statusCode).toBe(200);
    expect(await listing()).toEqual(['http://data.gent.be/geo/1', 'http://data.gent.be/geo/2']);
    // The same document again changes nothing.
    expect((await send('POST', '/api/v1/catalogs/gent/records', keyA, doc(2))).json()).toMatchObject({ created: 0, updated: 0 });
    // A withdrawn dataset leaves the listing with the next push.
    expect((await send('DELETE', `/api/v1/catalogs/gent/records/${encodeURIComponent('http://data.gent.be/geo/1')}`, keyA)).statusCode).toBe(204);
    expect((await send('POST', '/api/v1/catalogs/gent/records', keyA, doc(3))).statusCode).toBe(200);
    expect(await listing()).toEqual(['http://data.gent.be/geo/2', 'http://data.gent.be/geo/3']);
  });

  it('a catalogue without a title of its own is named by the catalogue node its portal pushes, in the language asked for', async () => {
    const doc = `${dataset('http://data.brugge.be/dataset/parkeren', 'Parkeren')}
<http://data.brugge.be/catalog> a dcat:Catalog; dct:title "Open data Brugge"@nl, "Open data Bruges"@en; dcat:dataset <http://data.brugge.be/dataset/parkeren>.`;
    const title = async () => (await app.inject({ url: '/api/v1/catalogs' })).json().member.find((c: { id: string }) => c.id === 'brugge')?.title;
    expect((await send('POST', '/api/v1/catalogs/brugge/records', keyA, dataset('http://data.brugge.be/dataset/bomen', 'Bomen'))).statusCode).toBe(200);
    expect(await title()).toBeUndefined();
    expect((await send('POST', '/api/v1/catalogs/brugge/records', keyA, doc)).statusCode).toBe(200);
    expect(await title()).toBe('Open data Brugge');
    // The catalogue facet of a search says it too, in the language asked for.
    await services.reindexPending();
    const facet = async (lang: string) => (await app.inject({ url: `/api/v1/search?catalog=brugge&lang=${lang}&limit=1` })).json().facets.catalog.find((c: { value: string }) => c.value === 'brugge')?.label;
    expect(await facet('nl')).toBe('Open data Brugge');
    expect(await facet('en')).toBe('Open data Bruges');
  });

  it('a revoked key is refused at once', async () => {
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/keys/${keyAId}`, headers: { authorization: `Bearer ${ADMIN}` } })).statusCode).toBe(204);
    expect((await send('PUT', path, keyA, dataset(iri, 'X'))).statusCode).toBe(401);
  });
});
