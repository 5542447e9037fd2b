// The triples of one mapped dataset, collected as a set: the same fact reached twice (an IRI that is
// both the access and the download URL, typed once per use) is written once, as an RDF graph would
// hold it.
import { blankNode, quad, type BlankNode, type Literal, type NamedNode, type Quad } from '../../rdf/terms.js';
import { RDF } from './terms.js';

export type Node = NamedNode | BlankNode;
export type Value = NamedNode | BlankNode | Literal;

function key(t: Value): string {
  if (t.termType !== 'Literal') return `${t.termType[0]}${t.value}`;
  return `L${t.value}\u0000${t.language}\u0000${t.datatype.value}`;
}

export class TripleSet {
  readonly quads: Quad[] = [];
  private readonly seen = new Set<string>();

  add(subject: Node, predicate: NamedNode, object: Value): void {
    const k = `${key(subject)}\u0001${predicate.value}\u0001${key(object)}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.quads.push(quad(subject, predicate, object));
  }

  type(subject: Node, cls: NamedNode): void {
    this.add(subject, RDF.type, cls);
  }

  /** Adds `subject predicate object` and, when the object is an IRI and a class is given, types it:
   * DCAT-AP checks the class of each object against the property's range, and a portal's value is an
   * IRI with nothing said about it. */
  link(subject: Node, predicate: NamedNode, object: Value, cls?: NamedNode): void {
    this.add(subject, predicate, object);
    if (cls && object.termType === 'NamedNode') this.type(object, cls);
  }

  /** A fresh node for a nested resource: its IRI when the portal gave one, else a blank node. */
  node(iri: NamedNode | undefined): Node {
    return iri ?? blankNode();
  }
}
