// Load test (part of npm run bench; alone: tsx bench/load.ts [postgres url]). A Vindbaar server in its
// own process on a real Postgres with the 2,000 real data.gov.be records, and 200 concurrent autocannon
// connections on loopback for LOAD_SECONDS (default 300): 60% searches (words from the records' titles,
// facets, sorts, pages), 25% record reads (JSON-LD or Turtle), 5% dataset pages, 10% writes (a
// publisher's PUT of one of its 200 records with a new title). Each connection is a client of its own
// address (X-Forwarded-For from the loopback proxy), within the per-address limit (LOAD_PER_ADDRESS, 300
// a minute); next to them one crawler sends more than its address may (deliberate 429s, counted apart). Reports requests,
// status codes, errors, latency, and the server's memory over the run (RSS and heap every 5 s from
// /metrics). Afterwards: every 200 answered to a write is in the store, no record doubled.
// Prints a table and writes bench/results/load-*.json.
import { spawn } from 'node:child_process';
import { createReadStream, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/app.js';
import { createKey } from '../src/store/keys.js';
import { localId } from '../src/ingest/prepare.js';
import { startPostgres, createDatabase } from '../test/support/postgres-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = process.env.VINDBAAR_CORPUS ?? join(here, '../../shared/corpus');
const ldesRoot = join(corpus, 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root');
const pages = readdirSync(ldesRoot).filter((d) => d.includes('_123187500_')).map((d) => join(ldesRoot, d, 'index.trig')).sort();
const SECONDS = Number(process.env.LOAD_SECONDS ?? 300);
// Shares of searches, record reads, pages and writes in twentieths (LOAD_MIX=12,5,1,2 by default).
const [SEARCH, RECORD, PAGE, WRITE] = (process.env.LOAD_MIX ?? '12,5,1,2').split(',').map(Number);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 200);
const WRITABLE = 200;
// Per address and minute: each of the clients stays under it (about 100 requests a minute each when the
// server is saturated), the crawler goes over it.
const PER_ADDRESS = Number(process.env.LOAD_PER_ADDRESS ?? 300);
const say = (m: string) => console.error(`[load ${new Date().toISOString().slice(11, 19)}] ${m}`);

const given = process.argv[2];
const server = given ? undefined : await startPostgres();
const dbUrl = await createDatabase(given ?? server!.url, `bench_load_${Date.now()}`);

// The real records through the real pipeline, and a publisher with records of its own to change.
const setup = await createServices(loadConfig({ DATABASE_URL: dbUrl, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_WORKERS: '0', VINDBAAR_LINK_CHECK: 'false' }), pino({ level: 'warn' }));
for (const page of pages)
  await setup.ingest(createReadStream(page), { catalogId: 'datagovbe', source: { id: 'bench:ldes', kind: 'file', location: null }, format: 'trig', baseIRI: pathToFileURL(page).href });
const key = await createKey(setup.db, 'publisher', 'load test', 'Loadtest');
const adminKey = 'load-admin-key-0123456789abcdef0123';
await setup.close();
const client = new pg.Client({ connectionString: dbUrl });
await client.connect();
const rows = (await client.query<{ id: string; title: string }>("SELECT id, coalesce(json->'title'->>'nl', json->'title'->>'en', '') AS title FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL")).rows;
const ids = rows.map((r) => r.id);
const words = [...new Set(rows.flatMap((r) => r.title.toLowerCase().split(/[^\p{L}]+/u).filter((w) => w.length > 4)))].slice(0, 2000);
const facets = (await client.query<{ t: string }>('SELECT DISTINCT unnest(themes) AS t FROM search_docs LIMIT 20')).rows.map((r) => r.t);
say(`${ids.length} datasets, ${words.length} query words, ${facets.length} themes`);

const port = 4100 + Math.floor(Math.random() * 500);
const url = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, ['--import', 'tsx', join(here, '../src/cli.ts'), 'serve'], {
  env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), HOST: '127.0.0.1', VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_WORKERS: '0', VINDBAAR_LINK_CHECK: 'false', VINDBAAR_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn', VINDBAAR_BASE_URL: url, VINDBAAR_RATE_LIMIT_PER_ADDRESS: String(PER_ADDRESS) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${url}/ready`)).ok) break;
  } catch {
    // not yet
  }
  if (i > 600 || child.exitCode !== null) throw new Error('the server did not start');
  await new Promise((r) => setTimeout(r, 100));
}

