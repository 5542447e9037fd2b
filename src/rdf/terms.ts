// RDF terms as every parser here produces them (an RDF/JS data factory handed to N3.js, the RDF/XML
// and the JSON-LD parsers). Unlike N3.js's own terms, which keep one id string and re-parse a literal's
// value, language and datatype from it on every access, these compute each field once, and IRIs are
// interned: a predicate or a vocabulary term is one object however often it occurs, so the splitter,
// the hasher and the JSON mapping compare and look up terms without building strings, and a large
// input makes far less garbage.

export interface NamedNode {
  readonly termType: 'NamedNode';
  readonly value: string;
  equals(other: Term | null | undefined): boolean;
}
export interface BlankNode {
  readonly termType: 'BlankNode';
  readonly value: string;
  equals(other: Term | null | undefined): boolean;
}
export interface Literal {
  readonly termType: 'Literal';
  readonly value: string;
  /** Lower case as parsed; '' when the literal has none. */
  readonly language: string;
  readonly direction: '' | 'ltr' | 'rtl';
  readonly datatype: NamedNode;
  equals(other: Term | null | undefined): boolean;
}
export interface Variable {
  readonly termType: 'Variable';
  readonly value: string;
  equals(other: Term | null | undefined): boolean;
}
export interface DefaultGraph {
  readonly termType: 'DefaultGraph';
  readonly value: '';
  equals(other: Term | null | undefined): boolean;
}
export type Term = NamedNode | BlankNode | Literal | Variable | DefaultGraph;
export type Subject = NamedNode | BlankNode | Variable;
export type Object_ = NamedNode | BlankNode | Literal | Variable;
export type Graph = NamedNode | BlankNode | DefaultGraph | Variable;

export interface Quad {
  readonly termType: 'Quad';
  readonly value: '';
  readonly subject: Subject;
  readonly predicate: NamedNode | Variable;
  readonly object: Object_;
  readonly graph: Graph;
  equals(other: Quad | null | undefined): boolean;
}

import { detach } from '../strings.js';

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const RDF_DIR_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString';

class NamedNodeTerm implements NamedNode {
  readonly termType = 'NamedNode' as const;
  /** The IRI as written in N-Triples, computed once by whoever needs it (see canonical.ts). */
  nt: string | undefined = undefined;
  constructor(readonly value: string) {}
  equals(other: Term | null | undefined): boolean {
    return other === this || (!!other && other.termType === 'NamedNode' && other.value === this.value);
  }
}

class BlankNodeTerm implements BlankNode {
  readonly termType = 'BlankNode' as const;
  constructor(readonly value: string) {}
  equals(other: Term | null | undefined): boolean {
    return other === this || (!!other && other.termType === 'BlankNode' && other.value === this.value);
  }
}

class LiteralTerm implements Literal {
  readonly termType = 'Literal' as const;
  constructor(
    readonly value: string,
    readonly language: string,
    readonly datatype: NamedNode,
    readonly direction: '' | 'ltr' | 'rtl' = '',
  ) {}
  equals(other: Term | null | undefined): boolean {
    return (
      other === this ||
      (!!other &&
        other.termType === 'Literal' &&
        other.value === this.value &&
        other.language === this.language &&
        other.direction === this.direction &&
        other.datatype.value === this.datatype.value)
    );
  }
}

class VariableTerm implements Variable {
  readonly termType = 'Variable' as const;
  constructor(readonly value: string) {}
  equals(other: Term | null | undefined): boolean {
    return !!other && other.termType === 'Variable' && other.value === this.value;
  }
}

class DefaultGraphTerm implements DefaultGraph {
  readonly termType = 'DefaultGraph' as const;
  readonly value = '' as const;
  equals(other: Term | null | undefined): boolean {
    return !!other && other.termType === 'DefaultGraph';
  }
}

class QuadTerm implements Quad {
  readonly termType = 'Quad' as const;
  readonly value = '' as const;
  constructor(
    readonly subject: Subject,
    readonly predicate: NamedNode | Variable,
    readonly object: Object_,
    readonly graph: Graph,
  ) {}
  equals(other: Quad | null | undefined): boolean {
    return (
      !!other &&
      other.termType === 'Quad' &&
      this.subject.equals(other.subject) &&
      this.predicate.equals(other.predicate) &&
      this.object.equals(other.object) &&
      this.graph.equals(other.graph)
    );
  }
}

