// SPARQL at scale (part of npm run bench; alone: tsx bench/sparql.ts [postgres url]).
// BENCH_SPARQL_N generated datasets (default 1,000,000), each a named graph as the sync writes them
// (type, titles in two languages, description, one or two of the 13 EU themes, publisher, keywords,
// modified, a distribution), bulk-loaded into an Oxigraph server (`oxigraph load`, PyPI) and into
// Virtuoso (Debian; its bulk loader), then queries through Vindbaar's /sparql on each next to the same
// queries sent to the store directly (the floor): a count by
// theme, a count by publisher within a theme, one dataset's triples. Then the sync: the 1,999
// data.gov.be datasets ingested and carried by the change feed into the loaded store. Prints a table and writes
// bench/results/sparql-*.json.
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { UNLIMITED } from './unlimited.js';
import { createServices } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { startPostgres, createDatabase } from '../test/support/postgres-server.js';
import { oxigraphBinary, startOxigraph } from '../test/support/oxigraph-server.js';
import { startVirtuoso } from '../test/support/virtuoso-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.BENCH_SPARQL_N ?? 1_000_000);
const REPEAT = 5;
const say = (m: string) => console.error(`[sparql ${new Date().toISOString().slice(11, 19)}] ${m}`);
const THEMES = ['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI', 'GOVE', 'HEAL', 'INTR', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'];
const WORDS = ['bevolking', 'water', 'mobiliteit', 'energie', 'onderwijs', 'gezondheid', 'werk', 'natuur', 'verkeer', 'economie', 'klimaat', 'wonen'];

/** N datasets as N-Quads, one graph each. */
async function generate(file: string): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  const t = (s: string, p: string, o: string, g: string) => `${s} <${p}> ${o} ${g} .\n`;
  const D = 'http://www.w3.org/ns/dcat#';
  const T = 'http://purl.org/dc/terms/';
  for (let i = 0; i < N; i++) {
    const ds = `<https://data.example.be/id/dataset/${i}>`;
    const g = `<http://bench.vindbaar.test/api/v1/records/r${i}>`;
    const w = WORDS[i % WORDS.length];
    let text =
      t(ds, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', `<${D}Dataset>`, g) +
      t(ds, `${T}title`, `"${w} ${i}"@nl`, g) +
      t(ds, `${T}title`, `"${w} ${i} (en)"@en`, g) +
      t(ds, `${T}description`, `"Gegevens over ${w} in gemeente ${i % 300}."@nl`, g) +
      t(ds, `${D}theme`, `<http://publications.europa.eu/resource/authority/data-theme/${THEMES[i % 13]}>`, g) +
      t(ds, `${T}publisher`, `<https://data.example.be/id/org/${i % 97}>`, g) +
      t(ds, `${D}keyword`, `"${w}"@nl`, g) +
      t(ds, `${T}modified`, `"20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}"^^<http://www.w3.org/2001/XMLSchema#date>`, g) +
      t(ds, `${D}distribution`, `<https://data.example.be/id/dataset/${i}/csv>`, g) +
      t(`<https://data.example.be/id/dataset/${i}/csv>`, `${D}accessURL`, `<https://data.example.be/files/${i}.csv>`, g);
    if (i % 3 === 0) text += t(ds, `${D}theme`, `<http://publications.europa.eu/resource/authority/data-theme/${THEMES[(i * 7) % 13]}>`, g);
    bytes += text.length;
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return bytes;
}

const QUERIES: Record<string, string> = {
  'count by theme': `PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT ?theme (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset; dcat:theme ?theme } GROUP BY ?theme ORDER BY DESC(?n)`,
  'count by publisher, one theme': `PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?publisher (COUNT(?d) AS ?n) WHERE { ?d dcat:theme <http://publications.europa.eu/resource/authority/data-theme/HEAL>; dct:publisher ?publisher } GROUP BY ?publisher ORDER BY DESC(?n) LIMIT 10`,
  'one dataset by IRI': `SELECT ?p ?o WHERE { <https://data.example.be/id/dataset/${Math.floor(N / 2)}> ?p ?o }`,
};

const given = process.argv[2];
const pg = given ? undefined : await startPostgres();
const dir = mkdtempSync(join(tmpdir(), 'vindbaar-bench-sparql-'));
const results: Record<string, unknown> = {};
try {
  // Virtuoso reads files only from folders it allows: the data file goes into its own.
  const virtuoso = await startVirtuoso({ buffers: 340_000 });
  const file = join(virtuoso.folder, 'datasets.nq');
  let t = performance.now();
  const bytes = await generate(file);
  say(`generated ${N} datasets, ${(bytes / 1e6).toFixed(0)} MB of N-Quads in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const location = join(dir, 'store');
  t = performance.now();
  execFileSync(oxigraphBinary(), ['load', '--location', location, '--file', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const loadSeconds = (performance.now() - t) / 1000;
  say(`oxigraph load: ${loadSeconds.toFixed(0)} s`);
  // Virtuoso next: the same file with its bulk loader.
  t = performance.now();
  execFileSync('isql-vt', [String(virtuoso.sqlPort), 'dba', 'dba', `exec=ld_dir('${virtuoso.folder}', 'datasets.nq', 'http://bench.vindbaar.test/unused'); rdf_loader_run(); checkpoint;`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const virtuosoLoadSeconds = (performance.now() - t) / 1000;
  say(`virtuoso load: ${virtuosoLoadSeconds.toFixed(0)} s`);
  rmSync(file);
  const oxigraph = await startOxigraph({ location, timeoutSeconds: 60 });
  const db = await createDatabase(given ?? pg!.url, `bench_sparql_${Date.now()}`);
  const serve = async (env: Record<string, string>) => {
    const services = await createServices(
      loadConfig({ ...UNLIMITED, DATABASE_URL: db, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_WORKERS: '0', VINDBAAR_BASE_URL: 'http://bench.vindbaar.test', VINDBAAR_SPARQL_TIMEOUT_MS: '60000', ...env }),
      pino({ level: 'warn' }),
    );
    const app = await buildServer(services);
    return { services, app, url: await app.listen({ port: 0, host: '127.0.0.1' }) };
  };
  const onVirtuoso = await serve({ SPARQL_URL: virtuoso.url, SPARQL_STORE: 'virtuoso' });
  const { services, app, url } = await serve({ SPARQL_URL: oxigraph.url });
  const rows: Record<string, unknown>[] = [];
  const time = async (run: () => Promise<Response>) => {
    const times: number[] = [];
    let rowsOut = 0;
    for (let i = 0; i < REPEAT; i++) {
      const s = performance.now();
      const res = await run();
      const body = (await res.json()) as { results: { bindings: unknown[] } };
      times.push(performance.now() - s);
      rowsOut = body.results.bindings.length;
    }
    const first = times[0];
    times.sort((a, b) => a - b);
    return { 'first ms': Math.round(first), 'median ms': Math.round(times[Math.floor(REPEAT / 2)]), rows: rowsOut };
  };
  for (const [name, query] of Object.entries(QUERIES)) {
    const headers = { accept: 'application/sparql-results+json', 'content-type': 'application/sparql-query' };
    rows.push({ query: name, system: 'Vindbaar /sparql', ...(await time(() => fetch(`${url}/sparql`, { method: 'POST', headers, body: query }))) });
    rows.push({ query: name, system: 'Oxigraph server directly (floor)', ...(await time(() => fetch(`${oxigraph.url}/query`, { method: 'POST', headers, body: query }))) });
    rows.push({ query: name, system: 'Vindbaar /sparql on Virtuoso', ...(await time(() => fetch(`${onVirtuoso.url}/sparql`, { method: 'POST', headers, body: query }))) });
    // Virtuoso takes POSTed queries as forms.
    const form = { accept: headers.accept, 'content-type': 'application/x-www-form-urlencoded' };
    rows.push({ query: name, system: 'Virtuoso directly (floor)', ...(await time(() => fetch(`${virtuoso.url}/sparql`, { method: 'POST', headers: form, body: new URLSearchParams({ query }).toString() }))) });
    say(JSON.stringify(rows.slice(-4)));
  }
  console.log(`\nSPARQL over ${N} generated datasets (${(bytes / 1e6).toFixed(0)} MB of N-Quads; bulk load: Oxigraph ${loadSeconds.toFixed(0)} s, Virtuoso ${virtuosoLoadSeconds.toFixed(0)} s); ${REPEAT} runs each`);
  console.table(rows);
  results.queries = rows;
  // The sync: the 1,999 data.gov.be datasets ingested, then carried into the loaded store by the change feed.
  const corpus = process.env.VINDBAAR_CORPUS ?? join(here, '../../shared/corpus');
  const ldesRoot = join(corpus, 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root');
  if (existsSync(ldesRoot)) {
    for (const d of readdirSync(ldesRoot).filter((x) => x.includes('_123187500_')).sort()) {
      const page = join(ldesRoot, d, 'index.trig');
      await services.ingest(createReadStream(page), { catalogId: 'datagovbe', source: { id: 'bench:ldes', kind: 'file', location: null }, format: 'trig', baseIRI: pathToFileURL(page).href });
    }
    const s0 = performance.now();
    const events = await services.sparql.sync.sync();
    const seconds = (performance.now() - s0) / 1000;
    results.sync = { events, seconds: +seconds.toFixed(2), 'records/s': Math.round(events / seconds) };
    console.log(`Sync into the loaded store: ${events} records (data.gov.be) in ${seconds.toFixed(2)} s, ${Math.round(events / seconds)} records/s`);
  }
  results.load = { datasets: N, mb: Math.round(bytes / 1e6), oxigraphSeconds: +loadSeconds.toFixed(1), virtuosoSeconds: +virtuosoLoadSeconds.toFixed(1) };
  await app.close();
  await services.close();
  await onVirtuoso.app.close();
  await onVirtuoso.services.close();
  await oxigraph.stop();
  await virtuoso.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
  pg?.stop();
}
const out = join(here, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, `sparql-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
