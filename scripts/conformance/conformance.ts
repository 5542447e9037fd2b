// The conformance suite (`npm run conformance`): Vindbaar's validator against two SHACL engines,
// pySHACL and shacl-engine, run on the official shapes, on every example file of every profile manifest
// (and of the shapes-only suites in dcat-profiles/shacl-conformance.json), each file validated on its own,
// in the manifest's default layers and in all its layers but the vocabularies. For each file and engine:
// the same verdict, and the same set of (focus node, path, constraint component, severity) results.
// Where the examples ship an expected report (the SEMIC DCAT-AP 1.1 shacl tests, Geonovum's DCAT-AP NL
// reports), Vindbaar is compared with that too.
//
// Every difference must be listed in dcat-profiles/shacl-conformance.json with its reason; the run
// fails (exit code 1) on any that is not. It prints a summary table and writes a machine-readable
// summary (and the raw reports) to bench/results/.
//
//   npm run conformance [-- --profile ID] [--record] [--readme]
//
// --record adds every unexplained difference to the table with the explanation "unexplained" (the run
//   still fails until each gets a real one). --readme rewrites the generated section of
//   dcat-profiles/README.md from the table, and runs nothing else.
//
// The data.gov.be LDES pages are left out (2,000 records: bench/validation.ts compares them record by
// record); the vocabularies layer too (Vindbaar checks code lists from its own snapshots in
// vocabularies/, the engines from the corpus files in the data graph, where they also judge the code
// lists themselves: results about resources the example does not describe).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Parser as N3Parser, Store } from 'n3';
import type { Term } from '@rdfjs/types';
import { corpusPath, hasCorpus } from '../../test/support/corpus.js';
import {
  CONFORMANCE_TABLE, DifferenceMatcher, PROFILES_DIR, readConformanceTable, readProfile, tupleKey, type ConformanceReference, type ConformanceSuite,
  type ConformanceTable, type KnownDifference, type NormalisedReport, type ObservedDifference, type ResultTuple,
} from '../../test/support/shacl-reference.js';

const HERE = import.meta.dirname;
const ROOT = join(HERE, '../..');
const TABLE = CONFORMANCE_TABLE;
const README = join(PROFILES_DIR, 'README.md');
const OUT = join(ROOT, 'bench/results');
const SH = 'http://www.w3.org/ns/shacl#';
const DASH = 'http://datashapes.org/dash#';
const RDF_FIRST = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#first';

const RDF_FILE = /\.(ttl|nt|nq|trig|jsonld|rdf|xml)$/;
// Not data: ISO 19139 inputs of the conversion tests, JSON-LD contexts, and the OSLO JSON-LD test files
// whose remote context is not in the corpus (each has an N-Triples twin that is used instead), as in
// compare-engines.ts.
const SKIP = (path: string) =>
  path.endsWith('/input.xml') || path.endsWith('/context.jsonld') || (path.includes('oslo-dcat-ap-vl-testdata/') && path.endsWith('.jsonld'));

// ---------------------------------------------------------------------------------------------------
// The table

type Engine = ConformanceReference;
const ENGINES: Exclude<Engine, 'expected'>[] = ['pyshacl', 'shacl-engine'];
type Tuple = ResultTuple;
type Difference = KnownDifference;
type Suite = ConformanceSuite;
type Table = ConformanceTable;

const readTable = () => readConformanceTable(TABLE);

const diffKey = (d: Omit<Difference, 'explanation'>) => JSON.stringify([d.file, d.profile, d.engine, d.side, d.result ? tupleKey(d.result) : null, d.match ?? null]);

// ---------------------------------------------------------------------------------------------------
// Running the engines

interface Line extends Partial<NormalisedReport> {
  file: string;
  error?: string;
}

