// A record's triples as canonical N-Triples: blank nodes labelled from their surroundings (see
// hash.ts), lines sorted, duplicates dropped. This one text is what the store keeps, and its SHA-256
// is the record's content hash, so hashing costs one pass over text we store anyway, and two
// versions of a record differ line by line exactly where their triples differ.
import { createHash } from 'node:crypto';
import { memoOf, type Literal, type NamedNode, type Quad, type Term } from '../rdf/terms.js';
import { blankNodeLabels } from './hash.js';
import { XSD_STRING } from '../rdf/namespaces.js';

// eslint-disable-next-line no-control-regex
const LITERAL_ESCAPE = /["\\\n\r\t\b\f\u0000-\u001f]/;
// eslint-disable-next-line no-control-regex
const LITERAL_ESCAPE_ALL = /["\\\n\r\t\b\f\u0000-\u001f]/g;
// eslint-disable-next-line no-control-regex
const IRI_ESCAPE = /[\u0000-\u0020<>"{}|^`\\]/;
// eslint-disable-next-line no-control-regex
const IRI_ESCAPE_ALL = /[\u0000-\u0020<>"{}|^`\\]/g;

const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function uchar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function iri(value: string): string {
  return IRI_ESCAPE.test(value) ? `<${value.replace(IRI_ESCAPE_ALL, uchar)}>` : `<${value}>`;
}

/** Interned IRIs (predicates, classes, vocabulary terms) are written once and remembered. */
function namedNode(node: NamedNode): string {
  const memo = memoOf(node);
  if (memo === undefined) return iri(node.value);
  return (memo.nt ??= iri(node.value));
}

function literal(l: Literal): string {
  const v = l.value;
  const text = LITERAL_ESCAPE.test(v) ? v.replace(LITERAL_ESCAPE_ALL, (c) => SHORT[c] ?? uchar(c)) : v;
  if (l.language) return `"${text}"@${l.language}`;
  return l.datatype.value === XSD_STRING ? `"${text}"` : `"${text}"^^${namedNode(l.datatype)}`;
}

/** A named node or literal in N-Triples form (blank nodes are labelled by the caller). */
export function ntTerm(t: Term): string {
  if (t.termType === 'NamedNode') return namedNode(t);
  if (t.termType === 'Literal') return literal(t as Literal);
  throw new Error(`ntTerm: ${t.termType} has no label here`);
}

/** N-Triples of quads without blank nodes (a CatalogRecord, a catalogue node). */
export function ntLines(quads: readonly Quad[]): string {
  let out = '';
  for (const q of quads) out += `${ntTerm(q.subject)} ${ntTerm(q.predicate)} ${ntTerm(q.object)} .\n`;
  return out;
}

/**
 * Renames the blank nodes of a record's stored N-Triples (labelled _:b0, _:b1, … within each record)
 * so that records written one after another into one document keep theirs apart. Only subject and
 * object positions are touched: a literal that contains "_:b" is left as it is.
 */
export function relabelBlankNodes(nt: string, prefix: string): string {
  if (!nt.includes('_:')) return nt;
  let out = '';
  let start = 0;
  while (start < nt.length) {
    let end = nt.indexOf('\n', start);
    if (end < 0) end = nt.length;
    let line = nt.slice(start, end);
    if (line.startsWith('_:')) line = `_:${prefix}${line.slice(2)}`;
    // The object starts after the predicate, which is always an IRI: "<…> ".
    const p = line.indexOf('> ', line.indexOf(' ') + 1);
    if (p > 0 && line.startsWith('_:', p + 2)) line = `${line.slice(0, p + 2)}_:${prefix}${line.slice(p + 4)}`;
    out += `${line}\n`;
    start = end + 1;
  }
  return out;
}

export interface Canonical {
  nquads: string;
  hash: string;
  /** The blank nodes' labels in `nquads` ("b" + this), by their labels in the input. */
  labels?: Map<string, string>;
}

export function canonicalize(quads: readonly Quad[]): Canonical {
  const labels = hasBlankNodes(quads) ? blankNodeLabels(dedupe(quads)) : undefined;
  const nquads = sortedUnique(quads, labels);
  return { nquads, hash: createHash('sha256').update(nquads).digest('hex'), labels };
}

// The loops below live in functions of their own that end right after them. V8 compiles a hot loop
// while the first call is still in it, before the code after the loop has ever run; that compiled
// loop is then entered on every later call and had to be thrown away at its exit each time (a couple
// of hundred times in an ingest of 2,000 records) while the hashing followed the loop here.

function hasBlankNodes(quads: readonly Quad[]): boolean {
  for (const q of quads) if (q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode') return true;
  return false;
}

function labelled(t: Term, labels: Map<string, string> | undefined): string {
  if (t.termType === 'NamedNode') return namedNode(t);
  if (t.termType === 'BlankNode') return `_:b${labels!.get(t.value)}`;
  return literal(t as Literal);
}

/**
 * The record's lines, sorted as text and without repeats. Sorted by their three terms rather than as
 * whole lines, which orders them the same: no term's text is a proper prefix of another's that could
 * be followed by a character below the space that separates terms (IRIs end with '>', which they
 * cannot hold; blank-node labels have one length; a literal is a prefix of another only when that
 * one goes on with '@', '^' or more of a language tag). Comparing terms is cheaper: most lines of a
 * record share their subject and many their predicate, the same strings, compared at once, where
 * whole lines were compared from their first character and each first made one flat string.
 */
function sortedUnique(quads: readonly Quad[], labels: Map<string, string> | undefined): string {
  const n = quads.length;
  const s: string[] = new Array(n);
  const p: string[] = new Array(n);
  const o: string[] = new Array(n);
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const q = quads[i];
    s[i] = labelled(q.subject, labels);
    p[i] = labelled(q.predicate, labels);
    o[i] = labelled(q.object, labels);
    order[i] = i;
  }
  order.sort((a, b) => {
    if (s[a] !== s[b]) return s[a] < s[b] ? -1 : 1;
    if (p[a] !== p[b]) return p[a] < p[b] ? -1 : 1;
    if (o[a] !== o[b]) return o[a] < o[b] ? -1 : 1;
    return 0;
  });
  let text = '';
  let prev = -1;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (prev >= 0 && s[i] === s[prev] && p[i] === p[prev] && o[i] === o[prev]) continue;
    text += `${s[i]} ${p[i]} ${o[i]} .\n`;
    prev = i;
  }
  return text;
}

/** Blank-node labels must not count a repeated triple twice. */
function dedupe(quads: readonly Quad[]): Quad[] {
  const seen = new Set<string>();
  const out: Quad[] = [];
  for (const q of quads) {
    if (q.subject.termType !== 'BlankNode' && q.object.termType !== 'BlankNode') continue;
    const o = q.object;
    const k = `${q.subject.termType[0]}${q.subject.value} ${q.predicate.value} ${o.termType[0]}${o.value}${o.termType === 'Literal' ? `@${(o as Literal).language}^${(o as Literal).datatype.value}` : ''}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(q);
    }
  }
  return out;
}

/** Content hash over the record's triples, independent of order, duplicates and blank-node labels. */
export function contentHash(quads: readonly Quad[]): string {
  return canonicalize(quads).hash;
}
