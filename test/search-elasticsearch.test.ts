// The service with Elasticsearch as its search backend: the API answers from Elasticsearch, pushed
// records are searchable when the push returns, and when Elasticsearch cannot be reached search says
// 503 with Retry-After while storing, reading and ingesting go on, the changes waiting in the outbox
// until search is back.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildServer } from '../src/server.js';
import { createServices, type Services } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ElasticsearchSearch, MAPPING_VERSION, recordsMapping } from '../src/search/elasticsearch.js';
import { Client } from '@elastic/elasticsearch';
import { freePort } from './support/postgres-server.js';
import { startElasticsearch, type EsServer } from './support/elasticsearch-server.js';
import { loadSamplesIfEmpty } from '../src/samples.js';
import { searchDocument } from '../src/search/document.js';
import { reindex } from '../src/search/reindex.js';
import { LeaseTakenError } from '../src/store/leases.js';
import { checkIndex } from '../src/search/verify.js';
import { openDb, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';

const esUrl = inject('esUrl');
const KEY = 'test-admin-key-0123456789abcdef';
const TTL = (n: string, title: string) => `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
<http://example.org/ds/${n}> a dcat:Dataset; dct:title "${title}"@nl; dcat:keyword "proef"@nl;
  dct:description "Proefgegevens voor de zoekmachine."@nl;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/EDUC>.`;

interface Running {
  dir: string;
  services: Services;
  app: FastifyInstance;
}

async function start(env: Record<string, string>, dir = mkdtempSync(join(tmpdir(), 'vindbaar-es-api-'))): Promise<Running> {
  const config = loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: KEY, VINDBAAR_BASE_URL: 'http://vindbaar.test', LOG_LEVEL: 'silent', ...env });
  const services = await createServices(config, pino({ level: 'silent' }));
  return { dir, services, app: await buildServer(services) };
}

async function stop(r: Running | undefined): Promise<void> {
  if (!r) return;
  await r.app.close();
  await r.services.close();
  rmSync(r.dir, { recursive: true, force: true });
}

