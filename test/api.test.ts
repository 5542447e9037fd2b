import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonld from 'jsonld';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { registerContext } from '../src/rdf/jsonld-contexts.js';
import { contextDocument } from '../src/dcat/context.js';
import { parseString } from '../src/rdf/parse.js';
import { canonical } from './support/rdf.js';
import { hasCorpus, corpusPath, ldesPage } from './support/corpus.js';
import { patternMeaning } from '../src/api/patterns.js';

const KEY = 'test-admin-key-0123456789abcdef';
let app: FastifyInstance;
let services: Services;
let dir: string;

const TTL = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
<http://example.org/ds/werk> a dcat:Dataset; dct:title "Werkzaamheidsgraad naar geslacht"@nl, "Employment rate by sex"@en;
  dct:description "Aandeel werkenden in de bevolking."@nl;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON>;
  dcat:distribution <http://example.org/ds/werk/csv>.
<http://example.org/ds/werk/csv> a dcat:Distribution; dct:format <http://publications.europa.eu/resource/authority/file-type/CSV>.`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vindbaar-api-'));
  const config = loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: KEY, VINDBAAR_BODY_LIMIT: '2mb', VINDBAAR_BASE_URL: 'http://vindbaar.test' });
  services = await createServices(config, pino({ level: 'silent' }));
  app = await buildServer(services);
});
afterAll(async () => {
  await app?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

const push = (body: string, type = 'text/turtle', key: string | null = KEY, catalog = 'test') =>
  app.inject({ method: 'POST', url: `/api/v1/catalogs/${catalog}/records`, headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) }, payload: body });

describe('push API', () => {
  it('requires a key', async () => {
    const r = await push(TTL, 'text/turtle', null);
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await push(TTL, 'text/turtle', 'vb_wrongkey_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')).statusCode).toBe(401);
  });

  it('stores pushed records, then reports them unchanged', async () => {
    const r = await push(TTL);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ catalog: 'test', created: 1, byKind: { Dataset: 1 } });
    expect((await push(TTL)).json()).toMatchObject({ created: 0, unchanged: 1 });
  });

  it('answers malformed RDF with 400 naming line and column, and stores nothing of it', async () => {
    const bad = TTL.replace('<http://example.org/ds/werk/csv> a', '<http://example.org/ds/other> a dcat:Dataset; dct:title "x" "y" .\n<http://example.org/ds/werk/csv> a');
    const r = await push(bad);
    expect(r.statusCode).toBe(400);
    const p = r.json();
    expect(p.line).toBe(6);
    expect(p.column).toBeGreaterThan(0);
    expect(p.detail).toMatch(/line 6, column/);
    const other = await app.inject({ url: '/api/v1/datasets?q=other' });
    expect(other.json().totalItems).toBe(0);
  });

  it('answers 415 for media types it cannot read, 413 for bodies over the limit, 400 for empty ones', async () => {
    expect((await push('x', 'application/pdf')).statusCode).toBe(415);
    const big = `${TTL}\n#${'x'.repeat(3 * 1024 * 1024)}`;
    const r = await push(big);
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    const empty = await push('   ');
    expect(empty.statusCode).toBe(400);
    const comments = await push('# only a comment\n');
    expect(comments.statusCode).toBe(400);
    expect(comments.json().detail).toMatch(/no RDF triples/);
  });

  it.skipIf(!hasCorpus)('accepts RDF/XML and JSON-LD, and rejects broken JSON-LD with its line', async () => {
    const xml = readFileSync(corpusPath('real/ckanext-dcat/dataset_sweden.rdf'), 'utf8');
    // Cut off in the middle of an element: an error at the end of the text, and nothing stored.
    const cut = readFileSync(corpusPath('real/ckanext-dcat/dataset_gov_de.rdf'), 'utf8').slice(0, 6000);
    const truncated = await push(cut, 'application/rdf+xml', KEY, 'truncated');
    expect(truncated.statusCode, truncated.body).toBe(400);
    expect(truncated.json().detail).toMatch(/unclosed tag/);
    expect(truncated.json().line).toBeGreaterThan(1);
    expect((await services.db.query("SELECT 1 FROM records WHERE catalog_id = 'truncated'")).rows).toHaveLength(0);
    expect((await push(xml, 'application/rdf+xml')).statusCode).toBe(200);
    const broken = readFileSync(corpusPath('examples/ckanext-dcat/croissant/full_croissant_dataset.jsonld'), 'utf8');
    const r = await push(broken, 'application/ld+json');
    expect(r.statusCode).toBe(400);
    expect(r.json().line).toBe(78);
  });
});

