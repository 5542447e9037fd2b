// Worker processes sharing harvest jobs through the queue on a real Postgres, and a worker killed with
// SIGKILL in the middle of a run: its hold on the source runs out, a live worker fails the job long
// before its expiry (an hour here, as in production), another worker retries it, and the records end
// up complete and without duplicates.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { inject } from 'vitest';
import { pino } from 'pino';
import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { createSource, removeSource } from '../src/store/sources.js';
import { HarvestQueue } from '../src/harvest/queue.js';
import { createDatabase } from './support/postgres-server.js';
import { hasCorpus, LDES_ROOT } from './support/corpus.js';
import { SourceRemovedError } from '../src/harvest/run.js';
import { startCorpusServer, type CorpusServer } from './support/corpus-http.js';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/app.js';

const pgUrl = inject('pgUrl');
const CLI = join(import.meta.dirname, '../src/cli.ts');

describe.skipIf(!pgUrl || !hasCorpus)('harvest workers on Postgres', () => {
  let url: string;
  let db: Db;
  let queue: HarvestQueue;
  let server: CorpusServer;
  const children: ChildProcess[] = [];
  const startWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker', '--concurrency', '1'], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8',
        VINDBAAR_HARVEST_POLL_SECONDS: '1',
        VINDBAAR_HARVEST_JOB_EXPIRE_SECONDS: '3600',
        VINDBAAR_HARVEST_RETRY_DELAY_SECONDS: '1',
        VINDBAAR_HARVEST_LEASE_SECONDS: '3',
        VINDBAAR_SAMPLE_DATA: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params)).rows[0].n;

  beforeAll(async () => {
    url = await createDatabase(pgUrl, `t_worker_${randomBytes(4).toString('hex')}`);
    db = await openDb({ databaseUrl: url });
    await migrate(db);
    queue = await HarvestQueue.open(db, pino({ level: 'silent' }), { expireSeconds: 3600, retryDelaySeconds: 1, pollSeconds: 1 });
    server = await startCorpusServer();
    await createSource(db, { id: 'datagovbe', type: 'ldes', url: `${server.url}/ldes/index.trig` });
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await queue?.stop();
    await db?.close();
    await server?.close();
  });

  it('a worker killed mid-run: the job is retried by another and finishes without duplicates or losses', async () => {
    const first = startWorker();
    await queue.enqueue({ sourceId: 'datagovbe', trigger: 'api' });
    // Wait until the first worker has stored part of the stream, then kill it without warning.
    for (let i = 0; i < 600 && (await count("SELECT count(*)::int AS n FROM records WHERE source_id = 'datagovbe'")) < 300; i++) await new Promise((r) => setTimeout(r, 50));
    first.kill('SIGKILL');
    const partial = await count("SELECT count(*)::int AS n FROM records WHERE source_id = 'datagovbe'");
    expect(partial).toBeGreaterThanOrEqual(300);
    expect(partial).toBeLessThan(2000);
    startWorker();
    let done = 0;
    for (let i = 0; i < 600 && done === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      done = await count("SELECT count(*)::int AS n FROM harvest_runs WHERE source_id = 'datagovbe' AND status = 'succeeded'");
    }
    expect(done).toBe(1);
    const runs = (await db.query<{ status: string; error: string | null; created: number; unchanged: number }>("SELECT status, error, created, unchanged FROM harvest_runs WHERE source_id = 'datagovbe' ORDER BY id")).rows;
    // The killed run is marked failed by the retry; the retry stores the rest and leaves the rest alone.
    expect(runs[0].status).toBe('failed');
    expect(runs[0].error).toMatch(/stopped before it finished/);
    expect(runs[1].created + runs[1].unchanged).toBe(2000);
    expect(runs[1].created).toBeLessThan(2000);
    expect(await count("SELECT count(*)::int AS n FROM records WHERE source_id = 'datagovbe' AND deleted_at IS NULL")).toBe(2000);
    expect(await count("SELECT count(*)::int AS n FROM (SELECT iri FROM records WHERE source_id = 'datagovbe' GROUP BY iri HAVING count(*) > 1) d")).toBe(0);
    expect(await count("SELECT count(DISTINCT worker)::int AS n FROM harvest_runs WHERE source_id = 'datagovbe'")).toBe(2);
  });

  it('two workers share queued harvests, and a source is never run twice at once', async () => {
    startWorker();
    for (const id of ['a', 'b', 'c', 'd']) await createSource(db, { id, type: 'ldes', url: `${server.url}/ldes/index.trig`, catalogId: `cat-${id}` });
    for (const id of ['a', 'b', 'c', 'd']) {
      expect(await queue.enqueue({ sourceId: id, trigger: 'api' })).toBeTruthy();
    }
    // Asking again for a source whose run is still waiting changes nothing.
    const again = await queue.enqueue({ sourceId: 'd', trigger: 'api' });
    let finished = 0;
    for (let i = 0; i < 900 && finished < 4; i++) {
      await new Promise((r) => setTimeout(r, 200));
      finished = await count("SELECT count(*)::int AS n FROM harvest_runs WHERE source_id IN ('a', 'b', 'c', 'd') AND status = 'succeeded'");
    }
    expect(finished).toBeGreaterThanOrEqual(4);
    const perSource = await db.query<{ source_id: string; n: number }>("SELECT source_id, count(*)::int AS n FROM harvest_runs WHERE source_id IN ('a', 'b', 'c', 'd') GROUP BY source_id");
    // A job that outlived its expiry while its run went on was handed out again; the hold on the source
    // turned the second attempt away, so each source ran once (twice for d only if asked again after its
    // first run began).
    expect(perSource.rows, JSON.stringify(perSource.rows)).toEqual(
      expect.arrayContaining(['a', 'b', 'c'].map((id) => ({ source_id: id, n: 1 }))),
    );
    expect(perSource.rows.find((r) => r.source_id === 'd')?.n).toBeLessThanOrEqual(again === null ? 1 : 2);
    const overlapping = await count(
      `SELECT count(*)::int AS n FROM harvest_runs x JOIN harvest_runs y ON x.source_id = y.source_id AND x.id < y.id
       WHERE x.source_id IN ('a', 'b', 'c', 'd') AND y.started_at < x.finished_at`,
    );
    expect(overlapping).toBe(0);
    expect(await count("SELECT count(DISTINCT worker)::int AS n FROM harvest_runs WHERE source_id IN ('a', 'b', 'c', 'd')")).toBe(2);
  });
});

