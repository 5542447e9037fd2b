// GET /catalog/views/{id}: a thematic view as a DCAT catalogue of its own, for the portals that harvest
// it: a dcat:Catalog with the view's title and description, part of the whole catalogue, listing the
// view's records with their triples and CatalogRecords, Hydra-paged like /catalog and in every RDF
// syntax. Its records are the search backend's hits for the view's filters: the page, the search API
// and this catalogue cannot disagree about what a view holds.
//
// Harvesters follow "next", which carries a search cursor (keyset on Postgres, one snapshot on
// Elasticsearch): each page costs the same at any depth, and records written during the walk are not
// skipped. Numbered pages ("previous", "last") are for people and go by position.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { viewCatalogQuads } from '../dcat/catalog-description.js';
import type { RdfFormat } from '../rdf/formats.js';
import { namedNode, type Quad } from '../rdf/terms.js';
import { recordsByIds } from '../store/record-stream.js';
import { lastNumberedPage } from '../search/backend.js';
import { CATALOG_PAGING, negotiateCatalog, pageIri, pushHydraView, pushRecords, sendCatalogPage } from './catalog-dcat.js';
import { RDF_TYPES } from './negotiate.js';
import { VIEW_ID_PATTERN } from './patterns.js';
import { notModified } from './representation.js';
import { decodeCursor, encodeCursor, kindsOf } from './search.js';
import { viewCatalogPath, viewPagePath } from './thematic-views.js';
import { scopedBy, viewOrNotFound } from './view-scope.js';

interface ViewCatalogQuery {
  page: number;
  limit: number;
  cursor?: string;
}

export async function viewDcatRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const base = services.config.baseUrl;
  const describedAs = createHash('sha1').update(JSON.stringify([base, services.config.catalog])).digest('base64url');
  app.get<{ Params: { id: string }; Querystring: ViewCatalogQuery }>(
    '/catalog/views/:id',
    {
      schema: {
        summary: 'A thematic view as a DCAT catalogue, Hydra-paged',
        description: 'The view\'s records as a dcat:Catalog of their own (dct:isPartOf the whole catalogue, which names it with dcat:catalog and dct:hasPart). Content negotiation as at /catalog. Follow "next" to read it all.',
        tags: ['linked data', 'views'],
        produces: RDF_TYPES,
        params: { type: 'object', properties: { id: { type: 'string', pattern: VIEW_ID_PATTERN } }, required: ['id'] },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...CATALOG_PAGING,
            cursor: { type: 'string', maxLength: 4000, description: 'Where a walk stands (the "next" links carry it)' },
          },
        },
        response: { 304: { type: 'null', description: 'Not Modified' }, 400: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 406: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const view = await viewOrNotFound(services, req.params.id);
      const { asked, chosen } = negotiateCatalog(req, reply);
      const { page, limit } = req.query;
      // The first page starts a walk; a numbered page without a cursor goes by position.
      const cursor = req.query.cursor !== undefined ? decodeCursor(req.query.cursor) : page === 1 ? {} : undefined;
      const query = scopedBy({ filters: {}, kinds: kindsOf(undefined), sort: 'modified', offset: (page - 1) * limit, limit, facetLimit: 1, cursor }, view);
      const result = await services.search.search(query);
      const rows = await recordsByIds(services.db, result.hits.map((h) => h.id));
      // Numbered pages end where the backend's page numbers do; "next" carries a cursor past that.
      const last = lastNumberedPage(result.total, limit, services.search.maxOffset);
      const self = viewCatalogPath(view.id);
      const pageUrl = (n: number, at?: string) => `${base}${self}?page=${n}&limit=${limit}${at ? `&cursor=${at}` : ''}`;
      const next = result.next ? pageUrl(page + 1, encodeCursor(result.next)) : !cursor && page < last ? pageUrl(page + 1) : undefined;

      const h = createHash('sha1').update(`${describedAs}\n${view.id} ${view.updatedAt.getTime()}\n${chosen.format}\n${req.url}\n${result.total}\n${next ?? ''}\n`);
      for (const r of rows) h.update(`${r.id} ${r.last_modified.getTime()} ${r.fetched_at?.getTime() ?? ''} ${r.run_id ?? ''} ${r.source_url ?? ''}\n`);
      const etag = `"${h.digest('base64url').slice(0, 27)}"`;
      reply.header('cache-control', 'public, max-age=60').header('etag', etag);
      if (notModified(req, etag)) return reply.code(304).send();

      const iri = `${base}${self}`;
      const out: Quad[] = viewCatalogQuads(base, services.config.catalog, { iri, homepage: `${base}${viewPagePath(view.id)}`, title: view.title, description: view.description });
      pushRecords(out, base, iri, rows);
      pushHydraView(out, namedNode(iri), pageIri(base, req.url), result.total, {
        first: pageUrl(1),
        last: pageUrl(last),
        next,
        previous: page > 1 ? pageUrl(Math.min(page - 1, last)) : undefined,
      });
      return sendCatalogPage(reply, out, asked, chosen.format as RdfFormat);
    },
  );
}
