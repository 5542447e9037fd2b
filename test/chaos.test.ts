// Faults with real processes (npm run chaos runs this with the other fault suites): Postgres killed
// with SIGKILL in the middle of an ingest (the CLI) and of a harvest (a worker process), then started
// again; Postgres or Elasticsearch killed in the middle of a reindex; Elasticsearch killed during a harvest. Afterwards the catalogue must hold exactly what a run without faults stores, record for record
// (IRI, kind and content hash), nothing doubled, and the search index must agree with the store (every
// published record indexed at its current version, nothing else).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { Parser, Writer } from 'n3';
import { createDatabase, findPgBin, startPostgres, type PgServer } from './support/postgres-server.js';
import { hasCorpus, ldesPage } from './support/corpus.js';
import { startCorpusServer, type CorpusServer } from './support/corpus-http.js';
import { pino } from 'pino';
import { openDb } from '../src/store/db.js';
import { HarvestQueue } from '../src/harvest/queue.js';
import { SEARCHABLE_KINDS } from '../src/search/indexer.js';
import { ElasticsearchSearch } from '../src/search/elasticsearch.js';
import { checkIndex } from '../src/search/verify.js';
import { startElasticsearch, installSearchServer, type EsServer } from './support/elasticsearch-server.js';

const CLI = join(import.meta.dirname, '../src/cli.ts');
const enabled = hasCorpus && findPgBin() !== undefined;
if (!enabled && process.env.VINDBAAR_REQUIRE_SERVICES === '1') throw new Error('The chaos suite needs the corpus and the Postgres binaries.');

interface Row {
  iri: string;
  kind: string;
  hash: string;
}

