// The reference SHACL engine for conformance tests: shacl-engine (npm) run on the official shapes named by
// a profile manifest in dcat-profiles/, with its report reduced to a normalised form that
// scripts/conformance/pyshacl_report.py prints too, so that two engines (and later our own validator)
// can be compared field by field.
//
// Parsing is done here with N3.js, jsonld-streaming-parser and rdfxml-streaming-parser directly, not
// with src/rdf: a reference must not share code (or bugs) with the thing it checks.
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DataFactory, Parser as N3Parser, Store } from 'n3';
import type { BlankNode, DatasetCore, Literal, NamedNode, Quad, Term } from '@rdfjs/types';
import { JsonLdParser } from 'jsonld-streaming-parser';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { corpusPath } from './corpus.js';

export const PROFILES_DIR = join(import.meta.dirname, '../../dcat-profiles');

const SH = 'http://www.w3.org/ns/shacl#';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

// ---------------------------------------------------------------------------------------------------
// Profile manifests (format documented in dcat-profiles/README.md)

export interface ShapesFile {
  path: string;
  layer: string;
  about?: string;
}

export interface VocabularyFile {
  scheme: string;
  /** Corpus path, or null when the corpus has no copy (the manifest says so rather than hiding it). */
  path: string | null;
  layer: string;
  about?: string;
}

/** A triple of a shapes file, IRIs only (the defects found so far are all about named shapes). */
export interface ShapesTriple {
  subject: string;
  predicate: string;
  object: string;
}

/**
 * A documented defect in a published shapes file and what every engine gets instead. Applied to that
 * file's triples as it is read, before it joins the other files of the profile.
 */
export interface Deviation {
  id: string;
  file: string;
  /** Triples of the file that are left out. */
  remove?: ShapesTriple[];
  /** IRIs of the file replaced by others (for shapes whose IRI another file of the profile also uses). */
  rename?: Array<{ from: string; to: string }>;
  reason: string;
  effect: string;
}

export interface ExampleFolder {
  path: string;
  expectation: 'valid' | 'invalid' | 'mixed' | 'illustrative' | 'real';
  about?: string;
}

export interface ProfileManifest {
  id: string;
  title: string;
  version: string;
  publisher: string;
  specification: string;
  base: string | null;
  includeBase: boolean;
  shapes: ShapesFile[];
  defaultLayers: string[];
  vocabularies: VocabularyFile[];
  deviations: Deviation[];
  examples: ExampleFolder[];
}

export function readProfile(id: string): ProfileManifest {
  return JSON.parse(readFileSync(join(PROFILES_DIR, `${id}.json`), 'utf8')) as ProfileManifest;
}

export interface ResolvedProfile {
  /** Corpus-relative shapes files, base profile first. */
  shapes: string[];
  /** Corpus-relative vocabulary files that are added to the data graph (SHACL reads vocabularies there). */
  data: string[];
  /** The manifests' deviations that apply to these shapes files. */
  deviations: Deviation[];
}

/**
 * The files to load for a profile: its shapes in the chosen layers (default: the manifest's
 * defaultLayers), the vocabularies of those layers, and the same again for its base profile when the
 * manifest says it builds on the base shapes rather than repeating them.
 */
export function resolveProfile(id: string, layers?: string[]): ResolvedProfile {
  const m = readProfile(id);
  const want = new Set(layers ?? m.defaultLayers);
  const shapes = m.shapes.filter((s) => want.has(s.layer)).map((s) => s.path);
  const own: ResolvedProfile = {
    shapes,
    data: m.vocabularies.filter((v) => want.has(v.layer) && v.path !== null).map((v) => v.path as string),
    deviations: m.deviations.filter((d) => shapes.includes(d.file)),
  };
  if (!m.base || !m.includeBase) return own;
  // The base gets the layers chosen for this profile, so that "core only" means core only throughout.
  const base = resolveProfile(m.base, [...want]);
  return { shapes: [...base.shapes, ...own.shapes], data: [...new Set([...base.data, ...own.data])], deviations: [...base.deviations, ...own.deviations] };
}

// ---------------------------------------------------------------------------------------------------
// Reading RDF files

/** The SEMIC DCAT-AP 3 examples point at a remote context that has a verbatim copy in the corpus. */
const LOCAL_CONTEXTS: Record<string, string> = {
  'https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld': 'examples/semic-dcat-ap-3.0.1/context.jsonld',
};

