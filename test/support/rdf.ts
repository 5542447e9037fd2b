// Graph comparison for tests: RDF Dataset Canonicalization (rdf-canonize, RDFC-1.0), so two graphs
// are equal exactly when they are isomorphic.
import canonize from 'rdf-canonize';
import { quad, type Quad } from '../../src/rdf/terms.js';
import { readFileSync } from 'node:fs';
import { parseString } from '../../src/rdf/parse.js';
import { formatForPath } from '../../src/rdf/formats.js';

export function asTriples(quads: Quad[]): Quad[] {
  const seen = new Set<string>();
  const out: Quad[] = [];
  for (const q of quads) {
    const t = quad(q.subject, q.predicate, q.object);
    const k = `${t.subject.termType}${t.subject.value} ${t.predicate.value} ${t.object.termType}${t.object.value}${t.object.termType === 'Literal' ? `@${(t.object as { language: string }).language}^${(t.object as { datatype: { value: string } }).datatype.value}` : ''}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(t);
    }
  }
  return out;
}

export async function canonical(quads: Quad[]): Promise<string> {
  return (await canonize.canonize(asTriples(quads) as never, { algorithm: 'RDFC-1.0', maxWorkFactor: 3 } as never)) as string;
}

export async function parseFile(path: string): Promise<Quad[]> {
  const format = formatForPath(path);
  if (!format) throw new Error(`unknown format: ${path}`);
  return parseString(readFileSync(path, 'utf8'), { format, baseIRI: `file://${path}` });
}