const ttl = (n: number, version: number) =>
  `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n` +
  `<https://load.example.be/id/dataset/${n}> a dcat:Dataset ; dct:title "Belastingtest ${n}, versie ${version}"@nl ; dct:description "Een dataset die de belastingtest telkens wijzigt."@nl ;\n` +
  `  dct:publisher <https://load.example.be/id/organisation> ; dcat:keyword "test"@nl .\n`;
// The publisher's records exist before the run.
for (let n = 0; n < WRITABLE; n++) {
  const r = await fetch(`${url}/api/v1/catalogs/load/records`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/turtle', 'x-forwarded-for': '192.0.2.250' }, body: ttl(n, 0) });
  if (r.status !== 200) throw new Error(`setup write ${n}: ${r.status} ${await r.text()}`);
}

// Memory of the server over the run, from its own metrics.
const memory: { s: number; rssMB: number; heapMB: number }[] = [];
const t0 = Date.now();
const sample = async () => {
  const m = await (await fetch(`${url}/metrics`)).text();
  const get = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(m)?.[1] ?? NaN) / 1024 / 1024;
  memory.push({ s: Math.round((Date.now() - t0) / 1000), rssMB: Math.round(get('vindbaar_process_resident_memory_bytes')), heapMB: Math.round(get('vindbaar_nodejs_heap_size_used_bytes')) });
};
const sampler = setInterval(() => void sample().catch(() => undefined), 5_000);

// The crawler: one address, two requests at a time, ten a second each at most: past its limit.
const crawler = { sent: 0, ok: 0, limited: 0, other: 0 };
let crawling = true;
const crawlOne = async () => {
  while (crawling) {
    const started = Date.now();
    const r = await fetch(`${url}/api/v1/datasets?q=${encodeURIComponent(words[crawler.sent % words.length] ?? 'data')}`, { headers: { 'x-forwarded-for': '203.0.113.9' } }).catch(() => undefined);
    crawler.sent++;
    if (r?.status === 200) crawler.ok++;
    else if (r?.status === 429) crawler.limited++;
    else crawler.other++;
    await r?.arrayBuffer().catch(() => undefined);
    await new Promise((res) => setTimeout(res, Math.max(0, 100 - (Date.now() - started))));
  }
};
const crawl = Promise.all([crawlOne(), crawlOne()]);

let i = 0;
const writes = new Map<number, number>();
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
const requests: autocannon.Request[] = [
  {
    setupRequest: (req) => {
      const n = i++;
      const roll = n % (SEARCH + RECORD + PAGE + WRITE);
      if (roll < SEARCH) {
        const q = [pick(words), ...(roll % 3 === 0 ? [pick(words)] : [])].join(' ');
        const extra = roll % 4 === 0 && facets.length > 0 ? `&theme=${encodeURIComponent(pick(facets))}` : roll % 4 === 1 ? '&sort=-modified' : roll % 4 === 2 ? `&page=${1 + (n % 5)}` : '';
        return { ...req, method: 'GET', path: `/api/v1/datasets?q=${encodeURIComponent(q)}${extra}`, headers: { ...req.headers, accept: 'application/json' } };
      }
      if (roll < SEARCH + RECORD) return { ...req, method: 'GET', path: `/api/v1/records/${pick(ids)}`, headers: { ...req.headers, accept: roll % 2 ? 'text/turtle' : 'application/ld+json' } };
      if (roll < SEARCH + RECORD + PAGE) return { ...req, method: 'GET', path: `/datasets/${pick(ids)}`, headers: { ...req.headers, accept: 'text/html' } };
      const record = n % WRITABLE;
      const version = (writes.get(record) ?? 0) + 1;
      writes.set(record, version);
      const id = localId('load', `https://load.example.be/id/dataset/${record}`);
      return { ...req, method: 'PUT', path: `/api/v1/catalogs/load/records/${id}`, headers: { ...req.headers, authorization: `Bearer ${key}`, 'content-type': 'text/turtle' }, body: ttl(record, version) };
    },
  },
];
say(`${CONNECTIONS} connections for ${SECONDS} s`);
await sample();
let clients = 0;
const result = await autocannon({
  url,
  connections: CONNECTIONS,
  duration: SECONDS,
  timeout: 30,
  requests,
  // Each connection is a client of its own address, behind the loopback proxy.
  setupClient: (c) => {
    const n = clients++;
    c.setHeaders({ 'x-forwarded-for': `10.${(n >> 8) & 255}.${n & 255}.7` });
  },
});
await sample();
clearInterval(sampler);
crawling = false;
await crawl;

