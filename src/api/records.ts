// Record reads and search: /api/v1/datasets, /api/v1/dataservices, /api/v1/records/{id}.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Parser as N3Parser } from 'n3';
import { dataFactory, type Quad } from '../rdf/terms.js';
import type { Services } from '../app.js';
import { getRecord, recordVersions, type StoredRecord } from '../store/records.js';
import { FACET_FIELDS, type SearchQuery } from '../search/backend.js';
import { serialize } from '../rdf/write.js';
import { mediaTypeFor } from '../rdf/formats.js';
import { negotiate, OFFERED_TYPES } from './negotiate.js';
import { problem } from './problem.js';
import type { RecordValidation } from '../validation/summary.js';
import { resultJson, resultSchema } from './validation-schema.js';

const recordSchema = { type: 'object', additionalProperties: true, description: 'A DCAT record as JSON-LD (keys from /context.jsonld)' };

/** A date, or a date-time with a zone. */
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$';

const searchQuerySchema = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 500, description: 'Full-text query (web search syntax: "exact phrase", -exclude, or)' },
    theme: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Theme IRI(s)' },
    publisher: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Publisher IRI(s)' },
    format: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Distribution format IRI(s) or media type(s)' },
    license: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Licence IRI(s)' },
    accessRights: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Access rights IRI(s)' },
    mediaType: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Media type IRI(s) of a distribution (IANA)' },
    hvdCategory: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'High-value dataset category IRI(s)' },
    language: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Language IRI(s) of the data' },
    spatial: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Place IRI(s) the data covers' },
    ...Object.fromEntries(
      ['issued', 'modified', 'temporal'].flatMap((f) => [
        [`${f}From`, { type: 'string', pattern: DATE, description: f === 'temporal' ? 'Temporal coverage overlaps from this date' : `${f} on or after (date or date-time)` }],
        [`${f}To`, { type: 'string', pattern: DATE, description: f === 'temporal' ? 'Temporal coverage overlaps until this date' : `${f} on or before (date or date-time)` }],
      ]),
    ),
    bbox: { type: 'string', pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$', description: 'Spatial coverage intersects west,south,east,north (degrees, WGS 84)' },
    catalog: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Local catalogue id(s)' },
    validation: {
      type: 'array',
      items: { type: 'string', enum: ['conforms', 'warnings', 'violations'] },
      maxItems: 3,
      description: "Validation verdict against the source's profile",
    },
    sort: { type: 'string', enum: ['relevance', 'modified', '-modified', 'title', 'issued', '-issued'], default: 'relevance' },
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 20 },
    lang: { type: 'string', pattern: '^[a-z]{2}$', default: 'nl', description: 'Language of facet labels' },
  },
  additionalProperties: false,
} as const;

type SearchParams = {
  q?: string;
  bbox?: string;
  issuedFrom?: string;
  issuedTo?: string;
  modifiedFrom?: string;
  modifiedTo?: string;
  temporalFrom?: string;
  temporalTo?: string;
  sort: SearchQuery['sort'];
  page: number;
  limit: number;
  lang: string;
} & Partial<Record<(typeof FACET_FIELDS)[number], string[]>>;

const facetValue = { type: 'object', properties: { value: { type: 'string' }, count: { type: 'integer' }, label: { type: 'string' } } };

const collectionSchema = {
  type: 'object',
  properties: {
    '@context': { type: 'string' },
    '@id': { type: 'string' },
    '@type': { type: 'string' },
    totalItems: { type: 'integer' },
    member: { type: 'array', items: recordSchema },
    facets: { type: 'object', additionalProperties: { type: 'array', items: facetValue } },
    view: {
      type: 'object',
      properties: {
        '@id': { type: 'string' },
        '@type': { type: 'string' },
        first: { type: 'string' },
        next: { type: 'string' },
        previous: { type: 'string' },
        last: { type: 'string' },
      },
    },
  },
} as const;

export function recordJson(r: StoredRecord, baseUrl: string, withContext: boolean): Record<string, unknown> {
  const { iri: _iri, ...rest } = r.json as Record<string, unknown>;
  void _iri;
  return {
    ...(withContext ? { '@context': `${baseUrl}/context.jsonld` } : {}),
    id: r.id,
    iri: r.iri,
    ...rest,
    catalogId: r.catalog_id,
    firstSeen: r.first_seen.toISOString(),
    lastModified: r.last_modified.toISOString(),
    ...(r.warnings && r.warnings.length > 0 ? { warnings: r.warnings } : {}),
  };
}

