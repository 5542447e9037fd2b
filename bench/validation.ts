// Validation throughput of Vindbaar next to two SHACL engines on the official shapes, on the same
// records in one run: the 1,999 data.gov.be datasets of the 20 LDES pages, one record per member graph,
// DCAT-AP 3.0.1 (core), or DCAT-AP HVD 3.0 for members with an HVD category, as
// scripts/conformance/*-report.ts do. Times are validation only (no parsing) and verdicts and results
// are compared record by record. pySHACL runs when its virtualenv can be made (BENCH_PYSHACL=0 skips).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseString } from '../src/rdf/parse.js';
import type { Quad } from '../src/rdf/terms.js';
import { profileValidator } from '../src/validation/profiles.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const corpus = process.env.VINDBAAR_CORPUS ?? join(root, '../shared/corpus');
const ldesRoot = join(corpus, 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root');
const pages = readdirSync(ldesRoot)
  .filter((d) => d.includes('_123187500_'))
  .map((d) => join(ldesRoot, d, 'index.trig'))
  .sort();
const HVD = 'http://data.europa.eu/r5r/hvdCategory';

interface GraphReport {
  graph: string;
  profile: string;
  ms: number;
  conforms: boolean;
  results: { focusNode: string; path: string | null; component: string; severity: string; sourceShape: string; value?: string }[];
}

/** Ours, in this process, timed around validation alone. A pass takes a fraction of a second, so
 * five passes are made and each record's median time is kept (the peers' runs of 15 s and more are
 * long enough to be warm on their own). */
async function ours(): Promise<GraphReport[]> {
  const passes: GraphReport[][] = [];
  for (let i = 0; i < 5; i++) passes.push(await onePass());
  cold = passes[0];
  return passes[0].map((r, i) => ({ ...r, ms: median(passes.map((p) => p[i].ms)) }));
}

/** The first pass alone: what a one-shot command sees, compilation of the code included. */
let cold: GraphReport[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

let parsed: [string, Quad[]][][] | undefined;

async function onePass(): Promise<GraphReport[]> {
  const out: GraphReport[] = [];
  const validators = { base: profileValidator('dcat-ap-3.0.1'), hvd: profileValidator('dcat-ap-hvd-3.0') };
  const pageGraphs: [string, Quad[]][][] = parsed ?? [];
  if (!parsed) for (const page of pages) {
    const quads = await parseString(readFileSync(page, 'utf8'), { format: 'trig', baseIRI: `file://${page}` });
    const byGraph = new Map<string, Quad[]>();
    for (const q of quads) {
      if (q.graph.termType === 'DefaultGraph') continue;
      let list = byGraph.get(q.graph.value);
      if (!list) byGraph.set(q.graph.value, (list = []));
      list.push(q);
    }
    pageGraphs.push([...byGraph]);
  }
  parsed = pageGraphs;
  for (const graphs of pageGraphs)
    for (const [graph, qs] of graphs) {
      const hvd = qs.some((q) => q.predicate.value === HVD);
      const t = performance.now();
      const results = (hvd ? validators.hvd : validators.base).validateDocument(qs);
      const ms = performance.now() - t;
      out.push({
        graph,
        profile: hvd ? 'dcat-ap-hvd-3.0' : 'dcat-ap-3.0.1',
        ms,
        conforms: !results.some((r) => r.resultSeverity.endsWith('#Violation')),
        results: results.map((r) => ({ focusNode: r.focusNode, path: r.resultPath ?? null, component: r.sourceConstraintComponent, severity: r.resultSeverity, sourceShape: r.sourceShape, value: r.value })),
      });
    }
  return out;
}

function peer(command: string, args: string[]): GraphReport[] | undefined {
  const r = spawnSync(command, [...args, '--profile', 'dcat-ap-3.0.1', '--profile-when', `${HVD}=dcat-ap-hvd-3.0`, '--per-graph', '--timings', ...pages], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
    return undefined;
  }
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as GraphReport);
}

function pyshacl(): GraphReport[] | undefined {
  if (process.env.BENCH_PYSHACL === '0') return undefined;
  let python: string;
  try {
    python = execFileSync(join(root, 'scripts/conformance/setup.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch {
    console.error('pySHACL virtualenv could not be made; skipping pySHACL');
    return undefined;
  }
  return peer(python, [join(root, 'scripts/conformance/pyshacl_report.py')]);
}

/** Blank nodes without labels (engines label them differently), value included. */
function tuples(r: GraphReport): Set<string> {
  const b = (s: string | undefined) => (s?.startsWith('_:') ? '_:' : (s ?? ''));
  return new Set(r.results.map((x) => [b(x.focusNode), x.path ?? '', x.component, x.severity, b(x.sourceShape), b(x.value)].join(' | ')));
}

function compare(a: GraphReport[], b: GraphReport[]): { verdicts: string; results: string } {
  const byGraph = new Map(b.map((r) => [r.graph.replace(/^.*#/, ''), r]));
  let sameVerdict = 0;
  let common = 0;
  let total = 0;
  for (const r of a) {
    const other = byGraph.get(r.graph.replace(/^.*#/, ''));
    if (!other) continue;
    if (other.conforms === r.conforms) sameVerdict++;
    const x = tuples(r);
    const y = tuples(other);
    for (const t of x) if (y.has(t)) common++;
    total += new Set([...x, ...y]).size;
  }
  return { verdicts: `${sameVerdict}/${a.length}`, results: total === 0 ? '100%' : `${((common / total) * 100).toFixed(2)}% of ${total}` };
}

const sum = (rs: GraphReport[]) => rs.reduce((s, r) => s + r.ms, 0) / 1000;
const mine = await ours();
const engine = peer(process.execPath, ['--import', 'tsx', join(root, 'scripts/conformance/shacl-engine-report.ts')]);
const py = pyshacl();
const rows: Record<string, unknown>[] = [];
const row = (system: string, rs: GraphReport[] | undefined) => {
  if (!rs) return;
  const seconds = sum(rs);
  const agreement = rs === mine ? { verdicts: '', results: '' } : compare(mine, rs);
  rows.push({
    system,
    records: rs.length,
    'records/s': Math.round(rs.length / seconds),
    seconds: +seconds.toFixed(2),
    'Vindbaar is': rs === mine ? '' : `${(seconds / sum(mine)).toFixed(1)}x faster`,
    'same verdicts': agreement.verdicts,
    'same results': agreement.results,
  });
};
row('Vindbaar (ajv, compiled profiles), median of 5 passes', mine);
rows.push({
  system: 'Vindbaar, first pass only (cold)',
  records: cold.length,
  'records/s': Math.round(cold.length / sum(cold)),
  seconds: +sum(cold).toFixed(2),
  'Vindbaar is': '',
  'same verdicts': '',
  'same results': '',
});
row('shacl-engine 1.x (npm)', engine);
row('pySHACL 0.40 (PyPI)', py);
// The national catalogue record (one member with 17,828 dcat:dataset links) dominates some engines'
// time; the same comparison without it shows the per-dataset cost.
const biggest = mine.reduce((a, b) => (b.results.length > a.results.length ? b : a)).graph.replace(/^.*#/, '');
const without = (rs: GraphReport[] | undefined) => rs?.filter((r) => r.graph.replace(/^.*#/, '') !== biggest);
const mineWithout = without(mine)!;
const rowWithout = (system: string, rs: GraphReport[] | undefined) => {
  if (!rs) return;
  const seconds = sum(rs);
  rows.push({
    system: `${system}, without the catalogue record`,
    records: rs.length,
    'records/s': Math.round(rs.length / seconds),
    seconds: +seconds.toFixed(2),
    'Vindbaar is': rs === mineWithout ? '' : `${(seconds / sum(mineWithout)).toFixed(1)}x faster`,
    'same verdicts': '',
    'same results': '',
  });
};
rowWithout('Vindbaar', mineWithout);
rowWithout('shacl-engine', without(engine));
rowWithout('pySHACL', without(py));
console.table(rows);
const dir = join(here, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `validation-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, pages: pages.map((p) => relative(corpus, p)), rows }, null, 2));
console.log(`written ${file}`);