describe.skipIf(!pgUrl || !hasCorpus)('a worker stopped as its run ends', () => {
  it('keeps a run that had read everything before the stop as succeeded, and does not queue it again', async () => {
    const pg = (await import('pg')).default;
    const url = await createDatabase(pgUrl, `t_stop_${randomBytes(4).toString('hex')}`);
    const server = await startCorpusServer();
    const services = await createServices(
      loadConfig({ DATABASE_URL: url, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_HARVEST_POLL_SECONDS: '1', VINDBAAR_LINK_CHECK: 'false' }),
      pino({ level: 'silent' }),
    );
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    let closed = false;
    try {
      await createSource(services.db, { id: 'deri', type: 'dcat', url: `${server.url}/file/real/ckanext-dcat/dataset_deri.ttl` });
      await services.harvesting.startWorker(1);
      // The run's writes wait behind this lock: it has read its one document and is storing it when the stop comes.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE records IN EXCLUSIVE MODE');
      await services.harvesting.enqueue('deri', 'api');
      const waiting = async () => (await locker.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'records'::regclass AND NOT granted")).rows[0].n;
      for (let i = 0; i < 600 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(server.requests.some((r) => r.includes('dataset_deri.ttl'))).toBe(true);
      const closing = services.close();
      await new Promise((r) => setTimeout(r, 300));
      await locker.query('COMMIT');
      await closing;
      closed = true;
      const runs = (await locker.query('SELECT status, complete, error, created FROM harvest_runs')).rows;
      expect(runs).toEqual([{ status: 'succeeded', complete: true, error: null, created: 1 }]);
      // Its job is done, not given back to be run again.
      expect((await locker.query("SELECT state::text FROM pgboss.job WHERE name = 'harvest'")).rows).toEqual([{ state: 'completed' }]);
    } finally {
      await locker.end();
      if (!closed) await services.close();
      await server.close();
    }
  }, 120_000);
});

describe.skipIf(!pgUrl || !hasCorpus)('a source removed while it is being harvested', () => {
  it('the run stops at its next write, saying why; every record of the source is withdrawn, none left published without it', async () => {
    const url = await createDatabase(pgUrl, `t_remove_${randomBytes(4).toString('hex')}`);
    const server = await startCorpusServer();
    const logged: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) });
    const services = await createServices(loadConfig({ DATABASE_URL: url, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_LINK_CHECK: 'false' }), log);
    try {
      // The stream's sixth page waits until the source is removed; the pages before it are stored by then.
      const held = `/ldes/${LDES_ROOT.split('/').slice(3).join('/')}/2025-04-13T15_3A45_3A00.000Z_123187500_5/index.trig`;
      const text = await (await fetch(`${server.url}${held}`)).text();
      let release = () => {};
      const removed = new Promise<void>((resolve) => (release = resolve));
      server.route(held, (_req, res) => void removed.then(() => res.writeHead(200, { 'content-type': 'application/trig' }).end(text)));
      await createSource(services.db, { id: 'weg', type: 'ldes', url: `${server.url}/ldes/index.trig` });
      const run = services.harvesting.run('weg');
      const outcome = run.then(() => undefined, (e: unknown) => e);
      const count = async (sql: string) => (await services.db.query<{ n: number }>(sql)).rows[0].n;
      for (let i = 0; i < 600 && (!server.requests.includes(held) || (await count("SELECT count(*)::int AS n FROM records WHERE source_id = 'weg'")) === 0); i++)
        await new Promise((r) => setTimeout(r, 50));
      const r = await services.db.transaction((tx) => removeSource(tx, 'weg'));
      expect(r.removed).toBe(true);
      expect(r.withdrawn).toBeGreaterThan(0);
      release();
      const e = await outcome;
      expect(e).toBeInstanceOf(SourceRemovedError);
      expect((e as Error).message).toBe('Source "weg" was removed while it was being harvested; the run stopped (its records are withdrawn).');
      expect(await count("SELECT count(*)::int AS n FROM records WHERE catalog_id = 'weg' AND deleted_at IS NULL")).toBe(0);
      // Said once, as a warning, without a stack trace; not as a failure of the run.
      const lines = logged.map((l) => JSON.parse(l) as { level: number; msg: string; source?: string; run?: string });
      expect(lines.filter((l) => l.source === 'weg').map((l) => [l.level, l.msg])).toEqual([[40, 'harvest run stopped: its source was removed']]);
      expect(logged.join('')).not.toMatch(/foreign key|"stack"/);
    } finally {
      await services.close();
      await server.close();
    }
  }, 120_000);
});

