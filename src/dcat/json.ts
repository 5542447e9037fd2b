// Maps a record's triples to a JSON object keyed by the project's @context: the root node with its
// owned nodes embedded. Every triple is represented, so expanding the JSON with the context gives the
// record's triples back (tested), which keeps the JSON API honest JSON-LD.
import type { Quad, Term, Literal } from '../rdf/terms.js';
import { RDF_TYPE, XSD_STRING, RDF_LANGSTRING } from '../rdf/namespaces.js';
import { termForPredicate, classKey, compactIri } from './context.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
export type JsonNode = { [k: string]: JsonValue };

function keyOf(t: Term): string {
  return t.termType === 'BlankNode' ? `_:${t.value}` : t.value;
}

/** Deepest a node is embedded in its record's JSON. A node further down (an RDF list of thousands of
 * items is a chain of as many blank nodes) is named there and written in "@included", so that building
 * the JSON never runs out of stack, whatever the input nests. Real records nest a handful of levels. */
export const MAX_EMBED_DEPTH = 64;

export function recordToJson(root: Term, quads: readonly Quad[]): JsonNode {
  const bySubject = new Map<string, Quad[]>();
  const incoming = new Map<string, number>();
  for (const q of quads) {
    const k = keyOf(q.subject);
    let list = bySubject.get(k);
    if (!list) bySubject.set(k, (list = []));
    list.push(q);
    if (q.object.termType === 'BlankNode') incoming.set(q.object.value, (incoming.get(q.object.value) ?? 0) + 1);
  }
  const placed = new Set<string>();
  // Nodes too deep to embed where they are referenced, to be written in "@included".
  const cut: Term[] = [];
  const cutKeys = new Set<string>();
  const render = (subject: Term, path: Set<string>): JsonNode => {
    const k = keyOf(subject);
    placed.add(k);
    const node: JsonNode = {};
    // Blank nodes referenced once need no label; shared ones keep theirs so the links survive, and so
    // does one referenced from where it was too deep to embed.
    if (subject.termType === 'NamedNode') node.iri = subject.value;
    else if ((incoming.get(subject.value) ?? 0) !== 1 || cutKeys.has(k)) node.iri = `_:${subject.value}`;
    const types: string[] = [];
    const props = new Map<string, { def: ReturnType<typeof termForPredicate>['def']; values: Term[] }>();
    for (const q of bySubject.get(k) ?? []) {
      if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode') {
        types.push(classKey(q.object.value));
        continue;
      }
      const { key, def } = termForPredicate(q.predicate.value);
      let entry = props.get(key);
      if (!entry) props.set(key, (entry = { def, values: [] }));
      entry.values.push(q.object);
    }
    if (types.length > 0) node.type = types.length === 1 ? types[0] : types;
    const inner = new Set(path).add(k);
    for (const [key, { def, values }] of props) {
      if (def?.kind === 'lang') {
        node[key] = languageMap(values as Literal[], def.set === true);
        continue;
      }
      const rendered = values.map((v) => renderValue(v, def?.kind === 'id', inner));
      node[key] = def?.set || rendered.length > 1 ? rendered : rendered[0];
    }
    return node;
  };
  const renderValue = (v: Term, coercedId: boolean, path: Set<string>): JsonValue => {
    if (v.termType === 'Literal') {
      const value = literalValue(v as Literal, false);
      // A bare string under a term the context types as "@id" would be read back as an IRI: a text
      // where an IRI is expected ("Greater London" as dct:spatial) stays a text as a value object.
      return coercedId && typeof value === 'string' ? { '@value': value } : value;
    }
    const k = keyOf(v);
    const owned = bySubject.has(k) && !path.has(k) && !placed.has(k);
    if (owned && (v.termType === 'BlankNode' || k !== keyOf(root))) {
      if (path.size < MAX_EMBED_DEPTH) return render(v, path);
      if (!cutKeys.has(k)) {
        cutKeys.add(k);
        cut.push(v);
      }
    }
    if (v.termType === 'BlankNode') return { iri: `_:${v.value}` };
    return coercedId ? v.value : { iri: v.value };
  };
  const out = render(root, new Set());
  // The nodes cut off for depth go in "@included", each embedding the next levels (which may cut off more).
  const included: JsonNode[] = [];
  let next = 0;
  const renderCut = () => {
    for (; next < cut.length; next++) if (!placed.has(keyOf(cut[next]))) included.push(render(cut[next], new Set()));
  };
  renderCut();
  // So do nodes not reachable from the root (possible in left-over resource records).
  const rest = [...bySubject.keys()].filter((k) => !placed.has(k));
  for (const node of rest.filter((k) => !placed.has(k)).map((k) => render(bySubject.get(k)![0].subject, new Set()))) included.push(node);
  renderCut();
  if (included.length > 0) out['@included'] = included;
  return out;
}

function literalValue(l: Literal, inLanguageMap: boolean): JsonValue {
  if (l.language) return inLanguageMap ? l.value : { '@value': l.value, '@language': l.language };
  const dt = l.datatype.value;
  if (dt === XSD_STRING) return inLanguageMap ? { '@value': l.value } : l.value;
  if (dt === RDF_LANGSTRING) return l.value;
  return { '@value': l.value, '@type': compactIri(dt) };
}

/** {"nl": "…", "en": ["…", "…"]}; untagged strings go under "@none", typed literals stay value objects. */
function languageMap(values: Literal[], alwaysArray: boolean): JsonValue {
  const map: Record<string, JsonValue[]> = {};
  const others: JsonValue[] = [];
  for (const v of values) {
    if (v.termType !== 'Literal') {
      others.push({ iri: v.termType === 'BlankNode' ? `_:${(v as Term).value}` : (v as Term).value });
      continue;
    }
    if (v.language) (map[v.language] ??= []).push(v.value);
    else if (v.datatype.value === XSD_STRING) (map['@none'] ??= []).push(v.value);
    else others.push(literalValue(v, false));
  }
  const out: Record<string, JsonValue> = {};
  for (const [lang, list] of Object.entries(map)) out[lang] = alwaysArray || list.length > 1 ? list : list[0];
  if (others.length === 0) return out;
  // A language map cannot hold typed literals or IRIs; fall back to an array of value objects.
  const flat: JsonValue[] = [];
  for (const [lang, list] of Object.entries(map))
    for (const v of list) flat.push(lang === '@none' ? { '@value': v } : { '@value': v, '@language': lang });
  return [...flat, ...others];
}
