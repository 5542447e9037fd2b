// Harvesting real data from ../shared/corpus served over HTTP on loopback (LDES pages of data.gov.be,
// uData's Hydra-paged catalogues), then the ways sources fail: each must end the run failed or partial
// with a clear log, withdraw nothing, and leave earlier good records as they were.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { createSource, updateSource } from '../src/store/sources.js';
import { runItems, type Run } from '../src/store/runs.js';
import { localId } from '../src/ingest/prepare.js';
import { hasCorpus, LDES_ROOT } from './support/corpus.js';
import { startCorpusServer, type CorpusServer } from './support/corpus-http.js';

const KEY = 'test-admin-key-0123456789abcdef';
const auth = { authorization: `Bearer ${KEY}` };

let server: CorpusServer;
let services: Services;
let app: FastifyInstance;
let dir: string;

async function open(env: Record<string, string> = {}): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'vindbaar-harvest-'));
  const config = loadConfig({
    VINDBAAR_DATA_DIR: dir,
    VINDBAAR_ADMIN_KEY: KEY,
    VINDBAAR_BASE_URL: 'http://vindbaar.test',
    VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8',
    VINDBAAR_HARVEST_TIMEOUT_MS: '1500',
    VINDBAAR_HARVEST_ATTEMPTS: '2',
    VINDBAAR_HARVEST_BACKOFF_MS: '50',
    VINDBAAR_HARVEST_MAX_BYTES: '20mb',
    VINDBAAR_HARVEST_POLL_SECONDS: '1',
    VINDBAAR_HARVEST_RETRY_DELAY_SECONDS: '1',
    ...env,
  });
  logs.length = 0;
  services = await createServices(config, pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line)) }));
  app = await buildServer(services);
}

/** What the services logged at warn and above since the last open(). */
const logs: { level: number; msg: string; source?: string; err?: string | { message: string } }[] = [];

async function close(): Promise<void> {
  await app?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
}

async function live(sourceId: string): Promise<number> {
  const r = await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM records WHERE source_id = $1 AND deleted_at IS NULL', [sourceId]);
  return r.rows[0].n;
}

async function writes(): Promise<number> {
  const r = await services.db.query<{ n: number }>('SELECT (SELECT count(*) FROM record_versions)::int + (SELECT coalesce(sum(version), 0) FROM records)::int AS n');
  return r.rows[0].n;
}