describe.skipIf(!pgUrl || !hasCorpus)('a worker killed mid-run, its job hours from expiring', () => {
  it('the run is marked failed and the job retried once the run\'s hold on the source has run out, not when the job expires', async () => {
    const url = await createDatabase(pgUrl, `t_orphan_${randomBytes(4).toString('hex')}`);
    const db = await openDb({ databaseUrl: url });
    await migrate(db);
    const server = await startCorpusServer();
    // Jobs expire after the default four hours: only the run's lapsed hold can give this one back soon.
    const queue = await HarvestQueue.open(db, pino({ level: 'silent' }), { expireSeconds: 14_400, retryDelaySeconds: 1, pollSeconds: 1 });
    const workers: ChildProcess[] = [];
    const startWorker = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker', '--concurrency', '1'], {
        env: { ...process.env, DATABASE_URL: url, VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_HARVEST_POLL_SECONDS: '1', VINDBAAR_HARVEST_RETRY_DELAY_SECONDS: '1', VINDBAAR_HARVEST_LEASE_SECONDS: '3', VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_LINK_CHECK: 'false', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      workers.push(child);
      return child;
    };
    const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
    try {
      await createSource(db, { id: 'oom', type: 'ldes', url: `${server.url}/ldes/index.trig` });
      const first = startWorker();
      await queue.enqueue({ sourceId: 'oom', trigger: 'api' });
      for (let i = 0; i < 1200 && (await count("SELECT count(*)::int AS n FROM records WHERE source_id = 'oom'")) < 300; i++) await new Promise((r) => setTimeout(r, 50));
      // As the OOM killer does: no signal the worker can answer.
      first.kill('SIGKILL');
      startWorker();
      let done = 0;
      for (let i = 0; i < 600 && done === 0; i++) {
        await new Promise((r) => setTimeout(r, 250));
        done = await count("SELECT count(*)::int AS n FROM harvest_runs WHERE source_id = 'oom' AND status = 'succeeded'");
      }
      expect(done).toBe(1);
      const runs = (await db.query<{ status: string; error: string | null }>("SELECT status, error FROM harvest_runs WHERE source_id = 'oom' ORDER BY id")).rows;
      expect(runs).toEqual([
        { status: 'failed', error: 'the process running it stopped before it finished (its hold on the source ran out); a queued job is retried' },
        { status: 'succeeded', error: null },
      ]);
      expect(await count("SELECT count(*)::int AS n FROM records WHERE source_id = 'oom' AND deleted_at IS NULL")).toBe(2000);
    } finally {
      for (const w of workers) w.kill('SIGKILL');
      await queue.stop();
      await db.close();
      await server.close();
    }
  }, 240_000);
});
