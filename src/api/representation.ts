// A record on the web: one resource, many representations. JSON (the API's, which is JSON-LD with the
// project context), JSON-LD in the four document forms of the JSON-LD spec, every RDF syntax, and HTML;
// chosen by the Accept header (q-values, profile parameter) or by a suffix URL. Every representation
// holds the same graph: the record's own triples as they came in, plus the dcat:CatalogRecord that says
// what this catalogue knows about it (see dcat/catalog-record.ts). Caching works as HTTP means it to:
// ETag and Last-Modified, 304 on a match, Vary: Accept on negotiated answers, Link headers to the
// alternates.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import jsonld from 'jsonld';
import { Parser as N3Parser } from 'n3';
import type { Queryable } from '../store/db.js';
import type { StoredRecord } from '../store/records.js';
import { dataFactory, type Quad } from '../rdf/terms.js';
import { serialize } from '../rdf/write.js';
import { rdfXmlCanWrite, xmlUnwritable } from '../rdf/rdfxml-writer.js';
import { ntriplesToTurtle, prefixHeader } from '../rdf/ntriples-to-turtle.js';
import { ntLines } from '../dcat/canonical.js';
import { mediaTypeFor, type RdfFormat } from '../rdf/formats.js';
import { jsonldDocumentLoader } from '../rdf/jsonld-contexts.js';
import { catalogRecordJson, catalogRecordQuads, type RecordProvenance } from '../dcat/catalog-record.js';
import type { JsonNode } from '../dcat/json.js';
import { choose, offeredTypes, RECORD_OFFERS, SUFFIX_OF, type JsonLdProfile, type Negotiated, type ResponseFormat } from './negotiate.js';
import { problem } from './problem.js';

/** A record with what its representations need besides its own columns. */
export interface ServedRecord extends Omit<StoredRecord, 'validation' | 'parent_iri'> {
  source_url: string | null;
  run_id: string | number | null;
  fetched_at: Date | null;
  duplicate_of: string | null;
  /** The live records of the record's group (other catalogues' versions of the same dataset): its
   * copies, and the primary when the record is a copy itself. */
  copies: { id: string; iri: string; catalogId: string; sourceId: string | null; fetchedAt: string | null }[] | null;
  /** The latest change among those records: what is served of them changes with them. */
  copies_modified?: Date | null;
}

/**
 * When what is served for the record last changed: the record itself (a new version, a report made
 * anew, its group joined or left, see linkDuplicates) or one of the copies it lists. If-Modified-Since
 * is checked against this, so a client that sends it alone is not told a stale copy still holds.
 */
export function servedLastModified(r: ServedRecord): Date {
  return r.copies_modified && r.copies_modified > r.last_modified ? r.copies_modified : r.last_modified;
}

/** Which of the two large columns a representation needs. */
export interface Wanted {
  json: boolean;
  nquads: boolean;
}

/** What each representation reads: JSON forms the stored JSON, RDF the stored N-Triples. */
export function wantedFor(format: ResponseFormat | undefined): Wanted {
  if (format === 'json' || format === 'html') return { json: true, nquads: false };
  if (format === 'jsonld') return { json: true, nquads: false };
  // RDF/XML may turn out unable to write the record, and the client's next choice be JSON or the page.
  if (format === 'rdfxml') return { json: true, nquads: true };
  return { json: false, nquads: true };
}

/** The record and its provenance in one query (the hot path of linked-data reads); the stored JSON and
 * N-Triples only when the representation needs them, the validation report never. */
export async function loadServedRecord(db: Queryable, id: string, wanted: Wanted = { json: true, nquads: true }): Promise<ServedRecord | undefined> {
  const r = await db.query<ServedRecord>(
    `SELECT r.id, r.iri, r.kind, r.catalog_id, r.source_id, r.hash, r.warnings, r.version, r.first_seen, r.last_modified, r.version_since, r.deleted_at,
       r.run_id, r.fetched_at, r.duplicate_of, ${wanted.json ? 'r.json' : 'NULL AS json'}, ${wanted.nquads ? 'r.nquads' : "'' AS nquads"},
       s.url AS source_url,
       (SELECT json_agg(json_build_object('id', c.id, 'iri', c.iri, 'catalogId', c.catalog_id, 'sourceId', c.source_id, 'fetchedAt', c.fetched_at) ORDER BY c.first_seen, c.id)
          FROM records c WHERE (c.duplicate_of = COALESCE(r.duplicate_of, r.id) OR c.id = r.duplicate_of) AND c.deleted_at IS NULL) AS copies,
       (SELECT max(c.last_modified) FROM records c WHERE (c.duplicate_of = COALESCE(r.duplicate_of, r.id) OR c.id = r.duplicate_of) AND c.deleted_at IS NULL) AS copies_modified
     FROM records r LEFT JOIN sources s ON s.id = r.source_id WHERE r.id = $1`,
    [id],
    { prepare: `served-record-${wanted.json ? 'j' : ''}${wanted.nquads ? 'n' : ''}` },
  );
  return r.rows[0];
}