const documentLoader = {
  async load(url: string) {
    const local = LOCAL_CONTEXTS[url];
    // No network: an unknown remote context is an error the caller sees, not a silent empty context.
    if (!local) throw new Error(`remote JSON-LD context not available offline: ${url}`);
    return JSON.parse(readFileSync(corpusPath(local), 'utf8'));
  },
};

/** N3's factory with literal() tolerating the null language jsonld-streaming-parser passes. */
const parserFactory = {
  ...DataFactory,
  literal: (value: string, languageOrDatatype?: string | NamedNode | null) => DataFactory.literal(value, languageOrDatatype ?? undefined),
};

function collect(parser: NodeJS.ReadWriteStream, text: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    parser.on('data', (q: Quad) => quads.push(q));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.write(text);
    parser.end();
  });
}

/** Parses one RDF file, keeping graph names (TriG and N-Quads). */
export async function readRdfQuads(path: string): Promise<Quad[]> {
  const text = readFileSync(path, 'utf8');
  const baseIRI = `file://${path}`;
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonld' || ext === '.json') {
    return collect(new JsonLdParser({ dataFactory: parserFactory as never, baseIRI, documentLoader }) as unknown as NodeJS.ReadWriteStream, text);
  }
  if (ext === '.rdf' || ext === '.xml' || ext === '.owl') {
    return collect(new RdfXmlParser({ dataFactory: parserFactory as never, baseIRI }) as unknown as NodeJS.ReadWriteStream, text);
  }
  const format = ext === '.nt' ? 'N-Triples' : ext === '.nq' ? 'N-Quads' : ext === '.trig' ? 'TriG' : 'Turtle';
  return new N3Parser({ format, baseIRI }).parse(text) as Quad[];
}

/**
 * Parses one RDF file into triples. Graph names are dropped (LDES pages keep each member in a named
 * graph; SHACL validates one data graph, and both reference engines get the same merged graph).
 */
export async function readRdf(path: string): Promise<Quad[]> {
  const dg = DataFactory.defaultGraph();
  return (await readRdfQuads(path)).map((q) => (q.graph.termType === 'DefaultGraph' ? q : DataFactory.quad(q.subject, q.predicate, q.object, dg)));
}

/** The triples of each named graph of a file (the default graph left out), by graph name. */
export async function readNamedGraphs(path: string): Promise<Map<string, Quad[]>> {
  const graphs = new Map<string, Quad[]>();
  const dg = DataFactory.defaultGraph();
  for (const q of await readRdfQuads(path)) {
    if (q.graph.termType === 'DefaultGraph') continue;
    const name = q.graph.value;
    let g = graphs.get(name);
    if (!g) graphs.set(name, (g = []));
    g.push(DataFactory.quad(q.subject, q.predicate, q.object, dg));
  }
  return graphs;
}

export async function readCorpusFiles(paths: string[]): Promise<Quad[]> {
  const all: Quad[] = [];
  for (const p of paths) all.push(...(await readRdf(corpusPath(p))));
  return all;
}

// ---------------------------------------------------------------------------------------------------
// The normalised report

export interface NormalisedResult {
  focusNode: string;
  /** The predicate IRI for a plain path, else the path in SPARQL property-path syntax. */
  path: string | null;
  component: string;
  severity: string;
  sourceShape: string;
  value?: string;
  message?: string;
}

export interface NormalisedReport {
  conforms: boolean;
  results: NormalisedResult[];
}