describe('JSON bodies', () => {
  it('answer 415 saying what was sent, not 400, when a JSON route gets text/plain, and nothing is made', async () => {
    const body = JSON.stringify({ role: 'publisher', organisation: 'Stad Gent', label: 'portal' });
    const before = (await app.inject({ url: '/api/v1/keys', headers: { authorization: `Bearer ${KEY}` } })).json();
    for (const [method, url] of [
      ['POST', '/api/v1/keys'],
      ['PUT', '/api/v1/views/plain'],
      ['POST', '/api/v1/sources'],
    ] as const) {
      const r = await app.inject({ method, url, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'text/plain' }, payload: body });
      expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(415);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json().detail).toContain('text/plain');
    }
    expect((await app.inject({ url: '/api/v1/keys', headers: { authorization: `Bearer ${KEY}` } })).json()).toEqual(before);
    // As JSON it is read; and text/plain is still N-Triples where RDF is read.
    expect((await app.inject({ method: 'POST', url: '/api/v1/keys', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, payload: body })).statusCode).toBe(201);
    expect((await push('<http://example.org/plain> <http://purl.org/dc/terms/title> "x" .', 'text/plain')).statusCode).toBe(200);
  });
});

describe('compression', () => {
  it('compresses larger answers for clients that accept it, and leaves the gzip dumps alone', async () => {
    const { gunzipSync } = await import('node:zlib');
    const plain = await app.inject({ url: '/catalog?limit=100', headers: { accept: 'text/turtle' } });
    const zipped = await app.inject({ url: '/catalog?limit=100', headers: { accept: 'text/turtle', 'accept-encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    // Other bytes, a weak validator; either form of it still gets 304.
    const id = (await services.db.query<{ id: string }>("SELECT id FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL LIMIT 1")).rows[0].id;
    const strong = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle' } });
    const weak = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle', 'accept-encoding': 'br' } });
    expect(strong.headers.etag).toMatch(/^"/);
    if (weak.headers['content-encoding']) expect(weak.headers.etag).toBe(`W/${strong.headers.etag}`);
    expect((await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle', 'if-none-match': `W/${strong.headers.etag}` } })).statusCode).toBe(304);
    // The context, which every JSON-LD processor in a browser fetches (compressed, so with a weak tag).
    const context = await app.inject({ url: '/context.jsonld', headers: { 'accept-encoding': 'gzip' } });
    expect(context.headers.etag).toMatch(/^W\//);
    expect((await app.inject({ url: '/context.jsonld', headers: { 'if-none-match': String(context.headers.etag) } })).statusCode).toBe(304);
    const page = await app.inject({ url: '/feed/0', headers: { 'accept-encoding': 'gzip' } });
    if (page.headers['content-encoding']) expect(page.headers.etag).toMatch(/^W\//);
    const fragmentTag = String(page.headers.etag).replace(/^W\//, '');
    expect((await app.inject({ url: '/feed/0', headers: { 'if-none-match': `W/${fragmentTag}` } })).statusCode).toBe(304);
    const dump = await app.inject({ url: '/dumps/catalog.nt.gz', headers: { 'accept-encoding': 'gzip, br' } });
    expect(dump.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(dump.rawPayload).length).toBeGreaterThan(0);
  });
});

describe('browser clients of other origins (CORS)', () => {
  it('may read the API, the linked data and the context, and send a preflight for a push with a key', async () => {
    for (const url of ['/api/v1/datasets', '/context.jsonld', '/catalog', '/feed']) {
      const r = await app.inject({ url, headers: { origin: 'https://portal.example.be' } });
      expect(r.headers['access-control-allow-origin'], url).toBe('*');
      expect(r.headers['access-control-allow-credentials'], url).toBeUndefined();
    }
    const pre = await app.inject({ method: 'OPTIONS', url: '/api/v1/catalogs/test/records', headers: { origin: 'https://portal.example.be', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-methods']).toContain('POST');
    expect(String(pre.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    // A portal's web application may send its catalogue gzipped, as the push routes read it.
    const gz = await app.inject({ method: 'OPTIONS', url: '/api/v1/catalogs/test/records', headers: { origin: 'https://portal.example.be', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, content-encoding' } });
    expect(gz.statusCode).toBe(204);
    expect(String(gz.headers['access-control-allow-headers']).toLowerCase().split(/\s*,\s*/)).toContain('content-encoding');
    // And replace a record only if it is the version it read (a conditional PUT).
    const put = await app.inject({ method: 'OPTIONS', url: '/api/v1/catalogs/test/records/x', headers: { origin: 'https://portal.example.be', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type, if-match' } });
    expect(String(put.headers['access-control-allow-headers']).toLowerCase().split(/\s*,\s*/)).toContain('if-match');
    // An OPTIONS that is no preflight asks which methods the path answers.
    const plain = await app.inject({ method: 'OPTIONS', url: '/catalog' });
    expect(plain.statusCode).toBe(204);
    expect(String(plain.headers.allow).split(', ')).toEqual(expect.arrayContaining(['GET', 'HEAD', 'OPTIONS']));
    expect(String(plain.headers.allow)).not.toContain('POST');
    const nowhere = await app.inject({ method: 'OPTIONS', url: '/no/such/path' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.headers['content-type']).toMatch(/problem\+json/);
    const sparql = await app.inject({ method: 'OPTIONS', url: '/sparql', headers: { origin: 'https://yasgui.example', 'access-control-request-method': 'POST' } });
    expect(sparql.statusCode).toBe(204);
    const exposed = await app.inject({ url: '/api/v1/datasets', headers: { origin: 'https://portal.example.be' } });
    expect(String(exposed.headers['access-control-expose-headers'])).toContain('ETag');
    // The headers the API reports through are readable by a script too: how many a search export
    // matched, and that SPARQL cut its results at the limit.
    const csv = await app.inject({ url: '/api/v1/search.csv', headers: { origin: 'https://portal.example.be' } });
    expect(csv.headers['x-total-count']).toBeDefined();
    const limited = await app.inject({ url: `/sparql?query=${encodeURIComponent('SELECT * WHERE { ?s ?p ?o }')}`, headers: { origin: 'https://yasgui.example' } });
    expect(limited.headers['vindbaar-results-limited']).toBeDefined();
    for (const r of [csv, limited]) {
      const names = String(r.headers['access-control-expose-headers']).toLowerCase().split(/\s*,\s*/);
      for (const header of Object.keys(r.headers)) if (/^(x-total-count|x-exported-count|vindbaar-results-limited|x-ratelimit-)/.test(header)) expect(names, header).toContain(header);
    }
  });
});

describe('SPARQL service description', () => {
  it('is answered at the endpoint without a query, in the RDF syntax asked for, naming every result format', async () => {
    const SD = 'http://www.w3.org/ns/sparql-service-description#';
    const plain = await app.inject({ url: '/sparql' });
    expect(plain.headers['content-type']).toMatch(/^text\/turtle/);
    expect(plain.headers.vary).toBe('Accept');
    for (const [accept, format] of [
      ['application/ld+json', 'jsonld'],
      ['application/rdf+xml', 'rdfxml'],
      ['application/n-triples', 'ntriples'],
      ['application/sparql-results+json', 'turtle'],
    ] as const) {
      const r = await app.inject({ url: '/sparql', headers: { accept } });
      expect(r.statusCode, accept).toBe(200);
      const quads = await parseString(r.body, { format });
      expect(quads.some((q) => q.predicate.value === `${SD}endpoint`), accept).toBe(true);
      const formats = quads.filter((q) => q.predicate.value === `${SD}resultFormat`).map((q) => q.object.value);
      expect(formats, accept).toEqual(expect.arrayContaining(['http://www.w3.org/ns/formats/SPARQL_Results_JSON', 'http://www.w3.org/ns/formats/N-Quads', 'http://www.w3.org/ns/formats/TriG', 'http://www.w3.org/ns/formats/JSON-LD']));
    }
    const oas = (await app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(oas.paths['/sparql'].get.responses['200'].content)).toContain('application/ld+json');
  });
});

describe('search and read API', () => {
  beforeAll(async () => {
    if (hasCorpus) await push(readFileSync(ldesPage(4), 'utf8'), 'application/trig', KEY, 'datagovbe');
  });

  it('finds the pushed dataset as a Hydra collection with facets', async () => {
    const r = await app.inject({ url: '/api/v1/datasets?q=werkzaamheid&limit=5' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.totalItems).toBe(1);
    expect(body.member[0]).toMatchObject({ iri: 'http://example.org/ds/werk', title: { nl: 'Werkzaamheidsgraad naar geslacht' } });
    expect(body.member[0].id).toMatch(/^[a-z2-7]{16}$/);
    expect(body.facets.theme[0]).toMatchObject({ value: 'http://publications.europa.eu/resource/authority/data-theme/ECON', count: 1, label: 'Economie en financiën' });
    expect(body.view.first).toMatch(/page=1/);
  });

  it.skipIf(!hasCorpus)('pages through results with next/last links', async () => {
    const r = (await app.inject({ url: '/api/v1/datasets?catalog=datagovbe&limit=30&page=2' })).json();
    expect(r.totalItems).toBe(100);
    expect(r.member).toHaveLength(30);
    expect(r.view.next).toMatch(/page=3/);
    expect(r.view.previous).toMatch(/page=1/);
    expect(r.view.last).toMatch(/page=4/);
  });

  it('serves a record as JSON-LD that expands to the same graph as its Turtle', async () => {
    const found = (await app.inject({ url: '/api/v1/datasets?q=werkzaamheid' })).json();
    const id = found.member[0].id;
    const json = await app.inject({ url: `/api/v1/datasets/${id}`, headers: { accept: 'application/ld+json' } });
    expect(json.headers['content-type']).toMatch(/application\/ld\+json/);
    expect(json.headers.vary).toMatch(/Accept/);
    const ttl = await app.inject({ url: `/api/v1/datasets/${id}`, headers: { accept: 'text/turtle;q=0.9, application/ld+json;q=0.5' } });
    expect(ttl.headers['content-type']).toMatch(/text\/turtle/);
    registerContext('http://vindbaar.test/context.jsonld', contextDocument());
    // The whole answer, local conveniences included (the context leaves them out of the graph), is the
    // same graph as the Turtle: the record's triples and its CatalogRecord.
    const doc = json.json();
    expect(doc.catalogRecord).toMatchObject({ type: 'CatalogRecord', identifier: [id] });
    const { jsonldDocumentLoader } = await import('../src/rdf/jsonld-contexts.js');
    const nq = (await jsonld.toRDF(doc, { format: 'application/n-quads', documentLoader: jsonldDocumentLoader() as never })) as unknown as string;
    const fromJson = await parseString(nq, { format: 'nquads' });
    const fromTtl = await parseString(ttl.body, { format: 'turtle' });
    expect(await canonical(fromJson)).toBe(await canonical(fromTtl));
    // The list of catalogues is JSON-LD too, with catalogues that have no IRI among them.
    const catalogues = (await app.inject({ url: '/api/v1/catalogs' })).json();
    expect(catalogues.member.some((c: { iri?: string }) => c.iri === undefined)).toBe(true);
    await expect(jsonld.expand(catalogues, { documentLoader: jsonldDocumentLoader() as never })).resolves.toBeDefined();
    for (const [accept, type] of [
      ['application/n-triples', 'application/n-triples'],
      ['application/rdf+xml', 'application/rdf+xml'],
      ['application/trig', 'application/trig'],
    ]) {
      const r = await app.inject({ url: `/api/v1/datasets/${id}`, headers: { accept } });
      expect(r.headers['content-type']).toContain(type);
    }
    expect((await app.inject({ url: `/api/v1/datasets/${id}`, headers: { accept: 'image/png' } })).statusCode).toBe(406);
  });

  it('lists the versions of a record after a change', async () => {
    await push(TTL.replace('Aandeel werkenden in de bevolking.', 'Aandeel werkenden in de bevolking van 20 tot 64 jaar.'));
    const found = (await app.inject({ url: '/api/v1/datasets?q=werkzaamheid' })).json();
    const versions = (await app.inject({ url: `/api/v1/records/${found.member[0].id}/versions` })).json();
    expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    // The change note of the real change: the description changed, nothing else.
    expect(versions.versions[0].changes).toEqual({ added: [], removed: [], changed: ['description'] });
    expect(versions.versions[1].changes).toEqual({ added: [], removed: [], changed: [] });
    expect(Array.isArray(versions.documentation)).toBe(true);
    expect((await app.inject({ url: '/api/v1/records/nope/versions' })).statusCode).toBe(404);
  });

  it('answers unknown ids and bad parameters with problem+json', async () => {
    const nf = await app.inject({ url: '/api/v1/datasets/doesnotexist' });
    expect(nf.statusCode).toBe(404);
    expect(nf.headers['content-type']).toMatch(/problem\+json/);
    expect(nf.json().type).toBe('about:blank');
    expect((await app.inject({ url: '/api/v1/datasets?limit=5000' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/datasets?sort=sideways' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/nope' })).statusCode).toBe(404);
    // Every problem names its type, whichever path made it: validation, an unknown route, a bad method.
    for (const url of ['/api/v1/datasets?limit=5000', '/api/v1/datasets?sort=sideways', '/nope']) {
      const r = await app.inject({ url });
      expect(r.json(), url).toMatchObject({ type: 'about:blank', status: r.statusCode });
    }
    expect((await app.inject({ method: 'DELETE', url: '/catalog' })).json()).toMatchObject({ type: 'about:blank', status: 405 });
  });

  it('answers a data service asked for as a dataset (an id from a search of every type) with where it is', async () => {
    const service = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
<http://example.org/api/werk> a dcat:DataService; dct:title "Werk-API"@nl; dcat:endpointURL <http://example.org/api/werk/v1>.`;
    expect((await push(service)).statusCode).toBe(200);
    const found = (await app.inject({ url: '/api/v1/search?q=werk-api&type=dataservice' })).json();
    expect(found.member[0]).toMatchObject({ iri: 'http://example.org/api/werk', type: 'DataService' });
    const id = found.member[0].id;
    const wrong = await app.inject({ url: `/api/v1/datasets/${id}` });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json()).toMatchObject({ detail: `No Dataset or DatasetSeries with id "${id}": it is a DataService, at http://vindbaar.test/api/v1/dataservices/${id}.`, record: `http://vindbaar.test/api/v1/dataservices/${id}` });
    expect((await app.inject({ url: wrong.json().record })).statusCode).toBe(200);
  });

  it('says in words what a value that does not match its pattern should be, not the regular expression', async () => {
    const dated = await app.inject({ url: '/api/v1/datasets?issuedFrom=yesterday' });
    expect(dated.statusCode).toBe(400);
    expect(dated.json().detail).toBe('querystring/issuedFrom must be a date (2024-01-31) or a date-time with its zone (2024-01-31T12:00:00Z)');
    expect((await app.inject({ url: '/api/v1/search?bbox=1,2,3' })).json().detail).toBe('querystring/bbox must be four numbers, west,south,east,north (degrees, WGS 84)');
    expect((await push(TTL, 'text/turtle', KEY, 'Mijn%20Portaal')).json().detail).toMatch(/^params\/id must be an id of lower-case letters, digits/);
    expect((await push(TTL)).statusCode).toBe(200);
    const id = (await app.inject({ url: '/api/v1/datasets?q=werkzaamheid' })).json().member[0].id;
    const feedback = await app.inject({ method: 'POST', url: `/api/v1/records/${id}/feedback`, payload: { kind: 'question', message: 'Is er een versie per gemeente?', email: 'an at example.org' } });
    expect(feedback.statusCode).toBe(400);
    expect(feedback.json()).toMatchObject({ detail: 'body/email must be an e-mail address, or empty', field: 'email' });
    // Every pattern a request is checked with has its words: none is ever quoted to a client.
    const patterns = new Set<string>();
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object')
        for (const [k, v] of Object.entries(x)) {
          if (k === 'pattern' && typeof v === 'string') patterns.add(v);
          else walk(v);
        }
    };
    walk((await app.inject({ url: '/openapi.json' })).json());
    expect(patterns.size).toBeGreaterThan(5);
    for (const p of patterns) expect(patternMeaning(p), p).toBeDefined();
  });

  it('serves health, readiness, the context and an OpenAPI document', async () => {
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/ready' })).json()).toMatchObject({ status: 'ready', store: 'pglite' });
    expect((await app.inject({ url: '/ready' })).json().search.reindex).toBeUndefined();
    // A reindex under way shows there, with who runs it and since when; not once its lease has run out.
    await services.db.query("INSERT INTO leases (name, holder, until) VALUES ('reindex', 'host pid 1 at x #1', now() + interval '1 minute')");
    expect((await app.inject({ url: '/ready' })).json().search.reindex).toMatchObject({ holder: 'host pid 1 at x #1', since: expect.stringMatching(/^\d{4}-/) });
    await services.db.query("UPDATE leases SET until = now() - interval '1 second' WHERE name = 'reindex'");
    expect((await app.inject({ url: '/ready' })).json().search.reindex).toBeUndefined();
    await services.db.query("DELETE FROM leases WHERE name = 'reindex'");
    const ctx = (await app.inject({ url: '/context.jsonld' })).json();
    expect(ctx['@context'].title).toMatchObject({ '@id': 'http://purl.org/dc/terms/title', '@container': '@language' });
    const oas = (await app.inject({ url: '/openapi.json' })).json();
    expect(oas.openapi).toMatch(/^3\./);
    // Every route that answers 304 to a conditional request says so, beside its 200.
    for (const path of ['/api/v1/records/{id}', '/context.jsonld', '/dumps', '/dumps/catalog.nt.gz', '/feed/{fragment}']) expect(Object.keys(oas.paths[path].get.responses), path).toEqual(expect.arrayContaining(['200', '304']));
    expect(Object.keys(oas.paths)).toEqual(expect.arrayContaining(['/api/v1/datasets', '/api/v1/datasets/{id}', '/api/v1/catalogs/{id}/records']));
    // Every path parameter has a name a client generator can use, and is declared.
    for (const [path, ops] of Object.entries(oas.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>))
      for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
        expect(name, path).toMatch(/^[A-Za-z_][\w]*$/);
        for (const op of Object.values(ops)) expect(op.parameters?.some((p) => p.in === 'path' && p.name === name), `${path} ${name}`).toBe(true);
      }
    // Routes that negotiate between several representations document the 406 they give.
    for (const path of ['/catalog', '/sparql', '/feed', '/feed/{fragment}', '/dumps', '/api/v1/datasets/{id}'])
      expect(Object.keys(oas.paths[path].get.responses), path).toContain('406');
    expect((await app.inject({ url: '/docs/' })).statusCode).toBe(200);
  });
});

// Last in this file: these services set the JSON-LD context settings of the process.
describe('JSON-LD contexts a document names', () => {
  let other: Services;
  let otherApp: FastifyInstance;
  let otherDir: string;
  let contextServer: import('node:http').Server;
  let contextUrl: string;
  let fetched = 0;
  const doc = (context: string) => JSON.stringify({ '@context': context, '@id': 'https://data.example.be/id/dataset/ctx', '@type': 'Dataset', titel: 'Met een eigen context' });
  beforeAll(async () => {
    const { createServer } = await import('node:http');
    const { writeFileSync, mkdirSync } = await import('node:fs');
    contextServer = createServer((_req, res) => {
      fetched++;
      res.setHeader('content-type', 'application/ld+json');
      res.end(JSON.stringify({ '@context': { Dataset: 'http://www.w3.org/ns/dcat#Dataset', titel: 'http://purl.org/dc/terms/title' } }));
    });
    await new Promise<void>((r) => contextServer.listen(0, '127.0.0.1', r));
    contextUrl = `http://127.0.0.1:${(contextServer.address() as { port: number }).port}/ctx.jsonld`;
    otherDir = mkdtempSync(join(tmpdir(), 'vindbaar-ctx-'));
    const folder = join(otherDir, 'contexts');
    mkdirSync(folder);
    writeFileSync(join(folder, 'index.json'), JSON.stringify({ 'https://contexts.example.be/dcat-ap-vl.jsonld': 'vl.jsonld' }));
    writeFileSync(join(folder, 'vl.jsonld'), JSON.stringify({ '@context': { Dataset: 'http://www.w3.org/ns/dcat#Dataset', titel: 'http://purl.org/dc/terms/title' } }));
    other = await createServices(
      loadConfig({ VINDBAAR_DATA_DIR: otherDir, VINDBAAR_ADMIN_KEY: KEY, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_JSONLD_CONTEXTS: folder, VINDBAAR_JSONLD_REMOTE_CONTEXTS: 'true', VINDBAAR_DEFAULT_PROFILE: 'none' }),
      pino({ level: 'silent' }),
    );
    otherApp = await buildServer(other);
  });
  afterAll(async () => {
    await otherApp?.close();
    await other?.close();
    contextServer?.close();
    if (otherDir) rmSync(otherDir, { recursive: true, force: true });
  });
  const send = (body: string) =>
    otherApp.inject({ method: 'POST', url: '/api/v1/catalogs/ctx/records', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/ld+json' }, payload: body });

  it('reads contexts from the folders VINDBAAR_JSONLD_CONTEXTS names', async () => {
    const r = await send(doc('https://contexts.example.be/dcat-ap-vl.jsonld'));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ created: 1 });
  });

  it('fetches remote contexts through the address policy: never from this network unless allow-listed, in push and dry run alike', async () => {
    const pushed = await send(doc(contextUrl));
    expect(pushed.statusCode).toBe(400);
    expect(pushed.json().detail).toMatch(/127\.0\.0\.1/);
    const dry = await otherApp.inject({ method: 'POST', url: '/api/v1/validate', headers: { 'content-type': 'application/ld+json' }, payload: doc(contextUrl) });
    expect(dry.statusCode).toBe(400);
    expect(fetched).toBe(0);
    expect((await other.db.query("SELECT 1 FROM records WHERE catalog_id = 'ctx' AND iri = 'https://data.example.be/id/dataset/ctx' AND version > 1")).rows).toHaveLength(0);
  });

  it('refuses a folder without an index at start', () => {
    expect(() => loadConfig({ VINDBAAR_JSONLD_CONTEXTS: tmpdir() })).toThrow(/index\.json/);
  });
});