function hasSearchServer(): boolean {
  try {
    installSearchServer();
    return true;
  } catch (e) {
    if (process.env.VINDBAAR_REQUIRE_SERVICES === '1') throw e;
    console.warn(`[vindbaar tests] no Elasticsearch to start, the reindex faults are skipped: ${(e as Error).message}`);
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!enabled)('Postgres killed (SIGKILL) and restarted', () => {
  let server: PgServer;
  let dir: string;
  let file: string;
  let corpus: CorpusServer;
  const children: ChildProcess[] = [];

  const query = async <T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<T>(sql)).rows;
    } finally {
      await c.end();
    }
  };
  const live = (url: string) => query<Row>(url, 'SELECT iri, kind, hash FROM records WHERE deleted_at IS NULL ORDER BY kind, iri, hash');
  const count = async (url: string, sql: string) => {
    try {
      return Number((await query<{ n: number }>(url, sql))[0].n);
    } catch {
      return -1; // the server is down
    }
  };
  /** The search index agrees with the store: each published record once, at its version. */
  const indexDrift = (url: string) =>
    query<{ n: number }>(
      url,
      `SELECT count(*)::int AS n FROM (
         SELECT r.id, r.version FROM records r WHERE r.deleted_at IS NULL AND r.duplicate_of IS NULL AND r.kind IN ('Dataset', 'DatasetSeries', 'DataService')
         EXCEPT SELECT record_id, version FROM search_docs) missing`,
    );
  const run = (args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_LINK_CHECK: 'false', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.resume();
    return { child, done: new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr }))) };
  };

  beforeAll(async () => {
    server = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'vb-chaos-'));
    // The 20 data.gov.be pages as one N-Quads file (each page's blank nodes kept apart), for the CLI.
    file = join(dir, 'ldes.nq');
    const parts: string[] = [];
    for (let n = 0; n < 20; n++) {
      const quads = new Parser({ format: 'application/trig', baseIRI: pathToFileURL(ldesPage(n)).href, blankNodePrefix: `p${n}_` }).parse(readFileSync(ldesPage(n), 'utf8'));
      parts.push(new Writer({ format: 'N-Quads' }).quadsToString(quads));
    }
    writeFileSync(file, parts.join(''));
    corpus = await startCorpusServer();
  }, 120_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await corpus?.close();
    server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let reference: Row[];
  it('a run without faults, for reference', async () => {
    const url = await createDatabase(server.url, 'chaos_reference');
    const { done } = run(['ingest', file, '--catalog', 'datagovbe', '--quiet'], { DATABASE_URL: url });
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    reference = await live(url);
    expect(reference.filter((r) => r.kind === 'Dataset').length).toBeGreaterThanOrEqual(1999);
    expect((await indexDrift(url))[0].n).toBe(0);
  }, 300_000);

  it('during an ingest: the CLI stops with a clear error, keeps whole batches only, and a second run completes it exactly', async () => {
    const url = await createDatabase(server.url, 'chaos_ingest');
    const first = run(['ingest', file, '--catalog', 'datagovbe', '--quiet'], { DATABASE_URL: url });
    for (let i = 0; i < 1200 && (await count(url, 'SELECT count(*)::int AS n FROM records')) < 300; i++) await sleep(50);
    server.kill();
    const killed = await first.done;
    expect(killed.code).not.toBe(0);
    expect(killed.stderr).toMatch(/terminat|connect|ECONNRESET|ECONNREFUSED|Connection/i);
    server.restart();
    // What the cut run stored: whole batches, each record complete (its content hash among the reference's).
    const partial = await live(url);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(reference.length);
    const known = new Set(reference.map((r) => `${r.iri} ${r.hash}`));
    expect(partial.filter((r) => !known.has(`${r.iri} ${r.hash}`))).toEqual([]);
    const again = run(['ingest', file, '--catalog', 'datagovbe', '--quiet'], { DATABASE_URL: url });
    const done = await again.done;
    expect(done.code, done.stderr).toBe(0);
    expect(await live(url)).toEqual(reference);
    expect((await indexDrift(url))[0].n).toBe(0);
  }, 600_000);

  let harvestReference: Row[];
  it('during a harvest: the worker rides it out, the job is retried, and the run ends with exactly the reference records', async () => {
    const url = await createDatabase(server.url, 'chaos_harvest');
    const env = {
      DATABASE_URL: url,
      VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8',
      VINDBAAR_HARVEST_POLL_SECONDS: '1',
      VINDBAAR_HARVEST_JOB_EXPIRE_SECONDS: '30',
      VINDBAAR_HARVEST_RETRY_DELAY_SECONDS: '1',
      VINDBAAR_HARVEST_LEASE_SECONDS: '3',
    };
    const addSource = async (databaseUrl: string) => {
      const added = await run(['source', 'add', 'datagovbe', `${corpus.url}/ldes/index.trig`, '--type', 'ldes', '--catalog', 'datagovbe'], { ...env, DATABASE_URL: databaseUrl }).done;
      expect(added.code, added.stderr).toBe(0);
    };
    // The same harvest without faults, for reference (a harvest cuts records per stream member).
    const referenceUrl = await createDatabase(server.url, 'chaos_harvest_reference');
    await addSource(referenceUrl);
    const harvestedRef = await run(['harvest', 'datagovbe', '--quiet'], { ...env, DATABASE_URL: referenceUrl }).done;
    expect(harvestedRef.code, harvestedRef.stderr).toBe(0);
    harvestReference = await live(referenceUrl);
    expect(harvestReference.filter((r) => r.kind === 'Dataset').length).toBeGreaterThanOrEqual(1999);
    await addSource(url);
    const worker = run(['worker', '--concurrency', '1'], env);
    // Queued from here, on a connection closed before the fault.
    const db = await openDb({ databaseUrl: url });
    const queue = await HarvestQueue.open(db, pino({ level: 'silent' }), { expireSeconds: 30, retryDelaySeconds: 1, pollSeconds: 1 });
    await queue.enqueue({ sourceId: 'datagovbe', trigger: 'api' });
    await queue.stop();
    await db.close();
    for (let i = 0; i < 1200 && (await count(url, "SELECT count(*)::int AS n FROM records WHERE source_id = 'datagovbe'")) < 300; i++) await sleep(50);
    server.kill();
    await sleep(2_000);
    server.restart();
    let succeeded = 0;
    for (let i = 0; i < 600 && succeeded === 0; i++) {
      await sleep(250);
      succeeded = await count(url, "SELECT count(*)::int AS n FROM harvest_runs WHERE source_id = 'datagovbe' AND status = 'succeeded'");
      if (worker.child.exitCode !== null) break;
    }
    expect(worker.child.exitCode, (await Promise.race([worker.done, sleep(10).then(() => ({ stderr: '' }))])).stderr).toBeNull();
    expect(succeeded).toBe(1);
    expect(await live(url)).toEqual(harvestReference);
    expect((await indexDrift(url))[0].n).toBe(0);
    worker.child.kill('SIGTERM');
    await worker.done;
  }, 600_000);

  it('a worker stopped (SIGTERM) mid-harvest gives the job back: the run is marked interrupted, the next worker completes it', async () => {
    const url = await createDatabase(server.url, 'chaos_sigterm');
    const env = { DATABASE_URL: url, VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_HARVEST_POLL_SECONDS: '1', VINDBAAR_HARVEST_RETRY_DELAY_SECONDS: '1' };
    const added = await run(['source', 'add', 'datagovbe', `${corpus.url}/ldes/index.trig`, '--type', 'ldes', '--catalog', 'datagovbe'], env).done;
    expect(added.code, added.stderr).toBe(0);
    const first = run(['worker', '--concurrency', '1'], env);
    const db = await openDb({ databaseUrl: url });
    try {
      const queue = await HarvestQueue.open(db, pino({ level: 'silent' }), { retryDelaySeconds: 1, pollSeconds: 1 });
      await queue.enqueue({ sourceId: 'datagovbe', trigger: 'api' });
      await queue.stop();
      for (let i = 0; i < 1200 && (await count(url, "SELECT count(*)::int AS n FROM records WHERE source_id = 'datagovbe'")) < 300; i++) await sleep(50);
      first.child.kill('SIGTERM');
      expect((await first.done).code).toBe(0);
      const interrupted = (await db.query<{ status: string; error: string }>('SELECT status, error FROM harvest_runs ORDER BY id')).rows;
      expect(interrupted).toEqual([{ status: 'failed', error: expect.stringMatching(/interrupted/) }]);
      const second = run(['worker', '--concurrency', '1'], env);
      let succeeded = 0;
      for (let i = 0; i < 600 && succeeded === 0; i++) {
        await sleep(250);
        succeeded = await count(url, "SELECT count(*)::int AS n FROM harvest_runs WHERE source_id = 'datagovbe' AND status = 'succeeded'");
      }
      expect(succeeded).toBe(1);
      expect(await live(url)).toEqual(harvestReference);
      second.child.kill('SIGTERM');
      await second.done;
    } finally {
      await db.close();
    }
  }, 600_000);
});

