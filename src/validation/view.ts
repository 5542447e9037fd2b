// The form of a record that profile schemas validate: expanded JSON-LD, one node object per resource,
// every property keyed by its full predicate IRI with an array of values. A value is a literal
// ({"@value", "@type"} or {"@value", "@language"}), a node described in the record (embedded, a copy
// at every reference, so that shapes about a value can see its properties), or a reference to a
// resource not described here ({"@id", "@ref": true}, with "@type" when the profile's vocabularies
// know it). A node met again on its own path (a cycle) is such a reference too. Nodes the root does
// not reach go in "@included".
import type { Literal, Quad, Term } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE, RDF_LANGSTRING } from '../rdf/namespaces.js';
import type { Described } from './vocabularies.js';

const IN_SCHEME = `${PREFIXES.skos}inScheme`;

export interface ViewLiteral {
  '@value': string;
  '@type'?: string;
  '@language'?: string;
}
export interface ViewNode {
  '@id': string;
  '@type'?: string[];
  '@ref'?: true;
  '@included'?: ViewNode[];
  [predicate: string]: ViewValue[] | string | string[] | true | ViewNode[] | undefined;
}
export type ViewValue = ViewNode | ViewLiteral;

/** Types of resources the record only refers to (an IRI, or a blank node as "_:label"): from the rest of
 * the document, and from the profile's vocabulary snapshots. */
export type TypesOf = (iri: string) => readonly string[] | undefined;

function keyOf(t: Term): string {
  return t.termType === 'BlankNode' ? `_:${t.value}` : t.value;
}

/** A property path other than a plain predicate, evaluated into a key of its own (see compile.ts). */
export type PathStep = { predicate: string } | { inverse: string } | { alternative: PathStep[] } | { sequence: PathStep[] };

export interface ViewOptions {
  typesOf?: TypesOf;
  /** Facts from the profile's vocabularies about a referenced IRI: its types and concept schemes. */
  describe?: (iri: string) => Described | undefined;
  /** Keys to add to every node: the values reached by each path. */
  paths?: [string, PathStep][];
  /** Triples elsewhere in the document pointing at a resource (for inverse paths), by object IRI. */
  incoming?: (iri: string) => readonly Quad[] | undefined;
}

/** Deepest a node is embedded in the view; one further down is a reference there and a node of its own
 * in "@included" (validated all the same), so that no input runs the view, or the schemas walking it,
 * out of stack: an RDF list of thousands of items is a chain of as many blank nodes. */
export const MAX_VIEW_DEPTH = 64;