/** One validation job: a set of files, one profile (or suite) and layer set, the three engines. */
interface Job {
  profile: string;
  layers: string;
  /** Engine arguments before the data files: --profile/--layers or --shapes/--vocabulary. */
  args: string[];
  files: string[];
  expected?: Suite['expected'];
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${basename(args[1] ?? command)} ${args.slice(2, 6).join(' ')} ... failed (${code}):\n${Buffer.concat(err).toString('utf8').slice(-2000)}`));
    });
  });
}

/** At most `n` promises at a time (two vCPUs: more only makes each engine slower). */
async function pool<T>(tasks: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

const parseLines = (text: string): Map<string, Line> => new Map(text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line).map((l) => [l.file, l]));

function filesUnder(path: string): string[] {
  const abs = corpusPath(path);
  if (!statSync(abs).isDirectory()) return [abs];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .map((f) => join(abs, f))
    .filter((f) => RDF_FILE.test(f) && statSync(f).isFile() && !SKIP(f))
    .sort();
}

const shown = (abs: string) => abs.slice(corpusPath('').length).replace(/^\//, '');

function profileJobs(ids: string[]): Job[] {
  const jobs: Job[] = [];
  for (const id of ids) {
    const m = readProfile(id);
    const files = m.examples.filter((e) => !e.path.startsWith('real/datagovbe-ldes')).flatMap((e) => filesUnder(e.path));
    if (files.length === 0) continue;
    const all = [...new Set(m.shapes.map((s) => s.layer))].filter((l) => l !== 'vocabularies');
    const sets = [m.defaultLayers, all].map((l) => [...l].sort().join(','));
    for (const layers of [...new Set(sets)]) jobs.push({ profile: id, layers, args: ['--profile', id, '--layers', layers], files });
  }
  return jobs;
}

function suiteJobs(suites: Suite[]): Job[] {
  return suites.map((s) => ({
    profile: s.id,
    layers: 'shapes',
    args: [...s.shapes.flatMap((p) => ['--shapes', p.startsWith('./') ? join(ROOT, p) : corpusPath(p)]), ...(s.vocabularies ?? []).flatMap((p) => ['--vocabulary', corpusPath(p)])],
    files: s.files.flatMap(filesUnder).filter((f) => !/\.test\.ttl$/.test(f) && !f.includes('/resultaat/') && !f.endsWith('_resultaat.ttl')),
    expected: s.expected,
  }));
}

// ---------------------------------------------------------------------------------------------------
// Expected reports shipped with the examples

/** The results of a sh:ValidationReport, or of a dash:GraphValidationTestCase's dash:expectedResult. */
function readExpectedReport(path: string): { conforms: boolean; results: Tuple[] } {
  const store = new Store(new N3Parser({ baseIRI: `file://${path}` }).parse(readFileSync(path, 'utf8')));
  const one = (s: Term, p: string) => store.getObjects(s, p, null)[0];
  const reports = store.getSubjects('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', `${SH}ValidationReport`, null);
  const report = store.getObjects(null, `${DASH}expectedResult`, null)[0] ?? reports[0];
  if (!report) throw new Error(`${path}: no sh:ValidationReport`);
  const pathOf = (t: Term | undefined): string | null => {
    if (!t) return null;
    if (t.termType === 'NamedNode') return t.value;
    // The expected reports in the corpus use plain predicates only; anything else is shown, not guessed.
    return store.getObjects(t, RDF_FIRST, null).length ? '(sequence)' : '(complex path)';
  };
  const results = store.getObjects(report, `${SH}result`, null).map((r) => {
    const focus = one(r, `${SH}focusNode`);
    return {
      focusNode: focus.termType === 'BlankNode' ? '_:' : focus.value,
      path: pathOf(one(r, `${SH}resultPath`)),
      component: one(r, `${SH}sourceConstraintComponent`).value,
      // TopBraid's test cases may leave the severity out; SHACL's default is sh:Violation.
      severity: one(r, `${SH}resultSeverity`)?.value ?? `${SH}Violation`,
    };
  });
  return { conforms: one(report, `${SH}conforms`)?.value === 'true', results };
}

// ---------------------------------------------------------------------------------------------------
// Comparing

/** A difference as found by a run, before the table is consulted. */
type Observed = ObservedDifference;

interface Found extends Observed {
  explanation: string;
  explained: boolean;
}

interface PairStats {
  files: number;
  verdictsAgree: number;
  /** Distinct result tuples on either side, and on both. */
  union: number;
  both: number;
  onlyVindbaar: number;
  onlyReference: number;
  parseDifferences: number;
}

const emptyStats = (): PairStats => ({ files: 0, verdictsAgree: 0, union: 0, both: 0, onlyVindbaar: 0, onlyReference: 0, parseDifferences: 0 });

function tuples(r: Partial<NormalisedReport>): Map<string, Tuple> {
  return new Map((r.results ?? []).map((x) => {
    const t = { focusNode: x.focusNode, path: x.path, component: x.component, severity: x.severity };
    return [tupleKey(t), t];
  }));
}

