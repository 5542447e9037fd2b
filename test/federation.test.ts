// Federation between two running Vindbaar instances: B harvests A's Hydra-paged DCAT catalogue (/catalog),
// and the provenance A exports (source, harvest run, fetch time) travels with each record, so a chain
// of catalogues stays traceable.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { createSource } from '../src/store/sources.js';
import { parseString } from '../src/rdf/parse.js';
import { hasCorpus } from './support/corpus.js';
import { canonical } from './support/rdf.js';
import type { Db } from '../src/store/db.js';
import { startCorpusServer, type CorpusServer } from './support/corpus-http.js';
import { freePort } from './support/postgres-server.js';

describe.skipIf(!hasCorpus)('federation: one Vindbaar harvesting another', () => {
  let corpus: CorpusServer;
  let a: Services;
  let b: Services;
  let appA: FastifyInstance;
  let appB: FastifyInstance;
  let urlA: string;
  const dirs: string[] = [];
  const open = async (baseUrl: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'vindbaar-fed-'));
    dirs.push(dir);
    return createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_BASE_URL: baseUrl, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8' }), pino({ level: 'silent' }));
  };

  beforeAll(async () => {
    corpus = await startCorpusServer();
    const port = await freePort();
    urlA = `http://127.0.0.1:${port}`;
    a = await open(urlA);
    await createSource(a.db, { id: 'datagovbe', type: 'ldes', url: `${corpus.url}/ldes/index.trig` });
    expect((await a.harvesting.run('datagovbe')).status).toBe('succeeded');
    appA = await buildServer(a);
    await appA.listen({ port, host: '127.0.0.1' });
    b = await open('http://vindbaar-b.test');
    appB = await buildServer(b);
    await createSource(b.db, { id: 'vindbaar-a', type: 'dcat', url: `${urlA}/catalog?page=1&limit=500` });
  });
  afterAll(async () => {
    await appA?.close();
    await appB?.close();
    await a?.close();
    await b?.close();
    await corpus?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('A serves its catalogue as Hydra-paged DCAT in the syntax asked for', async () => {
    const ttl = await appA.inject({ url: '/catalog?limit=2' });
    expect(ttl.headers['content-type']).toMatch(/text\/turtle/);
    const quads = await parseString(ttl.body, { format: 'turtle' });
    expect(quads.filter((q) => q.predicate.value === 'http://www.w3.org/ns/dcat#dataset')).toHaveLength(2);
    const next = quads.find((q) => q.predicate.value === 'http://www.w3.org/ns/hydra/core#next');
    expect(next?.object.termType).toBe('NamedNode');
    expect(next?.object.value).toMatch(new RegExp(`^${urlA}/catalog\\?page=2&limit=2&after=[a-z2-7]{16}$`));
    const jsonld = await appA.inject({ url: '/catalog?limit=2', headers: { accept: 'application/ld+json' } });
    expect(jsonld.headers['content-type']).toMatch(/application\/ld\+json/);
    // Past the end: an empty page whose links still lead back.
    const beyond = await appA.inject({ url: '/catalog?page=99999&limit=2', headers: { accept: 'application/n-triples' } });
    expect(beyond.statusCode).toBe(200);
    expect(beyond.body).not.toContain('<http://www.w3.org/ns/dcat#dataset>');
    expect(beyond.body).toContain(`<http://www.w3.org/ns/hydra/core#last> <${urlA}/catalog?page=1000&limit=2>`);
    expect(beyond.body).toContain(`<http://www.w3.org/ns/hydra/core#previous> <${urlA}/catalog?page=1000&limit=2>`);
    expect(beyond.body).not.toContain('hydra/core#next');
    expect((await appA.inject({ url: '/catalog', headers: { accept: 'image/png' } })).statusCode).toBe(406);
  });

  it('B harvests A: every dataset, with A\'s provenance kept in its triples', async () => {
    const run = await b.harvesting.run('vindbaar-a');
    expect(run).toMatchObject({ status: 'succeeded', pages: 4 });
    const n = await b.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL");
    expect(n.rows[0].n).toBe(1999);
    const one = await b.db.query<{ nquads: string }>("SELECT nquads FROM records WHERE kind = 'Dataset' LIMIT 1");
    // A's catalogue record: the source A harvested from, and the run of A that fetched it.
    expect(one.rows[0].nquads).toContain(`<http://purl.org/dc/terms/source> <${corpus.url}/ldes/index.trig>`);
    expect(one.rows[0].nquads).toMatch(new RegExp(`<http://www.w3.org/ns/prov#wasGeneratedBy> <${urlA}/api/v1/runs/\\d+>`));
  });

  it('B\'s own export names A as the source: the chain stays traceable', async () => {
    const page = await appB.inject({ url: '/catalog?limit=5', headers: { accept: 'application/n-triples' } });
    expect(page.body).toContain(`<http://purl.org/dc/terms/source> <${urlA}/catalog?page=1&limit=500>`);
    expect(page.body).toContain(`<http://purl.org/dc/terms/source> <${corpus.url}/ldes/index.trig>`);
  });

  /** Each dataset's own triples (without the CatalogRecord nodes an exporting catalogue adds), by IRI. */
  const datasetGraphs = async (db: Db): Promise<Map<string, string>> => {
    const rows = await db.query<{ iri: string; nquads: string }>("SELECT iri, nquads FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL");
    const out = new Map<string, string>();
    for (const r of rows.rows) {
      const quads = await parseString(r.nquads, { format: 'ntriples' });
      const records = new Set(quads.filter((q) => q.object.value === 'http://www.w3.org/ns/dcat#CatalogRecord').map((q) => q.subject.value));
      const runs = new Set(quads.filter((q) => records.has(q.subject.value) && q.predicate.value === 'http://www.w3.org/ns/prov#wasGeneratedBy').map((q) => q.object.value));
      out.set(r.iri, await canonical(quads.filter((q) => !records.has(q.subject.value) && !runs.has(q.subject.value))));
    }
    return out;
  };

  it('A and B hold the same graph for every dataset', async () => {
    const [inA, inB] = [await datasetGraphs(a.db), await datasetGraphs(b.db)];
    expect(inB.size).toBe(inA.size);
    for (const [iri, graph] of inA) expect(inB.get(iri), iri).toBe(graph);
  });

  it('C replicates A through its change feed (LDES) and holds the same graphs', async () => {
    const c = await open('http://vindbaar-c.test');
    try {
      await createSource(c.db, { id: 'vindbaar-a-feed', type: 'ldes', url: `${urlA}/feed` });
      const run = await c.harvesting.run('vindbaar-a-feed');
      expect(run.status, JSON.stringify(run)).toBe('succeeded');
      const [inA, inC] = [await datasetGraphs(a.db), await datasetGraphs(c.db)];
      expect(inC.size).toBe(inA.size);
      for (const [iri, graph] of inA) expect(inC.get(iri), iri).toBe(graph);
    } finally {
      await c.close();
    }
  });

  it('an unchanged re-run writes nothing', async () => {
    const run = await b.harvesting.run('vindbaar-a');
    expect(run, JSON.stringify(run)).toMatchObject({ status: 'succeeded', created: 0, updated: 0, deleted: 0, pagesNotModified: 4 });
  });
});