describe.skipIf(!hasCorpus)('harvesting the data.gov.be LDES', () => {
  beforeAll(async () => {
    server = await startCorpusServer();
    await open();
    await createSource(services.db, { id: 'datagovbe', type: 'ldes', url: `${server.url}/ldes/index.trig`, title: 'data.gov.be' });
  });
  afterAll(async () => {
    await close();
    await server.close();
  });

  let first: Run;
  it('reads all 20 pages: 1,999 datasets and the catalogue, each logged as created', async () => {
    first = await services.harvesting.run('datagovbe');
    expect(first.status).toBe('succeeded');
    expect(first.created).toBe(2000);
    expect(first.failed).toBe(0);
    const kinds = await services.db.query<{ kind: string; n: number }>("SELECT kind, count(*)::int AS n FROM records WHERE source_id = 'datagovbe' GROUP BY kind ORDER BY kind");
    expect(kinds.rows).toEqual([
      { kind: 'Catalog', n: 1 },
      { kind: 'Dataset', n: 1999 },
    ]);
    const items = await runItems(services.db, first.id, 5000);
    expect(items).toHaveLength(2000);
    expect(items.every((i) => i.action === 'created' && i.location?.startsWith(server.url))).toBe(true);
    // Each record is validated against the default profile, and its report kept.
    const validated = await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE source_id = 'datagovbe' AND kind <> 'Resource' AND validation->>'profile' = 'dcat-ap-3.0.1'");
    expect(validated.rows[0].n).toBe(2000);
    // Provenance: the run and the fetch time are kept with each record.
    const prov = await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE source_id = 'datagovbe' AND run_id = $1 AND fetched_at IS NOT NULL", [first.id]);
    expect(prov.rows[0].n).toBe(2000);
  });

  it('re-reads only the mutable pages on an unchanged re-run, and writes nothing', async () => {
    const before = await writes();
    const requests = server.requests.length;
    const again = await services.harvesting.run('datagovbe');
    expect(again.status).toBe('succeeded');
    expect(again.created + again.updated + again.deleted).toBe(0);
    // The three entry documents and the last (mutable) page; the 19 immutable pages are not asked for.
    expect(server.requests.length - requests).toBe(4);
    expect(await writes()).toBe(before);
  });

  it('takes a changed member and a delete activity from the mutable page', async () => {
    const page = /_19\/index\.trig$/;
    const path = server.requests.find((r) => page.test(r)) as string;
    let changedIri = '';
    server.edit(path, (text) => {
      // The first member's title changes; a delete activity for the second member's dataset is added.
      const objects = [...text.matchAll(/<https:\/\/www\.w3\.org\/ns\/activitystreams#object> <([^>]+)>/g)].map((m) => m[1]);
      changedIri = objects[0];
      const titled = text.replace(/(<http:\/\/purl\.org\/dc\/terms\/title> ")([^"]+)(")/, '$1$2 (bijgewerkt)$3');
      return (
        titled +
        `\n<../../../index.trig> <https://w3id.org/tree#member> <#delete-1>.\n<#delete-1> a <https://www.w3.org/ns/activitystreams#Delete>;\n` +
        `  <https://www.w3.org/ns/activitystreams#object> <${objects[1]}>;\n  <https://www.w3.org/ns/activitystreams#published> "2025-04-15T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>.\n`
      );
    });
    const run = await services.harvesting.run('datagovbe');
    expect(run.status).toBe('succeeded');
    expect(run.updated).toBe(1);
    expect(run.deleted).toBe(1);
    const items = await runItems(services.db, run.id, 10);
    expect(items.map((i) => i.action).sort()).toEqual(['deleted', 'updated']);
    const gone = items.find((i) => i.action === 'deleted');
    const res = await app.inject({ url: `/api/v1/records/${gone?.recordId}` });
    expect(res.statusCode).toBe(410);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    const updated = items.find((i) => i.action === 'updated');
    expect(updated?.iri).toBeTruthy();
    const versions = await app.inject({ url: `/api/v1/records/${updated?.recordId}/versions` });
    expect(versions.json().member ?? versions.json()).toBeTruthy();
    void changedIri;
  });

  it('a page that fails mid-stream ends the run there: the pages before it are stored, none after, even though the next page is fetched ahead', async () => {
    const failing = `/ldes/${LDES_ROOT.split('/').slice(3).join('/')}/2025-04-13T15_3A45_3A00.000Z_123187500_5/index.trig`;
    server.route(failing, (_req, res) => {
      res.statusCode = 500;
      res.end('down');
    });
    await createSource(services.db, { id: 'datagovbe-cut', type: 'ldes', url: `${server.url}/ldes/index.trig`, title: 'data.gov.be, cut' });
    const run = await services.harvesting.run('datagovbe-cut');
    expect(['failed', 'partial']).toContain(run.status);
    expect(run.error).toContain('_123187500_5/index.trig');
    expect(run.deleted).toBe(0);
    const items = await runItems(services.db, run.id, 5000);
    const created = items.filter((i) => i.action === 'created');
    expect(created.length).toBeGreaterThan(400);
    // Every stored member comes from pages 0 to 4, in the order the stream gives them.
    const pageOf = (location: string | null | undefined) => Number(/_123187500_(\d+)\/index\.trig/.exec(location ?? '')?.[1] ?? -1);
    expect(created.every((i) => pageOf(i.location) >= 0 && pageOf(i.location) < 5)).toBe(true);
    expect(new Set(created.map((i) => pageOf(i.location)))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(await live('datagovbe-cut')).toBe(created.length);
  });

  it('lists sources and runs over the API, without credentials', async () => {
    const sources = await app.inject({ url: '/api/v1/sources' });
    expect(sources.statusCode).toBe(200);
    expect(sources.json().member[0]).toMatchObject({ id: 'datagovbe', type: 'ldes', hasCredentials: false });
    expect(JSON.stringify(sources.json())).not.toContain('credentials"');
    const runs = await app.inject({ url: '/api/v1/sources/datagovbe/runs?limit=2' });
    expect(runs.json().member).toHaveLength(2);
    expect(runs.json().totalItems).toBe(3);
    expect(runs.json().next).toContain('before=');
    const one = await app.inject({ url: `/api/v1/runs/${first.id}?limit=10&action=created` });
    expect(one.statusCode).toBe(200);
    expect(one.json().items).toHaveLength(10);
    expect(one.json().nextItems).toContain('after=10');
    expect((await app.inject({ url: '/api/v1/runs/999999' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/runs/abc' })).statusCode).toBe(404);
  });

  it('brings back a member withdrawn over the push API, reading again only the immutable page that held it', async () => {
    // A dataset that one immutable page holds, and no other.
    const held = await services.db.query<{ id: string; url: string }>(
      `SELECT x.id, min(p.url) AS url FROM harvest_pages p, unnest(p.record_ids) AS x(id)
       WHERE p.source_id = 'datagovbe' GROUP BY x.id HAVING count(*) = 1 AND bool_and(p.immutable) ORDER BY x.id LIMIT 1`,
    );
    const { id, url } = held.rows[0];
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/datagovbe/records/${id}`, headers: auth })).statusCode).toBe(204);
    expect((await app.inject({ url: `/api/v1/records/${id}` })).statusCode).toBe(410);
    const requests = server.requests.length;
    const run = await services.harvesting.run('datagovbe');
    expect(run).toMatchObject({ status: 'succeeded', created: 1, updated: 0, deleted: 0 });
    expect((await runItems(services.db, run.id, 10)).map((i) => [i.action, i.recordId])).toEqual([['created', id]]);
    // The entry documents and the mutable page, as on any re-run, and the page that held it.
    const asked = server.requests.slice(requests);
    expect(asked).toHaveLength(5);
    expect(asked).toContain(new URL(url).pathname + new URL(url).search);
    expect((await app.inject({ url: `/api/v1/records/${id}` })).statusCode).toBe(200);
  });
});

/** A small paged DCAT catalogue in Turtle whose second page can be made to fail in many ways. */
function page(n: number, ids: number[], next?: string): string {
  return `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix hydra: <http://www.w3.org/ns/hydra/core#>.
<http://example.org/catalog> a dcat:Catalog; dct:title "Testcatalogus"@nl; ${ids.map((i) => `dcat:dataset <http://example.org/ds/${i}>`).join('; ')}.
${ids.map((i) => `<http://example.org/ds/${i}> a dcat:Dataset; dct:title "Dataset ${i}"@nl; dct:description "Beschrijving ${i}"@nl.`).join('\n')}
<${server.url}/cat?page=${n}> a hydra:PartialCollectionView${next ? `; hydra:next <${next}>` : ''}.
`;
}

describe('harvesting a paged DCAT catalogue, and sources that fail', () => {
  let mode = 'ok';
  let pages: Record<number, number[]> = {};
  beforeAll(async () => {
    server = await startCorpusServer();
    await open();
    server.route('/cat', (req, res) => {
      const n = Number(new URL(req.url ?? '', server.url).searchParams.get('page') ?? '1');
      const ids = pages[n];
      const next = pages[n + 1] ? `${server.url}/cat?page=${n + 1}` : undefined;
      if (n === 2 && mode !== 'ok' && mode !== 'loop') return fault(mode, req, res, page(n, ids ?? [], next));
      res.setHeader('content-type', 'text/turtle');
      // In a loop, page 2 leads back to page 1.
      res.end(page(n, ids ?? [], mode === 'loop' && n === 2 ? `${server.url}/cat?page=1` : next));
    });
    await createSource(services.db, { id: 'cat', type: 'dcat', url: `${server.url}/cat?page=1` });
  });
  /** A source of its own, so that what one test leaves does not weigh on another's withdrawals. */
  const fresh = async (id: string) => {
    await createSource(services.db, { id, type: 'dcat', url: `${server.url}/cat?page=1` });
    return id;
  };
  afterAll(async () => {
    await close();
    await server.close();
  });
  beforeEach(() => {
    mode = 'ok';
    pages = { 1: [1, 2, 3], 2: [4, 5, 6], 3: [7, 8, 9, 10] };
  });

  it('publishes a source\'s address without the token or password it was registered with', async () => {
    server.route('/secret', (req, res) => {
      if (new URL(req.url ?? '', server.url).searchParams.has('down')) {
        res.statusCode = 500;
        return void res.end('Internal error');
      }
      res.setHeader('content-type', 'text/turtle');
      res.end(page(1, [91, 92]));
    });
    const port = new URL(server.url).port;
    await createSource(services.db, { id: 'secret', type: 'dcat', url: `http://localhost:${port}/secret?format=ttl&apikey=geheim-sleutel-1` });
    await createSource(services.db, { id: 'secret-down', type: 'dcat', url: `${server.url}/secret?down=1&access_token=geheim-sleutel-2` });
    // A user and password in the address are refused at harvest time (the run says so), and not repeated.
    await createSource(services.db, { id: 'secret-login', type: 'dcat', url: `http://harvester:geheim-wachtwoord@localhost:${port}/secret` });
    const ok = await services.harvesting.run('secret');
    expect(ok.status, JSON.stringify(ok)).toBe('succeeded');
    const down = await services.harvesting.run('secret-down');
    expect(down.status).toBe('failed');
    const login = await services.harvesting.run('secret-login');
    expect(login.status).toBe('failed');
    const id = (await services.db.query<{ id: string }>(`SELECT id FROM records WHERE source_id = 'secret' AND kind = 'Dataset' LIMIT 1`)).rows[0].id;
    const seen = [
      await app.inject({ url: '/api/v1/sources' }),
      await app.inject({ url: '/api/v1/sources/secret' }),
      await app.inject({ url: `/api/v1/runs/${ok.id}` }),
      await app.inject({ url: `/api/v1/runs/${down.id}` }),
      await app.inject({ url: `/api/v1/runs/${login.id}` }),
      await app.inject({ url: '/api/v1/sources/secret-login/runs' }),
      await app.inject({ url: `/api/v1/records/${id}` }),
      await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle' } }),
      await app.inject({ url: `/datasets/${id}` }),
      await app.inject({ url: '/catalog?source=secret', headers: { accept: 'application/n-triples' } }),
    ];
    for (const r of seen) {
      expect(r.statusCode, r.body).toBe(200);
      expect(r.body).not.toMatch(/geheim/);
    }
    // What remains still names the portal and the part of it the records came from.
    expect(seen[1].json().url).toBe(`http://localhost:${port}/secret?format=ttl`);
    expect(seen[7].body).toContain(`<http://localhost:${port}/secret?format=ttl>`);
    expect(seen[3].json().error).toContain('/secret?down=1');
    // The harvester itself still uses the address as registered.
    expect((await services.db.query<{ url: string }>(`SELECT url FROM sources WHERE id = 'secret'`)).rows[0].url).toContain('apikey=geheim-sleutel-1');
  });

  it('follows the pages and stores the catalogue once, with every page\'s datasets', async () => {
    const run = await services.harvesting.run('cat');
    expect(run).toMatchObject({ status: 'succeeded', pages: 3, created: 11, complete: true });
    const cat = await services.db.query<{ nquads: string }>("SELECT nquads FROM records WHERE source_id = 'cat' AND kind = 'Catalog'");
    expect(cat.rows).toHaveLength(1);
    expect(cat.rows[0].nquads.match(/dcat#dataset/g)).toHaveLength(10);
    expect(cat.rows[0].nquads).not.toContain('hydra');
    const before = await writes();
    const again = await services.harvesting.run('cat');
    // The pages are the same bytes as last time: none is parsed again; the catalogue is rebuilt from
    // what the pages gave last time, and is unchanged.
    expect(again).toMatchObject({ status: 'succeeded', created: 0, updated: 0, deleted: 0, pagesNotModified: 3 });
    // Their records are the run's all the same: the catalogue and its ten datasets, unchanged.
    expect(again).toMatchObject({ records: 11, unchanged: 11 });
    expect(await writes()).toBe(before);
  });

  it('brings back a record withdrawn over the push API at the next run that finds it at its source, its page the same bytes or answering 304', async () => {
    const etagged = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const body = page(1, [1, 2], undefined).replace(`${server.url}/cat?page=1`, `${server.url}/etagged`);
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      res.setHeader('etag', etag);
      if (req.headers['if-none-match'] === etag) {
        res.statusCode = 304;
        return void res.end();
      }
      res.setHeader('content-type', 'text/turtle');
      res.end(body);
    };
    let full = 0;
    server.route('/etagged', (req, res) => {
      if (req.headers['if-none-match'] === undefined) full++;
      etagged(req, res);
    });
    for (const [id, url, listed, pages] of [
      ['cat-undelete', `${server.url}/cat?page=1`, 11, 3],
      ['etag-undelete', `${server.url}/etagged`, 3, 1],
    ] as const) {
      await createSource(services.db, { id, type: 'dcat', url });
      expect(await services.harvesting.run(id)).toMatchObject({ status: 'succeeded', created: listed });
      const iri = 'http://example.org/ds/2';
      const recordId = localId(id, iri);
      const withdrawn = await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/${id}/records/${encodeURIComponent(iri)}`, headers: auth });
      expect(withdrawn.statusCode).toBe(204);
      expect((await app.inject({ url: `/api/v1/records/${recordId}` })).statusCode).toBe(410);
      // The source still lists it as before: the run brings it back, and says so. Only the page that
      // held it is read again.
      const fullBefore = full;
      const back = await services.harvesting.run(id);
      expect(back, id).toMatchObject({ status: 'succeeded', records: listed, created: 1, updated: 0, unchanged: listed - 1, deleted: 0, pagesNotModified: pages - 1 });
      if (id === 'etag-undelete') expect(full).toBe(fullBefore + 1);
      const items = await runItems(services.db, back.id, 100);
      expect(items.map((i) => [i.action, i.iri])).toEqual([['created', iri]]);
      expect((await app.inject({ url: `/api/v1/records/${recordId}` })).statusCode).toBe(200);
      // The run after it is an unchanged re-run again: every page skipped, nothing written.
      const before = await writes();
      expect(await services.harvesting.run(id)).toMatchObject({ status: 'succeeded', created: 0, updated: 0, unchanged: listed, pagesNotModified: pages });
      expect(await writes()).toBe(before);
    }
  });

  for (const m of ['500', 'timeout', 'reset', 'truncated', 'malformed', 'xxe', 'gzip-bomb', 'endless', 'loop'])
    it(`a page that fails (${m}): the run ends failed or partial, says where, withdraws nothing`, async () => {
      const id = await fresh(`cat-${m}`);
      await services.harvesting.run(id);
      expect(await live(id)).toBe(11);
      mode = m;
      pages = { 1: [1, 2, 3], 2: [4, 5, 6], 3: [] };
      const run = await services.harvesting.run(id);
      expect(['partial', 'failed']).toContain(run.status);
      expect(run.deleted).toBe(0);
      expect(run.complete).toBe(false);
      expect(run.error).toMatch(/cat\?page=[12]/);
      const failed = await runItems(services.db, run.id, 100, 0, 'failed');
      expect(failed, JSON.stringify(run)).toHaveLength(1);
      expect(failed[0].location).toMatch(/cat\?page=[12]/);
      // The records of the first run are all there (an endless page may add what it gave before the cut).
      const records = await services.db.query<{ iri: string; nquads: string }>('SELECT iri, nquads FROM records WHERE source_id = $1 AND deleted_at IS NULL', [id]);
      for (let i = 1; i <= 10; i++) expect(records.rows.some((r) => r.iri === `http://example.org/ds/${i}`)).toBe(true);
      expect(records.rows.some((r) => r.nquads.includes('root:'))).toBe(false);
    });

  it('validates every record again after the source\'s profile changes, unchanged pages included', async () => {
    const id = await fresh('cat-profile');
    expect(await services.harvesting.run(id)).toMatchObject({ status: 'succeeded', created: 11 });
    const profiles = async () => (await services.db.query<{ p: string }>("SELECT DISTINCT validation->>'profile' AS p FROM records WHERE source_id = $1 AND kind = 'Dataset'", [id])).rows.map((r) => r.p);
    expect(await profiles()).toEqual(['dcat-ap-3.0.1']);
    await updateSource(services.db, id, { profile: 'dcat-ap-vl-2.0' });
    const run = await services.harvesting.run(id);
    expect(run).toMatchObject({ status: 'succeeded', pagesNotModified: 0 });
    expect(await profiles()).toEqual(['dcat-ap-vl-2.0']);
    // The same profile again: nothing to do.
    expect(await services.harvesting.run(id)).toMatchObject({ status: 'succeeded', created: 0, updated: 0 });
  });

  it('shows a running run\'s progress in its row while it runs', async () => {
    const id = await fresh('cat-progress');
    mode = 'timeout';
    pages = { 1: [1, 2, 3], 2: [4, 5, 6], 3: [] };
    const running = services.harvesting.run(id);
    let seen: { status: string; pages: number; records: number } | undefined;
    for (let i = 0; i < 120 && !seen; i++) {
      const r = await services.db.query<{ status: string; pages: number; records: number }>('SELECT status, pages, records FROM harvest_runs WHERE source_id = $1 ORDER BY id DESC LIMIT 1', [id]);
      if (r.rows[0]?.status === 'running' && r.rows[0].pages > 0) seen = r.rows[0];
      else await new Promise((res) => setTimeout(res, 50));
    }
    expect(seen?.status).toBe('running');
    expect(seen?.pages).toBeGreaterThan(0);
    await running;
    mode = 'ok';
  });

  it('an XML bomb (nested entities) is not expanded', async () => {
    const id = await fresh('cat-lol');
    mode = 'billion-laughs';
    const started = Date.now();
    const run = await services.harvesting.run(id);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.status).not.toBe('running');
    const r = await services.db.query<{ nquads: string }>("SELECT nquads FROM records WHERE iri = 'http://example.org/ds/lol'");
    for (const row of r.rows) expect(row.nquads.length).toBeLessThan(10_000);
  });

  it('withdraws records missing from a complete run, within the share; beyond it, waits for an operator', async () => {
    const id = await fresh('cat-withdraw');
    await services.harvesting.run(id);
    pages = { 1: [1, 2, 3], 2: [4, 5, 6], 3: [7, 8, 9] };
    const small = await services.harvesting.run(id);
    expect(small).toMatchObject({ status: 'succeeded', deleted: 1 });
    const gone = await app.inject({ url: `/api/v1/records/${(await runItems(services.db, small.id, 10)).find((i) => i.action === 'deleted')?.recordId}` });
    expect(gone.statusCode, gone.body).toBe(410);
    pages = { 1: [1, 2, 3], 2: [4, 5, 6] };
    const big = await services.harvesting.run(id);
    expect(big).toMatchObject({ status: 'awaiting-confirmation', deleted: 0, pendingWithdrawals: 3 });
    expect(await live(id)).toBe(10);
    expect((await app.inject({ method: 'POST', url: `/api/v1/runs/${big.id}/confirm-withdrawal` })).statusCode).toBe(401);
    const confirmed = await app.inject({ method: 'POST', url: `/api/v1/runs/${big.id}/confirm-withdrawal`, headers: auth });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'succeeded', deleted: 3 });
    expect(await live(id)).toBe(7);
    expect((await app.inject({ method: 'POST', url: `/api/v1/runs/${big.id}/confirm-withdrawal`, headers: auth })).statusCode).toBe(409);
    // A run left waiting is superseded by the next run of its source, not waiting for good.
    pages = { 1: [1] };
    const waiting = await services.harvesting.run(id);
    expect(waiting).toMatchObject({ status: 'awaiting-confirmation' });
    pages = { 1: [1, 2, 3], 2: [4, 5, 6] };
    await services.harvesting.run(id);
    const after = (await app.inject({ url: `/api/v1/runs/${waiting.id}` })).json();
    expect(after).toMatchObject({ status: 'superseded', pendingWithdrawals: 0 });
    expect(after.error).toMatch(/read the source again/);
    expect(await live(id)).toBe(7);
  });

  it('an empty catalogue withdraws nothing and fails the run', async () => {
    const id = await fresh('cat-empty');
    await services.harvesting.run(id);
    const before = await live(id);
    server.route('/empty', (_req, res) => {
      res.setHeader('content-type', 'text/turtle');
      res.end('# nothing here\n');
    });
    await updateSource(services.db, id, { url: `${server.url}/empty` });
    const run = await services.harvesting.run(id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/no records/);
    expect(run.deleted).toBe(0);
    expect(await live(id)).toBe(before);
  });

  it('a web page where the catalogue was expected fails the run as not RDF, saying so, and withdraws nothing', async () => {
    const id = await fresh('cat-html');
    await services.harvesting.run(id);
    const before = await live(id);
    server.route('/landing', (_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end('<!DOCTYPE html>\n<html lang="nl"><head><title>Open data</title></head><body><p>Welkom</p></body></html>');
    });
    await updateSource(services.db, id, { url: `${server.url}/landing` });
    const run = await services.harvesting.run(id);
    expect(run.status).toBe('failed');
    expect(run.error).toBe(`${server.url}/landing: not RDF: the server answered with a web page (text/html), not a DCAT document; check the source's URL, or give its format if it is RDF after all`);
    expect(run.deleted).toBe(0);
    expect(await live(id)).toBe(before);
    // RDF that a server calls text/html is still read: a file named for its syntax, or one that starts
    // as RDF does after its comments.
    for (const [path, body] of [
      ['/as-html.ttl', `# Gegenereerd door het portaal\n${page(1, [1, 2, 3], undefined)}`],
      ['/as-html', `# Gegenereerd door het portaal\n# op 2026-11-24\n${page(1, [1, 2, 3], undefined)}`],
    ]) {
      server.route(path, (_req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end(body);
      });
      await updateSource(services.db, id, { url: `${server.url}${path}` });
      const read = await services.harvesting.run(id);
      expect(read.status, path).not.toBe('failed');
      expect(read.records, path).toBe(4); // the catalogue and its three datasets
    }
  });

  it('refuses private addresses unless allow-listed, after DNS and on redirects', async () => {
    const strict = await createServices(loadConfig({ VINDBAAR_DATA_DIR: join(dir, 'strict'), VINDBAAR_HARVEST_ATTEMPTS: '1' }), pino({ level: 'silent' }));
    try {
      await createSource(strict.db, { id: 'local', type: 'dcat', url: `${server.url}/cat?page=1` });
      await createSource(strict.db, { id: 'byname', type: 'dcat', url: `http://localhost:${new URL(server.url).port}/cat?page=1` });
      await createSource(strict.db, { id: 'metadata', type: 'dcat', url: 'http://169.254.169.254/latest/meta-data/' });
      for (const id of ['local', 'byname', 'metadata']) {
        const run = await strict.harvesting.run(id);
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(/refusing to connect/);
      }
    } finally {
      await strict.close();
    }
    // An allowed host that redirects to a private one is refused at the redirect.
    server.route('/redirect', (_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://10.0.0.1/secret');
      res.end();
    });
    await createSource(services.db, { id: 'redirect', type: 'dcat', url: `${server.url}/redirect` });
    const run = await services.harvesting.run('redirect');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/10\.0\.0\.1.*refusing|refusing.*10\.0\.0\.1/);
    // Where, once: not "http://10.0.0.1/secret: http://10.0.0.1/secret: refusing …".
    expect(run.error).toMatch(/^http:\/\/10\.0\.0\.1\/secret: refusing to connect to 10\.0\.0\.1 \(private address\)/);
  });

  it('gives a source\'s organisation its catalogue, and leaves no catalogue behind a refused source', async () => {
    const key = (await app.inject({ method: 'POST', url: '/api/v1/keys', headers: auth, payload: { role: 'publisher', organisation: 'Ops Org', label: 'ops' } })).json().key;
    const made = await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth, payload: { id: 'ops-src', type: 'dcat', url: `${server.url}/cat?page=1`, organisation: 'Ops Org' } });
    expect(made.statusCode, made.body).toBe(201);
    const push = await app.inject({ method: 'POST', url: '/api/v1/catalogs/ops-src/records', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/turtle' }, payload: '<http://example.org/ops/1> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "Ops"@nl.' });
    expect(push.statusCode, push.body).toBe(200);
    // Another organisation's source cannot take that catalogue.
    const taken = await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth, payload: { id: 'other-src', type: 'dcat', url: `${server.url}/cat?page=1`, catalogId: 'ops-src', organisation: 'Other Org' } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().detail).toMatch(/belongs to organisation "Ops Org"/);
    // A duplicate id is refused before any catalogue is made.
    const dup = await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth, payload: { id: 'ops-src', type: 'dcat', url: `${server.url}/cat?page=1`, catalogId: 'nieuw-leeg' } });
    expect(dup.statusCode).toBe(409);
    expect((await services.db.query("SELECT 1 FROM catalogs WHERE id = 'nieuw-leeg'")).rows).toHaveLength(0);
    await app.inject({ method: 'DELETE', url: '/api/v1/sources/ops-src', headers: auth });
  });

  it('manages sources over the API with an API key, and queues a harvest that the worker runs', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/v1/sources', payload: { id: 'x', type: 'dcat', url: 'http://example.org/' } })).statusCode).toBe(401);
    // Options an adapter would fail on at its first run are refused when the source is added.
    const options = await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth, payload: { id: 'x', type: 'ckan', url: 'http://example.org/', options: { rows: 'abc', format: 'ttl' } } });
    expect(options.statusCode).toBe(400);
    expect(options.json().problems).toEqual([expect.stringMatching(/^options\.rows: a whole number/), expect.stringMatching(/^options\.format: one of .*\(for \.ttl files: turtle\)/)]);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth, payload: { id: 'x', type: 'dcat', url: 'ftp://example.org/', schedule: 'every day' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems).toHaveLength(2);
    const created = await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth, payload: { id: 'api-cat', type: 'dcat', url: `${server.url}/cat?page=1`, credentials: 'Bearer s3cret', schedule: '0 3 * * *' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ hasCredentials: true, schedule: '0 3 * * *' });
    expect(created.body).not.toContain('s3cret');
    expect((await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth, payload: { id: 'api-cat', type: 'dcat', url: 'http://example.org/' } })).statusCode).toBe(409);
    const patched = await app.inject({ method: 'PATCH', url: '/api/v1/sources/api-cat', headers: auth, payload: { maxWithdrawShare: 0.5 } });
    expect(patched.json().maxWithdrawShare).toBe(0.5);
    // The worker queues the first run of a scheduled source at once, then follows its schedule.
    await services.harvesting.startWorker(1, 3600);
    const finished = async (trigger: string) => {
      for (let i = 0; i < 150; i++) {
        const runs: { status: string; trigger: string }[] = (await app.inject({ url: '/api/v1/sources/api-cat/runs' })).json().member;
        const run = runs.find((r) => r.trigger === trigger && r.status !== 'running');
        if (run) return run;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no ${trigger} run finished`);
    };
    expect(await finished('schedule')).toMatchObject({ status: 'succeeded', created: 11 });
    const queued = await app.inject({ method: 'POST', url: '/api/v1/sources/api-cat/harvest', headers: auth });
    expect(queued.statusCode).toBe(202);
    expect(queued.json().queued).toBe(true);
    expect(await finished('api')).toMatchObject({ status: 'succeeded', created: 0, updated: 0 });
    expect((await app.inject({ method: 'POST', url: '/api/v1/sources/nope/harvest', headers: auth })).statusCode).toBe(404);
    const catalogue = created.json().catalogId as string;
    const catalogIds = async () => ((await app.inject({ url: '/api/v1/catalogs' })).json().member as { id: string }[]).map((c) => c.id);
    expect(await catalogIds()).toContain(catalogue);
    const removed = await app.inject({ method: 'DELETE', url: '/api/v1/sources/api-cat', headers: auth });
    expect(removed.json()).toMatchObject({ removed: 'api-cat', withdrawn: 11 });
    expect((await app.inject({ url: '/api/v1/sources/api-cat' })).statusCode).toBe(404);
    // Its catalogue, now holding tombstones only, is no longer listed.
    expect(await catalogIds()).not.toContain(catalogue);
    await updateSource(services.db, 'cat', { enabled: true });
  });

  it('a queued harvest that fails on a source answering 503 is tried again by the worker, and one that fails on malformed RDF is not', async () => {
    // The worker the test above started takes queued jobs.
    let down = true;
    server.route('/flaky', (_req, res) => {
      if (down) {
        res.statusCode = 503;
        return void res.end('Service Unavailable');
      }
      res.setHeader('content-type', 'text/turtle');
      res.end(page(1, [41, 42], undefined));
    });
    server.route('/broken', (_req, res) => {
      res.setHeader('content-type', 'text/turtle');
      res.end('<https://example.org/a> <https://example.org/b> "not closed .');
    });
    await createSource(services.db, { id: 'flaky', type: 'dcat', url: `${server.url}/flaky` });
    await createSource(services.db, { id: 'broken', type: 'dcat', url: `${server.url}/broken` });
    const runs = async (id: string) => ((await app.inject({ url: `/api/v1/sources/${id}/runs` })).json().member as { status: string; error: string | null }[]).filter((r) => r.status !== 'running');
    const until = async <T>(what: () => Promise<T | undefined>, label: string): Promise<T> => {
      for (let i = 0; i < 200; i++) {
        const v = await what();
        if (v !== undefined) return v;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`waited in vain for ${label}`);
    };
    for (const id of ['flaky', 'broken']) expect((await app.inject({ method: 'POST', url: `/api/v1/sources/${id}/harvest`, headers: auth })).statusCode).toBe(202);
    const failed = await until(async () => (await runs('flaky')).find((r) => r.status === 'failed'), 'a failed run of flaky');
    expect(failed.error).toMatch(/503/);
    down = false;
    // Retried after the retry delay (1 s here), without anyone asking again.
    await until(async () => (await runs('flaky')).find((r) => r.status === 'succeeded'), 'a retried run of flaky that succeeds');
    expect(await live('flaky')).toBe(3); // two datasets and the catalogue
    // The operator reads in the log that the job waits for another try, and why.
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, msg: 'harvest job to be retried', source: 'flaky', err: expect.stringMatching(/503/) }));
    await until(async () => ((await runs('broken')).length > 0 ? true : undefined), 'a run of broken');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await runs('broken')).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringMatching(/malformed RDF/) })]);
  });
});

describe('a harvest job that fails for a reason of ours, not the source\'s', () => {
  beforeAll(() => open());
  afterAll(close);

  it('is logged as an error naming the source, and retried by the queue', async () => {
    const server = await startCorpusServer();
    server.route('/ok', (_req, res) => {
      res.setHeader('content-type', 'text/turtle');
      res.end('<https://example.org/w/1> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "Eén"@nl.');
    });
    try {
      await createSource(services.db, { id: 'ours', type: 'dcat', url: `${server.url}/ok` });
      await services.harvesting.startWorker(1, 3600);
      // The table the worker reads first is away (a broken upgrade, a database being restored): no run
      // can even be recorded, so the log is the only place the failure can be told.
      await services.db.query('ALTER TABLE harvest_runs RENAME TO harvest_runs_away');
      let renamed = true;
      try {
        expect((await app.inject({ method: 'POST', url: '/api/v1/sources/ours/harvest', headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(202);
        for (let i = 0; i < 100 && !logs.some((l) => l.level === 50); i++) await new Promise((r) => setTimeout(r, 100));
        expect(logs).toContainEqual(
          expect.objectContaining({ level: 50, msg: 'harvest job failed unexpectedly; the queue tries it again later', source: 'ours', err: expect.objectContaining({ message: expect.stringMatching(/harvest_runs/) }) }),
        );
        await services.db.query('ALTER TABLE harvest_runs_away RENAME TO harvest_runs');
        renamed = false;
      } finally {
        if (renamed) await services.db.query('ALTER TABLE harvest_runs_away RENAME TO harvest_runs');
      }
      // The queue's next try finds everything in place.
      for (let i = 0; i < 150 && (await live('ours')) === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await live('ours')).toBe(1);
    } finally {
      await server.close();
    }
  });
});

/** The ways a page can fail. */
function fault(mode: string, _req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: string): void {
  switch (mode) {
    case '500':
      res.statusCode = 500;
      return void res.end('Internal error');
    case 'timeout':
      return; // never answers
    case 'reset':
      return void res.socket?.destroy();
    case 'truncated':
      res.setHeader('content-type', 'text/turtle');
      res.setHeader('content-length', String(body.length * 2));
      res.write(body.slice(0, body.length / 2));
      return void setTimeout(() => res.socket?.destroy(), 50);
    case 'malformed':
      res.setHeader('content-type', 'text/turtle');
      return void res.end(body.replace('dct:title', 'dct:title "unclosed'));
    case 'billion-laughs':
      res.setHeader('content-type', 'application/rdf+xml');
      return void res.end(`<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/" xmlns:dcat="http://www.w3.org/ns/dcat#">
<dcat:Dataset rdf:about="http://example.org/ds/lol"><dct:title>&lol9;</dct:title></dcat:Dataset></rdf:RDF>`);
    case 'xxe':
      res.setHeader('content-type', 'application/rdf+xml');
      return void res.end(`<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/" xmlns:dcat="http://www.w3.org/ns/dcat#">
<dcat:Dataset rdf:about="http://example.org/ds/xxe"><dct:title>&xxe;</dct:title></dcat:Dataset></rdf:RDF>`);
    case 'gzip-bomb': {
      // 64 MB of zeros in about 64 KB: past the 20 MB ceiling once unpacked.
      res.setHeader('content-type', 'application/n-triples');
      res.setHeader('content-encoding', 'gzip');
      return void res.end(gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)));
    }
    case 'endless': {
      res.setHeader('content-type', 'application/n-triples');
      let i = 0;
      const more = () => {
        let ok = true;
        while (ok && !res.destroyed) ok = res.write(`<http://example.org/e/${i++}> <http://purl.org/dc/terms/title> "${'x'.repeat(200)}" .\n`);
        if (!res.destroyed) res.once('drain', more);
      };
      return more();
    }
    default:
      res.statusCode = 500;
      res.end(`unknown fault ${mode}`);
  }
}

