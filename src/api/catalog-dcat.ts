// GET /catalog: this catalogue as DCAT, Hydra-paged, in every RDF syntax (content negotiation; Turtle
// when the client says nothing), so that other portals (data.gov.be, data.europa.eu, another Vindbaar)
// can harvest it. Each page holds:
// - the catalogue node (title, description, publisher: see dcat/catalog-description.ts), listing the
//   page's datasets and services;
// - each record's triples as they came in;
// - a dcat:CatalogRecord per record that says where it came from (dcat/catalog-record.ts);
// - the page's Hydra view: first, previous, next and last as IRIs, and the total.
// Filters narrow the collection (modified_since, publisher, theme, source, catalog); `profile` names
// the application profile a harvester wants (the HVD profile lists high-value datasets only). A page
// past the end is empty, with the same links. Copies of a record from another catalogue (see
// store/duplicates.ts) are left out: the primary stands for them.
//
// Harvesters walk the pages with "next": those links carry the last id of the page (keyset paging), so
// that reading a catalogue of a million records costs each page the same, not more and more as an
// OFFSET would; page numbers stay for people and for "previous" and "last".
//
// A harvester that comes back (Vindbaar's own skips a page that answers 304) is told which pages still
// hold without their being made: each page's ETag is made from what it depends on (its records'
// versions and provenance, the count, the address and the syntax), read before any triple is.
import { createHash } from 'node:crypto';
import { utcInstant } from './instant.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Parser as N3Parser } from 'n3';
import type { Services } from '../app.js';
import { dataFactory, literal, namedNode, quad, type NamedNode, type Quad } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';
import { serialize } from '../rdf/write.js';
import { mediaTypeFor, type RdfFormat } from '../rdf/formats.js';
import { xmlUnwritable } from '../rdf/rdfxml-writer.js';
import { catalogEntryQuads } from '../dcat/catalog-record.js';
import { agentQuads, catalogIri, catalogQuads, subCatalogQuads } from '../dcat/catalog-description.js';
import { listViews } from '../store/thematic-views.js';
import { viewCatalogPath } from './thematic-views.js';
import { profileIds, readManifest } from '../validation/profiles.js';
import { entryOf, LIVE, PUBLISHED, type StreamedRecord } from '../store/record-stream.js';
import { notModified, settledLastModified } from './representation.js';
import { choose, offeredTypes, RDF_ONLY_OFFERS, RDF_TYPES, type Negotiated } from './negotiate.js';
import { problem } from './problem.js';

const { hydra, xsd } = PREFIXES;


export interface CatalogQuery {
  page: number;
  limit: number;
  after?: string;
  modified_since?: string;
  publisher?: string;
  theme?: string;
  source?: string;
  catalog?: string;
  profile?: string;
}

/** The WHERE clause of a filtered catalogue, over `records r`. */
/** Which live records a view of the catalogue holds (see catalogFilter). */
const servedBy = (q: { source?: string; catalog?: string }) => (q.source || q.catalog ? LIVE : PUBLISHED);

export function catalogFilter(q: Omit<CatalogQuery, 'page' | 'limit' | 'after'>, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  // The whole catalogue leaves copies to their primaries (one dataset, once); a harvester that asks
  // for one source or catalogue gets all of its records, copies of datasets held elsewhere included.
  const where = [servedBy(q)];
  if (q.modified_since) where.push(`r.last_modified >= ${p(utcInstant('modified_since', q.modified_since))}::timestamptz`);
  if (q.source) where.push(`r.source_id = ${p(q.source)}`);
  if (q.catalog) where.push(`r.catalog_id = ${p(q.catalog)}`);
  if (q.publisher) {
    const v = p(q.publisher);
    where.push(`(r.json->>'publisher' = ${v} OR r.json->'publisher'->>'iri' = ${v})`);
  }
  if (q.theme) where.push(`EXISTS (SELECT 1 FROM json_array_elements(CASE json_typeof(r.json->'theme') WHEN 'array' THEN r.json->'theme' ELSE '[]'::json END) t WHERE t #>> '{}' = ${p(q.theme)} OR t->>'iri' = ${p(q.theme)})`);
  // The HVD profile is about high-value datasets: those naming an HVD category.
  if (q.profile === 'dcat-ap-hvd-3.0') where.push(`r.json->'hvdCategory' IS NOT NULL`);
  return where.join(' AND ');
}

