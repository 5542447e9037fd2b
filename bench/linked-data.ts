// Linked-data benchmarks (part of npm run bench; alone: tsx bench/linked-data.ts [postgres url]).
// 1. GET one record as JSON-LD and as Turtle from a real Postgres: 32 autocannon connections on
//    loopback, a different record each request; next to the floor, a bare Fastify route answering the
//    stored JSON of the same records from the same table in the same run.
// 2. The N-Triples dump of BENCH_LD_N generated datasets (default 1,000,000; the real data.gov.be records
//    copied in SQL with rewritten IRIs): MB/s of N-Triples and the server's peak RSS; next to the floor,
//    Postgres's own COPY of the same column to the client.
// Parts: BENCH_LD_PARTS=get,dump. BENCH_SECONDS per latency run (default 10). Prints tables and writes
// bench/results/linked-data-*.json.
import { createReadStream, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { UNLIMITED } from './unlimited.js';
import { startServerProcess } from './server-process.js';
import { createServices } from '../src/app.js';
import { PUBLISHED } from '../src/store/record-stream.js';
import { startPostgres, createDatabase } from '../test/support/postgres-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = process.env.VINDBAAR_CORPUS ?? join(here, '../../shared/corpus');
const ldesRoot = join(corpus, 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root');
const pages = readdirSync(ldesRoot).filter((d) => d.includes('_123187500_')).map((d) => join(ldesRoot, d, 'index.trig')).sort();
const N = Number(process.env.BENCH_LD_N ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const parts = new Set((process.env.BENCH_LD_PARTS ?? 'get,dump').split(','));
const say = (m: string) => console.error(`[linked-data ${new Date().toISOString().slice(11, 19)}] ${m}`);
const results: Record<string, unknown> = {};

const given = process.argv[2];
const server = given ? undefined : await startPostgres();
const dbUrl = await createDatabase(given ?? server!.url, `bench_ld_${Date.now()}`);

// The real records, through the real pipeline.
const services = await createServices(loadConfig({ ...UNLIMITED, DATABASE_URL: dbUrl, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_WORKERS: '0' }), pino({ level: 'warn' }));
for (const page of pages)
  await services.ingest(createReadStream(page), { catalogId: 'datagovbe', source: { id: 'bench:ldes', kind: 'file', location: null }, format: 'trig', baseIRI: pathToFileURL(page).href });
await services.close();
const client = new pg.Client({ connectionString: dbUrl });
await client.connect();
const ids = (await client.query<{ id: string }>(`SELECT id FROM records r WHERE ${PUBLISHED} ORDER BY id`)).rows.map((r) => r.id);
say(`${ids.length} records ingested`);

/** A Vindbaar server in its own process. */
const startServer = () => startServerProcess(dbUrl);

async function load(url: string, accept: string) {
  let i = 0;
  const requests: autocannon.Request[] = [{ setupRequest: (req) => ({ ...req, path: `/api/v1/records/${ids[i++ % ids.length]}` }) }];
  const opts: autocannon.Options = { url, connections: 32, requests, headers: { accept } };
  await autocannon({ ...opts, duration: 3 });
  const r = await autocannon({ ...opts, duration: SECONDS });
  return { 'requests/s': Math.round(r.requests.average), 'p50 ms': r.latency.p50, 'p99 ms': r.latency.p99, errors: r.errors + r.non2xx };
}

if (parts.has('get')) {
  const rows: Record<string, unknown>[] = [];
  // The floor: the stored JSON of the record, looked up by id, nothing else.
  const floor = Fastify();
  const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
  floor.get<{ Params: { id: string } }>('/api/v1/records/:id', async (req, reply) => {
    const r = await pool.query<{ json: unknown }>('SELECT json FROM records WHERE id = $1', [req.params.id]);
    return reply.type('application/json').send(r.rows[0].json);
  });
  const floorUrl = await floor.listen({ port: 0, host: '127.0.0.1' });
  const vb = await startServer();
  for (const [label, accept] of [
    ['JSON-LD (application/ld+json)', 'application/ld+json'],
    ['Turtle (text/turtle)', 'text/turtle'],
  ]) {
    rows.push({ system: `Vindbaar GET record, ${label}`, ...(await load(vb.url, accept)) });
    say(JSON.stringify(rows.at(-1)));
  }
  rows.push({ system: 'floor: bare Fastify + pg, stored JSON by id', ...(await load(floorUrl, 'application/json')) });
  await vb.stop();
  await floor.close();
  await pool.end();
  console.log(`\nGET one record (${ids.length} records, 32 connections, ${SECONDS} s each, Postgres)`);
  console.table(rows);
  results.get = rows;
}

if (parts.has('dump')) {
  // Copies of the real records until there are N, each with its IRI rewritten in its triples.
  const base = ids.length;
  const copies = Math.ceil(Math.max(0, N - base) / base);
  await client.query(`CREATE TABLE bench_base AS SELECT row_number() OVER (ORDER BY id)::int AS ord, * FROM records r WHERE ${PUBLISHED}`);
  const step = Math.max(1, Math.floor(100_000 / base));
  for (let from = 1; from <= copies; from += step) {
    const to = Math.min(copies, from + step - 1);
    await client.query(
      `INSERT INTO records (id, iri, kind, catalog_id, source_id, parent_iri, hash, json, nquads, version, first_seen, last_modified)
       SELECT b.id || 'c' || c, b.iri || '/c' || c, b.kind, b.catalog_id, b.source_id, b.parent_iri, md5(b.hash || c), b.json,
              replace(b.nquads, '<' || b.iri || '>', '<' || b.iri || '/c' || c || '>'), 1, now(), now()
       FROM bench_base b, generate_series($1::int, $2::int) c WHERE (c - 1) * $3::int + b.ord <= $4::int`,
      [from, to, base, N - base],
    );
    say(`records: ${Math.min(N, base + to * base)} / ${N}`);
  }
  await client.query('ANALYZE records');
  const count = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM records r WHERE ${PUBLISHED}`)).rows[0].n;
  const rows: Record<string, unknown>[] = [];
  // The floor: Postgres sending the stored N-Triples column as fast as it can (COPY to the client).
  {
    const t = performance.now();
    let bytes = 0;
    const stream = client.query(copyTo(`COPY (SELECT r.nquads FROM records r WHERE ${PUBLISHED}) TO STDOUT`));
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
    const s = (performance.now() - t) / 1000;
    rows.push({ system: 'floor: Postgres COPY of the N-Triples column', records: count, 'N-Triples MB': +(bytes / 1e6).toFixed(0), s: +s.toFixed(1), 'MB/s': +(bytes / 1e6 / s).toFixed(1), 'gzip MB': '', 'server peak RSS MB': '' });
    say(JSON.stringify(rows.at(-1)));
  }
  for (const path of ['/dumps/catalog.nt.gz', '/dumps/catalog.ttl.gz']) {
    const vb = await startServer();
    const t = performance.now();
    const res = await fetch(`${vb.url}${path}`);
    let gz = 0;
    let bytes = 0;
    const counted = Readable.fromWeb(res.body as never).on('data', (c: Buffer) => (gz += c.length));
    for await (const chunk of counted.pipe(createGunzip())) bytes += (chunk as Buffer).length;
    const s = (performance.now() - t) / 1000;
    const rss = await vb.stop();
    rows.push({ system: `Vindbaar ${path}`, records: count, [`N-Triples MB`]: +(bytes / 1e6).toFixed(0), s: +s.toFixed(1), 'MB/s': +(bytes / 1e6 / s).toFixed(1), 'gzip MB': +(gz / 1e6).toFixed(0), 'server peak RSS MB': rss });
    say(JSON.stringify(rows.at(-1)));
  }
  console.log(`\nFull dump of ${count} records (MB/s of uncompressed RDF; the Turtle row counts Turtle bytes)`);
  console.table(rows);
  results.dump = rows;
}

await client.end();
server?.stop();
const out = join(here, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, `linked-data-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