describe.skipIf(!hasCorpus)('other shapes of DCAT sources', () => {
  beforeAll(async () => {
    server = await startCorpusServer();
    await open({ VINDBAAR_DEFAULT_PROFILE: 'none' });
  });
  afterAll(async () => {
    await close();
    await server.close();
  });

  it.each(['partial', 'paged'])('uData\'s Hydra %s collection: both pages, the catalogue once', async (kind) => {
    await createSource(services.db, { id: `udata-${kind}`, type: 'dcat', url: `${server.url}/udata/${kind}/catalog.jsonld?page=1` });
    const run = await services.harvesting.run(`udata-${kind}`);
    expect(run).toMatchObject({ status: 'succeeded', pages: 2, complete: true });
    const kinds = await services.db.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM records WHERE source_id = $1 GROUP BY kind ORDER BY kind', [`udata-${kind}`]);
    expect(kinds.rows).toEqual([
      { kind: 'Catalog', n: 1 },
      { kind: 'Dataset', n: 4 },
    ]);
    const cat = await services.db.query<{ nquads: string }>("SELECT nquads FROM records WHERE source_id = $1 AND kind = 'Catalog'", [`udata-${kind}`]);
    expect(cat.rows[0].nquads.match(/dcat#dataset>/g)).toHaveLength(4);
  });

  it('under the reject policy, stores none of the licences and agents that only turned-away records refer to', async () => {
    // GeoNetwork's DCAT of a Flemish dataset: the catalogue (taken out of the page and stored once at
    // the end) refers to a licence and an agent the page describes; both records violate DCAT-AP VL.
    await createSource(services.db, { id: 'geonetwork-reject', type: 'dcat', url: `${server.url}/file/real/metadata101-geonetwork/vl.dataset.open.nongeo.xml`, profile: 'dcat-ap-vl-2.0', validationPolicy: 'reject' });
    const run = await services.harvesting.run('geonetwork-reject');
    expect(run).toMatchObject({ status: 'succeeded', created: 0, updated: 0, rejected: run.records });
    expect(await live('geonetwork-reject')).toBe(0);
    const items = await runItems(services.db, run.id, 100);
    expect(items.every((i) => i.action === 'rejected')).toBe(true);
    expect(items.find((i) => i.iri === 'https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0')?.message).toMatch(/^not stored: no stored record refers to it/);
    // Accepting them, the same source keeps every one of them.
    await createSource(services.db, { id: 'geonetwork-accept', type: 'dcat', url: `${server.url}/file/real/metadata101-geonetwork/vl.dataset.open.nongeo.xml`, profile: 'dcat-ap-vl-2.0' });
    expect(await services.harvesting.run('geonetwork-accept')).toMatchObject({ status: 'succeeded', created: run.records });
    // A catalogue that passes keeps its agent and licence, described on the page beside a dataset turned away.
    server.route('/catalogue-passes.ttl', (_req, res) => {
      res.setHeader('content-type', 'text/turtle');
      res.end(`@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix foaf: <http://xmlns.com/foaf/0.1/>.
        <http://example.org/cat> a dcat:Catalog; dct:title "Catalogus"@nl; dct:description "Een catalogus."@nl; dct:publisher <http://example.org/org>;
          dct:license <http://example.org/licence>; dcat:dataset <http://example.org/ds/bad>.
        <http://example.org/org> a foaf:Agent; foaf:name "Organisatie"@nl.
        <http://example.org/licence> a dct:LicenseDocument; dct:title "Licentie"@nl.
        <http://example.org/ds/bad> a dcat:Dataset; dct:title "Zonder beschrijving"@nl.`);
    });
    await createSource(services.db, { id: 'catalogue-passes', type: 'dcat', url: `${server.url}/catalogue-passes.ttl`, profile: 'dcat-ap-3.0.1', validationPolicy: 'reject' });
    const passes = await services.harvesting.run('catalogue-passes');
    expect(passes).toMatchObject({ status: 'succeeded', created: 3, rejected: 1 });
    const kept = await services.db.query<{ iri: string }>("SELECT iri FROM records WHERE source_id = 'catalogue-passes' ORDER BY iri");
    expect(kept.rows.map((r) => r.iri)).toEqual(['http://example.org/cat', 'http://example.org/licence', 'http://example.org/org']);
  });

  it('a gzip dump, whatever its media type says', async () => {
    const { readFileSync } = await import('node:fs');
    const { ldesPage } = await import('./support/corpus.js');
    const { parseString } = await import('../src/rdf/parse.js');
    const { serialize } = await import('../src/rdf/write.js');
    const quads = await parseString(readFileSync(ldesPage(3), 'utf8'), { format: 'trig', baseIRI: 'http://example.org/' });
    const nt = await serialize(quads, 'nquads');
    server.route('/dump.nq.gz', (_req, res) => {
      res.setHeader('content-type', 'application/octet-stream');
      res.end(gzipSync(nt));
    });
    await createSource(services.db, { id: 'gz', type: 'dcat', url: `${server.url}/dump.nq.gz` });
    const run = await services.harvesting.run('gz');
    expect(run.status).toBe('succeeded');
    const n = await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE source_id = 'gz' AND kind = 'Dataset'");
    expect(n.rows[0].n).toBe(100);
  });

  it('a versioned LDES (ldes:versionOfPath): members become states of the entity, the latest wins', async () => {
    const page = (versions: [string, string, string][]) => `@prefix tree: <https://w3id.org/tree#>. @prefix ldes: <https://w3id.org/ldes#>.
@prefix dct: <http://purl.org/dc/terms/>. @prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix xsd: <http://www.w3.org/2001/XMLSchema#>.
<${server.url}/versioned> a ldes:EventStream; ldes:versionOfPath dct:isVersionOf; ldes:timestampPath dct:modified;
  tree:view <${server.url}/versioned>.
${versions
  .map(
    ([member, time, title]) => `<${server.url}/versioned> tree:member <${member}>.
<${member}> a dcat:Dataset; dct:isVersionOf <http://example.org/ds/versioned>; dct:modified "${time}"^^xsd:dateTime; dct:title "${title}"@nl.`,
  )
  .join('\n')}`;
    let versions: [string, string, string][] = [
      ['http://example.org/ds/versioned#v2', '2025-02-01T00:00:00Z', 'Tweede versie'],
      ['http://example.org/ds/versioned#v1', '2025-01-01T00:00:00Z', 'Eerste versie'],
    ];
    server.route('/versioned', (_req, res) => {
      res.setHeader('content-type', 'text/turtle');
      res.end(page(versions));
    });
    await createSource(services.db, { id: 'versioned', type: 'ldes', url: `${server.url}/versioned` });
    const run = await services.harvesting.run('versioned');
    expect(run.status).toBe('succeeded');
    const rec = await services.db.query<{ iri: string; nquads: string; version: number }>("SELECT iri, nquads, version FROM records WHERE source_id = 'versioned'");
    expect(rec.rows).toHaveLength(1);
    expect(rec.rows[0].iri).toBe('http://example.org/ds/versioned');
    expect(rec.rows[0].nquads).toContain('Tweede versie');
    expect(rec.rows[0].nquads).not.toContain('isVersionOf');
    versions = [...versions, ['http://example.org/ds/versioned#v3', '2025-03-01T00:00:00Z', 'Derde versie']];
    const next = await services.harvesting.run('versioned');
    expect(next).toMatchObject({ status: 'succeeded', updated: 1 });
    const after = await services.db.query<{ nquads: string }>("SELECT nquads FROM records WHERE source_id = 'versioned'");
    expect(after.rows[0].nquads).toContain('Derde versie');
  });
});

describe('the set of record ids a run has seen', () => {
  it('holds every id added and no other, through growth', async () => {
    const { IdSet } = await import('../src/harvest/id-set.js');
    const { localId } = await import('../src/ingest/prepare.js');
    const set = new IdSet();
    const ids = Array.from({ length: 200_000 }, (_, i) => localId('cat', `http://example.org/ds/${i}`));
    for (const id of ids) set.add(id);
    for (const id of ids.slice(0, 1000)) set.add(id);
    expect(set.size).toBe(200_000);
    expect(ids.every((id) => set.has(id))).toBe(true);
    const others = Array.from({ length: 200_000 }, (_, i) => localId('other', `http://example.org/ds/${i}`));
    expect(others.filter((id) => set.has(id))).toHaveLength(0);
  });
});
