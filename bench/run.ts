// npm run bench: ingest throughput of Vindbaar next to the raw N3.js parser on the same bytes, on the
// real data.gov.be LDES pages and on a generated large N-Triples file; embedded and on a real Postgres.
// Then search latency (bench/search.ts), search at scale on Elasticsearch (bench/search-scale.ts) and
// validation next to SHACL engines (bench/validation.ts), harvesting (bench/harvest.ts; BENCH_HARVEST=0 skips it),
// linked data (bench/linked-data.ts; BENCH_LD=0 skips it), the quality score's cost (bench/quality.ts; BENCH_QUALITY=0 skips it),
// link checks (bench/link-check.ts; BENCH_LINKS=0 skips it), KPI snapshots (bench/kpi.ts; BENCH_KPI_N=0 skips it),
// a load test (bench/load.ts; LOAD_SECONDS=0 skips it)
// and SPARQL (bench/sparql.ts; BENCH_SPARQL_N=0 skips it), and the first start of `npm start`
// (bench/first-start.ts; BENCH_START_RUNS=0 skips it).
// Prints tables and writes bench/results/*.json.
// BENCH_LARGE_MB (default 200, 0 to skip); BENCH_SEARCH_N (default 1,000,000, 0 to skip).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readdirSync, createWriteStream, statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Parser as N3Parser, Writer as N3Writer, DataFactory, type Term } from 'n3';
import { readFileSync } from 'node:fs';
import { startPostgres, createDatabase } from '../test/support/postgres-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = process.env.VINDBAAR_CORPUS ?? join(here, '../../shared/corpus');
const ldesRoot = join(corpus, 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root');
if (!existsSync(ldesRoot)) {
  console.error(`The reference corpus is needed at ${corpus} (set VINDBAAR_CORPUS).`);
  process.exit(2);
}
const pages = readdirSync(ldesRoot).filter((d) => d.includes('_123187500_')).map((d) => join(ldesRoot, d, 'index.trig')).sort();
const cacheDir = join(here, '.cache');
mkdirSync(cacheDir, { recursive: true });

/** The real records repeated with rewritten IRIs until the file reaches the size asked for. */
async function generateLarge(mb: number): Promise<string> {
  const file = join(cacheDir, `large-v3-${mb}mb.nt`);
  if (existsSync(file) && statSync(file).size >= mb * 1024 * 1024) return file;
  const quads = pages.flatMap((p) => new N3Parser({ format: 'application/trig', baseIRI: pathToFileURL(p).href }).parse(readFileSync(p, 'utf8')));
  // Everything described in the pages (datasets, distributions, agents, feed members) is minted anew
  // in each copy; vocabulary terms (themes, licences, formats) are shared, as in a real catalogue.
  const described = new Set(quads.map((q) => q.subject.value));
  const out = createWriteStream(file);
  let written = 0;
  for (let copy = 0; written < mb * 1024 * 1024; copy++) {
    const rewrite = <T extends Term>(t: T): T =>
      (t.termType === 'NamedNode' && described.has(t.value)
        ? DataFactory.namedNode(`${t.value}/copy${copy}`)
        : t.termType === 'BlankNode'
          ? DataFactory.blankNode(`c${copy}_${t.value}`)
          : t) as T;
    const text = new N3Writer({ format: 'N-Triples' }).quadsToString(quads.map((q) => DataFactory.quad(rewrite(q.subject), q.predicate, rewrite(q.object))));
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return file;
}

function measure(mode: string, format: string, target: string, files: string[], env: Record<string, string> = {}) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'ingest-worker.ts'), mode, format, target, ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, ...env },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
}

const rows: Record<string, unknown>[] = [];
const add = (input: string, system: string, r: Record<string, number>, rawSeconds?: number) => {
  const row = {
    input,
    system,
    datasets: r.datasets,
    'datasets/s': Math.round(r.datasets / r.seconds),
    'MB/s': +(r.bytes / 1e6 / r.seconds).toFixed(1),
    'peak RSS MB': r.peakRssMB,
    'vs raw parser': rawSeconds ? `${Math.round((rawSeconds / r.seconds) * 100)}%` : '',
    're-ingest / first': r.reingestSeconds ? `${Math.round((r.reingestSeconds / r.seconds) * 100)}% (${r.reingestWrites} writes)` : '',
    seconds: +r.seconds.toFixed(2),
    // Where the CPU went: this process, and the rest of the machine (the database server).
    'Node CPU s': r.nodeCpuSeconds ?? '',
    'DB CPU s': r.otherCpuSeconds ?? '',
  };
  rows.push(row);
  console.error(JSON.stringify(row));
};