const push = (r: Running, body: string) =>
  r.app.inject({ method: 'POST', url: '/api/v1/catalogs/proef/records', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` }, payload: body });

describe.skipIf(!esUrl)('the API on Elasticsearch', () => {
  let r: Running;
  const prefix = `api-${process.pid}-${Date.now()}`;
  beforeAll(async () => {
    r = await start({ ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX_PREFIX: prefix });
  });
  afterAll(async () => {
    const es = r?.services.search as ElasticsearchSearch | undefined;
    await es?.client.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
    await stop(r);
  });

  it('creates its index behind an alias, and finds a pushed record as soon as the push returns', async () => {
    expect(r.services.search.name).toBe('elasticsearch');
    const es = r.services.search as ElasticsearchSearch;
    const alias = await es.client.indices.getAlias({ name: `${prefix}-records` });
    expect(Object.keys(alias)).toHaveLength(1);
    expect(Object.keys(alias)[0]).toMatch(new RegExp(`^${prefix}-records-\\d{17}$`));
    expect((await push(r, TTL('a', 'Leerlingenaantallen in het secundair onderwijs'))).statusCode).toBe(200);
    const found = await r.app.inject({ url: '/api/v1/datasets?q=leerlingenaantal&lang=en' });
    expect(found.statusCode).toBe(200);
    const body = found.json();
    expect(body.totalItems).toBe(1);
    expect(body.member[0].iri).toBe('http://example.org/ds/a');
    expect(body.facets.theme).toEqual([{ value: 'http://publications.europa.eu/resource/authority/data-theme/EDUC', count: 1, label: expect.any(String) }]);
    const ready = (await r.app.inject({ url: '/ready' })).json();
    expect(ready.search).toMatchObject({ backend: 'elasticsearch', up: true, pending: 0, lagSeconds: 0 });
    expect(ready.status).toBe('ready');
  });

  it('answers hostile or odd query strings with results or 400, never 500', async () => {
    for (const q of ['"unbalanced', 'title:(x) AND y~2 {', '*', '\\', 'a'.repeat(2000)]) {
      const res = await r.app.inject({ url: `/api/v1/datasets?q=${encodeURIComponent(q)}` });
      expect([200, 400], q.slice(0, 20)).toContain(res.statusCode);
    }
    const deep = await r.app.inject({ url: '/api/v1/datasets?page=200&limit=100' });
    expect(deep.statusCode).toBe(400);
    expect(deep.headers['content-type']).toMatch(/problem\+json/);
  });

  it('gives page links only as far as numbered pages reach (10,000 results); the cursor walks past them', async () => {
    const n = 10_050;
    const docs = Array.from({ length: n }, (_, i) => searchDocument(`diep${i}`, 'Dataset', 'diep', { '@id': `http://example.org/diep/${i}`, title: { nl: `Diepe pagina ${i}` } } as never));
    await r.services.search.index(docs);
    await r.services.search.refresh?.();
    const first = (await r.app.inject({ url: '/api/v1/datasets?catalog=diep&limit=1000' })).json();
    expect(first.totalItems).toBe(n);
    // 10,050 results fill 11 pages of 1,000, but only the first 10 are reachable by number.
    expect(first.view.last).toMatch(/[?&]page=10(&|$)/);
    const last = await r.app.inject({ url: '/api/v1/datasets?catalog=diep&limit=1000&page=10' });
    expect(last.statusCode).toBe(200);
    expect(last.json().view.next).toBeUndefined();
    expect(last.json().view.last).toMatch(/[?&]page=10(&|$)/);
    // The page past them is refused, saying what to use instead.
    const past = await r.app.inject({ url: '/api/v1/datasets?catalog=diep&limit=1000&page=11' });
    expect(past.statusCode).toBe(400);
    expect(past.json().detail).toMatch(/cursor/);
    // The cursor reaches every result.
    let url: string | undefined = '/api/v1/datasets?catalog=diep&limit=1000&cursor=*';
    let pages = 0;
    while (url && pages < 20) {
      const page: { statusCode: number; json: () => { view: { next?: string } } } = await r.app.inject({ url });
      expect(page.statusCode).toBe(200);
      pages++;
      const next: string | undefined = page.json().view.next;
      url = next ? new URL(next).pathname + new URL(next).search : undefined;
    }
    // 10 full pages and the 50 past them (members are read from the store, which holds no records
    // behind these documents: the pages are what is counted).
    expect(pages).toBeGreaterThanOrEqual(11);
    expect(url).toBeUndefined();
  }, 60_000);
});

describe.skipIf(!esUrl)('an index made by an earlier version', () => {
  let r: Running | undefined;
  const prefix = `upgrade-${process.pid}-${Date.now()}`;
  afterAll(async () => {
    const es = r?.services.search as ElasticsearchSearch | undefined;
    await es?.client.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
    await stop(r);
  });

  it('gets the fields this version adds, so that pushed records are still indexed before the reindex', async () => {
    // The index as mapping 9 made it: no keyword facet field, and a strict mapping that refuses it.
    const old = recordsMapping(0);
    const properties = { ...old.mappings!.properties } as Record<string, unknown>;
    delete properties.keyword;
    delete properties.keyword_nl;
    delete properties.keyword_en;
    const client = new Client({ node: esUrl });
    await client.indices.create({ index: `${prefix}-records-00000000000000001`, settings: old.settings, mappings: { ...old.mappings, _meta: { vindbaar: MAPPING_VERSION - 1 }, properties: properties as never } });
    await client.indices.putAlias({ index: `${prefix}-records-00000000000000001`, name: `${prefix}-records`, is_write_index: true });
    await client.close();
    r = await start({ ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX_PREFIX: prefix });
    expect((await push(r, TTL('u', 'Verkeerstellingen'))).statusCode).toBe(200);
    const found = (await r.app.inject({ url: '/api/v1/datasets?q=verkeerstellingen' })).json();
    expect(found.totalItems).toBe(1);
    const es = r.services.search as ElasticsearchSearch;
    const mapping = await es.client.indices.getMapping({ index: `${prefix}-records` });
    expect(Object.values(mapping)[0].mappings.properties).toHaveProperty('keyword');
  });
});