/** The syntax a harvester asked for. One that states no preference gets Turtle; plain JSON is answered
 * with JSON-LD. */
export function negotiateCatalog(req: FastifyRequest, reply: FastifyReply): { asked: string | undefined; chosen: Negotiated } {
  const accept = req.headers.accept?.trim();
  const asked = accept === 'application/json' ? 'application/ld+json' : accept;
  const chosen = choose(asked, RDF_ONLY_OFFERS);
  reply.header('vary', 'Accept');
  if (!chosen) {
    const offered = offeredTypes(RDF_ONLY_OFFERS);
    throw problem(406, 'Not Acceptable', `The catalogue is available as ${offered.join(', ')}.`, { available: offered });
  }
  return { asked, chosen };
}

/** The records of a page: each one's triples as they came in and its CatalogRecord in `catalog`. */
export function pushRecords(out: Quad[], base: string, catalog: string, rows: StreamedRecord[]): void {
  for (const r of rows) {
    // Blank-node labels are made from the record's id: distinct between records on the page, and the
    // same on every request, so that an unchanged page is the same bytes (harvesters skip it).
    const parser = new N3Parser({ format: 'N-Quads', factory: dataFactory as never, blankNodePrefix: `${r.id}_` });
    for (const qd of parser.parse(r.nquads) as unknown as Quad[]) out.push(qd);
    out.push(...catalogEntryQuads(base, catalog, entryOf(r)));
  }
}

/** The IRI of the page asked for. A client may send characters that HTTP lets through but an IRI may
 * not hold ({, |, ^, ", a backtick): written as they came, they made every syntax of the page
 * unreadable; percent-encoded, the IRI still names this page. */