// Every write answered 200 is stored: each carried a new title, so each is one version more of its
// record (the audit log counts the 200s); and each record is there once. The audit log is written after
// each answer, behind the queue of a saturated pool: it is read once it has stopped growing.
let audited = -1;
for (let i = 0; i < 120; i++) {
  const n = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
  if (n === audited) break;
  audited = n;
  await new Promise((r) => setTimeout(r, 1_000));
}
const stored = (
  await client.query<{ n: number; distinct_iris: number; changes: number; accepted: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT iri)::int AS distinct_iris, sum(version - 1)::int AS changes,
            (SELECT count(*)::int FROM audit_log WHERE method = 'PUT' AND status = 200) AS accepted
     FROM records WHERE catalog_id = 'load' AND kind = 'Dataset' AND deleted_at IS NULL`,
  )
).rows[0];
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await client.end();
await server?.stop();

const codes = Object.fromEntries(Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
const served = Object.values(codes).reduce((a, b) => a + b, 0);
const unexpected = served - (codes['200'] ?? 0) - (codes['429'] ?? 0);
// Flat memory: the live heap (its lowest reading in each minute, i.e. after collections) and the
// highest RSS of each minute do not climb from minute to minute.
const minutes = Array.from({ length: Math.ceil(SECONDS / 60) }, (_, m) => memory.filter((x) => x.s >= m * 60 && x.s < (m + 1) * 60 + 1));
const heapFloor = minutes.map((ms) => Math.min(...ms.map((x) => x.heapMB)));
const rssPeak = minutes.map((ms) => Math.max(...ms.map((x) => x.rssMB)));
const table = [
  {
    connections: CONNECTIONS,
    seconds: SECONDS,
    requests: served,
    'requests/s': Math.round(result.requests.average),
    '200': codes['200'] ?? 0,
    '429': codes['429'] ?? 0,
    'other statuses': unexpected,
    'connection errors': result.errors,
    timeouts: result.timeouts,
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'live heap MB per minute': heapFloor.join(' '),
    'peak RSS MB per minute': rssPeak.join(' '),
  },
];
const total = SEARCH + RECORD + PAGE + WRITE;
const share = (n: number) => `${Math.round((n / total) * 100)}%`;
console.log(`\nLoad: ${CONNECTIONS} clients on loopback, ${share(SEARCH)} search, ${share(RECORD)} record reads, ${share(PAGE)} pages, ${share(WRITE)} writes, ${SECONDS} s, Postgres`);
console.table(table);
console.log(`crawler over its limit: ${crawler.sent} requests, ${crawler.ok} answered, ${crawler.limited} deliberate 429s, ${crawler.other} other`);
console.log(`writes: ${stored.accepted} accepted (200 in the audit log, those whose client hung up at the end included), ${stored.changes} stored as new versions; ${stored.n} records of the publisher (${stored.distinct_iris} distinct IRIs, ${WRITABLE} expected)`);
const out = join(here, 'results');
mkdirSync(out, { recursive: true });
const file = join(out, `load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ table, codes, crawler, stored, memory, latency: result.latency, requests: result.requests }, null, 2));
say(`wrote ${file}`);
if (unexpected > 0 || result.errors > 0 || stored.n !== WRITABLE || stored.accepted !== stored.changes) process.exitCode = 1;
