// Search latency over the sample catalogue through the HTTP API (real sockets on loopback), next to
// the bare full-text SQL on the same database as the floor. Prints p50/p95/p99 and writes JSON.
// Usage: tsx bench/search.ts [embedded|postgres-url]
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { UNLIMITED } from './unlimited.js';
import { createServices } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { loadSamplesIfEmpty } from '../src/samples.js';

const here = dirname(fileURLToPath(import.meta.url));
const target = process.argv[2] ?? 'embedded';
const dir = mkdtempSync(join(tmpdir(), 'vb-search-'));
const config = loadConfig({ ...UNLIMITED, VINDBAAR_DATA_DIR: dir, PORT: '0', ...(target === 'embedded' ? {} : { DATABASE_URL: target }) } as NodeJS.ProcessEnv);
const services = await createServices(config, pino({ level: 'silent' }));
await loadSamplesIfEmpty(services);
const app = await buildServer(services);
const address = await app.listen({ port: 0, host: '127.0.0.1' });

const QUERIES = [
  'q=werkzoekenden',
  'q=werkloosheidsgraad&sort=relevance',
  'q=vacatures VDAB',
  'q=biodiversity',
  'q=biodiversiteit&limit=50',
  'q=employment rate',
  'q=arbeidsmarkt&theme=http://publications.europa.eu/resource/authority/data-theme/ECON',
  'theme=http://publications.europa.eu/resource/authority/data-theme/ENVI',
  'accessRights=http://publications.europa.eu/resource/authority/access-right/PUBLIC&sort=title',
  'sort=-modified&page=3',
  'q=water',
  'q=données',
  'q=Daten',
  'q=statistiek&limit=100',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeIt(label: string, n: number, fn: (i: number) => Promise<void>) {
  for (let i = 0; i < 20; i++) await fn(i); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { label, n, p50: +percentile(times, 50).toFixed(2), p95: +percentile(times, 95).toFixed(2), p99: +percentile(times, 99).toFixed(2), max: +times[times.length - 1].toFixed(2) };
}

const count = await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM search_docs');
const rows = [
  await timeIt('Vindbaar GET /api/v1/datasets (hits, facets, records)', 500, async (i) => {
    const r = await fetch(`${address}/api/v1/datasets?${QUERIES[i % QUERIES.length]}`);
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    await r.arrayBuffer();
  }),
  await timeIt('bare SQL: ranked full-text hits only', 500, async (i) => {
    const q = /q=([^&]+)/.exec(QUERIES[i % QUERIES.length])?.[1];
    await services.db.query(
      q
        ? "SELECT record_id FROM search_docs WHERE tsv @@ websearch_to_tsquery('simple', $1) ORDER BY ts_rank_cd(tsv, websearch_to_tsquery('simple', $1)) DESC LIMIT 20"
        : 'SELECT record_id FROM search_docs ORDER BY modified DESC LIMIT 20',
      q ? [decodeURIComponent(q)] : [],
    );
  }),
];
console.log(`search over ${count.rows[0].n} records (${services.db.driver})`);
console.table(rows);
await app.close();
await services.close();
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(here, 'results'), { recursive: true });
const file = join(here, 'results', `search-${services.db.driver}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), store: services.db.driver, records: count.rows[0].n, rows }, null, 2));
console.log(`written ${file}`);