export function pageIri(base: string, url: string): string {
  // eslint-disable-next-line no-control-regex
  return `${base}${url.replace(/[\u0000-\u0020<>"{}|^`\\]/g, (c) => encodeURIComponent(c))}`;
}

/** The page's Hydra view: first, previous, next and last as IRIs, and the collection's total. */
export function pushHydraView(out: Quad[], catalog: NamedNode, pageIriText: string, total: number, links: { first: string; last: string; next?: string; previous?: string }): void {
  const view = namedNode(pageIriText);
  out.push(quad(catalog, namedNode(`${hydra}view`), view));
  out.push(quad(catalog, namedNode(`${hydra}totalItems`), literal(String(total), namedNode(`${xsd}integer`))));
  out.push(quad(view, namedNode(RDF_TYPE), namedNode(`${hydra}PartialCollectionView`)));
  out.push(quad(view, namedNode(`${hydra}first`), namedNode(links.first)));
  out.push(quad(view, namedNode(`${hydra}last`), namedNode(links.last)));
  if (links.next) out.push(quad(view, namedNode(`${hydra}next`), namedNode(links.next)));
  if (links.previous) out.push(quad(view, namedNode(`${hydra}previous`), namedNode(links.previous)));
}

/** Sends a catalogue page in the syntax chosen. A literal holding a control character XML 1.0 cannot
 * carry cannot be written in RDF/XML, and is not changed to be: a client that takes another syntax too
 * gets the best of those (as a record does), one that takes RDF/XML only is told why not. */
export async function sendCatalogPage(reply: FastifyReply, out: Quad[], asked: string | undefined, chosen: RdfFormat): Promise<FastifyReply> {
  let format = chosen;
  if (format === 'rdfxml') {
    let why: string | undefined;
    for (const qd of out) if ((why = xmlUnwritable(qd))) break;
    if (why) {
      const others = RDF_ONLY_OFFERS.filter((o) => o.format !== 'rdfxml');
      const next = choose(asked, others);
      if (!next) throw problem(406, 'Not Acceptable', `This page cannot be written as RDF/XML: ${why}. It is available as ${offeredTypes(others).join(', ')}.`, { available: offeredTypes(others) });
      format = next.format as RdfFormat;
    }
  }
  reply.type(`${mediaTypeFor(format)}; charset=utf-8`);
  return reply.send(await serialize(out, format));
}

/** A page's row before its triples are read. */
type PageRow = Omit<StreamedRecord, 'nquads'> & { version: number };

/** Page number and size of a DCAT catalogue page, the whole catalogue's and a thematic view's alike. */
export const CATALOG_PAGING = {
  page: { type: 'integer', minimum: 1, maximum: 10_000_000, default: 1 },
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
} as const;

export async function catalogDcatRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const base = services.config.baseUrl;
  /** What every page says of the catalogue itself, for the pages' validators. */
  const describedAs = createHash('sha1').update(JSON.stringify([base, services.config.catalog])).digest('base64url');
  const offered = offeredTypes(RDF_ONLY_OFFERS);
  const profiles = profileIds();
  app.get<{ Querystring: CatalogQuery }>(
    '/catalog',
    {
      schema: {
        summary: 'This catalogue as DCAT, Hydra-paged, with filters',
        produces: RDF_TYPES,
        description: `Content negotiation: ${offered.join(', ')} (Turtle when the client says nothing). Each record comes with a dcat:CatalogRecord giving its source, harvest run and fetch time. Follow "next" to read it all. Each page has an ETag (and a Last-Modified once its changes are settled): 304 while the page holds.`,
        tags: ['linked data'],
        response: { 304: { type: 'null', description: 'Not Modified' } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...CATALOG_PAGING,
            after: { type: 'string', maxLength: 200, description: 'Continue after this record id (the "next" links carry it)' },
            // Not format date-time: a date is taken too, as ckanext-dcat takes it (see instant.ts).
            modified_since: {
              type: 'string',
              maxLength: 40,
              description: "Records changed here at or after this time: a date (midnight UTC) or a date-time (UTC when it names no offset; send an offset's '+' as %2B)",
            },
            publisher: { type: 'string', maxLength: 2000, description: 'Publisher IRI' },
            theme: { type: 'string', maxLength: 2000, description: 'Theme IRI' },
            source: { type: 'string', maxLength: 200, description: "Harvest source id: all of the source's records, copies of datasets another catalogue also holds included (the whole catalogue lists each dataset once)" },
            catalog: { type: 'string', maxLength: 200, description: "Local catalogue id: all of the catalogue's records, copies included" },
            profile: { type: 'string', enum: profiles, description: 'Application profile of the output (the HVD profile lists high-value datasets only)' },
          },
        },
      },
    },
    async (req, reply) => {
      const { asked, chosen } = negotiateCatalog(req, reply);
      const q = req.query;
      const { page, limit } = q;
      const params: unknown[] = [];
      const where = catalogFilter(q, params);
      // The count, and what Last-Modified is made of: every write stamps last_modified or deleted_at
      // (a change, a withdrawal, and the duplicate linking a change brings), so the latest of them,
      // read from their indexes, is the latest time any page changed.
      const state = (
        await services.db.query<{ n: number; changed: Date | null; gone: Date | null; now: Date }>(
          `SELECT count(*)::int AS n, (SELECT max(last_modified) FROM records) AS changed, (SELECT max(deleted_at) FROM records) AS gone, clock_timestamp() AS now
           FROM records r WHERE ${where}`,
          params,
        )
      ).rows[0];
      const total = state.n;
      const last = Math.max(1, Math.ceil(total / limit));
      const pageParams = [...params];
      const seek = q.after ? `AND r.id > $${pageParams.push(q.after)}` : '';
      const offset = q.after ? 0 : (page - 1) * limit;
      // One record more than the page holds tells whether there is a next page. A walk by "after" goes
      // on while records follow, whatever the page number says: records withdrawn during the walk
      // lower the total, and a harvester must still get every record after the last one it read.
      // The records are read without their triples first: enough to tell a harvester that its copy
      // still holds (304) before any triple is read and written out.
      const listed =
        page > last && !q.after
          ? { rows: [] as PageRow[] }
          : await services.db.query<PageRow>(
              `SELECT r.id, r.iri, r.kind, r.version, r.first_seen, r.last_modified, r.fetched_at, r.run_id, s.url AS source_url
               FROM records r LEFT JOIN sources s ON s.id = r.source_id WHERE ${where} ${seek} ORDER BY r.id LIMIT $${pageParams.push(limit + 1)} OFFSET $${pageParams.push(offset)}`,
              pageParams,
            );
      const more = listed.rows.length > limit;
      if (more) listed.rows.length = limit;
      // A strong validator of this representation: the records on the page (each one's version and
      // provenance), the count and whether a next page follows (the Hydra view says both), the address
      // (the view's IRI, its filters and links), the syntax, and the catalogue's own description.
      const tagOf = (rows: PageRow[]) => {
        const h = createHash('sha1').update(`${describedAs}\n${subCatalogs}\n${chosen.format}\n${req.url}\n${total}\n${more}\n`);
        for (const r of rows) h.update(`${r.id} ${r.version} ${r.last_modified.getTime()} ${r.fetched_at?.getTime() ?? ''} ${r.run_id ?? ''} ${r.source_url ?? ''}\n`);
        return `"${h.digest('base64url').slice(0, 27)}"`;
      };
      // The thematic sub-catalogues the catalogue names (their titles are in every page): a changed
      // view changes the pages.
      const views = await listViews(services.db);
      const subCatalogs = views.map((v) => `${v.id} ${v.updatedAt.getTime()}`).join(' ');
      const lastModified = settledLastModified(state.gone && state.changed && state.gone > state.changed ? state.gone : (state.changed ?? state.gone), state.now);
      reply.header('cache-control', 'public, max-age=60');
      if (lastModified) reply.header('last-modified', lastModified.toUTCString());
      const listedTag = tagOf(listed.rows);
      if (notModified(req, listedTag, lastModified)) return reply.header('etag', listedTag).code(304).send();
      // Then their triples. A record changed or withdrawn in between is served as it is now, and the
      // validator says so.
      const current =
        listed.rows.length === 0
          ? []
          : (
              await services.db.query<StreamedRecord & { version: number }>(
                `SELECT r.id, r.iri, r.kind, r.version, r.nquads, r.first_seen, r.last_modified, r.fetched_at, r.run_id, s.url AS source_url
                 FROM records r LEFT JOIN sources s ON s.id = r.source_id WHERE r.id = ANY($1::text[]) AND ${servedBy(q)} ORDER BY r.id`,
                [listed.rows.map((r) => r.id)],
              )
            ).rows;
      const rows = { rows: current };
      // Made from the rows served (the same tag unless one changed in between). Where RDF/XML cannot
      // carry a page and another syntax is given (below), that is what this Accept always gets.
      reply.header('etag', tagOf(current));
      const profile = q.profile ? readManifest(q.profile) : undefined;
      const catalog = namedNode(catalogIri(base));
      const out: Quad[] = [
        ...catalogQuads(base, services.config.catalog, { conformsTo: profile?.specification }),
        ...subCatalogQuads(base, views.map((v) => ({ iri: `${base}${viewCatalogPath(v.id)}`, title: v.title }))),
      ];
      pushRecords(out, base, catalog.value, rows.rows);
      // The links keep the filters; "next" continues after this page's last record.
      const filters = new URLSearchParams();
      for (const k of ['modified_since', 'publisher', 'theme', 'source', 'catalog', 'profile'] as const) if (q[k]) filters.set(k, q[k]!);
      const pageUrl = (n: number, after?: string) => {
        const u = new URLSearchParams(filters);
        u.set('page', String(n));
        u.set('limit', String(limit));
        if (after) u.set('after', after);
        return `${base}/catalog?${u.toString()}`;
      };
      // The page's own address names its view (see pageIri).
      const lastId = listed.rows.at(-1)?.id;
      pushHydraView(out, catalog, pageIri(base, req.url), total, {
        first: pageUrl(1),
        // A walk by cursor that outlived the count (records withdrawn meanwhile) is not past its end.
        last: pageUrl(q.after ? Math.max(last, more ? page + 1 : page) : last),
        next: more && lastId ? pageUrl(page + 1, lastId) : undefined,
        previous: page > 1 ? pageUrl(Math.min(page - 1, last)) : undefined,
      });
      return sendCatalogPage(reply, out, asked, chosen.format as RdfFormat);
    },
  );

  // The catalogue's publisher, minted here unless the operator names their own organisation's IRI.
  app.get('/id/organisation/catalogue', { schema: { summary: "The catalogue's publisher (an agent)", tags: ['linked data'], produces: RDF_TYPES } }, async (req, reply) => {
    // Plain JSON is answered with JSON-LD, as /catalog does.
    const chosen = choose(req.headers.accept, [...RDF_ONLY_OFFERS, { type: 'application/json', format: 'jsonld' }]);
    reply.header('vary', 'Accept');
    if (!chosen) throw problem(406, 'Not Acceptable', `This resource is available as ${offered.join(', ')}.`, { available: offered });
    const format = chosen.format as RdfFormat;
    reply.type(`${mediaTypeFor(format)}; charset=utf-8`);
    return reply.send(await serialize(agentQuads(namedNode(`${base}/id/organisation/catalogue`), services.config.catalog), format));
  });
}

