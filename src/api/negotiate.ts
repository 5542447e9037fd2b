// Content negotiation: picks a response format from an Accept header, honouring q-values, the
// specificity of media ranges and, for JSON-LD, the profile parameter (expanded, compacted, flattened,
// framed, as the JSON-LD 1.1 specification names them).
import { FORMATS, type RdfFormat } from '../rdf/formats.js';

export type ResponseFormat = 'json' | 'html' | RdfFormat;

export type JsonLdProfile = 'compacted' | 'expanded' | 'flattened' | 'framed';

const JSONLD_NS = 'http://www.w3.org/ns/json-ld#';

export interface Offer {
  type: string;
  format: ResponseFormat;
}

const RDF_OFFERS: Offer[] = FORMATS.filter((f) => f.format !== 'jsonld').map((f) => ({ type: f.mediaType, format: f.format as ResponseFormat }));

/** What the API's JSON routes offer: JSON first (the answer to a client that says nothing). */
const API_OFFERS: Offer[] = [{ type: 'application/json', format: 'json' }, { type: 'application/ld+json', format: 'jsonld' }, ...RDF_OFFERS];

/** What a record offers: the same, and a web page for browsers. */
export const RECORD_OFFERS: Offer[] = [...API_OFFERS, { type: 'text/html', format: 'html' }];

/** RDF only, Turtle first: the catalogue and the feeds, read by harvesters. */
export const RDF_ONLY_OFFERS: Offer[] = [RDF_OFFERS[0], { type: 'application/ld+json', format: 'jsonld' }, ...RDF_OFFERS.slice(1)];

export const OFFERED_TYPES = API_OFFERS.map((o) => o.type);

export const offeredTypes = (offers: Offer[]): string[] => offers.map((o) => o.type);

/** The media types of answers, as the OpenAPI document lists them (`produces`). */
export const API_TYPES = offeredTypes(API_OFFERS);
export const RECORD_TYPES = offeredTypes(RECORD_OFFERS);
export const RDF_TYPES = offeredTypes(RDF_ONLY_OFFERS);

interface Range {
  type: string;
  q: number;
  order: number;
  params: Record<string, string>;
}

/** Splits on a separator outside double quotes (a profile parameter may hold a quoted list). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (c === separator && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Other names of the syntaxes offered, as clients still ask for them: a Turtle document is N3 too
 * (rdflib's parse(url, format="n3") asks for text/n3 and reads whatever comes as N3), N-Triples was
 * text/plain (rdflib's format="nt"). A range naming one stands for the syntax it names. */
const RANGE_ALIASES: Record<string, string> = {
  'text/n3': 'text/turtle',
  'text/rdf+n3': 'text/turtle',
  'application/x-turtle': 'text/turtle',
  'text/plain': 'application/n-triples',
  'application/x-trig': 'application/trig',
  'text/x-nquads': 'application/n-quads',
};

/** Parsed Accept headers: clients send the same few over and over. */
const parsed = new Map<string, Range[]>();
const PARSED_KEPT = 200;

function parseAccept(header: string): Range[] {
  let ranges = parsed.get(header);
  if (!ranges) {
    ranges = parseAcceptText(header);
    if (parsed.size >= PARSED_KEPT) parsed.clear();
    if (header.length <= 500) parsed.set(header, ranges);
  }
  return ranges;
}

function parseAcceptText(header: string): Range[] {
  return splitOutsideQuotes(header, ',')
    .map((part, order) => {
      const [type, ...rest] = splitOutsideQuotes(part.trim(), ';');
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq < 0) continue;
        params[p.slice(0, eq).trim().toLowerCase()] = p
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1');
      }
      const q = params.q === undefined ? 1 : Number(params.q);
      const named = type.trim().toLowerCase();
      return { type: RANGE_ALIASES[named] ?? named, q: Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0, order, params };
    })
    .filter((r) => /^[\w.+*-]+\/[\w.+*-]+$/.test(r.type));
}

