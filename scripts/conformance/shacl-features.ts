// Counts the SHACL features each official shapes file uses, per profile manifest in dcat-profiles/, and
// writes the table into dcat-profiles/README.md (between the shacl-features markers) and the numbers into
// dcat-profiles/shacl-features.json. The shapes-to-JSON-Schema compiler must cover every feature that
// has a non-zero count here, or list it in its compile report; this table says which ones those are.
//
//   npx tsx scripts/conformance/shacl-features.ts
//
// Files are parsed with the same loader as the reference validator (N3.js for Turtle, the JSON-LD parser
// for the Flemish shapes), so the counts describe exactly the graphs the engines see.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFactory, Store } from 'n3';
import type { Quad, Term } from '@rdfjs/types';
import { corpusPath, hasCorpus } from '../../test/support/corpus.js';
import { PROFILES_DIR, readProfile, readRdf, type ProfileManifest } from '../../test/support/shacl-reference.js';

const SH = 'http://www.w3.org/ns/shacl#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const OWL = 'http://www.w3.org/2002/07/owl#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** Constraint parameters, each counted as the number of triples that use it. */
const PARAMETERS = [
  'minCount', 'maxCount', 'class', 'datatype', 'nodeKind', 'in', 'hasValue', 'pattern', 'flags',
  'minLength', 'maxLength', 'minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive',
  'languageIn', 'uniqueLang', 'equals', 'disjoint', 'lessThan', 'lessThanOrEquals',
  'node', 'property', 'and', 'or', 'not', 'xone',
  'qualifiedValueShape', 'qualifiedMinCount', 'qualifiedMaxCount', 'qualifiedValueShapesDisjoint',
  'closed', 'ignoredProperties', 'sparql', 'deactivated',
];
const TARGETS = ['targetClass', 'targetNode', 'targetSubjectsOf', 'targetObjectsOf', 'target'];
const PATH_KINDS = ['inversePath', 'alternativePath', 'zeroOrMorePath', 'oneOrMorePath', 'zeroOrOnePath'];

type Counts = Record<string, number>;

interface FileFeatures {
  path: string;
  layer: string;
  triples: number;
  nodeShapes: number;
  propertyShapes: number;
  parameters: Counts;
  nodeKinds: Counts;
  datatypes: Counts;
  targets: Counts;
  paths: Counts;
  severities: Counts;
  messageLanguages: Counts;
  /** Things an engine or a compiler has to decide about: values SHACL does not define, or odd uses. */
  oddities: string[];
}

function bump(c: Counts, k: string, n = 1) {
  c[k] = (c[k] ?? 0) + n;
}

function local(iri: string): string {
  for (const [ns, p] of [[SH, 'sh:'], [XSD, 'xsd:'], [RDFS, 'rdfs:'], [RDF, 'rdf:']] as const) if (iri.startsWith(ns)) return p + iri.slice(ns.length);
  return iri;
}

function isList(store: Store, t: Term): boolean {
  return t.termType === 'NamedNode' ? t.value === `${RDF}nil` : store.countQuads(t, `${RDF}first`, null, null) > 0;
}