function compare(job: Job, file: string, engine: Engine, ours: Line | undefined, theirs: Line | { conforms: boolean; results: Tuple[] } | undefined, stats: PairStats, push: (d: Observed) => void): void {
  const base = { file, profile: job.profile, layers: [job.layers] as [string], engine };
  if (!ours || !theirs) return;
  const ourError = ours.error !== undefined;
  const theirError = 'error' in theirs && theirs.error !== undefined;
  if (ourError && theirError) return; // rejected by both parsers: nothing to compare
  stats.files++;
  if (ourError !== theirError) {
    stats.parseDifferences++;
    push({ ...base, side: 'parse' });
    return;
  }
  const a = tuples(ours);
  const b = tuples(theirs as Partial<NormalisedReport>);
  if (ours.conforms === theirs.conforms) stats.verdictsAgree++;
  else push({ ...base, side: 'verdict' });
  const union = new Set([...a.keys(), ...b.keys()]);
  stats.union += union.size;
  for (const [k, t] of a) {
    if (b.has(k)) stats.both++;
    else {
      stats.onlyVindbaar++;
      push({ ...base, side: 'vindbaar', result: t });
    }
  }
  for (const [k, t] of b)
    if (!a.has(k)) {
      stats.onlyReference++;
      push({ ...base, side: 'reference', result: t });
    }
}

// ---------------------------------------------------------------------------------------------------
// The README section

function readmeSection(table: Table): string {
  const out: string[] = [];
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const short = (iri: string) =>
    iri
      .replace(SH, 'sh:')
      .replace('http://www.w3.org/ns/dcat#', 'dcat:')
      .replace('http://purl.org/dc/terms/', 'dct:')
      .replace('http://xmlns.com/foaf/0.1/', 'foaf:')
      .replace('http://data.europa.eu/r5r/', 'dcatap:');
  const shortPath = (p: string | null) => (p === null ? '–' : p.startsWith('(') || p.startsWith('^') || p.startsWith('<') ? p.replace(/<([^>]+)>/g, (_, i: string) => short(i)) : short(p));
  out.push('Generated from `shacl-conformance.json` by `npx tsx scripts/conformance/conformance.ts --readme`.', '');
  if (table.suites.length) {
    out.push('Shapes without a manifest whose examples are checked too:', '');
    for (const s of table.suites) out.push(`- \`${s.id}\`: ${s.title}. ${s.about ?? ''}`.trimEnd());
    out.push('');
  }
  if (table.uncovered.length) {
    out.push('Example folders not checked:', '');
    for (const u of table.uncovered) out.push(`- \`${u.path}\`: ${u.reason}`);
    out.push('');
  }
  out.push('Kinds of difference:', '');
  for (const [id, e] of Object.entries(table.explanations)) out.push(`- **${id}** (${e.reason}; right: ${e.right}). ${e.text}`);
  out.push('', 'Every known difference (one row per file, reference, side and result, or per kind of result with its count (`n × /focus node pattern/`); layer sets as run):', '');
  out.push('| file | profile | layers | reference | only in | focus node | path | component | severity | kind |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const d of table.differences) {
    // A `match` entry covers `count` results of one kind (per layer set): shown with the fields it fixes.
    const r = d.result ?? (d.match ? { focusNode: `${d.count} × ${d.match.focusNode === undefined ? 'any' : `/${d.match.focusNode}/`}`, path: d.match.path ?? null, component: d.match.component ?? 'any', severity: d.match.severity ?? 'any' } : undefined);
    out.push(
      `| ${cell(d.file)} | ${d.profile} | ${d.layers?.join('; ') ?? 'all'} | ${d.engine} | ${d.side} | ${r ? cell(r.focusNode) : '–'} | ${r ? cell(shortPath(r.path)) : '–'} | ${r ? short(r.component).replace('ConstraintComponent', '') : '–'} | ${r ? short(r.severity) : '–'} | ${d.explanation} |`,
    );
  }
  return out.join('\n');
}

