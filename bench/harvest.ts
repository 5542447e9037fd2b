// Harvest benchmarks (part of npm run bench; also runnable alone: tsx bench/harvest.ts [postgres url]).
// 1. The 1,999-dataset data.gov.be LDES from a local LDES server into the store and the search index,
//    then the unchanged re-run; next to the floor: fetching and parsing the same pages with N3.js.
// 2. A generated DCAT dump of BENCH_HARVEST_N datasets (default 1,000,000) harvested over HTTP: peak
//    RSS, sampled as the run goes, to show whether memory stays flat as the input grows.
// 3. A set of sources harvested by one worker process and by two (the job queue shares them).
// Parts: BENCH_HARVEST_PARTS=ldes,dump,workers. Prints tables and writes bench/results/harvest-*.json.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startCorpusServer } from '../test/support/corpus-http.js';
import { startPostgres, createDatabase } from '../test/support/postgres-server.js';
import { launchElasticsearch } from '../test/support/elasticsearch-server.js';
import { startGeneratedSource } from './generated-source.js';
import { openDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { createSource } from '../src/store/sources.js';
import { HarvestQueue } from '../src/harvest/queue.js';

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const corpus = process.env.VINDBAAR_CORPUS ?? join(here, '../../shared/corpus');
const parts = new Set((process.env.BENCH_HARVEST_PARTS ?? 'ldes,dump,workers').split(','));
const results: Record<string, unknown> = {};

/** Runs a measured harvest in a child process; asynchronously, since the sources it reads are served
 * by this process. */
async function worker(args: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', join(here, 'harvest-worker.ts'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
}

type Run = { status: string; seconds: number; records: number; created: number; recordsWritten: number; datasets: number; searchable: number; requests: number };

const given = process.argv[2];
const pg = given ? undefined : await startPostgres();
const pgUrl = given ?? (pg as { url: string }).url;
let db = 0;
const freshDb = () => createDatabase(pgUrl, `bench_harvest_${process.pid}_${db++}`);

try {
  if (parts.has('ldes')) {
    const server = await startCorpusServer();
    const url = `${server.url}/ldes/index.trig`;
    const rows: Record<string, unknown>[] = [];
    // A first run on this machine varies by a tenth either way from one run to the next: each system's
    // first run is measured REPEAT times (a fresh store each time) and the median reported, with the range.
    const repeat = Math.max(1, Number(process.env.BENCH_HARVEST_REPEAT ?? 3));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
    const raws: { seconds: number; datasets: number; pages: number }[] = [];
    for (let i = 0; i < repeat; i++) raws.push((await worker(['raw', url])) as unknown as { seconds: number; datasets: number; pages: number });
    const floor = median(raws.map((r) => r.seconds));
    rows.push({ system: 'fetch + N3.js parse, nothing stored (floor)', datasets: raws[0].datasets, 'first run s': +floor.toFixed(2), 'range s': range(raws.map((r) => r.seconds)), 'datasets/s': Math.round(raws[0].datasets / floor), 'unchanged re-run s': '', 'records written on re-run': '', 'peak RSS MB': '' });
    const dirs: string[] = [];
    const freshDir = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vb-harvest-'));
      dirs.push(dir);
      return `embedded:${dir}`;
    };
    // Elasticsearch is started only for the runs that use it: a node that has just started keeps a core
    // busy for a while (compilation, its own housekeeping), which would slow the runs that do not use it.
    let es: { url: string; stop: () => Promise<void> } | undefined;
    const withEs = async (): Promise<Record<string, string> | undefined> => {
      es ??= process.env.BENCH_ES_URL
        ? { url: process.env.BENCH_ES_URL, stop: async () => undefined }
        : await launchElasticsearch()
            .then(async (e) => (await e.ready, e))
            .catch((e: Error) => (console.error(`Elasticsearch not started: ${e.message}`), undefined));
      return es && { ELASTICSEARCH_URL: es.url };
    };
    const targets: [string, () => Promise<string>, () => Promise<Record<string, string> | undefined>][] = [
      ['Vindbaar embedded (PGlite + Postgres full text)', freshDir, async () => ({})],
      ['Vindbaar on Postgres (+ Postgres full text)', freshDb, async () => ({})],
      ['Vindbaar on Postgres + Elasticsearch', freshDb, withEs],
    ];
    for (const [system, makeTarget, makeEnv] of targets) {
      const env = await makeEnv();
      if (!env) continue;
      const measured: { runs: Run[]; peakRssMB: number }[] = [];
      for (let i = 0; i < repeat; i++) measured.push((await worker(['vindbaar', await makeTarget(), 'ldes', url, '2'], env)) as unknown as { runs: Run[]; peakRssMB: number });
      const firsts = measured.map((m) => m.runs[0].seconds);
      const seconds = median(firsts);
      const { runs, peakRssMB } = measured[firsts.indexOf(seconds)];
      const [first, second] = runs;
      rows.push({
        system,
        datasets: first.datasets,
        'first run s': +seconds.toFixed(2),
        'range s': range(firsts),
        'datasets/s': Math.round(first.datasets / seconds),
        'unchanged re-run s': +second.seconds.toFixed(3),
        'records written on re-run': second.recordsWritten,
        searchable: first.searchable,
        'peak RSS MB': peakRssMB,
        'vs floor': `${((floor / seconds) * 100).toFixed(0)}%`,
      });
      console.error(JSON.stringify(rows.at(-1)));
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await es?.stop();
    await server.close();
    console.log(`\nHarvest: the data.gov.be LDES (20 pages, 1,999 datasets) from a local LDES server, validated against DCAT-AP 3.0.1; first runs: median of ${repeat}`);
    console.table(rows);
    results.ldes = rows;
  }

  if (parts.has('dump')) {
    const gen = await startGeneratedSource(corpus);
    const rows: Record<string, unknown>[] = [];
    const sizes = (process.env.BENCH_HARVEST_N ?? '100000,1000000').split(',').map(Number);
    for (const n of sizes) {
      const r = (await worker(['vindbaar', await freshDb(), 'dcat', `${gen.url}/dump.nt?n=${n}`, '1'], { BENCH_PROFILE: process.env.BENCH_PROFILE ?? 'dcat-ap-3.0.1' })) as unknown as {
        runs: Run[];
        samples: { records: number; rssMB: number }[];
        peakRssMB: number;
      };
      const run = r.runs[0];
      const mid = r.samples.filter((s) => s.records >= run.records / 4);
      rows.push({
        datasets: n,
        status: run.status,
        seconds: +run.seconds.toFixed(1),
        'datasets/s': Math.round(run.datasets / run.seconds),
        'RSS at 25% MB': mid[0]?.rssMB ?? '',
        'RSS at end MB': r.samples.at(-1)?.rssMB ?? '',
        'peak RSS MB': r.peakRssMB,
      });
      console.error(JSON.stringify({ ...rows.at(-1), samples: r.samples }));
    }
    await gen.close();
    console.log('\nHarvest: a generated DCAT dump (N-Triples over HTTP) into Postgres; memory as the input grows');
    console.table(rows);
    results.dump = rows;
  }

  if (parts.has('workers')) {
    const gen = await startGeneratedSource(corpus);
    const sources = Number(process.env.BENCH_WORKER_SOURCES ?? 6);
    const each = Number(process.env.BENCH_WORKER_N ?? 3000);
    const rows: Record<string, unknown>[] = [];
    for (const processes of [1, 2]) {
      const url = await freshDb();
      const store = await openDb({ databaseUrl: url });
      await migrate(store);
      const queue = await HarvestQueue.open(store, pino({ level: 'warn' }), { pollSeconds: 1 });
      for (let i = 0; i < sources; i++) await createSource(store, { id: `s${i}`, type: 'dcat', url: `${gen.url}/dump.nt?n=${each}&offset=${i * each}` });
      const started = performance.now();
      for (let i = 0; i < sources; i++) await queue.enqueue({ sourceId: `s${i}`, trigger: 'api' });
      const children: ChildProcess[] = [];
      for (let p = 0; p < processes; p++)
        children.push(
          spawn(process.execPath, ['--import', 'tsx', join(here, '../src/cli.ts'), 'worker', '--concurrency', '1'], {
            env: { ...process.env, DATABASE_URL: url, VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_HARVEST_POLL_SECONDS: '1', LOG_LEVEL: 'warn', VINDBAAR_SAMPLE_DATA: 'false' },
            stdio: ['ignore', 'ignore', 'inherit'],
          }),
        );
      for (;;) {
        const r = await store.query<{ n: number }>("SELECT count(*)::int AS n FROM harvest_runs WHERE status <> 'running'");
        if (r.rows[0].n >= sources) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      const seconds = (performance.now() - started) / 1000;
      for (const c of children) c.kill('SIGTERM');
      const done = await store.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL");
      const workersUsed = await store.query<{ n: number }>('SELECT count(DISTINCT worker)::int AS n FROM harvest_runs');
      rows.push({ 'worker processes': processes, sources, datasets: done.rows[0].n, 'workers that ran jobs': workersUsed.rows[0].n, seconds: +seconds.toFixed(1), 'datasets/s': Math.round(done.rows[0].n / seconds) });
      console.error(JSON.stringify(rows.at(-1)));
      await queue.stop();
      await store.close();
    }
    (rows[1] as Record<string, unknown>)['speed-up'] = `${((rows[0].seconds as number) / (rows[1].seconds as number)).toFixed(2)}×`;
    await gen.close();
    console.log(`\nHarvest: ${sources} sources of ${each} datasets each, one worker process or two (queue on Postgres)`);
    console.table(rows);
    results.workers = rows;
  }
} finally {
  pg?.stop();
}
const dir = join(here, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `harvest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