function pageUrl(req: FastifyRequest, baseUrl: string, page: number): string {
  const u = new URL(req.url, baseUrl);
  u.searchParams.set('page', String(page));
  return `${baseUrl}${u.pathname}${u.search}`;
}

async function loadRecords(services: Services, ids: string[]): Promise<Map<string, StoredRecord>> {
  if (ids.length === 0) return new Map();
  const r = await services.db.query<StoredRecord>('SELECT * FROM records WHERE id = ANY($1::text[])', [ids]);
  return new Map(r.rows.map((row) => [row.id, row]));
}

function ranges(p: SearchParams): SearchQuery['ranges'] {
  const out: NonNullable<SearchQuery['ranges']> = {};
  for (const f of ['issued', 'modified', 'temporal'] as const) {
    const from = p[`${f}From`];
    const to = p[`${f}To`];
    for (const d of [from, to]) if (d && Number.isNaN(Date.parse(d))) throw problem(400, 'Bad Request', `"${d}" is not a date (${f}From / ${f}To).`);
    if (from && to && Date.parse(from) > Date.parse(to)) throw problem(400, 'Bad Request', `${f}From ${from} is after ${f}To ${to}.`);
    if (from || to) out[f] = { from, to };
  }
  return out;
}

function bbox(text: string | undefined): SearchQuery['bbox'] {
  if (!text) return undefined;
  const [w, s, e, n] = text.split(',').map(Number);
  if ([w, s, e, n].some((v) => !Number.isFinite(v)) || w < -180 || e > 180 || s < -90 || n > 90 || w > e || s > n)
    throw problem(400, 'Bad Request', `bbox "${text}" must be west,south,east,north in degrees (west <= east, south <= north).`);
  return [w, s, e, n];
}

export async function recordRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const baseUrl = services.config.baseUrl;

  const searchRoute = (path: string, kinds: string[], summary: string) =>
    app.get<{ Querystring: SearchParams }>(
      path,
      {
        schema: { summary, tags: ['search'], querystring: searchQuerySchema, response: { 200: collectionSchema, 400: { $ref: 'Problem#' } } },
      },
      async (req) => {
        const { q, sort, page, limit, lang } = req.query;
        const filters: SearchQuery['filters'] = {};
        for (const f of FACET_FIELDS) if (req.query[f]) filters[f] = req.query[f];
        const result = await services.search.search({
          q,
          filters,
          ranges: ranges(req.query),
          bbox: bbox(req.query.bbox),
          kinds,
          sort: sort === 'relevance' && !q ? '-modified' : sort,
          offset: (page - 1) * limit,
          limit,
          lang,
        });
        const records = await loadRecords(services, result.hits.map((h) => h.id));
        const lastPage = Math.max(1, Math.ceil(result.total / limit));
        return {
          '@context': `${baseUrl}/context.jsonld`,
          '@id': pageUrl(req, baseUrl, page),
          '@type': 'Collection',
          totalItems: result.total,
          member: result.hits.map((h) => records.get(h.id)).filter((r): r is StoredRecord => !!r).map((r) => recordJson(r, baseUrl, false)),
          facets: result.facets,
          view: {
            '@id': pageUrl(req, baseUrl, page),
            '@type': 'PartialCollectionView',
            first: pageUrl(req, baseUrl, 1),
            ...(page > 1 ? { previous: pageUrl(req, baseUrl, Math.min(page - 1, lastPage)) } : {}),
            ...(page < lastPage ? { next: pageUrl(req, baseUrl, page + 1) } : {}),
            last: pageUrl(req, baseUrl, lastPage),
          },
        };
      },
    );
  searchRoute('/api/v1/datasets', ['Dataset', 'DatasetSeries'], 'Search datasets and dataset series');
  searchRoute('/api/v1/dataservices', ['DataService'], 'Search data services');

  const readRoute = (path: string, kinds: string[] | undefined, summary: string) =>
    app.get<{ Params: { id: string } }>(
      path,
      {
        schema: {
          summary,
          description: `Content negotiation: ${OFFERED_TYPES.join(', ')}. JSON is JSON-LD with the project context.`,
          tags: ['records'],
          params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
          response: { 200: recordSchema, 404: { $ref: 'Problem#' }, 406: { $ref: 'Problem#' } },
        },
      },
      async (req, reply) => {
        const record = await getRecord(services.db, req.params.id);
        if (!record || record.deleted_at || (kinds && !kinds.includes(record.kind)))
          throw problem(404, 'Not Found', `No ${kinds ? kinds.join(' or ') : 'record'} with id "${req.params.id}".`);
        return sendRecord(req, reply, record, baseUrl);
      },
    );
  readRoute('/api/v1/datasets/:id', ['Dataset', 'DatasetSeries'], 'One dataset');
  readRoute('/api/v1/dataservices/:id', ['DataService'], 'One data service');
  readRoute('/api/v1/records/:id', undefined, 'Any record (catalogue, dataset, service, resource)');
  validationRoute(app, services);

  app.get<{ Params: { id: string } }>(
    '/api/v1/records/:id/versions',
    {
      schema: {
        summary: 'Version history of a record: the current version first, then earlier ones',
        tags: ['records'],
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              iri: { type: 'string' },
              versions: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { version: { type: 'integer' }, hash: { type: 'string' }, validFrom: { type: 'string' }, validTo: { type: 'string', nullable: true } },
                },
              },
            },
          },
          404: { $ref: 'Problem#' },
        },
      },
    },
    async (req) => {
      const record = await getRecord(services.db, req.params.id);
      if (!record) throw problem(404, 'Not Found', `No record with id "${req.params.id}".`);
      const earlier = await recordVersions(services.db, record.id);
      return {
        id: record.id,
        iri: record.iri,
        versions: [
          { version: record.version, hash: record.hash, validFrom: record.last_modified.toISOString(), validTo: record.deleted_at?.toISOString() ?? null },
          ...earlier.map((v) => ({ version: v.version, hash: v.hash, validFrom: v.valid_from.toISOString(), validTo: v.valid_to.toISOString() })),
        ],
      };
    },
  );
}

