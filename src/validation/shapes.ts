// Reads a SHACL shapes graph into a plain model: node and property shapes with their targets and
// constraint parameters. The compiler (compile.ts) turns the model into JSON Schema; anything the
// model meets but cannot represent is listed in `unsupported`, never dropped silently.
import type { Literal, Quad, Term } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';

export const SH = 'http://www.w3.org/ns/shacl#';
const RDF_FIRST = `${PREFIXES.rdf}first`;
const RDF_REST = `${PREFIXES.rdf}rest`;
const RDF_NIL = `${PREFIXES.rdf}nil`;
const RDFS_CLASS = `${PREFIXES.rdfs}Class`;

export type Severity = 'Violation' | 'Warning' | 'Info';
export type NodeKind = 'IRI' | 'BlankNode' | 'Literal' | 'BlankNodeOrIRI' | 'BlankNodeOrLiteral' | 'IRIOrLiteral';

/** An RDF value in constraint parameters (sh:in, sh:hasValue). */
export type RdfValue = { iri: string } | { blank: string } | { value: string; language?: string; datatype: string };

/** A property path. Only predicate paths and alternatives of predicates map onto the record form. */
export type Path = { predicate: string } | { inverse: string } | { alternative: Path[] } | { sequence: Path[] } | { other: string };

export interface Shape {
  /** IRI of the shape, or "_:label" for a blank-node shape. */
  id: string;
  /** Set on property shapes. */
  path?: Path;
  targetClass: string[];
  targetNode: RdfValue[];
  targetSubjectsOf: string[];
  targetObjectsOf: string[];
  severity: Severity;
  messages: Record<string, string>;
  deactivated: boolean;
  // value type
  class: string[];
  datatype?: string;
  nodeKind?: NodeKind;
  // cardinality
  minCount?: number;
  maxCount?: number;
  // value range (kept as literals: the compiler decides how to compare)
  minInclusive?: RdfValue;
  maxInclusive?: RdfValue;
  minExclusive?: RdfValue;
  maxExclusive?: RdfValue;
  // string based
  minLength?: number;
  maxLength?: number;
  pattern?: { source: string; flags?: string };
  languageIn?: string[];
  uniqueLang?: boolean;
  // other values
  in?: RdfValue[];
  hasValue: RdfValue[];
  // shape based (ids of other shapes)
  node: string[];
  property: string[];
  and: string[][];
  or: string[][];
  xone: string[][];
  not: string[];
  qualifiedValueShape?: string;
  qualifiedMinCount?: number;
  qualifiedMaxCount?: number;
  qualifiedValueShapesDisjoint?: boolean;
  // closed
  closed: boolean;
  ignoredProperties: string[];
  /** Parameters met on this shape that the model does not represent. */
  unsupported: string[];
  /** The profile layer of the file that defines the shape, when the reader was told. */
  layer?: string;
}

export interface ShapesGraph {
  shapes: Map<string, Shape>;
}

const KNOWN = new Set(
  [
    'path', 'targetClass', 'targetNode', 'targetSubjectsOf', 'targetObjectsOf', 'severity', 'message', 'deactivated',
    'class', 'datatype', 'nodeKind', 'minCount', 'maxCount', 'minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive',
    'minLength', 'maxLength', 'pattern', 'flags', 'languageIn', 'uniqueLang', 'in', 'hasValue', 'node', 'property', 'and',
    'or', 'xone', 'not', 'qualifiedValueShape', 'qualifiedMinCount', 'qualifiedMaxCount', 'qualifiedValueShapesDisjoint',
    'closed', 'ignoredProperties',
    // annotations, no constraint
    'name', 'description', 'order', 'group', 'defaultValue',
  ].map((k) => SH + k),
);

/** Parameters that make a node a shape when they appear on it. */
const SHAPE_MARKERS = ['property', 'targetClass', 'targetNode', 'targetSubjectsOf', 'targetObjectsOf', 'path', 'node', 'or', 'and', 'xone', 'not', 'closed'].map(
  (k) => SH + k,
);

/** Blank nodes get labels by order of first appearance, so that compiling the same files always
 * writes the same schema (parser labels depend on what else the process has parsed). */
