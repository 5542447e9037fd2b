// Reading values out of a record's JSON, where any property may hold one value or many, an IRI string
// or a node with an "iri", and blank nodes have labels not worth showing.
import type { JsonNode, JsonValue } from './json.js';

export const list = (v: JsonValue | undefined): JsonValue[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

export const isNode = (v: JsonValue | undefined): v is JsonNode => !!v && typeof v === 'object' && !Array.isArray(v);

/** The IRI a value names (blank nodes name none worth showing). */
export function iriOf(v: JsonValue | undefined): string | undefined {
  if (typeof v === 'string') return v.startsWith('_:') ? undefined : v;
  if (isNode(v) && typeof v.iri === 'string' && !v.iri.startsWith('_:')) return v.iri;
  return undefined;
}

export const iris = (v: JsonValue | undefined): string[] => list(v).map(iriOf).filter((x): x is string => !!x);