export interface Negotiated {
  format: ResponseFormat;
  /** The media type answered. */
  type: string;
  /** For JSON-LD: the document form asked for (compacted when none is named). */
  profile?: JsonLdProfile;
}

/** The JSON-LD form named by a profile parameter (a space-separated list of IRIs). */
export function jsonLdProfile(param: string | undefined): JsonLdProfile {
  for (const iri of (param ?? '').split(/\s+/)) {
    if (!iri.startsWith(JSONLD_NS)) continue;
    const form = iri.slice(JSONLD_NS.length);
    if (form === 'expanded' || form === 'compacted' || form === 'flattened' || form === 'framed') return form;
  }
  return 'compacted';
}

/** The best of `offers` for the Accept header; the first offer when the header is absent; undefined
 * when nothing offered is acceptable (the caller answers 406). */
export function choose(accept: string | undefined, offers: Offer[]): Negotiated | undefined {
  if (!accept || accept.trim() === '') return { format: offers[0].format, type: offers[0].type };
  let best: { offer: Offer; q: number; specificity: number; order: number; rank: number; range: Range } | undefined;
  const ranges = parseAccept(accept);
  offers.forEach((offer, rank) => {
    // An offer's quality is set by the most specific range that matches it (RFC 9110, 12.5.1): with
    // "application/json;q=0, */*" JSON is excluded, not allowed in by the wildcard.
    const [ot, os] = offer.type.split('/');
    let own: { range: Range; specificity: number } | undefined;
    for (const r of ranges) {
      const [rt, rs] = r.type.split('/');
      if (!(r.type === '*/*' || (rt === ot && (rs === '*' || rs === os)))) continue;
      const specificity = r.type === '*/*' ? 0 : rs === '*' ? 1 : 2;
      if (!own || specificity > own.specificity || (specificity === own.specificity && r.q > own.range.q)) own = { range: r, specificity };
    }
    if (!own || own.range.q <= 0) return;
    const { range: r, specificity } = own;
    const better =
      !best ||
      r.q > best.q ||
      (r.q === best.q && specificity > best.specificity) ||
      (r.q === best.q && specificity === best.specificity && (specificity === 2 ? r.order < best.order : rank < best.rank));
    if (better) best = { offer, q: r.q, specificity, order: r.order, rank, range: r };
  });
  if (!best) return undefined;
  const { offer, range } = best;
  return { format: offer.format, type: offer.type, ...(offer.format === 'jsonld' ? { profile: jsonLdProfile(range.params.profile) } : {}) };
}

export type ApiFormat = 'json' | RdfFormat;

/** The best API format for the Accept header (JSON when it says nothing), or undefined (406). */
export function negotiate(accept: string | undefined): ApiFormat | undefined {
  return choose(accept, API_OFFERS)?.format as ApiFormat | undefined;
}

/** Suffix URLs (`/api/v1/records/{id}.ttl`) name their format outright. */
export const SUFFIXES: Record<string, ResponseFormat> = {
  ttl: 'turtle',
  trig: 'trig',
  nt: 'ntriples',
  nq: 'nquads',
  rdf: 'rdfxml',
  jsonld: 'jsonld',
  json: 'json',
  html: 'html',
};

/** The ?format= parameter of the routes that negotiate: it overrides the Accept header. */
export const FORMAT_PARAM = { type: 'string', enum: Object.keys(SUFFIXES), description: 'Overrides the Accept header: json, jsonld, an RDF syntax (ttl, nt, nq, trig, rdf), or html where a page exists' } as const;

export const SUFFIX_OF: Partial<Record<ResponseFormat, string>> = Object.fromEntries(Object.entries(SUFFIXES).map(([s, f]) => [f, s]));

/** Splits "abc.ttl" into the id and the format its suffix names. */
export function splitSuffix(name: string): { id: string; format?: ResponseFormat } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { id: name };
  const format = SUFFIXES[name.slice(dot + 1).toLowerCase()];
  return format ? { id: name.slice(0, dot), format } : { id: name };
}
