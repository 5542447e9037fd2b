// RDF terms from CKAN text: which strings become IRIs, how dates are typed, how e-mail addresses become
// mailto: IRIs. The rules are ckanext-dcat's (an http(s) URL is an IRI, anything else a literal; a date
// is typed by its precision), written so that the output is always well-formed N-Triples: a CKAN field
// is free text, and one space in a URL must not make the whole record unparseable downstream.
import { literal, namedNode, type Literal, type NamedNode } from '../../rdf/terms.js';
import { PREFIXES } from '../../rdf/namespaces.js';

const XSD = PREFIXES.xsd;

/** Characters RFC 3987 does not allow in an IRI, percent-encoded. Characters an IRI may hold (parentheses,
 * commas...) are kept, so that an IRI a portal wrote correctly keeps its identity. */
function encodeIri(value: string): string {
  let out = '';
  for (const c of value) {
    const code = c.charCodeAt(0);
    out += code <= 0x20 || code === 0x7f || '<>"{}|\\^`'.includes(c) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : c;
  }
  return out;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\S/;
const HTTP = /^https?:\/\/[^\s/?#]+/i;

/** An absolute IRI of any scheme (for `uri` fields naming a node), or undefined. */
export function anyIri(value: unknown): NamedNode | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  return SCHEME.test(v) ? namedNode(encodeIri(v)) : undefined;
}

/** An http(s) URL as an IRI, or undefined. */
export function httpIri(value: unknown): NamedNode | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  return HTTP.test(v) ? namedNode(encodeIri(v)) : undefined;
}

/** An http(s) URL as an IRI, anything else as a literal (optionally language-tagged). */
export function iriOrLiteral(value: string, language?: string): NamedNode | Literal {
  return httpIri(value) ?? literal(value, language);
}

export function plain(value: string, language?: string): Literal {
  return literal(value, language);
}

export function typed(value: string, datatype: string): Literal {
  return literal(value, namedNode(`${XSD}${datatype}`));
}

/** A mailto: IRI for an address given with or without the scheme. */
export function mailto(address: string): NamedNode {
  return namedNode(`mailto:${encodeIri(address.trim().replace(/^mailto:/i, ''))}`);
}

// The lexical forms of XML Schema 1.1 (years of four digits or more, an optional zone).
const YEAR = '-?(?:[1-9]\\d{3,}|0\\d{3})';
const MONTH = '(?:0[1-9]|1[0-2])';
const DAY = '(?:0[1-9]|[12]\\d|3[01])';
const ZONE = '(?:Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))?';
const G_YEAR = new RegExp(`^${YEAR}${ZONE}$`);
const G_YEAR_MONTH = new RegExp(`^${YEAR}-${MONTH}${ZONE}$`);
const DATE = new RegExp(`^${YEAR}-${MONTH}-${DAY}${ZONE}$`);
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A date as the most precise XSD type it fits: xsd:gYear, xsd:gYearMonth, xsd:date or xsd:dateTime
 * (seconds added when missing, a zone written +hh:mm). Text that is no ISO 8601 date stays a plain
 * literal: the value is kept, and a validator will say it is not a date. */
export function dateLiteral(value: string): Literal {
  const v = value.trim();
  if (G_YEAR.test(v)) return typed(v, 'gYear');
  if (G_YEAR_MONTH.test(v)) return typed(v, 'gYearMonth');
  if (DATE.test(v)) return typed(v, 'date');
  const m = DATE_TIME.exec(v);
  if (!m) return plain(value);
  const [, date, hh, mm, ss = '00', fraction = '', zone = ''] = m;
  // Microseconds at most, and none when zero (as an ISO writer prints them).
  const micro = fraction.slice(0, 6).padEnd(6, '0');
  const frac = /^0*$/.test(micro) ? '' : `.${micro}`;
  let tz = zone.toUpperCase();
  if (tz === 'Z') tz = '+00:00';
  else if (tz !== '') tz = tz.length === 3 ? `${tz}:00` : tz.includes(':') ? tz : `${tz.slice(0, 3)}:${tz.slice(3)}`;
  return typed(`${date}T${hh}:${mm}:${ss}${frac}${tz}`, 'dateTime');
}

/** A number as xsd:decimal, written without an exponent; undefined when the text is no number. */
export function decimalLiteral(value: string): Literal | undefined {
  const v = value.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return undefined;
  return typed(/[eE]/.test(v) ? formatNumber(Number(v)) : v.replace(/^\+/, ''), 'decimal');
}

/** A number in plain decimal notation (no exponent, which xsd:decimal and WKT readers reject). */
export function formatNumber(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  if (Math.abs(n) >= 1e21) return BigInt(Math.round(n)).toString();
  return n.toFixed(20).replace(/\.?0+$/, '');
}
