// One measured harvest in its own process (so peak RSS is its own).
// Usage: tsx bench/harvest-worker.ts raw <ldes url>
//        tsx bench/harvest-worker.ts vindbaar <databaseUrl|embedded:dir> <type> <url> [runs]
// ELASTICSEARCH_URL in the environment indexes into Elasticsearch instead of Postgres full text.
import { pino } from 'pino';
import { Parser as N3Parser } from 'n3';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/app.js';
import { createSource } from '../src/store/sources.js';
import { boundMemoryFor } from '../src/memory.js';

const [mode, target, type, url, runsArg] = process.argv.slice(2);
const rssMB = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

/** The floor: fetch the stream's pages and parse them with N3.js, storing nothing. */
async function raw(start: string) {
  const t = performance.now();
  const queue = [start];
  const seen = new Set<string>();
  let datasets = 0;
  let quads = 0;
  while (queue.length > 0) {
    const u = queue.shift() as string;
    if (seen.has(u)) continue;
    seen.add(u);
    const text = await (await fetch(u)).text();
    for (const q of new N3Parser({ format: 'application/trig', baseIRI: u }).parse(text)) {
      quads++;
      if (q.object.value === 'http://www.w3.org/ns/dcat#Dataset') datasets++;
      if (q.predicate.value === 'https://w3id.org/tree#node' || q.predicate.value === 'https://w3id.org/tree#view') queue.push(q.object.value);
    }
  }
  return { seconds: (performance.now() - t) / 1000, datasets, quads, pages: seen.size };
}

async function vindbaar() {
  boundMemoryFor(undefined);
  const env: Record<string, string> = {
    VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8',
    VINDBAAR_SAMPLE_DATA: 'false',
    VINDBAAR_WORKERS: '0',
    VINDBAAR_DEFAULT_PROFILE: process.env.BENCH_PROFILE ?? 'dcat-ap-3.0.1',
    VINDBAAR_HARVEST_MAX_BYTES: '100gb',
  };
  if (target.startsWith('postgres')) env.DATABASE_URL = target;
  else env.VINDBAAR_DATA_DIR = target.replace(/^embedded:/, '');
  if (process.env.ELASTICSEARCH_URL) {
    env.ELASTICSEARCH_URL = process.env.ELASTICSEARCH_URL;
    env.ELASTICSEARCH_INDEX_PREFIX = `bench${Date.now()}`;
  }
  const services = await createServices(loadConfig(env), pino({ level: 'warn' }));
  // BENCH_WARMUP: sources of other portals (space-separated DCAT document URLs) harvested first, not
  // measured, as a worker that has been running for a while has done: its code is compiled by the
  // time the measured harvest starts.
  const warmups = (process.env.BENCH_WARMUP ?? '').split(/\s+/).filter(Boolean);
  for (const [i, u] of warmups.entries()) {
    await createSource(services.db, { id: `warmup-${i}`, type: (process.env.BENCH_WARMUP_TYPE ?? 'dcat') as 'dcat', url: u });
    const w = await services.harvesting.run(`warmup-${i}`);
    // The demo.ckan.org export links to further pages on the internet, which are not there to fetch:
    // what matters is that its records went through the pipeline.
    if (w.created === 0) throw new Error(`warm-up harvest of ${u} stored nothing: ${w.status} ${w.error ?? ''}`);
  }
  const count = async (kind: string) =>
    (await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE kind = $1 AND deleted_at IS NULL AND source_id = 'bench'", [kind])).rows[0].n;
  const searchableNow = () => services.search.search({ filters: {}, kinds: ['Dataset', 'DatasetSeries'], sort: 'modified', offset: 0, limit: 1 }).then((r) => r.total).catch(() => -1);
  const searchableBefore = await searchableNow();
  await createSource(services.db, { id: 'bench', type: type as 'dcat', url });
  const runs = [];
  const samples: { records: number; rssMB: number }[] = [];
  let nextSample = 0;
  for (let i = 0; i < Number(runsArg ?? 2); i++) {
    const t = performance.now();
    const run = await services.harvesting.run('bench', {
      onProgress: (p) => {
        if (p.records >= nextSample) {
          samples.push({ records: p.records, rssMB: rssMB() });
          nextSample = p.records + 50_000;
        }
      },
    });
    const seconds = (performance.now() - t) / 1000;
    const written = await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM records WHERE last_modified >= $1', [run.startedAt]);
    const searchable = await searchableNow();
    runs.push({ status: run.status, seconds, records: run.records, created: run.created, unchanged: run.unchanged, recordsWritten: written.rows[0].n, datasets: await count('Dataset'), searchable: searchable < 0 ? searchable : searchable - searchableBefore, requests: run.pages });
  }
  await services.close();
  return { runs, samples, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) };
}

const result = mode === 'raw' ? await raw(target) : await vindbaar();
console.log(JSON.stringify(result));
