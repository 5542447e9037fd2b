// The SPARQL endpoint, embedded (Oxigraph in a worker thread) and against a real Oxigraph server and a
// real Virtuoso, asked
// by Comunica, a client nobody on the team wrote: counts by theme agree with the store, changes show
// up, updates and malformed queries get 400 with the parser's message, a runaway query gets 503 and the
// service keeps answering.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { QueryEngine } from '@comunica/query-sparql';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { parseString } from '../src/rdf/parse.js';
import { canonical } from './support/rdf.js';
import { hasCorpus, ldesPage } from './support/corpus.js';
import { oxigraphForTests } from './support/oxigraph-server.js';
import { virtuosoForTests } from './support/virtuoso-server.js';
import { freePort } from './support/postgres-server.js';

const KEY = 'test-admin-key-0123456789abcdef';
const THEMES = `PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT ?theme (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset; dcat:theme ?theme } GROUP BY ?theme ORDER BY DESC(?n) ?theme`;
// Every triple against every triple against every triple: runs far past any time limit.
const RUNAWAY = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }';

const oxigraph = hasCorpus ? await oxigraphForTests({ timeoutSeconds: 2 }) : undefined;
const virtuoso = hasCorpus ? await virtuosoForTests() : undefined;

const setups: [string, () => Record<string, string>, boolean][] = [
  ['embedded Oxigraph', () => ({}), hasCorpus],
  ['Oxigraph server', () => ({ SPARQL_URL: oxigraph!.url }), hasCorpus && !!oxigraph],
  ['Virtuoso', () => ({ SPARQL_URL: virtuoso!.url, SPARQL_STORE: 'virtuoso' }), hasCorpus && !!virtuoso],
];

afterAll(async () => {
  await oxigraph?.stop();
  await virtuoso?.stop();
});