describe.skipIf(!esUrl)('Elasticsearch added to a catalogue that already holds records', () => {
  let r: Running | undefined;
  const prefix = `added-${process.pid}-${Date.now()}`;
  afterAll(async () => {
    const es = r?.services.search as ElasticsearchSearch | undefined;
    await es?.client.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
    await stop(r);
  });

  it('fills its new index from the store in the background: search finds what was stored before', async () => {
    // First on Postgres full text, as the README's order of setting up has it; then with Elasticsearch.
    const before = await start({});
    expect((await push(before, TTL('g', 'Grondwaterpeilen in Vlaanderen'))).statusCode).toBe(200);
    await before.app.close();
    await before.services.close();
    r = await start({ ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX_PREFIX: prefix }, before.dir);
    expect((await r.services.indexerStatus()).pending).toBeGreaterThan(0);
    r.services.startBackgroundIndexing(200);
    const deadline = Date.now() + 30_000;
    let found = -1;
    while (Date.now() < deadline) {
      found = (await r.app.inject({ url: '/api/v1/datasets?q=grondwaterpeilen' })).json().totalItems;
      if (found === 1) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(found).toBe(1);
    expect((await r.services.indexerStatus()).pending).toBe(0);
    expect(await checkIndex(r.services.db, r.services.search as ElasticsearchSearch)).toMatchObject({ missing: [], extra: [], stale: [] });
  });

  it('a reindex run before the fill is drained (the README\'s restore) leaves nothing queued to index twice', async () => {
    await stop(r);
    r = undefined;
    const before = await start({});
    expect((await push(before, TTL('h', 'Hoogwaterpeilen'))).statusCode).toBe(200);
    await before.app.close();
    await before.services.close();
    r = await start({ ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX_PREFIX: `${prefix}-restore` }, before.dir);
    expect((await r.services.indexerStatus()).pending).toBeGreaterThan(0);
    const report = await reindex(r.services.db, r.services.search);
    expect(report.indexed).toBeGreaterThan(0);
    expect((await r.services.indexerStatus()).pending).toBe(0);
    expect((await r.app.inject({ url: '/api/v1/datasets?q=hoogwaterpeilen' })).json().totalItems).toBe(1);
  });
});

describe.skipIf(!esUrl)('processes starting together on a new cluster', () => {
  const prefix = `together-${process.pid}-${Date.now()}`;
  let db: Db;
  let backends: ElasticsearchSearch[] = [];
  beforeAll(async () => {
    // One store, as serve and workers share one: the process whose index the alias takes queues the
    // store's records for it.
    db = await openDb({ dataDir: 'memory://' });
    await migrate(db);
    backends = [0, 1, 2].map(() => new ElasticsearchSearch({ url: esUrl, db, log: pino({ level: 'silent' }), indexPrefix: prefix }));
  });
  afterAll(async () => {
    await backends[0]?.client.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
    for (const b of backends) await b.close();
    await db?.close();
  });

  it('(serve and workers, each finding no index) all start on one index, and leave no other behind', async () => {
    await Promise.all(backends.map((b) => b.init()));
    const indices = Object.keys(await backends[0].client.indices.get({ index: `${prefix}-records-*` }));
    expect(indices).toHaveLength(1);
    expect(Object.keys(await backends[0].client.indices.getAlias({ name: `${prefix}-records` }))).toEqual(indices);
  });
});

describe.skipIf(!esUrl)('reindex', () => {
  let r: Running;
  const prefix = `reindex-${process.pid}-${Date.now()}`;
  beforeAll(async () => {
    r = await start({ ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX_PREFIX: prefix });
    await loadSamplesIfEmpty(r.services);
  }, 120_000);
  afterAll(async () => {
    const es = r?.services.search as ElasticsearchSearch | undefined;
    await es?.client.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
    await stop(r);
  });

  it('builds a new generation while records keep arriving, swaps the alias, and loses no update', async () => {
    const es = r.services.search as ElasticsearchSearch;
    const [before] = await es.generations();
    let n = 0;
    let done = false;
    // Writers: new records and changes to earlier ones, for as long as the reindex runs (and a bit).
    const writer = (async () => {
      while (!done || n < 6) {
        n++;
        expect((await push(r, TTL(`during-${n}`, `Gelijktijdig record ${n}`))).statusCode).toBe(200);
        if (n > 2) expect((await push(r, TTL(`during-${n - 2}`, `Gelijktijdig record ${n - 2}, bijgewerktversie`))).statusCode).toBe(200);
      }
    })();
    const report = await reindex(r.services.db, es);
    done = true;
    await writer;
    await r.services.reindexPending();
    await es.refresh();
    expect(report.indexed).toBeGreaterThan(300);
    const [after, ...more] = await es.generations();
    expect(more).toEqual([]);
    expect(after).not.toBe(before);
    expect(report.retired).toEqual([before]);
    expect((await es.client.indices.exists({ index: before }))).toBe(false);
    const check = await checkIndex(r.services.db, es);
    expect(check, JSON.stringify(check)).toMatchObject({ missing: [], extra: [], stale: [] });
    expect(check.documents).toBe(check.records);
    const changed = await r.app.inject({ url: '/api/v1/datasets?q=bijgewerktversie&limit=100' });
    expect(changed.json().totalItems).toBe(n - 2);
  });

  it('runs one reindex at a time: a second one started meanwhile is refused, naming the one that runs', async () => {
    const es = r.services.search as ElasticsearchSearch;
    const runs = await Promise.allSettled([reindex(r.services.db, es), reindex(r.services.db, es)]);
    const done = runs.filter((x) => x.status === 'fulfilled');
    const refused = runs.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(LeaseTakenError);
    expect(String(refused[0].reason.message)).toMatch(/^reindex is already running \(.*pid \d+/);
    // The one that ran left one complete generation, and the lease is free again.
    expect(await es.generations()).toHaveLength(1);
    expect(await checkIndex(r.services.db, es)).toMatchObject({ missing: [], extra: [], stale: [] });
    expect((await reindex(r.services.db, es)).indexed).toBeGreaterThan(300);
  });
});

describe.skipIf(!esUrl)('when Elasticsearch cannot be reached', () => {
  let r: Running;
  let port: number;
  let relay: Server | undefined;
  const prefix = `down-${process.pid}-${Date.now()}`;

  // A relay on a port of our own stands for the cluster's address: closed, nothing listens there (a
  // node that is down); open, it passes connections through to the real node.
  const openRelay = () =>
    new Promise<void>((resolve) => {
      const target = new URL(esUrl);
      relay = createServer((client) => {
        import('node:net').then(({ connect }) => {
          const upstream = connect(Number(target.port), target.hostname);
          client.pipe(upstream).pipe(client);
          upstream.on('error', () => client.destroy());
          client.on('error', () => upstream.destroy());
        });
      });
      relay.listen(port, '127.0.0.1', () => resolve());
    });

  beforeAll(async () => {
    port = await freePort();
    r = await start({ ELASTICSEARCH_URL: `http://127.0.0.1:${port}`, ELASTICSEARCH_INDEX_PREFIX: prefix });
  });
  afterAll(async () => {
    const es = r?.services.search as ElasticsearchSearch | undefined;
    await es?.client.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
    await stop(r);
    relay?.close();
  });

  it('search answers 503 problem+json with Retry-After; pushing and reading records keep working', async () => {
    const s = await r.app.inject({ url: '/api/v1/datasets?q=werk' });
    expect(s.statusCode).toBe(503);
    expect(s.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(s.headers['retry-after'])).toBeGreaterThan(0);
    const p = await push(r, TTL('b', 'Schoolverlaters zonder diploma'));
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ created: 1 });
    const id = (await r.services.db.query<{ id: string }>("SELECT id FROM records WHERE iri = 'http://example.org/ds/b'")).rows[0].id;
    expect((await r.app.inject({ url: `/api/v1/datasets/${id}` })).statusCode).toBe(200);
    // Still in rotation (the store answers), and says search is down.
    const readyAnswer = await r.app.inject({ url: '/ready' });
    expect(readyAnswer.statusCode).toBe(200);
    const ready = readyAnswer.json();
    expect(ready.status).toBe('degraded');
    expect(ready.search).toMatchObject({ up: false });
    expect(ready.search.pending).toBeGreaterThan(0);
  });

  it('once it is back, the background drain indexes what waited, and nothing is lost', async () => {
    await openRelay();
    r.services.startBackgroundIndexing(200);
    // Drained (outbox empty) and refreshed (visible to search) within a few drain rounds.
    const deadline = Date.now() + 30_000;
    let found = -1;
    while (Date.now() < deadline) {
      const res = await r.app.inject({ url: '/api/v1/datasets?q=schoolverlaters' });
      found = res.statusCode === 200 ? res.json().totalItems : -1;
      if (found === 1) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(found).toBe(1);
    expect((await r.services.indexerStatus()).pending).toBe(0);
    // The index was made by Vindbaar (strict mapping behind the alias), not guessed by a first write.
    const es = r.services.search as ElasticsearchSearch;
    const mapping = await es.client.indices.getMapping({ index: `${prefix}-records` });
    expect(Object.values(mapping)[0].mappings.dynamic).toBe('strict');
  });
});

describe('ELASTICSEARCH_URL leading to a server that is not Elasticsearch', () => {
  let r: Running | undefined;
  let web: import('node:http').Server | undefined;
  let status = 404;
  afterAll(async () => {
    await stop(r);
    web?.close();
  });

  it('/ready and the log say so, with the status the server gave, not the page it sent', async () => {
    const { createServer: createHttpServer } = await import('node:http');
    const port = await freePort();
    // A web server on the port, as a wrong port or a proxy's error page gives.
    web = createHttpServer((_req, res) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html><body><h1>Not Found</h1></body></html>'));
    await new Promise<void>((resolve) => web!.listen(port, '127.0.0.1', () => resolve()));
    r = await start({ ELASTICSEARCH_URL: `http://127.0.0.1:${port}`, ELASTICSEARCH_INDEX_PREFIX: 'foreign' });
    const ready = (await r.app.inject({ url: '/ready' })).json();
    expect(ready.status).toBe('degraded');
    expect(ready.search).toMatchObject({ up: false, detail: 'the server at ELASTICSEARCH_URL does not answer as Elasticsearch does (HTTP 404, text/html): check its address and port' });
    expect((await r.app.inject({ url: '/api/v1/datasets?q=werk' })).statusCode).toBe(503);
    // A proxy's 502 page in front of a cluster that is down is an outage, said by its status alone.
    status = 502;
    expect((await r.app.inject({ url: '/ready' })).json().search.detail).toBe('HTTP 502, text/html from ELASTICSEARCH_URL');
  });
});

describe.skipIf(!esUrl)('a node killed while indexing', () => {
  let node: EsServer;
  let r: Running;
  beforeAll(async () => {
    node = await startElasticsearch();
    r = await start({ ELASTICSEARCH_URL: node.url, ELASTICSEARCH_INDEX_PREFIX: 'crash' });
  }, 180_000);
  afterAll(async () => {
    await stop(r);
    await node?.stop();
  });

  it('loses no update: the outbox keeps what failed, and drains once the node is back', async () => {
    const es = r.services.search as ElasticsearchSearch;
    // A large ingest under way when the JVM dies (SIGKILL, as a crash or the OOM killer would).
    const ingest = loadSamplesIfEmpty(r.services);
    await new Promise((res) => setTimeout(res, 300));
    await node.kill();
    await ingest; // storing goes on without search
    expect((await push(r, TTL('after-crash', 'Na de crash opgeslagen'))).statusCode).toBe(200);
    expect((await r.app.inject({ url: '/api/v1/datasets?q=crash' })).statusCode).toBe(503);
    const waiting = (await r.services.indexerStatus()).pending;
    expect(waiting).toBeGreaterThan(0);

    await node.restart();
    r.services.startBackgroundIndexing(250);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await r.services.indexerStatus()).pending > 0) await new Promise((res) => setTimeout(res, 250));
    expect((await r.services.indexerStatus()).pending).toBe(0);
    await es.refresh();
    const check = await checkIndex(r.services.db, es);
    expect(check.records).toBeGreaterThan(300);
    expect(check, JSON.stringify({ ...check, missing: check.missing.length })).toMatchObject({ missing: [], extra: [], stale: [] });
    const found = await r.app.inject({ url: '/api/v1/datasets?q=crash' });
    expect(found.json().totalItems).toBe(1);
  }, 180_000);
});