/** IRIs as themselves, blank nodes as '_:' (labels differ between engines), literals in N-Triples form. */
export function termString(t: Term): string {
  if (t.termType === 'NamedNode') return t.value;
  if (t.termType === 'BlankNode') return '_:';
  if (t.termType === 'Literal') {
    const l = t as Literal;
    const lex = `"${l.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
    if (l.language) return `${lex}@${l.language.toLowerCase()}`;
    if (l.datatype.value === XSD_STRING || l.datatype.value === RDF_LANG_STRING) return lex;
    return `${lex}^^<${l.datatype.value}>`;
  }
  return t.value;
}

const RESULT_KEYS = ['focusNode', 'path', 'component', 'severity', 'sourceShape', 'value', 'message'] as const;

/** The order both reference scripts use: field by field, in RESULT_KEYS order, by UTF-16 code unit. */
export function compareResults(a: NormalisedResult, b: NormalisedResult): number {
  for (const k of RESULT_KEYS) {
    const x = a[k] ?? '';
    const y = b[k] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** One path step as shacl-engine's parsePath returns it. */
interface EngineStep {
  quantifier: 'one' | 'oneOrMore' | 'zeroOrMore' | 'zeroOrOne';
  start: 'subject' | 'object';
  predicates: NamedNode[];
}

function stepString(s: EngineStep): string {
  const iri = (p: NamedNode) => `<${p.value}>`;
  let out = s.predicates.length > 1 ? `(${s.predicates.map(iri).join('|')})` : iri(s.predicates[0]);
  if (s.start === 'object') out = `^${out}`;
  if (s.quantifier === 'oneOrMore') out += '+';
  if (s.quantifier === 'zeroOrMore') out += '*';
  if (s.quantifier === 'zeroOrOne') out += '?';
  return out;
}

/**
 * A path as shacl-engine parsed it: a plain predicate as its IRI, anything else in SPARQL property-path
 * syntax, a sequence in parentheses as Vindbaar and pyshacl_report.py print it. shacl-engine's steps
 * cannot hold an alternative of sequences or inverses (it takes the member paths for predicates named by
 * blank nodes), so normaliseEngineReport prints the shape's sh:path from the shapes graph instead
 * (shapesPathString) whenever it can; this is the fallback.
 */
export function pathString(steps: EngineStep[] | null | undefined): string | null {
  if (!steps || steps.length === 0) return null;
  const only = steps[0];
  if (steps.length === 1 && only.quantifier === 'one' && only.start === 'subject' && only.predicates.length === 1) return only.predicates[0].value;
  return steps.length === 1 ? stepString(only) : `(${steps.map(stepString).join('/')})`;
}

const RDF_FIRST = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#first';
const RDF_REST = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#rest';
const RDF_NIL = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#nil';

/** The members of an RDF list, or undefined when the node is not a well-formed list. */
function listMembers(g: Store, head: Term): Term[] | undefined {
  const out: Term[] = [];
  let node = head;
  while (!(node.termType === 'NamedNode' && node.value === RDF_NIL)) {
    const first = g.getObjects(node, RDF_FIRST, null);
    const rest = g.getObjects(node, RDF_REST, null);
    if (first.length !== 1 || rest.length !== 1 || out.length > 1000) return undefined;
    out.push(first[0]);
    node = rest[0];
  }
  return out;
}

/**
 * A SHACL property path (an sh:path value in the shapes graph) in SPARQL property-path syntax, as
 * Vindbaar writes it: `<p>`, `^<p>`, a sequence `(a/b)`, an alternative `(a|b)`, `a*`, `a+`, `a?`.
 * Nested paths keep their own parentheses, so (^<servesDataset>|(<distribution>/<accessService>)) says
 * exactly which path was followed. Undefined for a node that is no SHACL path.
 */
export function rdfPathString(g: Store, node: Term): string | undefined {
  if (node.termType === 'NamedNode') return `<${node.value}>`;
  if (node.termType !== 'BlankNode') return undefined;
  const seq = g.getObjects(node, RDF_FIRST, null).length > 0 ? listMembers(g, node) : undefined;
  if (seq) {
    const parts = seq.map((m) => rdfPathString(g, m));
    return parts.every((p) => p !== undefined) ? (parts.length === 1 ? parts[0] : `(${parts.join('/')})`) : undefined;
  }
  const alt = g.getObjects(node, `${SH}alternativePath`, null)[0];
  if (alt) {
    const members = listMembers(g, alt);
    const parts = members?.map((m) => rdfPathString(g, m));
    return parts && parts.every((p) => p !== undefined) ? `(${parts.join('|')})` : undefined;
  }
  for (const [predicate, wrap] of [
    ['inversePath', (x: string) => `^${x}`],
    ['zeroOrMorePath', (x: string) => `${x}*`],
    ['oneOrMorePath', (x: string) => `${x}+`],
    ['zeroOrOnePath', (x: string) => `${x}?`],
  ] as const) {
    const inner = g.getObjects(node, `${SH}${predicate}`, null)[0];
    if (inner) {
      const s = rdfPathString(g, inner);
      return s === undefined ? undefined : wrap(s);
    }
  }
  return undefined;
}

/** The sh:path of a shape in the shapes graph as a normalised path: a predicate as its IRI. */
export function shapesPathString(g: Store, shape: Term): string | null | undefined {
  const paths = g.getObjects(shape, `${SH}path`, null);
  if (paths.length !== 1) return undefined;
  if (paths[0].termType === 'NamedNode') return paths[0].value;
  return rdfPathString(g, paths[0]);
}

/** Of several messages (one per language), the English one, else the untagged one, else the first. */
export function pickMessage(messages: Literal[]): string | undefined {
  if (messages.length === 0) return undefined;
  const pick = messages.find((m) => m.language === 'en') ?? messages.find((m) => !m.language) ?? messages[0];
  return pick.value;
}

// ---------------------------------------------------------------------------------------------------
// shacl-engine

/** The parts of shacl-engine's Result and Report objects read here (the package has no types). */
interface EngineResult {
  focusNode: { term: Term };
  path: EngineStep[] | null;
  severity: NamedNode;
  constraintComponent: NamedNode;
  shape: { ptr: { term: NamedNode | BlankNode } };
  value?: { term?: Term };
  message: Literal[];
}
interface EngineReport {
  conforms: boolean;
  results: EngineResult[];
}
interface EngineValidator {
  validate(data: { dataset: DatasetCore }): Promise<EngineReport>;
}
type ValidatorClass = new (shapes: DatasetCore, options: Record<string, unknown>) => EngineValidator;

// shacl-engine ships no type declarations and this file may not add a .d.ts beside it; importing through
// a variable keeps the untyped module out of the type checker, and the interfaces above say what is used.
const SHACL_ENGINE = 'shacl-engine';
const SHACL_ENGINE_SPARQL = 'shacl-engine/sparql.js';

/** shacl-engine builds report graphs through factory.dataset(); an N3 store is an RDF/JS DatasetCore. */
const factory = { ...DataFactory, dataset: (quads?: Quad[]) => new Store(quads) };

export function normaliseEngineReport(report: EngineReport, shapes?: Store): NormalisedReport {
  const results = report.results
    .filter((r) => r.severity.value.startsWith(SH) && ['Violation', 'Warning', 'Info'].includes(r.severity.value.slice(SH.length)))
    .map((r) => {
      const row: NormalisedResult = {
        focusNode: termString(r.focusNode.term),
        path: resultPath(r, shapes),
        component: r.constraintComponent.value,
        severity: r.severity.value,
        sourceShape: termString(r.shape.ptr.term),
      };
      if (r.value?.term) row.value = termString(r.value.term);
      const message = pickMessage(r.message);
      if (message !== undefined) row.message = message;
      return row;
    })
    .sort(compareResults);
  return { conforms: report.conforms, results };
}

/** A result's path: the source shape's sh:path read from the shapes graph when it is not a plain
 * predicate (see pathString for why), else the engine's parsed steps. */
function resultPath(r: EngineResult, shapes: Store | undefined): string | null {
  const plain = pathString(r.path);
  // pathString gives a bare IRI for a predicate and SPARQL syntax (starting <, ( or ^) for the rest.
  const complex = plain !== null && /^[<(^]/.test(plain);
  return complex && shapes ? (shapesPathString(shapes, r.shape.ptr.term) ?? plain) : plain;
}

/**
 * A shacl-engine validator for one shapes graph, built once and reused for many data graphs (as a
 * benchmark of the engine should: compiling the shapes is not validation work).
 */
export class ReferenceValidator {
  private constructor(
    private readonly engine: EngineValidator,
    private readonly shapes: Store,
  ) {}

  static async create(shapes: Quad[]): Promise<ReferenceValidator> {
    const { Validator } = (await import(SHACL_ENGINE)) as { Validator: ValidatorClass };
    const options: Record<string, unknown> = { factory };
    // SPARQL-based constraints need shacl-engine's Comunica plugin; load it only for shapes that use it.
    if (shapes.some((q) => q.predicate.value === `${SH}sparql` || q.predicate.value === `${SH}select`)) {
      const sparql = (await import(SHACL_ENGINE_SPARQL)) as { validations: unknown; targetResolvers: unknown };
      options.validations = sparql.validations;
      options.targetResolvers = sparql.targetResolvers;
    }
    const store = new Store(shapes);
    return new ReferenceValidator(new Validator(store, options), store);
  }

  /** Validates a data graph (a Store is used as is; an array is indexed into one first). */
  async validate(data: Quad[] | Store): Promise<NormalisedReport> {
    const dataset = data instanceof Store ? data : new Store(data);
    return normaliseEngineReport(await this.engine.validate({ dataset }), this.shapes);
  }
}

/** One shapes file's triples with the deviations for that file applied. */
export function applyDeviations(quads: Quad[], deviations: Deviation[]): Quad[] {
  const gone = new Set(deviations.flatMap((d) => d.remove ?? []).map((t) => `${t.subject} ${t.predicate} ${t.object}`));
  const renamed = new Map(deviations.flatMap((d) => d.rename ?? []).map((r) => [r.from, r.to]));
  if (gone.size === 0 && renamed.size === 0) return quads;
  const rename = <T extends Term>(t: T): T => (t.termType === 'NamedNode' && renamed.has(t.value) ? (DataFactory.namedNode(renamed.get(t.value) as string) as unknown as T) : t);
  return quads
    .filter((q) => q.object.termType !== 'NamedNode' || !gone.has(`${q.subject.value} ${q.predicate.value} ${q.object.value}`))
    .map((q) => (renamed.size ? DataFactory.quad(rename(q.subject), q.predicate, rename(q.object), q.graph) : q));
}

/** The shapes graph of a resolved profile: its files, each with its deviations applied. */
export async function readShapes(resolved: ResolvedProfile): Promise<Quad[]> {
  const all: Quad[] = [];
  for (const file of resolved.shapes) all.push(...applyDeviations(await readRdf(corpusPath(file)), resolved.deviations.filter((d) => d.file === file)));
  return all;
}

const validators = new Map<string, Promise<ReferenceValidator>>();

/** A cached validator for a profile (and layers), with the vocabulary triples its data graphs need. */
export async function profileValidator(id: string, layers?: string[]): Promise<{ validator: ReferenceValidator; vocabularies: Quad[] }> {
  const resolved = resolveProfile(id, layers);
  const key = JSON.stringify(resolved);
  let v = validators.get(key);
  if (!v) {
    v = readShapes(resolved).then((shapes) => ReferenceValidator.create(shapes));
    validators.set(key, v);
  }
  return { validator: await v, vocabularies: await readCorpusFiles(resolved.data) };
}

/**
 * Validates data triples against a profile with shacl-engine, vocabularies merged into the data graph.
 * Results about the code lists' own concepts (nodes the vocabulary files describe and the data does
 * not: DCAT-AP VL's shapes also target skos:Concept, and the published Flemish lists give plain-string
 * labels) are left out: they judge the lists, not the records, and a record's report never holds them.
 */
export async function validateWithProfile(data: Quad[], id: string, layers?: string[]): Promise<NormalisedReport> {
  const { validator, vocabularies } = await profileValidator(id, layers);
  if (vocabularies.length === 0) return validator.validate(data);
  const report = await validator.validate([...data, ...vocabularies]);
  const described = new Set(data.map((q) => q.subject.value));
  const listed = new Set(vocabularies.map((q) => q.subject.value));
  const results = report.results.filter((r) => described.has(r.focusNode) || !listed.has(r.focusNode));
  return { ...report, results, conforms: results.length === 0 };
}

// ---------------------------------------------------------------------------------------------------
// The table of known differences between Vindbaar and the references (dcat-profiles/shacl-conformance.json),
// read by scripts/conformance/conformance.ts (npm run conformance) and by test/shacl-reference.test.ts.

export type ConformanceReference = 'pyshacl' | 'shacl-engine' | 'expected';

/** One result as the conformance suite compares them. */
export interface ResultTuple {
  focusNode: string;
  path: string | null;
  component: string;
  severity: string;
}

/**
 * A difference found by a run, in one file, profile (or suite) and layer set. `side` says who has the
 * result: "vindbaar" (only Vindbaar reports it) or "reference" (only the engine, or the expected report);
 * "verdict" and "parse" are differences of the verdict or of the parsers (one side rejects the file),
 * without a result.
 */
export interface ObservedDifference {
  file: string;
  profile: string;
  layers: [string];
  engine: ConformanceReference;
  side: 'vindbaar' | 'reference' | 'verdict' | 'parse';
  result?: ResultTuple;
}

/**
 * A known difference: one `result` (or none, for "verdict" and "parse"), or with `match` a whole kind of
 * results in one file: every field given must be equal (`focusNode` is a regular expression), and
 * `count` is how many results it covers in each layer set; the entry fails as stale when that number
 * changes, so it cannot hide a new difference of the same kind.
 */
export interface KnownDifference {
  file: string;
  profile: string;
  /** Layer sets ("core", "core,recommended" ...) it occurs in; every one that runs when absent. */
  layers?: string[];
  engine: ConformanceReference;
  side: ObservedDifference['side'];
  result?: ResultTuple;
  match?: { focusNode?: string; path?: string | null; component?: string; severity?: string };
  count?: number;
  explanation: string;
}

export interface ConformanceExplanation {
  /** engine defect, shapes defect, parser difference, expected report, vindbaar defect */
  reason: string;
  /** Who is right by the SHACL specification. */
  right: string;
  text: string;
}

export interface ConformanceSuite {
  id: string;
  title: string;
  /** Corpus paths, or paths in this repository starting with ./, given in order as --shapes. */
  shapes: string[];
  /** Corpus paths of vocabulary files for the data graph (--vocabulary). */
  vocabularies?: string[];
  /** Corpus files or folders. */
  files: string[];
  /** Data file -> expected outcome: a report file (sh:ValidationReport or dash:GraphValidationTestCase), or a verdict. */
  expected?: Record<string, { report?: string; conforms?: boolean; about?: string }>;
  about?: string;
}

export interface ConformanceTable {
  '//'?: string;
  suites: ConformanceSuite[];
  uncovered: { path: string; reason: string }[];
  explanations: Record<string, ConformanceExplanation>;
  differences: KnownDifference[];
}

export const CONFORMANCE_TABLE = join(PROFILES_DIR, 'shacl-conformance.json');

export function readConformanceTable(path = CONFORMANCE_TABLE): ConformanceTable {
  return JSON.parse(readFileSync(path, 'utf8')) as ConformanceTable;
}

export const tupleKey = (t: ResultTuple) => JSON.stringify([t.focusNode, t.path, t.component, t.severity]);

/** Looks observed differences up in the table and keeps count, to tell afterwards which entries no longer apply. */
export class DifferenceMatcher {
  /** entry index -> layer set -> differences it explained */
  private readonly hits = new Map<number, Map<string, number>>();

  constructor(private readonly table: ConformanceTable) {}

  /** The entry that explains the difference (its explanation defined in the table), if any. */
  explain(d: ObservedDifference): KnownDifference | undefined {
    const layers = d.layers[0];
    const i = this.table.differences.findIndex(
      (k) =>
        k.file === d.file &&
        k.profile === d.profile &&
        k.engine === d.engine &&
        k.side === d.side &&
        (!k.layers || k.layers.includes(layers)) &&
        k.explanation in this.table.explanations &&
        (k.match ? !!d.result && matches(k.match, d.result) : (k.result ? tupleKey(k.result) : null) === (d.result ? tupleKey(d.result) : null)),
    );
    if (i < 0) return undefined;
    let byLayers = this.hits.get(i);
    if (!byLayers) this.hits.set(i, (byLayers = new Map()));
    byLayers.set(layers, (byLayers.get(layers) ?? 0) + 1);
    return this.table.differences[i];
  }

  /**
   * Entries that did not apply as listed, among those `ran` says were run (profile, layer set,
   * reference): not found at all, or a `match` that covered another number of results than its count.
   */
  stale(ran: (profile: string, engine: ConformanceReference) => string[]): { entry: KnownDifference; layers: string; found: number }[] {
    const out: { entry: KnownDifference; layers: string; found: number }[] = [];
    this.table.differences.forEach((k, i) => {
      const sets = ran(k.profile, k.engine).filter((l) => !k.layers || k.layers.includes(l));
      for (const l of sets) {
        const found = this.hits.get(i)?.get(l) ?? 0;
        if (found === 0 || (k.match && found !== k.count)) out.push({ entry: k, layers: l, found });
      }
    });
    return out;
  }
}

function matches(m: NonNullable<KnownDifference['match']>, t: ResultTuple): boolean {
  return (
    (m.focusNode === undefined || new RegExp(m.focusNode).test(t.focusNode)) &&
    (m.path === undefined || m.path === t.path) &&
    (m.component === undefined || m.component === t.component) &&
    (m.severity === undefined || m.severity === t.severity)
  );
}