/** GET /api/v1/records/{id}/validation: the report stored when the record was last written. */
export function validationRoute(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/records/:id/validation',
    {
      schema: {
        summary: "A record's validation report against its source's profile, as of its last change",
        tags: ['records', 'validation'],
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              iri: { type: 'string' },
              profile: { type: 'string' },
              layers: { type: 'array', items: { type: 'string' } },
              verdict: { type: 'string', enum: ['conforms', 'warnings', 'violations'] },
              violations: { type: 'integer' },
              warnings: { type: 'integer' },
              infos: { type: 'integer' },
              truncated: { type: 'boolean' },
              results: { type: 'array', items: resultSchema },
            },
          },
          404: { $ref: 'Problem#' },
        },
      },
    },
    async (req) => {
      const record = await getRecord(services.db, req.params.id);
      if (!record) throw problem(404, 'Not Found', `No record with id "${req.params.id}".`);
      const v = record.validation as RecordValidation | null;
      if (!v) throw problem(404, 'Not Found', `Record "${req.params.id}" was stored without validation.`);
      return { id: record.id, iri: record.iri, ...v, results: v.results.map(resultJson) };
    },
  );
}

async function sendRecord(req: FastifyRequest, reply: FastifyReply, record: StoredRecord, baseUrl: string): Promise<unknown> {
  const format = negotiate(req.headers.accept);
  reply.header('vary', 'Accept');
  if (!format) throw problem(406, 'Not Acceptable', `This resource is available as ${OFFERED_TYPES.join(', ')}.`, { available: OFFERED_TYPES });
  if (format === 'json') return reply.type('application/json').send(recordJson(record, baseUrl, true));
  if (format === 'jsonld') return reply.type('application/ld+json').send(recordJson(record, baseUrl, true));
  const quads: Quad[] = new N3Parser({ format: 'N-Quads', factory: dataFactory as never }).parse(record.nquads) as unknown as Quad[];
  reply.type(`${mediaTypeFor(format)}; charset=utf-8`);
  return reply.send(await serialize(quads, format));
}