export function provenanceOf(r: ServedRecord): RecordProvenance {
  return { id: r.id, iri: r.iri, firstSeen: r.first_seen, lastModified: r.last_modified, sourceUrl: r.source_url, runId: r.run_id, fetchedAt: r.fetched_at };
}

const recordUrl = (baseUrl: string, id: string) => `${baseUrl}/api/v1/records/${id}`;

/** The JSON of a record as the API gives it: JSON-LD with the project context, the record's own
 * triples, its CatalogRecord, and the API's conveniences (local id, dates, origin, copies), which
 * the context leaves out of the graph. */
export function recordDocument(r: ServedRecord, baseUrl: string): JsonNode {
  const { iri: _iri, ...rest } = r.json as JsonNode;
  void _iri;
  const doc: JsonNode = {
    '@context': `${baseUrl}/context.jsonld`,
    id: r.id,
    iri: r.iri,
    ...rest,
    catalogRecord: catalogRecordJson(baseUrl, provenanceOf(r)),
    catalogId: r.catalog_id,
    firstSeen: r.first_seen.toISOString(),
    lastModified: r.last_modified.toISOString(),
    origin: {
      source: r.source_id,
      ...(r.run_id !== null && r.run_id !== undefined ? { run: `${baseUrl}/api/v1/runs/${r.run_id}` } : {}),
      ...(r.fetched_at ? { fetchedAt: r.fetched_at.toISOString() } : {}),
      originalIri: r.iri,
    },
  };
  if (r.warnings && r.warnings.length > 0) doc.warnings = r.warnings;
  if (r.copies && r.copies.length > 0) {
    const primary = r.duplicate_of ?? r.id;
    // The primary, when this is a copy, first and with the same provenance as every other member: a
    // client deciding which version to trust needs to know where the primary came from too.
    const copies: JsonNode[] = r.copies
      .filter((c) => c.id !== r.id)
      .sort((a, b) => Number(b.id === primary) - Number(a.id === primary))
      .map((c) => ({
        id: c.id,
        href: recordUrl(baseUrl, c.id),
        iri: c.iri,
        catalog: c.catalogId,
        source: c.sourceId,
        fetchedAt: c.fetchedAt ? new Date(c.fetchedAt).toISOString() : null,
        ...(c.id === primary ? { primary: true } : {}),
      }));
    if (primary !== r.id) doc.copyOf = recordUrl(baseUrl, primary);
    if (copies.length > 0) doc.copies = copies;
  }
  return doc;
}

/** The record's graph: its own triples and its CatalogRecord. */
export function recordQuads(r: ServedRecord, baseUrl: string): Quad[] {
  const quads = new N3Parser({ format: 'N-Quads', factory: dataFactory as never }).parse(r.nquads) as unknown as Quad[];
  return [...quads, ...catalogRecordQuads(baseUrl, provenanceOf(r))];
}

/**
 * The record's graph in an RDF syntax. The stored N-Triples are canonical (sorted, one triple per line):
 * N-Triples and N-Quads are that text plus the CatalogRecord's lines, Turtle and TriG are made from it
 * line by line (rdf/ntriples-to-turtle.ts); only RDF/XML parses it into quads first.
 */
export async function recordRdf(r: ServedRecord, baseUrl: string, format: RdfFormat): Promise<string> {
  const own = catalogRecordQuads(baseUrl, provenanceOf(r));
  switch (format) {
    case 'ntriples':
    case 'nquads':
      return r.nquads + ntLines(own);
    case 'turtle':
    case 'trig':
      return prefixHeader() + ntriplesToTurtle(r.nquads) + ntriplesToTurtle(ntLines(own));
    default:
      return serialize(recordQuads(r, baseUrl), format);
  }
}

const LABELS: Partial<Record<ResponseFormat, string>> = {
  json: 'JSON',
  jsonld: 'JSON-LD',
  turtle: 'Turtle',
  trig: 'TriG',
  ntriples: 'N-Triples',
  nquads: 'N-Quads',
  rdfxml: 'RDF/XML',
  html: 'HTML',
};

