// Canonical blank-node labels for a record's triples (used by canonical.ts for the stored N-Triples
// and the content hash). Blank nodes get labels computed from
// what surrounds them (colour refinement: their own triples, then their neighbours' labels, repeated
// until stable), so the hash does not depend on the order of the input or on the parser's labels.
// This is exact for the tree-shaped blank nodes of DCAT records; graphs with indistinguishable
// (automorphic) blank nodes hash equal when they are isomorphic, which is what change detection needs.
import { createHash } from 'node:crypto';
import type { Literal, Quad, Term } from 'n3';

function h(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** Unambiguous without escaping: the value's length tells where it ends. */
function plainKey(t: Term): string {
  if (t.termType !== 'Literal') return `<${t.value}>`;
  const l = t as Literal;
  return `${l.value.length}"${l.value}"${l.language ? `@${l.language}` : `^^${l.datatype.value}`}`;
}

/** Canonical labels for the blank nodes of a set of triples. */
export function blankNodeLabels(quads: readonly Quad[]): Map<string, string> {
  const blanks = new Set<string>();
  for (const q of quads) {
    if (q.subject.termType === 'BlankNode') blanks.add(q.subject.value);
    if (q.object.termType === 'BlankNode') blanks.add(q.object.value);
  }
  const labels = new Map<string, string>();
  if (blanks.size === 0) return labels;
  for (const b of blanks) labels.set(b, 'B');
  let distinct = 1;
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
  return labels;
}