function writeReadme(table: Table): void {
  const text = readFileSync(README, 'utf8');
  const begin = '<!-- conformance:begin (generated by scripts/conformance/conformance.ts --readme) -->';
  const end = '<!-- conformance:end -->';
  const at = text.indexOf(begin);
  const section = `${begin}\n\n${readmeSection(table)}\n\n${end}`;
  if (at < 0) throw new Error(`dcat-profiles/README.md has no ${begin} marker`);
  writeFileSync(README, text.slice(0, at) + section + text.slice(text.indexOf(end) + end.length));
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const { values } = parseArgs({ options: { profile: { type: 'string' }, record: { type: 'boolean', default: false }, readme: { type: 'boolean', default: false } } });
  const table = readTable();
  if (values.readme) {
    writeReadme(table);
    return;
  }
  if (!hasCorpus) throw new Error('the reference corpus is needed (set VINDBAAR_CORPUS)');
  const t0 = performance.now();
  const setup = spawnSync(join(HERE, 'setup.sh'), { encoding: 'utf8' });
  if (setup.status !== 0) throw new Error(`setup.sh failed:\n${setup.stderr}`);
  const python = setup.stdout.trim();
  const ids = readdirSync(PROFILES_DIR).filter((f) => f.endsWith('.json') && !f.startsWith('shacl-')).map((f) => f.slice(0, -5)).sort();
  const jobs = [...profileJobs(ids), ...suiteJobs(table.suites)].filter((j) => !values.profile || j.profile === values.profile);
  const raw = join(OUT, 'conformance');
  mkdirSync(raw, { recursive: true });

  const tsx = join(ROOT, 'node_modules/.bin/tsx');
  const commands = (j: Job): Record<Engine | 'vindbaar', [string, string[]] | undefined> => ({
    vindbaar: [tsx, [join(HERE, 'vindbaar-report.ts'), ...j.args, '--each-file', ...j.files]],
    'shacl-engine': [tsx, [join(HERE, 'shacl-engine-report.ts'), ...j.args, '--each-file', ...j.files]],
    pyshacl: [python, [join(HERE, 'pyshacl_report.py'), ...j.args, '--each-file', ...j.files]],
    expected: undefined,
  });
  // pySHACL is by far the slowest: its jobs go first, so the pool ends with the quick ones.
  const tasks: { job: Job; engine: 'vindbaar' | 'shacl-engine' | 'pyshacl' }[] = [];
  for (const engine of ['pyshacl', 'shacl-engine', 'vindbaar'] as const) for (const job of jobs) tasks.push({ job, engine });
  const outputs = await pool(
    tasks.map(({ job, engine }) => async () => {
      const [cmd, args] = commands(job)[engine]!;
      const t = performance.now();
      const text = await run(cmd, args);
      writeFileSync(join(raw, `${job.profile}.${job.layers.replace(/,/g, '+')}.${engine}.jsonl`), text);
      return { job, engine, lines: parseLines(text), seconds: (performance.now() - t) / 1000 };
    }),
    2,
  );
  const out = (job: Job, engine: string) => outputs.find((o) => o.job === job && o.engine === engine)!;

  const found: Observed[] = [];
  const rows: { profile: string; layers: string; files: number; stats: Record<Engine, PairStats> }[] = [];
  for (const job of jobs) {
    const stats: Record<Engine, PairStats> = { pyshacl: emptyStats(), 'shacl-engine': emptyStats(), expected: emptyStats() };
    const ours = out(job, 'vindbaar').lines;
    for (const abs of job.files) {
      const file = shown(abs);
      for (const engine of ENGINES) compare(job, file, engine, ours.get(file), out(job, engine).lines.get(file), stats[engine], (d) => found.push(d));
      const exp = job.expected?.[file];
      if (exp) {
        const theirs = exp.report ? readExpectedReport(corpusPath(exp.report)) : { conforms: exp.conforms ?? true, results: [] };
        const line = ours.get(file);
        // A bare verdict ("EXPECTED INVALID") says nothing about results: compare the verdict only.
        if (line && !exp.report) {
          stats.expected.files++;
          if (line.error === undefined && line.conforms === theirs.conforms) stats.expected.verdictsAgree++;
          else found.push({ file, profile: job.profile, layers: [job.layers], engine: 'expected', side: line.error === undefined ? 'verdict' : 'parse' });
        } else compare(job, file, 'expected', line, theirs, stats.expected, (d) => found.push(d));
      }
    }
    rows.push({ profile: job.profile, layers: job.layers, files: job.files.length, stats });
  }

  // Explained: an entry of the table lists the difference (or, with `match`, its kind) for that file,
  // profile, reference and side, in that layer set when it names layer sets.
  const matcher = new DifferenceMatcher(table);
  const results: Found[] = found.map((d) => {
    const k = matcher.explain(d);
    return { ...d, explanation: k?.explanation ?? 'unexplained', explained: !!k };
  });
  const unexplained = results.filter((r) => !r.explained);
  const ranSets = (profile: string, engine: Engine) => [...new Set(jobs.filter((j) => j.profile === profile && (engine !== 'expected' || j.expected)).map((j) => j.layers))];
  const stale = matcher.stale(ranSets);

  // Summary table.
  const pct = (a: number, b: number) => (b === 0 ? '100.0' : ((100 * a) / b).toFixed(1));
  const fmt = (s: PairStats) => (s.files === 0 ? '– | –' : `${s.verdictsAgree}/${s.files} | ${pct(s.both, s.union)}% (${s.onlyVindbaar}/${s.onlyReference})`);
  console.log('| profile | layers | files | pySHACL: same verdict | same results (only Vindbaar / only pySHACL) | shacl-engine: same verdict | same results | expected report: same verdict | same results |');
  console.log('|---|---|---:|---:|---|---:|---|---:|---|');
  const totals: Record<Engine, PairStats> = { pyshacl: emptyStats(), 'shacl-engine': emptyStats(), expected: emptyStats() };
  for (const r of rows) {
    console.log(`| ${r.profile} | ${r.layers} | ${r.files} | ${fmt(r.stats.pyshacl)} | ${fmt(r.stats['shacl-engine'])} | ${fmt(r.stats.expected)} |`);
    for (const e of [...ENGINES, 'expected'] as Engine[]) for (const k of Object.keys(totals[e]) as (keyof PairStats)[]) totals[e][k] += r.stats[e][k];
  }
  console.log(`| **all** | | ${rows.reduce((n, r) => n + r.files, 0)} | ${fmt(totals.pyshacl)} | ${fmt(totals['shacl-engine'])} | ${fmt(totals.expected)} |`);
  const byExplanation = new Map<string, number>();
  for (const r of results) byExplanation.set(r.explanation, (byExplanation.get(r.explanation) ?? 0) + 1);
  console.log(`\n${results.length} differences, ${results.length - unexplained.length} explained: ${[...byExplanation].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  for (const u of unexplained.slice(0, 200)) console.log(`UNEXPLAINED ${u.engine} ${u.side} ${u.file} [${u.profile} ${u.layers![0]}] ${u.result ? tupleKey(u.result) : ''}`);
  if (unexplained.length > 200) console.log(`... and ${unexplained.length - 200} more`);
  for (const { entry: s, layers, found: n } of stale)
    console.log(`STALE table entry (${s.match ? `covers ${n} results, count says ${s.count}` : 'no longer found'}): ${s.engine} ${s.side} ${s.file} [${s.profile} ${layers}] ${s.result ? tupleKey(s.result) : s.match ? JSON.stringify(s.match) : ''}`);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`\n${jobs.length} jobs, ${seconds.toFixed(0)} s; reports in ${raw}`);

  const summary = {
    date: new Date().toISOString(),
    seconds: +seconds.toFixed(1),
    engines: Object.fromEntries(['pyshacl', 'shacl-engine', 'vindbaar'].map((e) => [e, +outputs.filter((o) => o.engine === e).reduce((n, o) => n + o.seconds, 0).toFixed(1)])),
    rows: rows.map((r) => ({ profile: r.profile, layers: r.layers, files: r.files, ...r.stats })),
    totals,
    differences: results.length,
    explained: results.length - unexplained.length,
    byExplanation: Object.fromEntries(byExplanation),
    unexplained,
    stale: stale.map((s) => ({ ...s.entry, layers: [s.layers], found: s.found })),
  };
  writeFileSync(join(OUT, 'conformance.json'), `${JSON.stringify(summary, null, 1)}\n`);
  console.log(`summary: ${join(OUT, 'conformance.json')}`);

  if (values.record && unexplained.length) {
    // Merge: one entry per difference; a difference seen in several layer sets lists them all.
    const merged = new Map<string, Difference>(table.differences.map((d) => [diffKey(d), d]));
    for (const u of unexplained) {
      const k = diffKey({ ...u, match: undefined });
      const have = merged.get(k);
      if (have) have.layers = [...new Set([...(have.layers ?? []), ...u.layers!])];
      else merged.set(k, { file: u.file, profile: u.profile, layers: u.layers, engine: u.engine, side: u.side, ...(u.result ? { result: u.result } : {}), explanation: 'unexplained' });
    }
    table.differences = [...merged.values()].sort((a, b) => (diffKey(a) < diffKey(b) ? -1 : 1));
    writeFileSync(TABLE, `${JSON.stringify(table, null, 2)}\n`);
    console.log(`recorded ${unexplained.length} differences in ${TABLE}`);
  }
  // A stale entry fails the run too: the table must say what is, not what was.
  process.exitCode = unexplained.length || stale.length ? 1 : 0;
}

await main();