export interface Alternate {
  href: string;
  type: string;
  label: string;
}

/** Renders a record's web page (web/routes.ts gives it; the API does not depend on the pages). */
export type RecordHtml = (req: FastifyRequest, r: ServedRecord) => Promise<string>;

export function alternates(baseUrl: string, id: string): Alternate[] {
  return RECORD_OFFERS.map((o) => ({ href: `${recordUrl(baseUrl, id)}.${SUFFIX_OF[o.format]}`, type: o.type, label: LABELS[o.format] ?? o.type }));
}

/** 32-bit FNV-1a of a short string, base 36. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** A strong validator per representation: the content hash and version say whether the record
 * changed; the rest covers what is served beside it (provenance, copies). Plain string work, no
 * digest: this runs on every read. */
function etagOf(r: ServedRecord, chosen: Negotiated): string {
  let copies = '';
  if (r.copies && r.copies.length > 0) copies = `.${createHash('sha1').update(JSON.stringify(r.copies)).digest('base64url').slice(0, 10)}`;
  const provenance = `${r.fetched_at?.getTime().toString(36) ?? ''}.${r.run_id ?? ''}.${r.source_url ? fnv1a(r.source_url) : ''}.${r.duplicate_of ?? ''}`;
  return `"${r.hash.slice(0, 20)}.${r.version}.${r.last_modified.getTime().toString(36)}.${provenance}${copies}.${chosen.format}${chosen.profile ? `.${chosen.profile}` : ''}"`;
}

/** Whether the client's copy is still good: If-None-Match first (compared weakly: a compressed answer
 * carries the weak form of the same validator), If-Modified-Since otherwise. */
export function notModified(req: FastifyRequest, etag: string, lastModified?: Date | null): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
  const ims = req.headers['if-modified-since'];
  if (ims === undefined || !lastModified) return false;
  const since = Date.parse(ims);
  // HTTP dates have whole seconds.
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** A write transaction that took a time (now(), clock_timestamp()) has committed or rolled back this
 * long after. Write transactions here are batches of a few hundred records, done within seconds. */
export const SETTLE_SECONDS = 300;

/**
 * A Last-Modified that If-Modified-Since can be checked against for an answer made of many records (a
 * catalogue page, a feed fragment): `last` is the latest time written among what the answer depends on,
 * `now` the store's clock. A transaction still running may yet commit a change stamped before `last`
 * (its own start), which a comparison of dates would never see; once `last` is more than SETTLE_SECONDS
 * (and a second, HTTP dates being whole seconds) old, any change still to come carries a later second.
 * Until then the answer has no Last-Modified, and its ETag alone is the validator.
 */
export function settledLastModified(last: Date | null | undefined, now: Date): Date | undefined {
  if (!last) return undefined;
  return last.getTime() <= now.getTime() - (SETTLE_SECONDS + 1) * 1000 ? last : undefined;
}

/** The pages' Content-Security-Policy (web/layout.ts holds the same; kept here so api/ needs nothing of web/). */
export const HTML_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The policy of the embeddable lists: the pages' own, except that the sites named (VINDBAAR_EMBED_ANCESTORS,
 * checked by config.ts) may frame them. */
export const embedCsp = (ancestors: string): string => HTML_CSP.replace("frame-ancestors 'none'", `frame-ancestors ${ancestors}`);

const JSONLD_PROFILE_IRI = (p: JsonLdProfile) => `http://www.w3.org/ns/json-ld#${p}`;

async function jsonLdForm(doc: JsonNode, profile: JsonLdProfile, baseUrl: string, iri: string): Promise<unknown> {
  const documentLoader = jsonldDocumentLoader() as never;
  const context = `${baseUrl}/context.jsonld`;
  switch (profile) {
    case 'expanded':
      return jsonld.expand(doc as never, { documentLoader });
    case 'flattened':
      return jsonld.flatten(doc as never, context as never, { documentLoader });
    case 'framed':
      // The record's subject as the root, the nodes it owns embedded, and its CatalogRecord (which
      // points at it) through the reverse property: one tree holding the whole graph.
      return jsonld.frame(doc as never, { '@context': context, iri, catalogRecord: {} } as never, { documentLoader } as never);
    default:
      return doc;
  }
}

/**
 * Answers with the record in the negotiated (or, for a suffix URL, the named) representation.
 */
