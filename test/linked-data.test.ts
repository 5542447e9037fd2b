// Linked data as other programs read it: every representation of a record is the same graph (checked
// with jsonld.js and with rdflib, a client nobody on the team wrote), caching and content negotiation
// behave as HTTP means them to, minted IRIs dereference, and the exported catalogue passes the official
// DCAT-AP shapes (pySHACL) when what came in did.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonld from 'jsonld';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { jsonldDocumentLoader } from '../src/rdf/jsonld-contexts.js';
import { parseString } from '../src/rdf/parse.js';
import { canonical } from './support/rdf.js';
import { rdfClientsForTests } from './support/rdf-clients.js';
import { ntriplesToTurtle, prefixHeader } from '../src/rdf/ntriples-to-turtle.js';
import { canonicalize } from '../src/dcat/canonical.js';
import { quad } from '../src/rdf/terms.js';
import { hasCorpus, ldesPage } from './support/corpus.js';
import { readFileSync } from 'node:fs';

const KEY = 'test-admin-key-0123456789abcdef';
const BASE = 'http://vindbaar.test';
const clients = rdfClientsForTests();

let app: FastifyInstance;
let services: Services;
let dir: string;

// A dataset that meets DCAT-AP 3.0.1, with a blank-node distribution and a publisher described in full.
const GOOD = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix foaf: <http://xmlns.com/foaf/0.1/>.
@prefix xsd: <http://www.w3.org/2001/XMLSchema#>.
<https://data.example.be/id/dataset/werkloosheid> a dcat:Dataset;
  dct:title "Werkloosheidsgraad per gemeente"@nl, "Unemployment rate by municipality"@en;
  dct:description "Aandeel werkzoekenden in de beroepsbevolking, per gemeente en per jaar."@nl;
  dct:identifier "werkloosheid-2024";
  dct:publisher <https://data.example.be/id/org/steunpunt-werk>;
  dct:issued "2024-01-15"^^xsd:date;
  dcat:keyword "werk"@nl, "arbeidsmarkt"@nl;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON>;
  dcat:distribution [ a dcat:Distribution; dcat:accessURL <https://data.example.be/files/werkloosheid.csv>;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV>;
    dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ].
<https://data.example.be/id/org/steunpunt-werk> a foaf:Agent; foaf:name "Steunpunt Werk"@nl.
<http://publications.europa.eu/resource/authority/file-type/CSV> a dct:MediaTypeOrExtent.
<http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> a dct:LicenseDocument.
<http://publications.europa.eu/resource/authority/data-theme/ECON> a <http://www.w3.org/2004/02/skos/core#Concept>; <http://www.w3.org/2004/02/skos/core#prefLabel> "Economie en financiën"@nl.`;