describe.each(setups)('SPARQL, %s', (_name, env, enabled) => {
  let app: FastifyInstance;
  let services: Services;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    if (!enabled) return;
    dir = mkdtempSync(join(tmpdir(), 'vindbaar-sparql-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    services = await createServices(
      loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: KEY, VINDBAAR_BASE_URL: base, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_SPARQL_TIMEOUT_MS: '2000', VINDBAAR_SPARQL_MAX_RESULTS: '500', ...env() }),
      pino({ level: 'silent' }),
    );
    app = await buildServer(services);
    await app.listen({ port, host: '127.0.0.1' });
    for (const n of [5, 10]) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/catalogs/datagovbe/records', headers: { 'content-type': 'application/trig', authorization: `Bearer ${KEY}` }, payload: readFileSync(ldesPage(n), 'utf8') });
      expect(r.statusCode).toBe(200);
    }
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Counts by theme straight from the store's triples. */
  async function expectedThemes(): Promise<Map<string, number>> {
    const rows = await services.db.query<{ nquads: string }>("SELECT nquads FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL");
    const counts = new Map<string, number>();
    for (const row of rows.rows) {
      const themes = new Set((await parseString(row.nquads, { format: 'ntriples' })).filter((q) => q.predicate.value === 'http://www.w3.org/ns/dcat#theme').map((q) => q.object.value));
      for (const t of themes) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    return counts;
  }

  it.skipIf(!enabled)('Comunica counts datasets by theme through the endpoint, as the store has them', async () => {
    const engine = new QueryEngine();
    const bindings = await (await engine.queryBindings(THEMES, { sources: [{ type: 'sparql', value: `${base}/sparql` }] })).toArray();
    const got = new Map(bindings.map((b) => [b.get('theme')!.value, Number(b.get('n')!.value)]));
    expect(got.size).toBeGreaterThan(3);
    expect(got).toEqual(await expectedThemes());
  });

  it.skipIf(!enabled)('answers in JSON, XML, CSV and TSV, and CONSTRUCT in RDF; GET, POST and forms alike', async () => {
    const q = encodeURIComponent(THEMES);
    for (const [accept, pattern] of [
      ['application/sparql-results+json', /"bindings"/],
      ['application/sparql-results+xml', /<sparql/],
      ['text/csv', /^"?theme"?,"?n"?\r?\n/],
      ['text/tab-separated-values', /^\?theme\t\?n\r?\n/],
    ] as const) {
      const r = await app.inject({ url: `/sparql?query=${q}`, headers: { accept } });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toContain(accept);
      expect(r.body).toMatch(pattern);
    }
    const post = await app.inject({ method: 'POST', url: '/sparql', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, payload: THEMES });
    const form = await app.inject({ method: 'POST', url: '/sparql', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `query=${q}` });
    expect(post.json()).toEqual(form.json());
    const construct = await app.inject({
      url: `/sparql?query=${encodeURIComponent('PREFIX dcat: <http://www.w3.org/ns/dcat#> CONSTRUCT { ?d a dcat:Dataset } WHERE { ?d a dcat:Dataset } LIMIT 5')}`,
      headers: { accept: 'application/n-triples' },
    });
    expect(construct.headers['content-type']).toContain('application/n-triples');
    expect(await parseString(construct.body, { format: 'ntriples' })).toHaveLength(5);
    // RDF/XML comes from our writer: valid XML whatever the literals hold, the same triples.
    const described = encodeURIComponent('CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 200');
    const asXml = await app.inject({ url: `/sparql?query=${described}`, headers: { accept: 'application/rdf+xml' } });
    expect(asXml.headers['content-type']).toContain('application/rdf+xml');
    const asNt = await app.inject({ url: `/sparql?query=${described}`, headers: { accept: 'application/n-triples' } });
    expect((await parseString(asXml.body, { format: 'rdfxml' })).length).toBe((await parseString(asNt.body, { format: 'ntriples' })).length);
    // JSON-LD too, also for a client that asks for plain JSON: the same graph.
    for (const accept of ['application/ld+json', 'application/json']) {
      const asJsonLd = await app.inject({ url: `/sparql?query=${described}`, headers: { accept } });
      expect(asJsonLd.statusCode, asJsonLd.body).toBe(200);
      expect(asJsonLd.headers['content-type']).toContain('application/ld+json');
      expect(await canonical(await parseString(asJsonLd.body, { format: 'jsonld' }))).toBe(await canonical(await parseString(asNt.body, { format: 'ntriples' })));
    }
    // No LIMIT: lowered to the maximum, and said so.
    const all = await app.inject({ url: `/sparql?query=${encodeURIComponent('SELECT ?s WHERE { ?s ?p ?o }')}` });
    expect(all.headers['vindbaar-results-limited']).toBe('500');
    expect(all.json().results.bindings).toHaveLength(500);
  });

  it.skipIf(!enabled)('takes the dataset a query names (FROM, or the protocol\'s graph parameters) instead of the union of all', async () => {
    const r = (await services.db.query<{ id: string; iri: string }>("SELECT id, iri FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL ORDER BY id LIMIT 2")).rows;
    const [one, other] = r;
    const graph = (id: string) => `${base}/api/v1/records/${id}`;
    const ask = (q: string, params = '') => app.inject({ url: `/sparql?query=${encodeURIComponent(q)}${params}`, headers: { accept: 'application/sparql-results+json' } });
    expect((await ask(`ASK { <${other.iri}> ?p ?o }`)).json().boolean).toBe(true);
    expect((await ask(`ASK FROM <${graph(one.id)}> { <${other.iri}> ?p ?o }`)).json().boolean).toBe(false);
    expect((await ask(`ASK FROM <${graph(one.id)}> { <${one.iri}> ?p ?o }`)).json().boolean).toBe(true);
    // The protocol's dataset replaces the query's (SPARQL 1.1 Protocol, 2.1.4).
    expect((await ask(`ASK { <${other.iri}> ?p ?o }`, `&default-graph-uri=${encodeURIComponent(graph(one.id))}`)).json().boolean).toBe(false);
    expect((await ask(`ASK FROM <${graph(one.id)}> { <${other.iri}> ?p ?o }`, `&default-graph-uri=${encodeURIComponent(graph(other.id))}`)).json().boolean).toBe(true);
    const named = await ask(`SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }`, `&named-graph-uri=${encodeURIComponent(graph(one.id))}`);
    expect(new Set(named.json().results.bindings.map((b: { g: { value: string } }) => b.g.value))).toEqual(new Set([graph(one.id)]));
    const form = await app.inject({ method: 'POST', url: '/sparql', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/sparql-results+json' }, payload: new URLSearchParams({ query: `ASK { <${other.iri}> ?p ?o }`, 'default-graph-uri': graph(one.id) }).toString() });
    expect(form.json().boolean).toBe(false);
    expect((await ask('ASK { ?s ?p ?o }', '&default-graph-uri=not%20an%20iri')).statusCode).toBe(400);
    // Plain JSON and XML are the SPARQL results formats in those syntaxes.
    const json = await app.inject({ url: `/sparql?query=${encodeURIComponent('ASK { ?s ?p ?o }')}`, headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toContain('application/sparql-results+json');
    const xml = await app.inject({ url: `/sparql?query=${encodeURIComponent('ASK { ?s ?p ?o }')}`, headers: { accept: 'application/xml' } });
    expect(xml.headers['content-type']).toContain('application/sparql-results+xml');
  });

  it.skipIf(!enabled)('follows changes: a new dataset is found, a withdrawn one is gone', async () => {
    const iri = 'https://data.example.be/id/dataset/sparql-nieuw';
    const ask = async () => (await app.inject({ url: `/sparql?query=${encodeURIComponent(`ASK { <${iri}> a <http://www.w3.org/ns/dcat#Dataset> }`)}` })).json().boolean;
    expect(await ask()).toBe(false);
    const put = await app.inject({
      method: 'POST',
      url: '/api/v1/catalogs/other/records',
      headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` },
      payload: `<${iri}> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "Nieuw"@nl.`,
    });
    expect(put.statusCode).toBe(200);
    expect(await ask()).toBe(true);
    // Each event is applied once: nothing is left, and nothing is applied again.
    expect(await services.sparql.sync.behind()).toBe(0);
    expect(await services.sparql.sync.sync()).toBe(0);
    const id = (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [iri])).rows[0].id;
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/other/records/${id}`, headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBeLessThan(300);
    expect(await ask()).toBe(false);
  });

  it.skipIf(!enabled)('refuses updates and malformed queries with 400 and the parser\'s message', async () => {
    const update = await app.inject({ method: 'POST', url: '/sparql', headers: { 'content-type': 'application/sparql-update' }, payload: 'DROP ALL' });
    expect(update.statusCode).toBe(400);
    expect(update.json().detail).toMatch(/read-only/);
    const inQuery = await app.inject({ url: `/sparql?query=${encodeURIComponent('INSERT DATA { <http://a> <http://b> <http://c> }')}` });
    expect(inQuery.statusCode).toBe(400);
    // The protocol's other form of an update, a form with update=, is told the same, not that it lacks a query.
    const form = { method: 'POST' as const, url: '/sparql', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const inForm = await app.inject({ ...form, payload: new URLSearchParams({ update: 'DROP ALL' }).toString() });
    expect(inForm.statusCode).toBe(400);
    expect(inForm.headers['content-type']).toMatch(/problem\+json/);
    expect(inForm.json().detail).toMatch(/read-only/);
    // A POST without a query is a mistake named as such, whichever way it is sent.
    for (const empty of [{ ...form, payload: 'query=' }, { ...form, payload: '' }, { ...form, headers: { 'content-type': 'application/sparql-query' }, payload: ' ' }]) {
      const r = await app.inject(empty);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().detail).toMatch(/holds no query/);
    }
    const bad = await app.inject({ url: `/sparql?query=${encodeURIComponent('SELECT ?x WHERE { ?x ?y }')}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.json().detail).toMatch(/Parse error on line 1/);
    expect((await app.inject({ url: `/sparql?query=${encodeURIComponent(THEMES)}`, headers: { accept: 'image/png' } })).statusCode).toBe(406);
    expect((await app.inject({ method: 'POST', url: '/sparql', headers: { 'content-type': 'text/plain' }, payload: THEMES })).statusCode).toBe(415);
  });

  it.skipIf(!enabled)('stops a runaway query with 503 and keeps answering meanwhile and after', async () => {
    const started = Date.now();
    const runaway = app.inject({ url: `/sparql?query=${encodeURIComponent(RUNAWAY)}` });
    // The service is not blocked while the query runs.
    const health = await app.inject({ url: '/health' });
    expect(health.statusCode).toBe(200);
    // A small query sent meanwhile is answered, if later: not failed with the runaway one.
    const meanwhile = app.inject({ url: `/sparql?query=${encodeURIComponent(THEMES)}` });
    const r = await runaway;
    const small = await meanwhile;
    expect(small.statusCode, small.body).toBe(200);
    expect(small.json().results.bindings.length).toBeGreaterThan(3);
    expect(r.statusCode, r.body).toBe(503);
    expect(r.json().detail).toMatch(/longer than 2 s/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const after = await app.inject({ url: `/sparql?query=${encodeURIComponent(THEMES)}` });
    expect(after.statusCode).toBe(200);
    expect(after.json().results.bindings.length).toBeGreaterThan(3);
  });
});