/** Interned IRIs. Bounded: when full it starts again, so memory does not grow with the input (the
 * IRIs that matter, vocabulary terms and predicates, come back at once). */
const INTERN_LIMIT = 65_536;
let interned = new Map<string, NamedNode>();
const DEFAULT_GRAPH: DefaultGraph = new DefaultGraphTerm();
const XSD_STRING_NODE = namedNode(XSD_STRING);
const LANG_STRING_NODE = namedNode(RDF_LANG_STRING);
const DIR_LANG_STRING_NODE = namedNode(RDF_DIR_LANG_STRING);
let blankCounter = 0;
/** V8 copies substrings shorter than this instead of slicing them. */
const SLICE_MIN = 13;

export function namedNode(iri: string): NamedNode {
  let node = interned.get(iri);
  if (node === undefined) {
    if (interned.size >= INTERN_LIMIT) interned = new Map();
    // Parsers slice IRIs out of their input, and a slice keeps the whole input piece alive: an
    // interned IRI must own its text.
    const own = detach(iri);
    node = new NamedNodeTerm(own);
    interned.set(own, node);
  }
  return node;
}

/** A blank node with the given label, or a fresh one. */
export function blankNode(label?: string): BlankNode {
  // A label is often the parser's prefix joined to a slice of its input: own the text.
  return new BlankNodeTerm(label === undefined ? `vb-${blankCounter++}` : label.length < SLICE_MIN ? label : detach(label));
}

type LanguageOrDatatype = string | { termType: string; value: string } | { language: string; direction?: string | null } | null;

export function literal(parsed: string, languageOrDatatype?: LanguageOrDatatype): Literal {
  // A literal's text is a slice of the parser's input piece; records hold literals for a while, and
  // each would pin its whole piece.
  const value = parsed.length < SLICE_MIN ? parsed : detach(parsed);
  if (languageOrDatatype === undefined || languageOrDatatype === null || languageOrDatatype === '') return new LiteralTerm(value, '', XSD_STRING_NODE);
  if (typeof languageOrDatatype === 'string') return new LiteralTerm(value, languageOrDatatype, LANG_STRING_NODE);
  if ('termType' in languageOrDatatype) {
    const datatype = languageOrDatatype.termType === 'NamedNode' ? namedNode(languageOrDatatype.value) : XSD_STRING_NODE;
    return new LiteralTerm(value, '', datatype);
  }
  const direction = languageOrDatatype.direction === 'ltr' || languageOrDatatype.direction === 'rtl' ? languageOrDatatype.direction : '';
  return new LiteralTerm(value, languageOrDatatype.language, direction ? DIR_LANG_STRING_NODE : LANG_STRING_NODE, direction);
}

export function variable(name: string): Variable {
  return new VariableTerm(name);
}

export function defaultGraph(): DefaultGraph {
  return DEFAULT_GRAPH;
}

export function quad(subject: Subject, predicate: NamedNode | Variable, object: Object_, graph: Graph = DEFAULT_GRAPH): Quad {
  return new QuadTerm(subject, predicate, object, graph);
}

/** A memo slot on an interned IRI, for text derived from it; undefined for IRIs made elsewhere. */
export function memoOf(node: NamedNode): { nt: string | undefined } | undefined {
  return node instanceof NamedNodeTerm ? node : undefined;
}

/** Copies a term from another RDF/JS factory into ours. */
export function fromTerm(t: { termType: string; value: string; language?: string; direction?: string; datatype?: { value: string } }): Term {
  switch (t.termType) {
    case 'NamedNode':
      return namedNode(t.value);
    case 'BlankNode':
      return blankNode(t.value);
    case 'Literal':
      return t.language ? literal(t.value, { language: t.language, direction: t.direction }) : literal(t.value, namedNode(t.datatype?.value ?? XSD_STRING));
    case 'Variable':
      return variable(t.value);
    case 'DefaultGraph':
      return DEFAULT_GRAPH;
    default:
      throw new Error(`Unexpected term type ${t.termType}`);
  }
}

/** The data factory given to the parsers. */
export const dataFactory = {
  namedNode,
  blankNode,
  literal,
  variable,
  defaultGraph,
  quad,
  fromTerm,
  fromQuad: (q: { subject: never; predicate: never; object: never; graph: never }) =>
    quad(fromTerm(q.subject) as Subject, fromTerm(q.predicate) as NamedNode, fromTerm(q.object) as Object_, fromTerm(q.graph) as Graph),
};