const pg = await startPostgres();
try {
  const inputs: [string, string, string[]][] = [['data.gov.be LDES, 20 pages (TriG)', 'trig', pages]];
  const largeMb = Number(process.env.BENCH_LARGE_MB ?? 200);
  if (largeMb > 0) inputs.push([`generated ${largeMb} MB N-Triples`, 'ntriples', [await generateLarge(largeMb)]]);
  for (const [name, format, files] of inputs) {
    const raw = measure('raw', format, '-', files);
    add(name, 'N3.js parser alone (ceiling)', raw);
    add(name, 'Vindbaar on Postgres 15', measure('vindbaar', format, await createDatabase(pg.url, `bench_${rows.length}`), files), raw.seconds);
    // The same without the full-text index, which a deployment with Elasticsearch leaves to the indexer.
    add(
      name,
      'Vindbaar on Postgres 15, store only',
      measure('vindbaar', format, await createDatabase(pg.url, `bench_${rows.length}`), files, { BENCH_NO_INDEX: '1' }),
      raw.seconds,
    );
    // The database's share alone: every record parsed, hashed, validated and built beforehand (not
    // measured), then only stored and indexed. No ingest can be faster than this on the same store.
    add(name, 'records prebuilt: Postgres 15 store + full text alone', measure('prebuilt', format, await createDatabase(pg.url, `bench_${rows.length}`), files), raw.seconds);
    const dir = mkdtempSync(join(tmpdir(), 'vb-bench-'));
    measure('create', format, `embedded:${dir}`, files);
    add(name, 'Vindbaar embedded (PGlite)', measure('vindbaar', format, `embedded:${dir}`, files), raw.seconds);
    rmSync(dir, { recursive: true, force: true });
    const prebuiltDir = mkdtempSync(join(tmpdir(), 'vb-bench-'));
    measure('create', format, `embedded:${prebuiltDir}`, files);
    add(name, 'records prebuilt: PGlite store + full text alone', measure('prebuilt', format, `embedded:${prebuiltDir}`, files), raw.seconds);
    rmSync(prebuiltDir, { recursive: true, force: true });
  }
  // Search latency over the sample catalogue, embedded and on the server.
  for (const target of ['embedded', await createDatabase(pg.url, 'bench_search')])
    execFileSync(process.execPath, ['--import', 'tsx', join(here, 'search.ts'), target], { stdio: ['ignore', 'inherit', 'inherit'] });
  // Search at scale on Elasticsearch (a million records by default; BENCH_SEARCH_N=0 skips it).
  if (Number(process.env.BENCH_SEARCH_N ?? 1_000_000) > 0)
    execFileSync(process.execPath, ['--import', 'tsx', join(here, 'search-scale.ts'), pg.url], { stdio: ['ignore', 'inherit', 'inherit'] });
  // Harvesting: the LDES from a local server, a generated dump's memory, one worker or two.
  if (process.env.BENCH_HARVEST !== '0') execFileSync(process.execPath, ['--import', 'tsx', join(here, 'harvest.ts'), pg.url], { stdio: ['ignore', 'inherit', 'inherit'] });
  // Linked data: record reads under load, the dump of a million records (BENCH_LD=0 skips it).
  if (process.env.BENCH_LD !== '0') execFileSync(process.execPath, ['--import', 'tsx', join(here, 'linked-data.ts'), pg.url], { stdio: ['ignore', 'inherit', 'inherit'] });
  // The quality score's share of ingest time (BENCH_QUALITY=0 skips it).
  if (process.env.BENCH_QUALITY !== '0') execFileSync(process.execPath, ['--import', 'tsx', join(here, 'quality.ts')], { stdio: ['ignore', 'inherit', 'inherit'] });
  // Link checks: 10,000 links against local servers, next to HEAD-only checking (BENCH_LINKS=0 skips it).
  if (Number(process.env.BENCH_LINKS ?? 10_000) > 0) execFileSync(process.execPath, ['--import', 'tsx', join(here, 'link-check.ts'), await createDatabase(pg.url, 'bench_links')], { stdio: ['ignore', 'inherit', 'inherit'] });
  // KPI snapshot over a million records (BENCH_KPI_N=0 skips it).
  if (Number(process.env.BENCH_KPI_N ?? 1_000_000) > 0) execFileSync(process.execPath, ['--import', 'tsx', join(here, 'kpi.ts'), await createDatabase(pg.url, 'bench_kpi')], { stdio: ['ignore', 'inherit', 'inherit'] });
  // Load: 200 clients mixing searches, reads and writes for LOAD_SECONDS (default 300; 0 skips it).
  if (Number(process.env.LOAD_SECONDS ?? 300) > 0) execFileSync(process.execPath, ['--import', 'tsx', join(here, 'load.ts'), pg.url], { stdio: ['ignore', 'inherit', 'inherit'] });
  // SPARQL over a million datasets on an Oxigraph server (BENCH_SPARQL_N=0 skips it).
  if (Number(process.env.BENCH_SPARQL_N ?? 1_000_000) > 0) execFileSync(process.execPath, ['--import', 'tsx', join(here, 'sparql.ts'), pg.url], { stdio: ['ignore', 'inherit', 'inherit'] });
  // `npm start` on a new data directory until a search finds the sample (BENCH_START_RUNS=0 skips it).
  if (Number(process.env.BENCH_START_RUNS ?? 3) > 0) execFileSync(process.execPath, ['--import', 'tsx', join(here, 'first-start.ts')], { stdio: ['ignore', 'inherit', 'inherit'] });
  // Validation against shacl-engine and pySHACL on the same records.
  execFileSync(process.execPath, ['--import', 'tsx', join(here, 'validation.ts')], { stdio: ['ignore', 'inherit', 'inherit'] });
} finally {
  pg.stop();
}
console.table(rows);
const resultsDir = join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
console.log(`written ${file}`);