describe.skipIf(!enabled || !hasSearchServer())('the search index: a reindex cut off by Postgres or Elasticsearch killed (SIGKILL), and Elasticsearch killed during a harvest', () => {
  let server: PgServer;
  let node: EsServer;
  let url: string;
  const children: ChildProcess[] = [];
  const cliEnv = () => ({ DATABASE_URL: url, ELASTICSEARCH_URL: node.url, ELASTICSEARCH_INDEX_PREFIX: 'chaos', VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_LINK_CHECK: 'false', LOG_LEVEL: 'warn' });
  const cli = (args: string[], extra: Record<string, string> = {}) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...cliEnv(), ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    return { child, done: new Promise<{ code: number | null; out: string }>((resolve) => child.once('exit', (code) => resolve({ code, out }))) };
  };
  const es = async <T>(path: string): Promise<T> => (await (await fetch(`${node.url}${path}`)).json()) as T;
  type Stats = { indices?: Record<string, { primaries?: { indexing?: { index_total?: number } } }> };
  const indexingTotals = async (): Promise<[string, number][]> => {
    const stats: Stats = await es<Stats>('/chaos-records-*/_stats/indexing').catch(() => ({ indices: {} }));
    return Object.entries(stats.indices ?? {}).map(([index, x]) => [index, x.primaries?.indexing?.index_total ?? 0]);
  };
  /** Documents written to generations made since `before` (the indices there were then): the new index
   * being filled. Counted as indexing operations, which show at once: a generation being built is not
   * refreshed, so its document count stays 0 until the reindex ends, and a kill timed on it would come
   * too late. */
  const building = async (before: Set<string>) => (await indexingTotals()).filter(([index]) => !before.has(index)).reduce((n, [, total]) => n + total, 0);
  const published = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM records WHERE deleted_at IS NULL AND duplicate_of IS NULL AND kind = ANY($1::text[])', [SEARCHABLE_KINDS])).rows[0].n;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    server = await startPostgres();
    node = await startElasticsearch();
    url = await createDatabase(server.url, 'chaos_reindex');
    // Enough records that a reindex takes a while: the 20 pages, four times under other IRIs.
    const dir = mkdtempSync(join(tmpdir(), 'vb-chaos-es-'));
    for (let copy = 0; copy < 4; copy++) {
      const parts: string[] = [];
      for (let n = 0; n < 20; n++) {
        const quads = new Parser({ format: 'application/trig', baseIRI: pathToFileURL(ldesPage(n)).href, blankNodePrefix: `c${copy}p${n}_` }).parse(readFileSync(ldesPage(n), 'utf8'));
        parts.push(new Writer({ format: 'N-Quads' }).quadsToString(quads).replaceAll('<http://data.gov.be/', `<http://data.gov.be/copy${copy}/`));
      }
      const file = join(dir, `copy${copy}.nq`);
      writeFileSync(file, parts.join(''));
      const r = await cli(['ingest', file, '--catalog', 'datagovbe', '--quiet', '--profile', 'none']).done;
      expect(r.code, r.out).toBe(0);
    }
    rmSync(dir, { recursive: true, force: true });
  }, 600_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await node?.stop();
    server?.stop();
  });

  for (const victim of ['Postgres', 'Elasticsearch'] as const)
    it(`${victim} killed mid-reindex: search keeps the old generation, and the next reindex leaves the index equal to the store`, async () => {
      const total = await published();
      expect(total).toBeGreaterThan(5000);
      const before = new Set((await indexingTotals()).map(([index]) => index));
      const first = cli(['reindex']);
      for (let i = 0; i < 2400 && (await building(before)) < 500 && first.child.exitCode === null; i++) await sleep(25);
      expect(await building(before)).toBeGreaterThanOrEqual(500);
      if (victim === 'Postgres') server.kill();
      else await node.kill();
      const cut = await first.done;
      let whileDown: number | undefined;
      try {
        // With the store down, the alias still names the complete old generation: search goes on.
        if (victim === 'Postgres') whileDown = (await es<{ count: number }>('/chaos-records/_count')).count;
      } finally {
        if (victim === 'Postgres') server.restart();
        else await node.restart();
      }
      expect(cut.code, cut.out).not.toBe(0);
      if (whileDown !== undefined) expect(whileDown).toBe(total);
      expect((await es<{ count: number }>('/chaos-records/_count')).count).toBe(total);
      const again = await cli(['reindex', '--check']).done;
      expect(again.code, again.out).toBe(0);
      expect(again.out).toMatch(new RegExp(`Check: ${total} records, ${total} documents; 0 missing, 0 extra, 0 stale`));
      // The generation the cut-off reindex was building is gone too: only the live one is left.
      const left = (await indexingTotals()).map(([index]) => index);
      const live = Object.keys(await es<Record<string, unknown>>('/chaos-records/_alias'));
      expect(left, again.out).toEqual(live);
    }, 600_000);

  it('Elasticsearch killed during a harvest: the harvest completes, and once the node is back the outbox leaves the index equal to the store', async () => {
    const harvestUrl = await createDatabase(server.url, 'chaos_es_harvest');
    const corpus = await startCorpusServer();
    const harvestEnv = { DATABASE_URL: harvestUrl, ELASTICSEARCH_INDEX_PREFIX: 'chaosh', VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_HARVEST_POLL_SECONDS: '1' };
    const spawnCli = (args: string[]) => cli(args, harvestEnv);
    const db = await openDb({ databaseUrl: harvestUrl });
    const search = new ElasticsearchSearch({ url: node.url, db, log: pino({ level: 'silent' }), indexPrefix: 'chaosh' });
    try {
      const added = await spawnCli(['source', 'add', 'datagovbe', `${corpus.url}/ldes/index.trig`, '--type', 'ldes', '--catalog', 'datagovbe']).done;
      expect(added.code, added.out).toBe(0);
      const worker = spawnCli(['worker', '--concurrency', '1']);
      const queue = await HarvestQueue.open(db, pino({ level: 'silent' }), { pollSeconds: 1 });
      await queue.enqueue({ sourceId: 'datagovbe', trigger: 'api' });
      await queue.stop();
      for (let i = 0; i < 1200 && (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE source_id = 'datagovbe'")).rows[0].n < 300; i++) await sleep(50);
      await node.kill();
      let succeeded = 0;
      for (let i = 0; i < 600 && succeeded === 0; i++) {
        await sleep(250);
        succeeded = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM harvest_runs WHERE status = 'succeeded'")).rows[0].n;
      }
      // Storing goes on without search: the run completes, what was not indexed waits in the outbox.
      expect(succeeded).toBe(1);
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBeGreaterThan(0);
      await node.restart();
      // The worker's background indexing drains the outbox once the node answers again.
      for (let i = 0; i < 240 && (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0].n > 0; i++) await sleep(500);
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(0);
      await search.refresh();
      const check = await checkIndex(db, search);
      expect({ missing: check.missing.length, extra: check.extra.length, stale: check.stale.length }).toEqual({ missing: 0, extra: 0, stale: 0 });
      expect(check.documents).toBe(check.records);
      expect(check.records).toBeGreaterThanOrEqual(2000);
      worker.child.kill('SIGTERM');
      await worker.done;
    } finally {
      await search.close?.();
      await db.close();
      await corpus.close();
    }
  }, 600_000);
});
