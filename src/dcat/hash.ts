// Canonical blank-node labels for a record's triples (used by canonical.ts for the stored N-Triples
// and the content hash). Blank nodes get labels computed from
// what surrounds them (colour refinement: their own triples, then their neighbours' labels, repeated
// until stable), so the hash does not depend on the order of the input or on the parser's labels.
// This is exact for the tree-shaped blank nodes of DCAT records; graphs with indistinguishable
// (automorphic) blank nodes hash equal when they are isomorphic, which is what change detection needs.
import type { Literal, Quad, Term } from '../rdf/terms.js';

/** A 64-bit hash of a string, as 13 base-32 digits. Labels only name blank nodes inside one record
 * (the record's content hash is a SHA-256 over the labelled text), so a fast non-cryptographic hash
 * is enough, and it is several times cheaper than a crypto hash object per node per round. */
function h(text: string): string {
  let a = 0x811c9dc5 | 0;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // Final avalanche so that nearby inputs spread over all bits.
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35) ^ b;
  b = Math.imul(b ^ (b >>> 16), 0x27d4eb2f) ^ a;
  return (a >>> 0).toString(32).padStart(7, '0') + ((b >>> 0) & 0x3fffffff).toString(32).padStart(6, '0');
}

/** Unambiguous without escaping: the value's length tells where it ends. */
function plainKey(t: Term): string {
  if (t.termType !== 'Literal') return `<${t.value}>`;
  const l = t as Literal;
  return `${l.value.length}"${l.value}"${l.language ? `@${l.language}` : `^^${l.datatype.value}`}`;
}

/** Canonical labels for the blank nodes of a set of triples: distinct blank nodes always get distinct
 * labels, so that no triple is lost when the labelled lines are made unique. */
export function blankNodeLabels(quads: readonly Quad[]): Map<string, string> {
  const blanks = new Set<string>();
  for (const q of quads) {
    if (q.subject.termType === 'BlankNode') blanks.add(q.subject.value);
    if (q.object.termType === 'BlankNode') blanks.add(q.object.value);
  }
  const labels = new Map<string, string>();
  if (blanks.size === 0) return labels;
  for (const b of blanks) labels.set(b, 'B');
  refine(quads, blanks, labels);
  // Blank nodes that refinement cannot tell apart (two contact points that say the same thing) are
  // told apart a group at a time: the members of one group get numbered labels and the others are
  // refined again, which also separates what hangs below them. Such nodes are interchangeable in
  // records, so which gets which number does not change the labelled triples; a whole group at once
  // keeps a hostile record with thousands of look-alikes to a few rounds.
  for (let n = 0; n < blanks.size; n++) {
    const group = firstSharedGroup(blanks, labels);
    if (group === undefined) break;
    group.forEach((b, i) => labels.set(b, h(`${labels.get(b)}~${i + 1}`)));
    refine(quads, blanks, labels);
  }
  return labels;
}

/** Colour refinement: each label becomes a hash of itself and its triples, until the number of
 * distinct labels stops growing. */
function refine(quads: readonly Quad[], blanks: Set<string>, labels: Map<string, string>): void {
  let distinct = new Set(labels.values()).size;
  for (let round = 0; round < 8; round++) {
    const parts = new Map<string, string[]>();
    for (const b of blanks) parts.set(b, [labels.get(b)!]);
    const term = (t: Term) => (t.termType === 'BlankNode' ? `_:${labels.get(t.value)}` : plainKey(t));
    for (const q of quads) {
      if (q.subject.termType === 'BlankNode') parts.get(q.subject.value)!.push(`+${q.predicate.value} ${term(q.object)}`);
      if (q.object.termType === 'BlankNode') parts.get(q.object.value)!.push(`-${q.predicate.value} ${term(q.subject)}`);
    }
    const next = new Map<string, string>();
    for (const [b, p] of parts) {
      const [own, ...rest] = p;
      next.set(b, h(own + '|' + rest.sort().join('\n')));
    }
    const count = new Set(next.values()).size;
    for (const [b, l] of next) labels.set(b, l);
    if (count === distinct && round > 0) break;
    distinct = count;
  }
}

/** The blank nodes (in the order of the input) of the smallest label that several share, if any:
 * the smallest label, so that the choice of group does not depend on the input's order. */
function firstSharedGroup(blanks: Set<string>, labels: Map<string, string>): string[] | undefined {
  const seen = new Map<string, number>();
  for (const b of blanks) seen.set(labels.get(b)!, (seen.get(labels.get(b)!) ?? 0) + 1);
  let smallest: string | undefined;
  for (const [l, n] of seen) if (n > 1 && (smallest === undefined || l < smallest)) smallest = l;
  if (smallest === undefined) return undefined;
  return [...blanks].filter((b) => labels.get(b) === smallest);
}
