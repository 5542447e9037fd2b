// GET /catalog: this catalogue as DCAT, Hydra-paged, in every RDF syntax (content negotiation; Turtle
// when the client says nothing), so that other portals (data.gov.be, data.europa.eu, another Vindbaar)
// can harvest it. Each page holds:
// - the catalogue node, listing the page's datasets and services;
// - each record's triples as they came in;
// - a dcat:CatalogRecord per record that says where it came from: the source (dct:source), the harvest
//   run that fetched it and when (prov:), so that a chain of federated catalogues stays traceable;
// - the page's Hydra view (next, previous, first, last, total).
// Copies of a record from another catalogue (see store/duplicates.ts) are left out: the primary stands
// for them.
import type { FastifyInstance } from 'fastify';
import { Parser as N3Parser } from 'n3';
import type { Services } from '../app.js';
import { dataFactory, literal, namedNode, quad, type Quad } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';
import { serialize } from '../rdf/write.js';
import { mediaTypeFor, type RdfFormat } from '../rdf/formats.js';
import { negotiate, OFFERED_TYPES } from './negotiate.js';
import { problem } from './problem.js';

const { dcat, dct, foaf, prov, hydra, xsd } = PREFIXES;
const MEMBER_OF: Record<string, string> = { Dataset: `${dcat}dataset`, DatasetSeries: `${dcat}dataset`, DataService: `${dcat}service` };

interface Row {
  id: string;
  iri: string;
  kind: string;
  nquads: string;
  first_seen: Date;
  last_modified: Date;
  fetched_at: Date | null;
  run_id: string | null;
  source_url: string | null;
}

export async function catalogDcatRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const base = services.config.baseUrl;
  app.get<{ Querystring: { page: number; limit: number } }>(
    '/catalog',
    {
      schema: {
        summary: 'This catalogue as DCAT, Hydra-paged',
        description: `Content negotiation: ${OFFERED_TYPES.filter((t) => t !== 'application/json').join(', ')} (Turtle by default). Each record comes with a dcat:CatalogRecord giving its source, harvest run and fetch time.`,
        tags: ['linked data'],
        querystring: {
          type: 'object',
          properties: { page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
        },
      },
    },
    async (req, reply) => {
      const accept = req.headers.accept?.trim();
      // A harvester that states no preference gets Turtle; plain JSON is answered with JSON-LD.
      const asked = !accept || accept === '*/*' ? 'turtle' : negotiate(accept);
      if (!asked) throw problem(406, 'Not Acceptable', `The catalogue is available as ${OFFERED_TYPES.filter((t) => t !== 'application/json').join(', ')}.`);
      const format: RdfFormat = asked === 'json' ? 'jsonld' : (asked as RdfFormat);
      const { page, limit } = req.query;
      const live = `deleted_at IS NULL AND duplicate_of IS NULL AND kind <> 'Catalog'`;
      const total = (await services.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM records WHERE ${live}`)).rows[0].n;
      const last = Math.max(1, Math.ceil(total / limit));
      if (page > last) throw problem(404, 'Not Found', `Page ${page} is past the last page (${last}).`);
      const rows = await services.db.query<Row>(
        `SELECT r.id, r.iri, r.kind, r.nquads, r.first_seen, r.last_modified, r.fetched_at, r.run_id, s.url AS source_url
         FROM records r LEFT JOIN sources s ON s.id = r.source_id WHERE ${live.replace(/(deleted_at|duplicate_of|kind)/g, 'r.$1')} ORDER BY r.id LIMIT $1 OFFSET $2`,
        [limit, (page - 1) * limit],
      );
      const catalog = namedNode(`${base}/catalog`);
      const out: Quad[] = [quad(catalog, namedNode(RDF_TYPE), namedNode(`${dcat}Catalog`)), quad(catalog, namedNode(`${dct}title`), literal('Vindbaar', 'en'))];
      for (const r of rows.rows) {
        // Blank-node labels are made from the record's id: distinct between records on the page, and the
        // same on every request, so that an unchanged page is the same bytes (harvesters skip it).
        const parser = new N3Parser({ format: 'N-Quads', factory: dataFactory as never, blankNodePrefix: `${r.id}_` });
        for (const q of parser.parse(r.nquads) as unknown as Quad[]) out.push(q);
        const subject = namedNode(r.iri);
        if (MEMBER_OF[r.kind]) {
          out.push(quad(catalog, namedNode(MEMBER_OF[r.kind]), subject));
          const record = namedNode(`${base}/api/v1/records/${r.id}#record`);
          out.push(quad(record, namedNode(RDF_TYPE), namedNode(`${dcat}CatalogRecord`)));
          out.push(quad(record, namedNode(`${foaf}primaryTopic`), subject));
          out.push(quad(catalog, namedNode(`${dcat}record`), record));
          out.push(quad(record, namedNode(`${dct}issued`), literal(r.first_seen.toISOString(), namedNode(`${xsd}dateTime`))));
          out.push(quad(record, namedNode(`${dct}modified`), literal(r.last_modified.toISOString(), namedNode(`${xsd}dateTime`))));
          if (r.source_url) out.push(quad(record, namedNode(`${dct}source`), namedNode(r.source_url)));
          if (r.run_id) {
            const run = namedNode(`${base}/api/v1/runs/${r.run_id}`);
            out.push(quad(record, namedNode(`${prov}wasGeneratedBy`), run));
            out.push(quad(run, namedNode(RDF_TYPE), namedNode(`${prov}Activity`)));
            if (r.source_url) out.push(quad(run, namedNode(`${prov}used`), namedNode(r.source_url)));
          }
          if (r.fetched_at) out.push(quad(record, namedNode(`${prov}generatedAtTime`), literal(r.fetched_at.toISOString(), namedNode(`${xsd}dateTime`))));
        }
      }
      const pageUrl = (n: number) => `${base}/catalog?page=${n}&limit=${limit}`;
      const view = namedNode(pageUrl(page));
      out.push(quad(catalog, namedNode(`${hydra}view`), view));
      out.push(quad(catalog, namedNode(`${hydra}totalItems`), literal(String(total), namedNode(`${xsd}integer`))));
      out.push(quad(view, namedNode(RDF_TYPE), namedNode(`${hydra}PartialCollectionView`)));
      out.push(quad(view, namedNode(`${hydra}first`), namedNode(pageUrl(1))));
      out.push(quad(view, namedNode(`${hydra}last`), namedNode(pageUrl(last))));
      if (page < last) out.push(quad(view, namedNode(`${hydra}next`), namedNode(pageUrl(page + 1))));
      if (page > 1) out.push(quad(view, namedNode(`${hydra}previous`), namedNode(pageUrl(page - 1))));
      reply.header('vary', 'Accept');
      reply.type(`${mediaTypeFor(format)}; charset=utf-8`);
      return reply.send(await serialize(out, format));
    },
  );
}
