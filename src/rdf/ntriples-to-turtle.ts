// Turtle straight from N-Triples text, without parsing terms into objects: what the store keeps for each
// record is canonical N-Triples, one triple per line, sorted, so the triples of a subject are already
// together. Each line is cut into subject, predicate and object (the subject and predicate have no
// spaces; the object is the rest of the line before " ."), IRIs become prefixed names where the local
// part allows, and literals are copied as they are (N-Triples literal syntax is valid Turtle). Ten
// times faster than parsing and re-serialising, and the hot path of every record read as Turtle.
import { PREFIXES } from './namespaces.js';

/** Local parts that are safe as Turtle PN_LOCAL without escapes. */
const SAFE_LOCAL = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Namespaces longest first, so that the most specific prefix wins. */
const NAMESPACES = Object.entries(PREFIXES)
  .map(([prefix, ns]) => ({ prefix, ns }))
  .sort((a, b) => b.ns.length - a.ns.length);

const RDF_TYPE_NT = `<${PREFIXES.rdf}type>`;

export function prefixHeader(prefixes: Record<string, string> = PREFIXES): string {
  let out = '';
  for (const [p, ns] of Object.entries(prefixes)) out += `@prefix ${p}: <${ns}>.\n`;
  return `${out}\n`;
}

/** "<http://purl.org/dc/terms/title>" as "dct:title" when a prefix covers it; else as it is. */
function compact(term: string): string {
  if (term.charCodeAt(0) !== 60 /* < */) return term;
  const iri = term.slice(1, -1);
  for (const { prefix, ns } of NAMESPACES)
    if (iri.startsWith(ns)) {
      const local = iri.slice(ns.length);
      return SAFE_LOCAL.test(local) ? `${prefix}:${local}` : term;
    }
  return term;
}

/** The object of a line: IRIs compacted, a datatype IRI after "^^" too; literals and blank nodes as they are. */
function compactObject(object: string): string {
  if (object.charCodeAt(0) === 60) return compact(object);
  if (object.charCodeAt(0) === 34 /* " */ && object.endsWith('>')) {
    const hat = object.lastIndexOf('"^^<');
    if (hat > 0) return `${object.slice(0, hat + 3)}${compact(object.slice(hat + 3))}`;
  }
  return object;
}

/**
 * Turtle for N-Triples text (no prefix header: see prefixHeader). Lines of one subject must be next to
 * each other, as in sorted canonical N-Triples; a subject seen again later just starts a new block.
 */
export function ntriplesToTurtle(nt: string): string {
  let out = '';
  let subject = '';
  let predicate = '';
  let start = 0;
  const n = nt.length;
  while (start < n) {
    let end = nt.indexOf('\n', start);
    if (end < 0) end = n;
    // A line: "S P O .", possibly with trailing spaces.
    let stop = end;
    while (stop > start && (nt.charCodeAt(stop - 1) === 32 || nt.charCodeAt(stop - 1) === 13)) stop--;
    if (stop > start && nt.charCodeAt(stop - 1) === 46 /* . */) {
      const s1 = nt.indexOf(' ', start);
      const s2 = nt.indexOf(' ', s1 + 1);
      const s = nt.slice(start, s1);
      const p = nt.slice(s1 + 1, s2);
      let o = nt.slice(s2 + 1, stop - 1);
      if (o.endsWith(' ')) o = o.trimEnd();
      const pt = p === RDF_TYPE_NT ? 'a' : compact(p);
      if (s === subject) {
        out += p === predicate ? `, ${compactObject(o)}` : ` ;\n    ${pt} ${compactObject(o)}`;
      } else {
        if (subject) out += ' .\n';
        out += `${compact(s)} ${pt} ${compactObject(o)}`;
        subject = s;
      }
      predicate = p;
    }
    start = end + 1;
  }
  if (subject) out += ' .\n';
  return out;
}