// A blank-node dataset (it gets an IRI minted here) whose description is hostile HTML.
const BLANK = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
[] a dcat:Dataset; dct:title "Vacatures <script>alert(1)</script>"@nl; dct:identifier "vacatures-1";
  dct:description "Open vacatures.</script><img src=x onerror=alert(2)>"@nl;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/SOCI>;
  dcat:landingPage <javascript:alert(3)>.`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vindbaar-ld-'));
  services = await createServices(
    loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: KEY, VINDBAAR_BASE_URL: BASE, VINDBAAR_SAMPLE_DATA: 'false' }),
    pino({ level: 'silent' }),
  );
  app = await buildServer(services);
  for (const [catalog, body] of [
    ['good', GOOD],
    ['other', BLANK],
  ]) {
    const r = await app.inject({ method: 'POST', url: `/api/v1/catalogs/${catalog}/records`, headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` }, payload: body });
    expect(r.statusCode, r.body).toBe(200);
  }
});
afterAll(async () => {
  await app?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function idOf(iri: string): Promise<string> {
  const r = await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [iri]);
  return r.rows[0].id;
}

const graphOf = async (text: string, format: 'turtle' | 'nquads' | 'ntriples' | 'trig' | 'rdfxml') => canonical(await parseString(text, { format, baseIRI: BASE }));

describe('a record in every representation', () => {
  it('JSON, JSON-LD in each of its forms and every RDF syntax hold the same graph', async () => {
    const id = await idOf('https://data.example.be/id/dataset/werkloosheid');
    const turtle = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle' } });
    expect(turtle.headers['content-type']).toMatch(/^text\/turtle/);
    const expected = await graphOf(turtle.body, 'turtle');
    // The CatalogRecord: what this catalogue says about the record.
    expect(turtle.body).toContain('CatalogRecord');
    const loader = jsonldDocumentLoader() as never;
    const toGraph = async (doc: unknown) => graphOf((await jsonld.toRDF(doc as never, { format: 'application/n-quads', documentLoader: loader })) as unknown as string, 'nquads');
    const json = await app.inject({ url: `/api/v1/records/${id}` });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers.link).toContain('rel="http://www.w3.org/ns/json-ld#context"');
    expect(await toGraph(json.json())).toBe(expected);
    for (const form of ['expanded', 'compacted', 'flattened', 'framed']) {
      const r = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: `application/ld+json;profile="http://www.w3.org/ns/json-ld#${form}"` } });
      expect(r.headers['content-type']).toMatch(`application/ld+json; profile="http://www.w3.org/ns/json-ld#${form}"`);
      const doc = r.json();
      if (form === 'expanded') expect(Array.isArray(doc)).toBe(true);
      if (form === 'flattened') expect(doc['@graph']).toBeDefined();
      expect(await toGraph(doc), form).toBe(expected);
    }
    for (const [accept, format] of [
      ['application/n-triples', 'ntriples'],
      ['application/n-quads', 'nquads'],
      ['application/trig', 'trig'],
      ['application/rdf+xml', 'rdfxml'],
    ] as const) {
      const r = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept } });
      expect(r.headers['content-type']).toContain(accept);
      expect(await graphOf(r.body, format), accept).toBe(expected);
    }
  });

  it.skipIf(!clients)('rdflib reads every serialisation served, and reads the same graph', async () => {
    const id = await idOf('https://data.example.be/id/dataset/werkloosheid');
    const expected = await graphOf((await app.inject({ url: `/api/v1/records/${id}.nt` })).body, 'ntriples');
    for (const [suffix, rdflibFormat] of [
      ['ttl', 'turtle'],
      ['nt', 'nt'],
      ['nq', 'nquads'],
      ['trig', 'trig'],
      ['rdf', 'xml'],
      ['jsonld', 'json-ld'],
    ]) {
      const r = await app.inject({ url: `/api/v1/records/${id}.${suffix}` });
      expect(r.statusCode).toBe(200);
      // rdflib is given the context itself: it would otherwise fetch it from the (fictitious) base URL.
      const body = suffix === 'jsonld' ? JSON.stringify({ ...r.json(), '@context': (await app.inject({ url: '/context.jsonld' })).json()['@context'] }) : r.body;
      const nquads = clients!.rdflibParse(body, rdflibFormat, `${BASE}/api/v1/records/${id}`);
      expect(await graphOf(nquads, 'nquads'), suffix).toBe(expected);
    }
  });

  it.skipIf(!clients)('rdflib reads the catalogue pages, the dump description and the feed as the same graphs', async () => {
    for (const [url, accept, rdflibFormat, ours] of [
      ['/catalog?limit=10', 'text/turtle', 'turtle', 'turtle'],
      ['/catalog?limit=10', 'application/rdf+xml', 'xml', 'rdfxml'],
      ['/dumps', 'text/turtle', 'turtle', 'turtle'],
      ['/feed/0', 'application/trig', 'trig', 'trig'],
      ['/feed/0', 'application/n-quads', 'nquads', 'nquads'],
    ] as const) {
      const r = await app.inject({ url, headers: { accept } });
      expect(r.statusCode, url).toBe(200);
      const nquads = clients!.rdflibParse(r.body, rdflibFormat, `${BASE}${url}`);
      expect(await canonical(await parseString(nquads, { format: 'nquads' })), `${url} ${accept}`).toBe(await canonical(await parseString(r.body, { format: ours, baseIRI: `${BASE}${url}` })));
    }
  });

  it('suffix URLs name the format; Link headers list the alternates; Vary only where the answer depends on Accept', async () => {
    const id = await idOf('https://data.example.be/id/dataset/werkloosheid');
    const ttl = await app.inject({ url: `/api/v1/datasets/${id}.ttl`, headers: { accept: 'application/ld+json' } });
    expect(ttl.headers['content-type']).toMatch(/^text\/turtle/);
    expect(ttl.headers.vary).toBeUndefined();
    // A .jsonld URL still takes its document form from Accept's profile, and a .html page is in the
    // reader's language: a cache must keep those apart.
    const expanded = await app.inject({ url: `/api/v1/datasets/${id}.jsonld`, headers: { accept: 'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"' } });
    expect(expanded.headers['content-type']).toContain('#expanded');
    expect(expanded.headers.vary).toBe('Accept');
    expect((await app.inject({ url: `/api/v1/datasets/${id}?format=jsonld` })).headers.vary).toBe('Accept');
    const page = await app.inject({ url: `/api/v1/datasets/${id}.html`, headers: { 'accept-language': 'en' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers.vary).toBe('Accept-Language');
    const negotiated = await app.inject({ url: `/api/v1/datasets/${id}`, headers: { accept: 'text/turtle;q=0.5, application/rdf+xml' } });
    expect(negotiated.headers['content-type']).toMatch(/^application\/rdf\+xml/);
    expect(negotiated.headers.vary).toBe('Accept');
    const links = String(negotiated.headers.link);
    for (const [suffix, type] of [
      ['ttl', 'text/turtle'],
      ['jsonld', 'application/ld+json'],
      ['rdf', 'application/rdf+xml'],
      ['nt', 'application/n-triples'],
      ['html', 'text/html'],
    ])
      expect(links).toContain(`<${BASE}/api/v1/records/${id}.${suffix}>; rel="alternate"; type="${type}"`);
    // q-values: a lower q loses even when listed first; q=0 refuses.
    const q = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'application/rdf+xml;q=0.1, text/turtle;q=0.8, application/n-triples;q=0' } });
    expect(q.headers['content-type']).toMatch(/^text\/turtle/);
  });

  it('answers 406 with the list of what it offers, for nonsense or unsupported Accept', async () => {
    const id = await idOf('https://data.example.be/id/dataset/werkloosheid');
    for (const accept of ['image/png', 'application/n-triples;q=0', 'nonsense']) {
      const r = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept } });
      expect(r.statusCode, accept).toBe(406);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
      expect(r.json().available).toEqual(expect.arrayContaining(['text/turtle', 'application/ld+json', 'text/html', 'application/rdf+xml']));
    }
  });

  it('validates caches: ETag and Last-Modified, 304 when they still hold, a new ETag per representation and after a change', async () => {
    const id = await idOf('https://data.example.be/id/dataset/werkloosheid');
    const first = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle' } });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\x21\x23-\x7e]+"$/);
    expect(first.headers['last-modified']).toBeDefined();
    const again = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle', 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const since = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle', 'if-modified-since': String(first.headers['last-modified']) } });
    expect(since.statusCode).toBe(304);
    const other = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'application/ld+json' } });
    expect(other.headers.etag).not.toBe(etag);
    expect((await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'application/ld+json', 'if-none-match': etag } })).statusCode).toBe(200);
  });
});

