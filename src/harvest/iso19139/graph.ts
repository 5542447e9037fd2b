// Collects the triples of one mapping run. Values taken from a record become IRIs only through
// `toIri`, because harvested URLs routinely contain spaces or other characters an IRI may not hold,
// and one such IRI would make the whole output unserialisable.
import { blankNode, literal, namedNode, quad, type BlankNode, type Literal, type NamedNode, type Quad } from '../../rdf/terms.js';
import { XSD } from './vocab.js';

export type Node = NamedNode | BlankNode;

export class GraphBuilder {
  readonly quads: Quad[] = [];
  /** Triples about shared IRIs (a role, a licence, a code) come once per use; a graph holds them once. */
  private readonly seen = new Set<string>();

  add(subject: Node, predicate: NamedNode, object: Node | Literal | null | undefined): void {
    if (!object) return;
    const o = object.termType === 'Literal' ? `"${object.value}"@${object.language}^${object.datatype.value}` : `${object.termType}:${object.value}`;
    const key = `${subject.termType}:${subject.value} ${predicate.value} ${o}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.quads.push(quad(subject, predicate, object));
  }

  blank(): BlankNode {
    return blankNode();
  }
}

/** An IRI from text in a record: trimmed, characters IRIs forbid percent-encoded; null without a scheme. */
export function toIri(raw: string | undefined): NamedNode | null {
  const s = raw?.trim();
  if (!s || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s)) return null;
  // eslint-disable-next-line no-control-regex
  const safe = s.replace(/[\u0000-\u0020<>"{}|\\^`\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return namedNode(safe);
}

export function isHttp(s: string | undefined): boolean {
  return !!s && /^https?:\/\//.test(s);
}

export function lang(value: string, language: string): Literal {
  return literal(value, language || undefined);
}

export function typed(value: string, datatype: string): Literal {
  return literal(value, namedNode(`${XSD}${datatype}`));
}

export function plain(value: string): Literal {
  return literal(value);
}