/** Builds the view of a record's triples, rooted at `root`. */
export function recordView(root: Term, quads: readonly Quad[], options: ViewOptions = {}): ViewNode {
  const typesOf = options.typesOf ?? (() => undefined);
  const bySubject = new Map<string, Quad[]>();
  for (const q of quads) {
    const k = keyOf(q.subject);
    let list = bySubject.get(k);
    if (!list) bySubject.set(k, (list = []));
    list.push(q);
  }
  const reached = new Set<string>();
  // Nodes met deeper than MAX_VIEW_DEPTH, to be viewed on their own.
  const cut: string[] = [];
  const cutKeys = new Set<string>();
  const typesIn = (k: string): string[] | undefined => {
    const own = bySubject.get(k)?.filter((q) => q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode').map((q) => q.object.value);
    return own && own.length > 0 ? own : undefined;
  };
  const node = (k: string, path: Set<string>): ViewNode => {
    reached.add(k);
    const out: ViewNode = { '@id': k };
    const types: string[] = [];
    const inner = new Set(path).add(k);
    for (const q of bySubject.get(k) ?? []) {
      const p = q.predicate.value;
      if (p === RDF_TYPE && q.object.termType === 'NamedNode') {
        if (!types.includes(q.object.value)) types.push(q.object.value);
        continue;
      }
      let values = out[p] as ViewValue[] | undefined;
      if (!values) out[p] = values = [];
      values.push(value(q.object, inner));
    }
    // A code the record describes itself (a type of its own, a label) is still the vocabularies' concept:
    // a SHACL engine sees both descriptions in one data graph.
    const facts = k.startsWith('_:') ? undefined : options.describe?.(k);
    if (facts) {
      for (const t of facts.types ?? []) if (!types.includes(t)) types.push(t);
      if (facts.schemes && facts.schemes.length > 0) {
        const stated = (out[IN_SCHEME] as ViewValue[] | undefined) ?? [];
        const ids = new Set(stated.map((v) => ('@id' in v ? v['@id'] : undefined)));
        out[IN_SCHEME] = [...stated, ...facts.schemes.filter((s) => !ids.has(s)).map(schemeRef)];
      }
    }
    if (types.length > 0) out['@type'] = types;
    if (options.paths) for (const [key, step] of options.paths) {
      const reached = evaluate(step, [k]);
      if (reached.length > 0) out[key] = reached.map((t) => value(t, inner));
    }
    return out;
  };
  // Path evaluation over the record's triples, and over the document's for inverse steps.
  const incomingHere = new Map<string, Quad[]>();
  if (options.paths) for (const q of quads) {
    const o = q.object.termType === 'Literal' ? undefined : keyOf(q.object);
    if (o === undefined) continue;
    let list = incomingHere.get(o);
    if (!list) incomingHere.set(o, (list = []));
    list.push(q);
  }
  const evaluate = (step: PathStep, from: string[]): Term[] => {
    const out: Term[] = [];
    const seen = new Set<string>();
    const push = (t: Term) => {
      const k = t.termType === 'Literal' ? `"${t.value}"` : keyOf(t);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(t);
      }
    };
    if ('predicate' in step) {
      for (const f of from) for (const q of bySubject.get(f) ?? []) if (q.predicate.value === step.predicate) push(q.object);
    } else if ('inverse' in step) {
      for (const f of from) {
        const local = incomingHere.get(f) ?? [];
        const remote = options.incoming?.(f) ?? [];
        for (const q of [...local, ...remote]) if (q.predicate.value === step.inverse) push(q.subject);
      }
    } else if ('alternative' in step) {
      for (const s of step.alternative) for (const t of evaluate(s, from)) push(t);
    } else {
      let current: Term[] = from.map((f) => ({ termType: f.startsWith('_:') ? 'BlankNode' : 'NamedNode', value: f.startsWith('_:') ? f.slice(2) : f }) as Term);
      for (const s of step.sequence) current = evaluate(s, current.filter((t) => t.termType !== 'Literal').map(keyOf));
      for (const t of current) push(t);
    }
    return out;
  };
  const value = (o: Term, path: Set<string>): ViewValue => {
    if (o.termType === 'Literal') {
      const l = o as Literal;
      return l.language && l.datatype.value === RDF_LANGSTRING ? { '@value': l.value, '@language': l.language } : { '@value': l.value, '@type': l.datatype.value };
    }
    const k = keyOf(o);
    if (bySubject.has(k)) {
      if (!path.has(k)) {
        if (path.size < MAX_VIEW_DEPTH) return node(k, path);
        if (!cutKeys.has(k)) {
          cutKeys.add(k);
          cut.push(k);
        }
      }
      const types = typesIn(k);
      return types ? { '@id': k, '@type': types, '@ref': true } : { '@id': k, '@ref': true };
    }
    if (o.termType !== 'NamedNode') {
      // A blank node described in another record of the same document (typesOf knows its "_:label").
      const types = typesOf(k);
      return types && types.length > 0 ? { '@id': k, '@type': [...types], '@ref': true } : { '@id': k, '@ref': true };
    }
    const known = typesOf(k);
    const facts = options.describe?.(k);
    const types = facts?.types && facts.types.length > 0 ? [...new Set([...(known ?? []), ...facts.types])] : known;
    const ref: ViewNode = types && types.length > 0 ? { '@id': k, '@type': [...types], '@ref': true } : { '@id': k, '@ref': true };
    if (facts?.schemes && facts.schemes.length > 0) ref[IN_SCHEME] = facts.schemes.map(schemeRef);
    return ref;
  };
  // A concept's scheme, with the types the vocabularies give it: shapes ask for
  // skos:inScheme [ sh:class skos:ConceptScheme ] (DCAT-AP 1.1, 2.1.1 and 3.0 vocabulary shapes).
  const schemeRef = (s: string): ViewNode => {
    const types = [...new Set([...(typesOf(s) ?? []), ...(options.describe?.(s)?.types ?? [])])];
    return types.length > 0 ? { '@id': s, '@type': types, '@ref': true } : { '@id': s, '@ref': true };
  };
  const rootKey = keyOf(root);
  const out = node(rootKey, new Set());
  const included: ViewNode[] = [];
  let next = 0;
  const viewCut = () => {
    for (; next < cut.length; next++) if (!reached.has(cut[next])) included.push(node(cut[next], new Set()));
  };
  viewCut();
  const rest = [...bySubject.keys()].filter((k) => !reached.has(k));
  for (const n of rest.filter((k) => !reached.has(k)).map((k) => node(k, new Set()))) included.push(n);
  viewCut();
  if (included.length > 0) out['@included'] = included;
  return out;
}

/** Every node object of a view described in the record (references are not), copies included. */
export function* viewNodes(root: ViewNode): Generator<ViewNode> {
  const stack: ViewNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    yield n;
    for (const [k, v] of Object.entries(n)) {
      if (k === '@id' || k === '@type' || k === '@ref' || !Array.isArray(v)) continue;
      for (const item of v as (ViewValue | string)[]) if (typeof item === 'object' && '@id' in item && !item['@ref']) stack.push(item as ViewNode);
    }
  }
}