describe('a record too deep to frame', () => {
  // A service of its own: the record's long chain of blank nodes would slow every test that reads the
  // whole catalogue and change what it counts.
  let deepApp: FastifyInstance;
  let deepServices: Services;
  let deepDir: string;
  beforeAll(async () => {
    deepDir = mkdtempSync(join(tmpdir(), 'vindbaar-ld-deep-'));
    deepServices = await createServices(
      loadConfig({ VINDBAAR_DATA_DIR: deepDir, VINDBAAR_ADMIN_KEY: KEY, VINDBAAR_BASE_URL: BASE, VINDBAAR_SAMPLE_DATA: 'false' }),
      pino({ level: 'silent' }),
    );
    deepApp = await buildServer(deepServices);
  });
  afterAll(async () => {
    await deepApp?.close();
    await deepServices?.close();
    rmSync(deepDir, { recursive: true, force: true });
  });

  it('comes compacted to a client asking for it framed, saying so, never a 500', async () => {
    // 3,000 nested blank nodes overflowed jsonld.js's recursion when framing.
    const chain = `[ <http://purl.org/dc/terms/relation> `.repeat(3000) + '<https://data.example.be/e>' + ' ]'.repeat(3000);
    const body = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
<https://data.example.be/id/dataset/deep> a dcat:Dataset; dct:title "Diep"@nl; dct:description "Een lange keten"@nl; dct:relation ${chain}.`;
    const pushed = await deepApp.inject({ method: 'POST', url: '/api/v1/catalogs/deep/records', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` }, payload: body });
    expect(pushed.statusCode, pushed.body).toBe(200);
    const id = (await deepServices.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', ['https://data.example.be/id/dataset/deep'])).rows[0].id;
    const framed = await deepApp.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'application/ld+json;profile="http://www.w3.org/ns/json-ld#framed"' } });
    expect(framed.statusCode, framed.body.slice(0, 300)).toBe(200);
    expect(framed.headers['content-type']).toContain('profile="http://www.w3.org/ns/json-ld#compacted"');
    const compacted = await deepApp.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'application/ld+json' } });
    expect(framed.headers.etag).toBe(compacted.headers.etag);
    expect(framed.body).toBe(compacted.body);
  });
});

describe('the JSON-LD context', () => {
  it('is served as JSON-LD with caching and revalidation', async () => {
    const r = await app.inject({ url: '/context.jsonld' });
    expect(r.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(r.headers['cache-control']).toMatch(/max-age=\d+/);
    expect((await app.inject({ url: '/context.jsonld', headers: { 'if-none-match': String(r.headers.etag) } })).statusCode).toBe(304);
  });
});

describe('dereferencing', () => {
  it('a minted IRI answers 303 See Other to its record, keeping a suffix', async () => {
    const r = await services.db.query<{ id: string; iri: string }>("SELECT id, iri FROM records WHERE catalog_id = 'other' AND kind = 'Dataset'");
    const { id, iri } = r.rows[0];
    expect(iri.startsWith(`${BASE}/id/dataset/`)).toBe(true);
    const path = iri.slice(BASE.length);
    const see = await app.inject({ url: path, headers: { accept: 'text/turtle' } });
    expect(see.statusCode).toBe(303);
    expect(see.headers.location).toBe(`${BASE}/api/v1/records/${id}`);
    const suffixed = await app.inject({ url: `${path}.jsonld` });
    expect(suffixed.headers.location).toBe(`${BASE}/api/v1/records/${id}.jsonld`);
    expect((await app.inject({ url: '/id/dataset/nothing-here' })).statusCode).toBe(404);
    const resolved = await app.inject({ url: `/resolve?iri=${encodeURIComponent('https://data.example.be/id/dataset/werkloosheid')}` });
    expect(resolved.statusCode).toBe(303);
    expect(resolved.headers.location).toBe(`${BASE}/api/v1/records/${await idOf('https://data.example.be/id/dataset/werkloosheid')}`);
    const werk = `${BASE}/api/v1/records/${await idOf('https://data.example.be/id/dataset/werkloosheid')}`;
    const resolve = (iri: string) => app.inject({ url: `/resolve?iri=${encodeURIComponent(iri)}` });
    // The same IRI as another portal may write it: the other scheme, a trailing slash.
    for (const iri of ['http://data.example.be/id/dataset/werkloosheid', 'https://data.example.be/id/dataset/werkloosheid/', 'http://data.example.be/id/dataset/werkloosheid/']) {
      const r = await resolve(iri);
      expect(r.statusCode, iri).toBe(303);
      expect(r.headers.location, iri).toBe(werk);
    }
    // A node a record holds (its publisher, described with it): the record that holds it.
    const agent = await resolve('https://data.example.be/id/org/steunpunt-werk');
    expect(agent.statusCode).toBe(303);
    expect(agent.headers.location).toBe(werk);
    expect((await resolve('http://data.example.be/id/org/steunpunt-werk/')).headers.location).toBe(werk);
    // A URL it gives for its data, once the links are discovered.
    await services.links.discover();
    const download = await resolve('https://data.example.be/files/werkloosheid.csv');
    expect(download.statusCode).toBe(303);
    expect(download.headers.location).toBe(werk);
    // Held by several records: the list, the first as the preferred choice.
    const pushed = await app.inject({
      method: 'POST',
      url: '/api/v1/catalogs/holders/records',
      headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` },
      payload: `<https://data.example.be/id/dataset/vacatures-werk> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "Vacatures"@nl;
        <http://purl.org/dc/terms/publisher> <https://data.example.be/id/org/steunpunt-werk>.
        <https://data.example.be/id/org/steunpunt-werk> a <http://xmlns.com/foaf/0.1/Agent>; <http://xmlns.com/foaf/0.1/name> "Steunpunt Werk"@nl.`,
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    const several = await resolve('https://data.example.be/id/org/steunpunt-werk');
    expect(several.statusCode).toBe(300);
    const listed = several.json().records.map((r: { iri: string }) => r.iri);
    expect(listed.sort()).toEqual(['https://data.example.be/id/dataset/vacatures-werk', 'https://data.example.be/id/dataset/werkloosheid']);
    expect(several.headers.location).toBe(several.json().records[0].href);
    // Withdrawn, the other record is listed after the live one.
    const other = await idOf('https://data.example.be/id/dataset/vacatures-werk');
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/holders/records/${other}`, headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBeLessThan(300);
    const after = await resolve('https://data.example.be/id/org/steunpunt-werk');
    expect(after.json().records.map((r: { iri: string; withdrawn?: boolean }) => [r.iri, r.withdrawn ?? false])).toEqual([
      ['https://data.example.be/id/dataset/werkloosheid', false],
      ['https://data.example.be/id/dataset/vacatures-werk', true],
    ]);
    const unknown = await app.inject({ url: `/resolve?iri=${encodeURIComponent('https://nowhere.example/x')}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    // A browser asking for an unknown record gets a page, with the same status.
    const page = await app.inject({ url: '/api/v1/records/nothingherexxxxx', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('nothingherexxxxx');
  });

  it('the catalogue publisher minted here dereferences', async () => {
    const r = await app.inject({ url: '/id/organisation/catalogue', headers: { accept: 'application/n-triples' } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<http://xmlns.com/foaf/0.1/name> "Vindbaar"@nl');
    // Plain JSON is JSON-LD here, as from /catalog.
    const json = await app.inject({ url: '/id/organisation/catalogue', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect((await parseString(json.body, { format: 'jsonld' })).some((q) => q.predicate.value === 'http://xmlns.com/foaf/0.1/name')).toBe(true);
  });

  it('a withdrawn record answers 410 Gone', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/catalogs/good/records/${encodeURIComponent('https://data.example.be/id/dataset/tijdelijk')}`,
      headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` },
      payload: '<https://data.example.be/id/dataset/tijdelijk> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "Tijdelijk"@nl.',
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const id = await idOf('https://data.example.be/id/dataset/tijdelijk');
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/good/records/${id}`, headers: { authorization: `Bearer ${KEY}` } });
    expect(del.statusCode, del.body).toBeLessThan(300);
    const gone = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle' } });
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['content-type']).toMatch(/problem\+json/);
    // A browser gets a page with the same status: a cache (which keeps 410s) must keep the two apart.
    const page = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(410);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    for (const r of [gone, page]) expect(String(r.headers.vary)).toMatch(/\bAccept\b/);
    const missing = await app.inject({ url: '/api/v1/records/nosuchrecord' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.vary).toBe('Accept');
  });
});

describe('RDF/XML', () => {
  it('keeps carriage returns, and a predicate it cannot write makes the record 406 and is left out of catalogue pages with a comment', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/catalogs/good/records/${encodeURIComponent('https://data.example.be/id/dataset/vreemd')}`,
      headers: { 'content-type': 'application/n-triples', authorization: `Bearer ${KEY}` },
      payload:
        '<https://data.example.be/id/dataset/vreemd> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n' +
        '<https://data.example.be/id/dataset/vreemd> <http://purl.org/dc/terms/description> "regel een\\r\\nregel twee"@nl .\n' +
        '<https://data.example.be/id/dataset/vreemd> <http://example.org/ns/123> "x" .\n',
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const id = await idOf('https://data.example.be/id/dataset/vreemd');
    const xml = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'application/rdf+xml' } });
    expect(xml.statusCode).toBe(406);
    expect(xml.headers['content-type']).toMatch(/problem\+json/);
    expect(xml.json().detail).toContain('http://example.org/ns/123');
    expect(xml.json().available).toContain('text/turtle');
    // A client that takes other syntaxes too gets the best of those, as rdflib does that asks for RDF/XML first.
    const rdflibAsks = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'application/rdf+xml, text/n3, text/turtle;q=0.9, application/ld+json;q=0.8' } });
    expect(rdflibAsks.statusCode).toBe(200);
    expect(rdflibAsks.headers['content-type']).toMatch(/^text\/turtle/);
    expect(rdflibAsks.headers.vary).toBe('Accept');
    const jsonNext = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'application/rdf+xml, application/ld+json;q=0.5' } });
    expect(jsonNext.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(jsonNext.json().iri).toBe('https://data.example.be/id/dataset/vreemd');
    expect((await app.inject({ url: `/api/v1/records/${id}.rdf`, headers: { accept: 'text/turtle' } })).statusCode).toBe(406);
    const page = await app.inject({ url: '/catalog?limit=1000', headers: { accept: 'application/rdf+xml' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<!-- left out: a triple with predicate <http://example.org/ns/123>');
    const quads = await parseString(page.body, { format: 'rdfxml', baseIRI: BASE });
    const description = quads.find((q) => q.subject.value === 'https://data.example.be/id/dataset/vreemd' && q.predicate.value === 'http://purl.org/dc/terms/description');
    expect(description?.object.value).toBe('regel een\r\nregel twee');
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/good/records/${id}`, headers: { authorization: `Bearer ${KEY}` } });
    expect(del.statusCode, del.body).toBeLessThan(300);
  });
});

describe('RDF/XML and characters XML cannot carry', () => {
  it('a literal holding a control character is never changed to fit: the record, a catalogue page and a SPARQL graph answer another accepted syntax, or 406 saying why', async () => {
    const iri = 'https://data.example.be/id/dataset/besturingsteken';
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/catalogs/ctrl/records/${encodeURIComponent(iri)}`,
      headers: { 'content-type': 'application/n-triples', authorization: `Bearer ${KEY}` },
      payload: `<${iri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n<${iri}> <http://purl.org/dc/terms/title> "kolom\\u0001scheiding\\u001Feinde"@nl .\n`,
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const id = await idOf(iri);
    const title = 'kolom\u0001scheiding\u001Feinde';
    const titleIn = async (body: string, format: 'turtle' | 'ntriples') =>
      (await parseString(body, { format, baseIRI: BASE })).find((q) => q.subject.value === iri && q.predicate.value === 'http://purl.org/dc/terms/title')?.object.value;
    // RDF/XML only: 406, naming the character; never U+FFFD in its place.
    for (const url of [`/api/v1/records/${id}`, `/api/v1/records/${id}.rdf`, '/catalog?catalog=ctrl']) {
      const xml = await app.inject({ url, headers: { accept: 'application/rdf+xml' } });
      expect(xml.statusCode, url).toBe(406);
      expect(xml.headers['content-type'], url).toMatch(/problem\+json/);
      expect(xml.json().detail, url).toContain('U+0001');
      expect(xml.json().available, url).toContain('text/turtle');
    }
    // A client that takes another syntax too gets it, with the literal as it came in.
    for (const url of [`/api/v1/records/${id}`, '/catalog?catalog=ctrl']) {
      const r = await app.inject({ url, headers: { accept: 'application/rdf+xml, text/turtle;q=0.5' } });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type'], url).toMatch(/^text\/turtle/);
      expect(await titleIn(r.body, 'turtle'), url).toBe(title);
    }
    const construct = `/sparql?query=${encodeURIComponent(`CONSTRUCT { <${iri}> ?p ?o } WHERE { <${iri}> ?p ?o }`)}`;
    const xml = await app.inject({ url: construct, headers: { accept: 'application/rdf+xml' } });
    expect(xml.statusCode, xml.body).toBe(406);
    expect(xml.json().detail).toContain('U+0001');
    const nt = await app.inject({ url: construct, headers: { accept: 'application/rdf+xml, application/n-triples;q=0.5' } });
    expect(nt.statusCode, nt.body).toBe(200);
    expect(nt.headers['content-type']).toMatch(/^application\/n-triples/);
    expect(await titleIn(nt.body, 'ntriples')).toBe(title);
    // The XML results format has XML's limits too: the store's document, unreadable, is not given.
    const select = `/sparql?query=${encodeURIComponent(`SELECT ?t WHERE { <${iri}> <http://purl.org/dc/terms/title> ?t }`)}`;
    const results = await app.inject({ url: select, headers: { accept: 'application/sparql-results+xml' } });
    expect(results.statusCode, results.body).toBe(406);
    expect(results.json().detail).toContain('U+0001');
    const asJson = await app.inject({ url: select, headers: { accept: 'application/sparql-results+xml, application/sparql-results+json;q=0.5' } });
    expect(asJson.statusCode, asJson.body).toBe(200);
    expect(asJson.json().results.bindings[0].t.value).toBe(title);
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/ctrl/records/${id}`, headers: { authorization: `Bearer ${KEY}` } });
    expect(del.statusCode, del.body).toBeLessThan(300);
  });
});

describe('the HTML representation', () => {
  it('is a page for people with schema.org Dataset markup, and harvested text stays inert', async () => {
    const id = await idOf('https://data.example.be/id/dataset/werkloosheid');
    const page = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    const script = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body);
    const markup = JSON.parse(script![1]);
    expect(markup).toMatchObject({
      '@context': 'https://schema.org/',
      '@type': 'Dataset',
      name: 'Werkloosheidsgraad per gemeente',
      publisher: { '@type': 'Organization', name: 'Steunpunt Werk' },
      keywords: ['werk', 'arbeidsmarkt'],
      distribution: [{ '@type': 'DataDownload', contentUrl: 'https://data.example.be/files/werkloosheid.csv', encodingFormat: 'CSV' }],
    });
    // The page shows what changes while the record does not (a data flow recorded in the register,
    // link checks, answered questions): the record's validators do not stand for it, and a browser
    // that comes back is never told 304 for a page that changed.
    expect(page.headers.etag).toBeUndefined();
    expect(page.headers['last-modified']).toBeUndefined();
    const json = await app.inject({ url: `/api/v1/records/${id}` });
    const flow = await app.inject({ method: 'POST', url: `/api/v1/records/${id}/register`, headers: { authorization: `Bearer ${KEY}` }, payload: { access: 'restricted', recipients: [{ name: 'Ontvanger van de gegevensstroom' }] } });
    expect(flow.statusCode, flow.body).toBe(201);
    const again = await app.inject({ url: `/api/v1/records/${id}.html`, headers: { 'if-modified-since': String(json.headers['last-modified']) } });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Ontvanger van de gegevensstroom');
    // The schema.org markup is linked data too: jsonld.js reads it into schema.org triples.
    const blank = await services.db.query<{ id: string }>("SELECT id FROM records WHERE catalog_id = 'other' AND kind = 'Dataset'");
    const hostile = await app.inject({ url: `/api/v1/records/${blank.rows[0].id}.html` });
    expect(hostile.body).not.toMatch(/<script>alert|<img src=x|href="javascript:/);
    expect(hostile.body).toContain('Vacatures &lt;script&gt;alert(1)&lt;/script&gt;');
    // Inside the JSON-LD script, "<" is escaped: the script element cannot be closed early.
    const hostileScript = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(hostile.body)![1];
    expect(hostileScript).not.toContain('<');
    expect(JSON.parse(hostileScript).description).toBe('Open vacatures.</script><img src=x onerror=alert(2)>');
  });
});

describe('the catalogue as DCAT-AP', () => {
  const ntriples = async (url: string) => {
    const r = await app.inject({ url, headers: { accept: 'application/n-triples' } });
    expect(r.statusCode, r.body).toBe(200);
    return r.body;
  };

  it('filters by theme, publisher, source catalogue and modification time, keeping the filters in its links', async () => {
    const econ = await ntriples(`/catalog?theme=${encodeURIComponent('http://publications.europa.eu/resource/authority/data-theme/ECON')}&limit=1`);
    expect(econ).toContain('<https://data.example.be/id/dataset/werkloosheid> <http://purl.org/dc/terms/title>');
    expect(econ).not.toContain('Vacatures');
    expect(econ).toContain('<http://www.w3.org/ns/hydra/core#totalItems> "1"');
    expect(econ).toContain(`theme=${encodeURIComponent('http://publications.europa.eu/resource/authority/data-theme/ECON')}`);
    const byPublisher = await ntriples(`/catalog?publisher=${encodeURIComponent('https://data.example.be/id/org/steunpunt-werk')}`);
    expect(byPublisher).toContain('<http://www.w3.org/ns/hydra/core#totalItems> "1"');
    const other = await ntriples('/catalog?catalog=other');
    expect(other).toContain('Vacatures');
    expect(other).not.toContain('werkloosheid');
    const future = await ntriples(`/catalog?modified_since=${encodeURIComponent('2999-01-01T00:00:00Z')}`);
    expect(future).toContain('<http://www.w3.org/ns/hydra/core#totalItems> "0"');
    expect((await app.inject({ url: '/catalog?modified_since=yesterday' })).statusCode).toBe(400);
    // A date is taken as its midnight UTC, as ckanext-dcat takes it; a date-time may name its offset.
    expect(await ntriples('/catalog?modified_since=2999-01-01')).toContain('<http://www.w3.org/ns/hydra/core#totalItems> "0"');
    expect(await ntriples('/catalog?modified_since=2000-01-01')).not.toContain('<http://www.w3.org/ns/hydra/core#totalItems> "0"');
    expect(await ntriples(`/catalog?modified_since=${encodeURIComponent('2999-01-01T00:00:00+01:00')}`)).toContain('<http://www.w3.org/ns/hydra/core#totalItems> "0"');
    // An offset's '+' sent unencoded arrives as a space: read as the '+' it was.
    expect(await ntriples('/catalog?modified_since=2000-01-01T00:00:00+01:00')).not.toContain('<http://www.w3.org/ns/hydra/core#totalItems> "0"');
    expect(await ntriples('/catalog?modified_since=2999-01-01T00:00:00+01:00')).toContain('<http://www.w3.org/ns/hydra/core#totalItems> "0"');
    const noDay = await app.inject({ url: '/catalog?modified_since=2024-02-30' });
    expect(noDay.statusCode).toBe(400);
    expect(noDay.json().detail).toContain('2024-01-01T00:00:00%2B01:00');
    // Characters a browser's fetch sends unencoded in a query, but an IRI may not hold: the page's
    // view IRI is percent-encoded, and the page stays readable in every syntax.
    for (const [accept, format] of [
      ['application/n-triples', 'ntriples'],
      ['text/turtle', 'turtle'],
      ['application/rdf+xml', 'rdfxml'],
    ] as const) {
      const odd = await app.inject({ url: '/catalog?limit=1&publisher=https://x.example/{a}|b^c`d"e', headers: { accept } });
      expect(odd.statusCode, accept).toBe(200);
      const quads = await parseString(odd.body, { format, baseIRI: `${BASE}/catalog` });
      expect(quads.find((q) => q.predicate.value === 'http://www.w3.org/ns/hydra/core#view')?.object.value, accept).toBe(`${BASE}/catalog?limit=1&publisher=https://x.example/%7Ba%7D%7Cb%5Ec%60d%22e`);
    }
    expect((await app.inject({ url: '/catalog?profile=no-such-profile' })).statusCode).toBe(400);
    // The HVD profile lists high-value datasets only; none here.
    const hvd = await ntriples('/catalog?profile=dcat-ap-hvd-3.0');
    expect(hvd).toContain('<http://www.w3.org/ns/hydra/core#totalItems> "0"');
    expect(hvd).toContain('<http://purl.org/dc/terms/conformsTo> <https://semiceu.github.io/DCAT-AP/releases/3.0.0-hvd/>');
  });

  it('walking "next" reads every record once', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/catalog?limit=1';
    while (url) {
      const body = await ntriples(url);
      seen.push(...[...body.matchAll(/<http:\/\/www\.w3\.org\/ns\/dcat#dataset> <([^>]+)>/g)].map((m) => m[1]));
      const next = /<http:\/\/www\.w3\.org\/ns\/hydra\/core#next> <([^>]+)>/.exec(body)?.[1];
      url = next?.slice(BASE.length);
      expect(seen.length).toBeLessThan(10);
    }
    expect(seen.sort()).toEqual([...new Set(seen)].sort());
    expect(seen.length).toBe(2);
  });

  it('a walk by "next" reaches every record after the last one read, even when records before it are withdrawn meanwhile', async () => {
    const body = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.\n${Array.from({ length: 7 }, (_, i) => `<https://walk.example/ds/${i}> a dcat:Dataset; dct:title "Wandeling ${i}"@nl.`).join('\n')}`;
    const pushed = await app.inject({ method: 'POST', url: '/api/v1/catalogs/walk/records', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'text/turtle' }, payload: body });
    expect(pushed.statusCode, pushed.body).toBe(200);
    const datasetsOf = (page: string) => [...page.matchAll(/<http:\/\/www\.w3\.org\/ns\/dcat#dataset> <([^>]+)>/g)].map((m) => m[1]);
    const nextOf = (page: string) => /<http:\/\/www\.w3\.org\/ns\/hydra\/core#next> <([^>]+)>/.exec(page)?.[1]?.slice(BASE.length);
    const seen: string[] = [];
    let page = await ntriples('/catalog?catalog=walk&limit=2');
    seen.push(...datasetsOf(page));
    page = await ntriples(nextOf(page)!);
    seen.push(...datasetsOf(page));
    // Withdrawn behind the reader: the total falls below what the page numbers counted on.
    const ids = (await services.db.query<{ id: string }>("SELECT id FROM records WHERE catalog_id = 'walk' ORDER BY id LIMIT 3")).rows.map((r) => r.id);
    for (const id of ids) expect((await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/walk/records/${id}`, headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBeLessThan(300);
    for (let url = nextOf(page); url; url = nextOf(page)) {
      page = await ntriples(url);
      seen.push(...datasetsOf(page));
    }
    const live = (await services.db.query<{ iri: string }>("SELECT iri FROM records WHERE catalog_id = 'walk' AND deleted_at IS NULL")).rows.map((r) => r.iri);
    for (const iri of live) expect(seen).toContain(iri);
    expect(seen).toHaveLength(new Set(seen).size);
  });

  it('pages carry validators: 304 while a page holds, a new ETag when a record on it changes, Last-Modified once changes are settled', async () => {
    const ttl = (n: number, title: string) => `<https://validators.example/ds/${n}> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "${title}"@nl.`;
    const pushTo = async (catalog: string, body: string) => {
      const r = await app.inject({ method: 'POST', url: `/api/v1/catalogs/${catalog}/records`, headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` }, payload: body });
      expect(r.statusCode, r.body).toBe(200);
    };
    await pushTo('validators', `${ttl(1, 'Een')}\n${ttl(2, 'Twee')}`);
    const url = '/catalog?catalog=validators&limit=10';
    const nt = { accept: 'application/n-triples' };
    const first = await app.inject({ url, headers: nt });
    expect(first.statusCode).toBe(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.vary).toBe('Accept');
    const again = await app.inject({ url, headers: { ...nt, 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    // Another syntax, another address: other representations, with tags of their own.
    const turtle = await app.inject({ url, headers: { accept: 'text/turtle', 'if-none-match': etag } });
    expect(turtle.statusCode).toBe(200);
    expect(turtle.headers.etag).not.toBe(etag);
    expect((await app.inject({ url: `${url}&page=1`, headers: nt })).headers.etag).not.toBe(etag);
    // A change elsewhere leaves this page's tag as it is; a change of a record on it does not.
    await pushTo('validators-elsewhere', ttl(3, 'Drie'));
    expect((await app.inject({ url, headers: { ...nt, 'if-none-match': etag } })).statusCode).toBe(304);
    await pushTo('validators', `${ttl(1, 'Een, herzien')}\n${ttl(2, 'Twee')}`);
    const changed = await app.inject({ url, headers: { ...nt, 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.body).toContain('Een, herzien');
    expect(changed.headers.etag).not.toBe(etag);
    // Just written: a transaction still running could commit a change stamped earlier, so no date is
    // given; an hour later it is, and If-Modified-Since is answered by it.
    expect(changed.headers['last-modified']).toBeUndefined();
    await services.db.query("UPDATE records SET last_modified = last_modified - interval '1 hour', deleted_at = deleted_at - interval '1 hour'");
    const settled = await app.inject({ url, headers: nt });
    const lastModified = String(settled.headers['last-modified']);
    expect(Date.parse(lastModified)).toBeLessThan(Date.now() - 3_000_000);
    expect((await app.inject({ url, headers: { ...nt, 'if-modified-since': lastModified } })).statusCode).toBe(304);
    expect((await app.inject({ url, headers: { ...nt, 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() } })).statusCode).toBe(200);
    await pushTo('validators', `${ttl(1, 'Een, nog eens herzien')}\n${ttl(2, 'Twee')}`);
    expect((await app.inject({ url, headers: { ...nt, 'if-modified-since': lastModified } })).statusCode).toBe(200);
  });

  it.skipIf(!clients)('an exported page passes the official shapes of its profile (pySHACL) when what came in did', async () => {
    expect(clients!.pyshacl(GOOD, 'dcat-ap-3.0.1').conforms).toBe(true);
    for (const profile of ['dcat-ap-3.0.1', 'dcat-ap-vl-2.0', 'dcat-ap-hvd-3.0', 'geodcat-ap-3.0']) {
      const inputConforms = clients!.pyshacl(GOOD, profile).conforms;
      const page = await app.inject({ url: `/catalog?catalog=good&profile=${profile}`, headers: { accept: 'text/turtle' } });
      const report = clients!.pyshacl(page.body, profile);
      // What this catalogue adds (the catalogue, its publisher and contact, the CatalogRecords) always
      // passes; the records themselves pass whenever they did on the way in.
      const ours = report.results.filter((r) => r.focusNode.startsWith(BASE));
      expect(ours, `${profile}: ${JSON.stringify(ours, null, 1)}`).toEqual([]);
      if (inputConforms) expect(report.results, `${profile}: ${JSON.stringify(report.results, null, 1)}`).toEqual([]);
    }
  });
});

describe('dumps', () => {
  it('the N-Triples and Turtle dumps hold the same graph as the catalogue pages, and are described in VoID', async () => {
    const nt = await app.inject({ url: '/dumps/catalog.nt.gz' });
    expect(nt.statusCode).toBe(200);
    expect(nt.headers['content-type']).toBe('application/gzip');
    expect(nt.headers['content-disposition']).toContain('catalog.nt.gz');
    const ntText = gunzipSync(nt.rawPayload).toString('utf8');
    const ttl = gunzipSync((await app.inject({ url: '/dumps/catalog.ttl.gz' })).rawPayload).toString('utf8');
    const fromNt = await graphOf(ntText, 'ntriples');
    expect(await graphOf(ttl, 'turtle')).toBe(fromNt);
    // The catalogue pages, without their paging triples, are the same graph.
    const page = await parseString((await app.inject({ url: '/catalog?limit=1000', headers: { accept: 'application/n-triples' } })).body, { format: 'ntriples' });
    const paging = page.filter((q) => q.predicate.value.startsWith('http://www.w3.org/ns/hydra/core#') || q.subject.value.includes('/catalog?'));
    expect(await canonical(page.filter((q) => !paging.includes(q)))).toBe(fromNt);
    // Two records, each with blank nodes of its own, keep them apart.
    expect(ntText).toMatch(/^_:[a-z2-7]{16}_\S+ /m);
    const validators = { etag: String(nt.headers.etag), lm: String(nt.headers['last-modified']) };
    expect((await app.inject({ url: '/dumps/catalog.nt.gz', headers: { 'if-none-match': validators.etag } })).statusCode).toBe(304);
    const head = await app.inject({ method: 'HEAD', url: '/dumps/catalog.nt.gz' });
    expect(head.statusCode).toBe(200);
    expect(head.headers.etag).toBe(validators.etag);
    expect(head.headers['content-length']).not.toBe('0');
    const voidDoc = await app.inject({ url: '/dumps', headers: { accept: 'application/n-triples' } });
    expect(voidDoc.body).toContain(`<${BASE}/dumps> <http://rdfs.org/ns/void#dataDump> <${BASE}/dumps/catalog.nt.gz>`);
    expect(voidDoc.body).toContain('<http://www.w3.org/ns/dcat#compressFormat> <http://www.iana.org/assignments/media-types/application/gzip>');
    // Each representation its own validator; the description answers 304 to its own.
    const ttlHead = await app.inject({ method: 'HEAD', url: '/dumps/catalog.ttl.gz' });
    expect(ttlHead.headers.etag).not.toBe(validators.etag);
    expect(voidDoc.headers.etag).not.toBe(validators.etag);
    expect((await app.inject({ url: '/dumps', headers: { accept: 'application/n-triples', 'if-none-match': String(voidDoc.headers.etag) } })).statusCode).toBe(304);
    const voidTtl = await app.inject({ url: '/dumps', headers: { accept: 'text/turtle' } });
    expect(voidTtl.headers.etag).not.toBe(voidDoc.headers.etag);
  });

  it('a change makes a new dump: the old ETag no longer matches', async () => {
    const before = String((await app.inject({ method: 'HEAD', url: '/dumps/catalog.nt.gz' })).headers.etag);
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/catalogs/good/records',
      headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` },
      payload: '<https://data.example.be/id/dataset/nieuw> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "Nieuw"@nl.',
    });
    expect(r.statusCode).toBe(200);
    expect((await app.inject({ url: '/dumps/catalog.nt.gz', headers: { 'if-none-match': before } })).statusCode).toBe(200);
  });
});

describe('Turtle from stored N-Triples, line by line', () => {
  it('is the same graph, whatever the literals hold', async () => {
    const tricky = `@prefix dct: <http://purl.org/dc/terms/>. @prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix xsd: <http://www.w3.org/2001/XMLSchema#>.
<http://ex.org/d> a dcat:Dataset, <http://ex.org/Other#Class>; dct:title "a . b", "quote \\" and \\\\ back", "x"@nl-BE, "line\\nbreak";
  dct:description "ends with ^^<x> ."; dct:issued "2024-01-01"^^xsd:date; dct:extent "5"^^<http://ex.org/dt/with%20x>;
  dct:relation <http://ex.org/a/b.c>, <http://purl.org/dc/terms/sub/path>, [ dct:title "_:b0 is not a node" ].`;
    const quads = await parseString(tricky, { format: 'turtle' });
    const { nquads } = canonicalize(quads);
    const turtle = prefixHeader() + ntriplesToTurtle(nquads);
    expect(await canonical(await parseString(turtle, { format: 'turtle' }))).toBe(await canonical(quads));
  });

  it.skipIf(!hasCorpus)('on every record of a real data.gov.be page', async () => {
    const quads = await parseString(readFileSync(ldesPage(3), 'utf8'), { format: 'trig', baseIRI: 'https://data.gov.be/ldes/page3' });
    const { nquads } = canonicalize(quads.map((q) => quad(q.subject, q.predicate, q.object)));
    const turtle = prefixHeader() + ntriplesToTurtle(nquads);
    expect(await canonical(await parseString(turtle, { format: 'turtle' }))).toBe(await canonical(await parseString(nquads, { format: 'ntriples' })));
  });
});