export async function sendRecord(req: FastifyRequest, reply: FastifyReply, r: ServedRecord, baseUrl: string, named?: ResponseFormat, renderHtml?: RecordHtml): Promise<unknown> {
  let chosen: Negotiated | undefined = named
    ? { format: named, type: RECORD_OFFERS.find((o) => o.format === named)!.type, ...(named === 'jsonld' ? { profile: choose(req.headers.accept, [{ type: 'application/ld+json', format: 'jsonld' }])?.profile ?? 'compacted' } : {}) }
    : choose(req.headers.accept, RECORD_OFFERS);
  const available = offeredTypes(RECORD_OFFERS);
  // RDF/XML cannot write a predicate that has no XML element name, nor a literal holding a control
  // character XML 1.0 cannot carry. A client that accepts something else too gets the best of the rest
  // (rdflib asks for RDF/XML first of all); a suffix URL, or a client that takes RDF/XML only, is told
  // why not.
  if (chosen?.format === 'rdfxml') {
    let why: string | undefined;
    for (const q of recordQuads(r, baseUrl)) {
      why = rdfXmlCanWrite(q.predicate.value) ? xmlUnwritable(q) : `the predicate <${q.predicate.value}> has no XML element name`;
      if (why) break;
    }
    if (why) {
      const others = RECORD_OFFERS.filter((o) => o.format !== 'rdfxml');
      chosen = named ? undefined : choose(req.headers.accept, others);
      if (!chosen)
        throw problem(406, 'Not Acceptable', `This record cannot be written as RDF/XML: ${why}. It is available as ${offeredTypes(others).join(', ')}.`, {
          available: offeredTypes(others),
        });
    }
  }
  // The web page is in the reader's language (Accept-Language): caches must keep one per language.
  // A suffix URL names the format, but not everything: the JSON-LD form still comes from Accept's
  // profile parameter, and the page's language from Accept-Language.
  const vary = named
    ? named === 'jsonld'
      ? 'Accept'
      : named === 'html'
        ? 'Accept-Language'
        : undefined
    : chosen?.format === 'html'
      ? 'Accept, Accept-Language'
      : 'Accept';
  if (vary) reply.header('vary', vary);
  if (!chosen) throw problem(406, 'Not Acceptable', `This resource is available as ${available.join(', ')}.`, { available });
  const links = alternates(baseUrl, r.id).map((a) => `<${a.href}>; rel="alternate"; type="${a.type}"`);
  if (chosen.format === 'json') links.push(`<${baseUrl}/context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`);
  reply.header('link', links.join(', '));
  reply.header('cache-control', 'public, max-age=60');
  // The page shows more than the record: its quality and link checks, public questions and answers,
  // the data flows of the register, each changing while the record does not; and its feedback form
  // carries a fresh token. Validators of the record would answer 304 for a page that changed, so the
  // page has none (as at /datasets/{id}).
  if (chosen.format !== 'html') {
    const etag = etagOf(r, chosen);
    reply.header('etag', etag);
    const lastModified = servedLastModified(r);
    reply.header('last-modified', lastModified.toUTCString());
    if (notModified(req, etag, lastModified)) return reply.code(304).send();
  }
  switch (chosen.format) {
    case 'json':
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(recordDocument(r, baseUrl)));
    case 'jsonld': {
      let profile = chosen.profile ?? 'compacted';
      const doc = recordDocument(r, baseUrl);
      let body: unknown;
      try {
        body = await jsonLdForm(doc, profile, baseUrl, r.iri);
      } catch (e) {
        // jsonld.js frames by recursion, one call per level: a record whose blank nodes nest a few
        // thousand deep (a chain a publisher may push) overflows the stack. The profile parameter is a
        // preference: such a record comes compacted, the default form of the same graph, and says so in
        // its Content-Type and its ETag.
        if (profile !== 'framed' || !(e instanceof RangeError)) throw e;
        profile = 'compacted';
        body = await jsonLdForm(doc, profile, baseUrl, r.iri);
        reply.header('etag', etagOf(r, { ...chosen, profile }));
      }
      return reply.type(`application/ld+json; profile="${JSONLD_PROFILE_IRI(profile)}"`).send(JSON.stringify(body));
    }
    case 'html':
      if (!renderHtml) throw problem(406, 'Not Acceptable', 'No web pages in this configuration.');
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', HTML_CSP)
        .send(await renderHtml(req, r));
    default: {
      const format = chosen.format as RdfFormat;
      reply.type(`${mediaTypeFor(format)}; charset=utf-8`);
      return reply.send(await recordRdf(r, baseUrl, format));
    }
  }
}