function features(path: string, layer: string, quads: Quad[]): FileFeatures {
  const store = new Store(quads);
  const f: FileFeatures = {
    path, layer, triples: store.size, nodeShapes: 0, propertyShapes: 0,
    parameters: {}, nodeKinds: {}, datatypes: {}, targets: {}, paths: {}, severities: {}, messageLanguages: {}, oddities: [],
  };

  for (const p of PARAMETERS) {
    const n = store.countQuads(null, SH + p, null, null);
    if (n) f.parameters[`sh:${p}`] = n;
  }
  // sh:closed false is common in generated shapes and means nothing; only closed shapes matter.
  const closedTrue = store.getQuads(null, `${SH}closed`, null, null).filter((q) => q.object.value === 'true').length;
  if (f.parameters['sh:closed']) f.parameters['sh:closed'] = closedTrue;
  if (!f.parameters['sh:closed']) delete f.parameters['sh:closed'];
  for (const q of store.getQuads(null, `${SH}nodeKind`, null, null)) bump(f.nodeKinds, local(q.object.value));
  for (const q of store.getQuads(null, `${SH}datatype`, null, null)) bump(f.datatypes, local(q.object.value));
  for (const t of TARGETS) {
    const n = store.countQuads(null, SH + t, null, null);
    if (n) f.targets[`sh:${t}`] = n;
  }
  // Implicit class targets: a node shape that is also a class targets its instances (SHACL 2.1.3.3).
  const implicit = store.getSubjects(`${RDF}type`, `${SH}NodeShape`, null).filter((s) => store.countQuads(s, `${RDF}type`, `${RDFS}Class`, null) + store.countQuads(s, `${RDF}type`, `${OWL}Class`, null) > 0);
  if (implicit.length) f.targets['implicit class'] = implicit.length;

  const propertyShapes = new Set(store.getSubjects(`${SH}path`, null, null).map((s) => s.termType + s.value));
  f.propertyShapes = propertyShapes.size;
  const nodeShapes = new Set<string>();
  for (const s of store.getSubjects(`${RDF}type`, `${SH}NodeShape`, null)) nodeShapes.add(s.termType + s.value);
  for (const t of TARGETS) for (const s of store.getSubjects(SH + t, null, null)) if (!propertyShapes.has(s.termType + s.value)) nodeShapes.add(s.termType + s.value);
  f.nodeShapes = nodeShapes.size;

  for (const q of store.getQuads(null, `${SH}path`, null, null)) {
    const o = q.object;
    if (o.termType === 'NamedNode') bump(f.paths, 'predicate');
    else if (o.termType === 'Literal') {
      bump(f.paths, 'literal (invalid)');
      f.oddities.push(`sh:path is a literal on ${q.subject.value}`);
    } else if (isList(store, o)) bump(f.paths, 'sequence');
    else {
      const kind = PATH_KINDS.find((k) => store.countQuads(o, SH + k, null, null) > 0);
      bump(f.paths, kind ? `sh:${kind}` : 'unknown blank node');
      // Alternatives of inverse or sequence paths, not of predicates: some engines (shacl-engine 1.1)
      // only take predicates here.
      if (kind === 'alternativePath') {
        const members: Term[] = [];
        for (let l: Term | undefined = store.getObjects(o, `${SH}alternativePath`, null)[0]; l && l.value !== `${RDF}nil`; l = store.getObjects(l, `${RDF}rest`, null)[0]) members.push(store.getObjects(l, `${RDF}first`, null)[0]);
        if (members.some((m) => m.termType !== 'NamedNode')) bump(f.paths, 'sh:alternativePath of non-predicate paths');
      }
    }
  }

  // Per shape (node shapes and property shapes): its sh:severity, or the sh:Violation SHACL defaults to.
  // Shapes nested in sh:or/sh:node lists without a path or target are not counted.
  for (const key of new Set([...propertyShapes, ...nodeShapes])) {
    const term = key.startsWith('NamedNode') ? DataFactory.namedNode(key.slice('NamedNode'.length)) : DataFactory.blankNode(key.slice('BlankNode'.length));
    const sev = store.getObjects(term, `${SH}severity`, null);
    if (sev.length === 0) bump(f.severities, 'sh:Violation (default)');
    for (const o of sev) bump(f.severities, local(o.value));
  }

  const language = (o: Term) => (o.termType === 'Literal' ? (o as { language: string }).language || 'no language' : 'not a literal');
  for (const q of store.getQuads(null, `${SH}message`, null, null)) bump(f.messageLanguages, language(q.object));
  // Messages some generators put outside SHACL (the OSLO toolchain writes vl:message) are not shown by
  // a SHACL engine; count them so that the gap is visible.
  for (const q of store.getQuads(null, 'https://data.vlaanderen.be/ns/shacl#message', null, null)) bump(f.messageLanguages, `vl:message (${language(q.object)})`);

  for (const p of ['in', 'and', 'or', 'xone', 'ignoredProperties', 'languageIn']) {
    for (const q of store.getQuads(null, SH + p, null, null)) if (!isList(store, q.object)) f.oddities.push(`sh:${p} value is not an RDF list on ${q.subject.value}`);
  }
  for (const p of ['minCount', 'maxCount', 'minLength', 'maxLength', 'qualifiedMinCount', 'qualifiedMaxCount']) {
    for (const q of store.getQuads(null, SH + p, null, null)) {
      const o = q.object;
      if (o.termType !== 'Literal' || (o as { datatype: { value: string } }).datatype.value !== `${XSD}integer` || !/^[+-]?\d+$/.test(o.value)) f.oddities.push(`sh:${p} ${JSON.stringify(o.value)} is not an xsd:integer on ${q.subject.value}`);
    }
  }
  for (const p of ['class', 'datatype', 'node', 'targetClass']) {
    for (const q of store.getQuads(null, SH + p, null, null)) if (q.object.termType === 'Literal') f.oddities.push(`sh:${p} is a literal on ${q.subject.value}`);
  }
  for (const q of store.getQuads(null, `${SH}class`, null, null)) {
    // With no RDFS inference in SHACL, sh:class rdfs:Resource or rdfs:Literal is met only by values that
    // say so with an explicit rdf:type: nearly every real value fails it.
    if (q.object.value === `${RDFS}Resource` || q.object.value === `${RDFS}Literal`) bump(f.parameters, `sh:class ${local(q.object.value)}`);
  }
  for (const q of store.getQuads(null, `${SH}targetClass`, null, null)) {
    if (q.object.value === `${RDFS}Literal` || q.object.value.startsWith(XSD)) bump(f.targets, `sh:targetClass ${local(q.object.value)} (no instances in practice)`);
  }
  for (const s of propertyShapes) {
    const [term] = store.getSubjects(`${SH}path`, null, null).filter((t) => t.termType + t.value === s);
    if (store.countQuads(term, `${SH}path`, null, null) > 1) f.oddities.push(`more than one sh:path on ${term.value}`);
  }
  // Shapes that reference a node shape this file does not define: they need another file of the profile.
  for (const q of store.getQuads(null, `${SH}node`, null, null)) {
    const o = q.object;
    if (o.termType === 'NamedNode' && store.countQuads(o, null, null, null) === 0) f.oddities.push(`sh:node ${o.value} is not defined in this file`);
  }
  return f;
}

