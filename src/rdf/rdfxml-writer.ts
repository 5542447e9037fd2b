// A streaming RDF/XML writer: one rdf:Description per run of quads with the same subject, so it can
// write a dump of any size. Graph names are dropped (RDF/XML has no named graphs).
import type { Quad, Term } from './terms.js';
import { PREFIXES, XSD_STRING } from './namespaces.js';

const NCNAME = /^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*$/u;

function escapeXml(text: string, attribute = false): string {
  // A raw carriage return would reach the reader as a line feed (XML normalises line ends), in text
  // as in attributes: it is written as a character reference.
  let out = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
  if (attribute) out = out.replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
  // A character XML 1.0 cannot carry at all (not even as a reference) cannot be written: replacing it
  // would change the data without a word. Callers look first (xmlUnwritable) and answer in another
  // syntax or say why not; this is the guard for any that do not.
  const bad = NOT_XML.exec(out);
  if (bad) throw new RdfXmlCharacterError(text, bad[0]);
  return out;
}

/** Characters outside XML 1.0's Char production (2.2): C0 controls other than tab, LF and CR; U+FFFE, U+FFFF. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** A term holds a character XML 1.0 cannot carry. */
export class RdfXmlCharacterError extends Error {
  constructor(
    readonly text: string,
    readonly character: string,
  ) {
    super(`${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)} holds ${codePoint(character)}, a character XML 1.0 cannot carry`);
    this.name = 'RdfXmlCharacterError';
  }
}

/** A character reference to a character XML 1.0 cannot carry (&#1;, &#x1F;), as some writers make. */
const NOT_XML_REFERENCE = /&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01])|x0*(?:[0-8bce-f]|1[\da-f]));/i;

/** An XML document someone else wrote (a SPARQL store's results) that holds a character XML 1.0
 * cannot carry, raw or as a reference: readers refuse the whole document. The error says which. */
export function xmlDocumentFault(xml: string): RdfXmlCharacterError | undefined {
  const raw = NOT_XML.exec(xml);
  if (raw) return new RdfXmlCharacterError(xml.slice(Math.max(0, raw.index - 40), raw.index + 40), raw[0]);
  const ref = NOT_XML_REFERENCE.exec(xml);
  if (!ref) return undefined;
  const code = ref[0].slice(2, -1);
  const c = String.fromCodePoint(code[0] === 'x' || code[0] === 'X' ? parseInt(code.slice(1), 16) : parseInt(code, 10));
  return new RdfXmlCharacterError(xml.slice(Math.max(0, ref.index - 40), ref.index + 40).replace(ref[0], c), c);
}

/** Why RDF/XML cannot write this quad's terms as they are, or undefined when it can: a literal (or an
 * IRI) holding a character XML 1.0 cannot carry. */
export function xmlUnwritable(q: Quad): string | undefined {
  for (const t of [q.subject, q.object]) {
    if (t.termType === 'BlankNode') continue;
    const bad = NOT_XML.exec(t.value);
    if (bad) return `the ${t.termType === 'Literal' ? 'literal' : 'term'} ${JSON.stringify(t.value.length > 80 ? `${t.value.slice(0, 80)}…` : t.value)} of <${q.subject.value}> <${q.predicate.value}> holds ${codePoint(bad[0])}, a character XML 1.0 cannot carry`;
  }
  return undefined;
}

/** Whether RDF/XML can write a predicate: it needs a namespace and an XML name after it. */
export function rdfXmlCanWrite(predicate: string): boolean {
  return splitIri(predicate) !== undefined;
}

function splitIri(iri: string): [string, string] | undefined {
  for (let i = iri.length - 1; i > 0; i--) {
    const c = iri[i];
    if (c === '#' || c === '/' || c === ':') {
      const local = iri.slice(i + 1);
      return NCNAME.test(local) ? [iri.slice(0, i + 1), local] : undefined;
    }
  }
  return undefined;
}

export class RdfXmlWriter {
  /** Triples left out because RDF/XML has no element name for their predicate (see add). */
  leftOut = 0;
  private readonly nsToPrefix = new Map<string, string>();
  private subject: Term | undefined;
  private started = false;

  constructor(
    private readonly write: (text: string) => void,
    prefixes: Record<string, string> = PREFIXES,
  ) {
    for (const [p, ns] of Object.entries(prefixes)) if (p !== 'rdf') this.nsToPrefix.set(ns, p);
  }

  private start(): void {
    this.started = true;
    const decls = [...this.nsToPrefix].map(([ns, p]) => ` xmlns:${p}="${escapeXml(ns, true)}"`).join('\n   ');
    this.write(`<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="${PREFIXES.rdf}"\n   ${decls}>\n`);
  }

  add(quad: Quad): void {
    if (!this.started) this.start();
    if (!this.subject || !this.subject.equals(quad.subject)) {
      if (this.subject) this.write('  </rdf:Description>\n');
      this.subject = quad.subject;
      this.write(`  <rdf:Description ${this.nodeAttr(quad.subject, 'about')}>\n`);
    }
    const split = splitIri(quad.predicate.value);
    if (!split) {
      // A predicate such as <http://example.org/ns/123> cannot be an XML element. One such triple must
      // not make a whole catalogue page or dump unavailable in RDF/XML: it is left out where it stood,
      // with a comment that says so (a single record asks for another format instead, see
      // representation.ts).
      this.leftOut++;
      this.write(`    <!-- left out: a triple with predicate <${quad.predicate.value.replace(/-(?=-)/g, '-\u200b')}>, which RDF/XML cannot write -->\n`);
      return;
    }
    const [ns, local] = split;
    const known = ns === PREFIXES.rdf ? 'rdf' : this.nsToPrefix.get(ns);
    const tag = known ? `${known}:${local}` : `ns0:${local}`;
    const decl = known ? '' : ` xmlns:ns0="${escapeXml(ns, true)}"`;
    const o = quad.object;
    if (o.termType === 'Literal') {
      let attrs = '';
      if (o.language) attrs = ` xml:lang="${escapeXml(o.language, true)}"`;
      else if (o.datatype.value !== XSD_STRING) attrs = ` rdf:datatype="${escapeXml(o.datatype.value, true)}"`;
      this.write(`    <${tag}${decl}${attrs}>${escapeXml(o.value)}</${tag}>\n`);
    } else {
      this.write(`    <${tag}${decl} ${this.nodeAttr(o, 'resource')}/>\n`);
    }
  }

  private nodeAttr(term: Term, iriAttr: 'about' | 'resource'): string {
    if (term.termType === 'BlankNode') return `rdf:nodeID="b${term.value.replace(/[^\w-]/g, '_')}"`;
    return `rdf:${iriAttr}="${escapeXml(term.value, true)}"`;
  }

  end(): void {
    if (!this.started) this.start();
    if (this.subject) this.write('  </rdf:Description>\n');
    this.write('</rdf:RDF>\n');
  }
}