let blankLabels = new Map<string, string>();
function keyOf(t: Term): string {
  if (t.termType !== 'BlankNode') return t.value;
  let label = blankLabels.get(t.value);
  if (!label) blankLabels.set(t.value, (label = `_:b${blankLabels.size}`));
  return label;
}

function rdfValue(t: Term): RdfValue {
  if (t.termType === 'Literal') {
    const l = t as Literal;
    return l.language ? { value: l.value, language: l.language, datatype: l.datatype.value } : { value: l.value, datatype: l.datatype.value };
  }
  return t.termType === 'BlankNode' ? { blank: keyOf(t).slice(2) } : { iri: t.value };
}

export class ShapesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapesError';
  }
}

/** Builds the model from the quads of one or more shapes files. */
export function readShapes(quads: readonly Quad[], layerOf?: (subject: Term) => string | undefined): ShapesGraph {
  blankLabels = new Map();
  for (const q of quads) {
    keyOf(q.subject);
    keyOf(q.object);
  }
  const bySubject = new Map<string, Quad[]>();
  const layers = new Map<string, string>();
  for (const q of quads) {
    const k = keyOf(q.subject);
    if (layerOf && !layers.has(k)) {
      const layer = layerOf(q.subject);
      if (layer) layers.set(k, layer);
    }
    let list = bySubject.get(k);
    if (!list) bySubject.set(k, (list = []));
    list.push(q);
  }
  const objects = (s: string, p: string): Term[] => (bySubject.get(s) ?? []).filter((q) => q.predicate.value === p).map((q) => q.object);
  const one = (s: string, p: string): Term | undefined => objects(s, p)[0];
  const list = (head: Term): Term[] => {
    const out: Term[] = [];
    let node: Term | undefined = head;
    const seen = new Set<string>();
    while (node && !(node.termType === 'NamedNode' && node.value === RDF_NIL)) {
      const k = keyOf(node);
      if (seen.has(k)) throw new ShapesError(`RDF list at ${k} is cyclic`);
      seen.add(k);
      const first = one(k, RDF_FIRST);
      if (first) out.push(first);
      node = one(k, RDF_REST);
    }
    return out;
  };
  const int = (s: string, p: string): number | undefined => {
    const t = one(s, p);
    if (!t) return undefined;
    const n = Number(t.value);
    if (!Number.isInteger(n) || n < 0) throw new ShapesError(`${s}: ${p.slice(SH.length)} must be a non-negative integer, not "${t.value}"`);
    return n;
  };
  const bool = (s: string, p: string): boolean => one(s, p)?.value === 'true';
  const path = (t: Term): Path => {
    if (t.termType === 'NamedNode') return { predicate: t.value };
    const k = keyOf(t);
    const inverse = one(k, `${SH}inversePath`);
    if (inverse?.termType === 'NamedNode') return { inverse: inverse.value };
    const alternative = one(k, `${SH}alternativePath`);
    if (alternative) return { alternative: list(alternative).map(path) };
    if (one(k, RDF_FIRST)) return { sequence: list(t).map(path) };
    return { other: k };
  };

  // Shapes: declared ones, anything carrying shape parameters, and everything shapes refer to.
  const ids = new Set<string>();
  for (const [s, qs] of bySubject) {
    if (qs.some((q) => q.predicate.value === RDF_TYPE && (q.object.value === `${SH}NodeShape` || q.object.value === `${SH}PropertyShape`))) ids.add(s);
    else if (qs.some((q) => SHAPE_MARKERS.includes(q.predicate.value))) ids.add(s);
  }
  const referenced = (s: string): string[] => [
    ...objects(s, `${SH}property`).map(keyOf),
    ...objects(s, `${SH}node`).map(keyOf),
    ...objects(s, `${SH}not`).map(keyOf),
    ...objects(s, `${SH}qualifiedValueShape`).map(keyOf),
    ...[`${SH}and`, `${SH}or`, `${SH}xone`].flatMap((p) => objects(s, p).flatMap((h) => list(h).map(keyOf))),
  ];
  for (const queue = [...ids]; queue.length > 0; ) {
    for (const r of referenced(queue.pop()!))
      if (!ids.has(r)) {
        ids.add(r);
        queue.push(r);
      }
  }

  const shapes = new Map<string, Shape>();
  for (const id of ids) {
    const qs = bySubject.get(id) ?? [];
    const sev = one(id, `${SH}severity`)?.value;
    const messages: Record<string, string> = {};
    for (const m of objects(id, `${SH}message`)) if (m.termType === 'Literal') messages[(m as Literal).language || '@none'] = m.value;
    const pathTerm = one(id, `${SH}path`);
    const patternTerm = one(id, `${SH}pattern`);
    const shape: Shape = {
      id,
      path: pathTerm ? path(pathTerm) : undefined,
      targetClass: objects(id, `${SH}targetClass`).map((t) => t.value),
      targetNode: objects(id, `${SH}targetNode`).map(rdfValue),
      targetSubjectsOf: objects(id, `${SH}targetSubjectsOf`).map((t) => t.value),
      targetObjectsOf: objects(id, `${SH}targetObjectsOf`).map((t) => t.value),
      severity: sev === `${SH}Warning` ? 'Warning' : sev === `${SH}Info` ? 'Info' : 'Violation',
      messages,
      deactivated: bool(id, `${SH}deactivated`),
      class: objects(id, `${SH}class`).map((t) => t.value),
      datatype: one(id, `${SH}datatype`)?.value,
      nodeKind: one(id, `${SH}nodeKind`)?.value.slice(SH.length) as NodeKind | undefined,
      minCount: int(id, `${SH}minCount`),
      maxCount: int(id, `${SH}maxCount`),
      minInclusive: opt(one(id, `${SH}minInclusive`)),
      maxInclusive: opt(one(id, `${SH}maxInclusive`)),
      minExclusive: opt(one(id, `${SH}minExclusive`)),
      maxExclusive: opt(one(id, `${SH}maxExclusive`)),
      minLength: int(id, `${SH}minLength`),
      maxLength: int(id, `${SH}maxLength`),
      pattern: patternTerm ? { source: patternTerm.value, flags: one(id, `${SH}flags`)?.value } : undefined,
      languageIn: one(id, `${SH}languageIn`) ? list(one(id, `${SH}languageIn`)!).map((t) => t.value) : undefined,
      uniqueLang: one(id, `${SH}uniqueLang`) ? bool(id, `${SH}uniqueLang`) : undefined,
      in: one(id, `${SH}in`) ? list(one(id, `${SH}in`)!).map(rdfValue) : undefined,
      hasValue: objects(id, `${SH}hasValue`).map(rdfValue),
      node: objects(id, `${SH}node`).map(keyOf),
      property: objects(id, `${SH}property`).map(keyOf),
      and: objects(id, `${SH}and`).map((h) => list(h).map(keyOf)),
      or: objects(id, `${SH}or`).map((h) => list(h).map(keyOf)),
      xone: objects(id, `${SH}xone`).map((h) => list(h).map(keyOf)),
      not: objects(id, `${SH}not`).map(keyOf),
      qualifiedValueShape: opt(one(id, `${SH}qualifiedValueShape`)) && keyOf(one(id, `${SH}qualifiedValueShape`)!),
      qualifiedMinCount: int(id, `${SH}qualifiedMinCount`),
      qualifiedMaxCount: int(id, `${SH}qualifiedMaxCount`),
      qualifiedValueShapesDisjoint: bool(id, `${SH}qualifiedValueShapesDisjoint`),
      closed: bool(id, `${SH}closed`),
      ignoredProperties: one(id, `${SH}ignoredProperties`) ? list(one(id, `${SH}ignoredProperties`)!).map((t) => t.value) : [],
      unsupported: [...new Set(qs.map((q) => q.predicate.value).filter((p) => p.startsWith(SH) && !KNOWN.has(p)))].map((p) => `sh:${p.slice(SH.length)}`),
      layer: layers.get(id),
    };
    // A shape that is also a class targets that class's instances (implicit class target).
    if (qs.some((q) => q.predicate.value === RDF_TYPE && q.object.value === RDFS_CLASS) && !shape.targetClass.includes(id)) shape.targetClass.push(id);
    shapes.set(id, shape);
  }
  return { shapes };
}

function opt(t: Term | undefined): RdfValue | undefined {
  return t ? rdfValue(t) : undefined;
}