function cell(c: Counts): string {
  const entries = Object.entries(c).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : '–';
}

/**
 * Problems that only show when a profile's files are read together (all layers, as published, before
 * the manifest's deviations): references to shapes no file defines, and shape IRIs that two files
 * describe (the descriptions merge into one shape).
 */
function profileProblems(graphs: Array<{ path: string; quads: Quad[] }>): string[] {
  const all = new Store(graphs.flatMap((g) => g.quads));
  const out: string[] = [];
  for (const p of ['property', 'node', 'qualifiedValueShape', 'not']) {
    for (const q of all.getQuads(null, SH + p, null, null)) {
      if (q.object.termType === 'NamedNode' && all.countQuads(q.object, null, null, null) === 0) out.push(`<${q.subject.value}> sh:${p} <${q.object.value}>, which no file of the profile defines`);
    }
  }
  // A node shape that several files extend with property shapes is how the releases are split; a
  // property shape (one with sh:path) that two files describe differently is a collision: the
  // descriptions merge into one shape with the constraints of both.
  const descriptions = new Map<string, Map<string, string>>();
  for (const g of graphs) {
    const st = new Store(g.quads);
    for (const shape of st.getSubjects(`${SH}path`, null, null)) {
      if (shape.termType !== 'NamedNode') continue;
      const constraints = st.getQuads(shape, null, null, null).filter((q) => q.predicate.value.startsWith(SH) && !['name', 'description', 'order', 'group'].includes(q.predicate.value.slice(SH.length)));
      const text = constraints.map((q) => `${q.predicate.value} ${q.object.value}`).sort().join('\n');
      const seen = descriptions.get(shape.value) ?? new Map<string, string>();
      seen.set(g.path.split('/').pop() as string, text);
      descriptions.set(shape.value, seen);
    }
  }
  for (const [shape, byFile] of descriptions) {
    if (byFile.size > 1 && new Set(byFile.values()).size > 1) out.push(`<${shape}> is a different property shape in ${[...byFile.keys()].join(' and ')}`);
  }
  return out;
}

function table(m: ProfileManifest, files: FileFeatures[], problems: string[]): string {
  const name = (f: FileFeatures) => `\`${f.path.split('/').pop()}\` (${f.layer})`;
  const rows: Array<[string, (f: FileFeatures) => string]> = [
    ['triples', (f) => String(f.triples)],
    ['node shapes / property shapes', (f) => `${f.nodeShapes} / ${f.propertyShapes}`],
    ...[...new Set(files.flatMap((f) => Object.keys(f.parameters)))].sort().map((k): [string, (f: FileFeatures) => string] => [k, (f) => String(f.parameters[k] ?? 0)]),
    ['sh:nodeKind values', (f) => cell(f.nodeKinds)],
    ['sh:datatype values', (f) => cell(f.datatypes)],
    ['targets', (f) => cell(f.targets)],
    ['sh:path kinds', (f) => cell(f.paths)],
    ['severities (shapes)', (f) => cell(f.severities)],
    ['message languages', (f) => cell(f.messageLanguages)],
    ['oddities', (f) => (f.oddities.length ? String(f.oddities.length) : '–')],
  ];
  const lines = [`### ${m.id}: ${m.title}`, '', `| feature | ${files.map(name).join(' | ')} |`, `|---|${files.map(() => '---').join('|')}|`];
  for (const [label, get] of rows) lines.push(`| ${label} | ${files.map(get).join(' | ')} |`);
  const odd = files.flatMap((f) => summariseOddities(f).map((o) => `- \`${f.path.split('/').pop()}\`: ${o}`));
  if (odd.length) lines.push('', 'Oddities:', '', ...odd);
  if (problems.length) {
    lines.push('', `Read together (all layers, as published; see the manifest's deviations): ${problems.length} problem${problems.length > 1 ? 's' : ''}`, '', ...problems.map((p) => `- ${p}`));
  }
  return lines.join('\n');
}

/** Groups oddities that differ only in the shape they are on, so the README stays readable. */
function summariseOddities(f: FileFeatures): string[] {
  const groups = new Map<string, string[]>();
  for (const o of f.oddities) {
    const m = /^(.*) on (\S+)$/.exec(o);
    const key = m ? m[1] : o;
    groups.set(key, [...(groups.get(key) ?? []), m ? m[2] : '']);
  }
  return [...groups].map(([k, on]) => (on[0] ? `${k} (${on.length}×, e.g. on <${on[0]}>)` : k));
}

async function main() {
  if (!hasCorpus) throw new Error(`the reference corpus is needed (set VINDBAAR_CORPUS); not found at ${corpusPath()}`);
  const ids = readdirSync(PROFILES_DIR).filter((f) => f.endsWith('.json') && !f.startsWith('shacl-')).map((f) => f.slice(0, -5)).sort();
  const out: Record<string, FileFeatures[]> = {};
  const sections: string[] = [];
  for (const id of ids) {
    const m = readProfile(id);
    const files: FileFeatures[] = [];
    const graphs: Array<{ path: string; quads: Quad[] }> = [];
    for (const s of m.shapes) {
      const quads = await readRdf(corpusPath(s.path));
      graphs.push({ path: s.path, quads });
      files.push(features(s.path, s.layer, quads));
    }
    out[id] = files;
    sections.push(table(m, files, profileProblems(graphs)));
  }
  writeFileSync(join(PROFILES_DIR, 'shacl-features.json'), `${JSON.stringify(out, null, 2)}\n`);
  const readme = join(PROFILES_DIR, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const begin = '<!-- shacl-features:begin (generated by scripts/conformance/shacl-features.ts) -->';
  const end = '<!-- shacl-features:end -->';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${readme} has no ${begin} ... ${end} section`);
  writeFileSync(readme, `${text.slice(0, i + begin.length)}\n\n${sections.join('\n\n')}\n\n${text.slice(j)}`);
  console.log(`wrote the SHACL feature table of ${ids.length} profiles (${Object.values(out).flat().length} shapes files)`);
}

await main();
