// A record's metadata quality: GET /api/v1/records/{id}/quality (the MQA-compatible score with every
// indicator and what would earn its points; as JSON, or as DQV measurements in any RDF syntax) and
// GET /api/v1/records/{id}/links (what the link checker found for each of its links).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { getRecord } from '../store/records.js';
import { API_TYPES, SUFFIXES } from './negotiate.js';
import { chooseFormat, idParams, sendJsonOrRdf } from './json-or-rdf.js';
import { problem, withdrawnProblem } from './problem.js';
import type { JsonNode } from '../dcat/json.js';
import { storedScore, MAX_POINTS } from '../quality/mqa.js';
import { linksOfRecord, type CheckedLink } from '../quality/link-checking.js';
import { formatMatches } from '../quality/links.js';
import { dqvQuads, metricIri } from '../quality/dqv.js';

const SCORED_KINDS = ['Dataset', 'DatasetSeries', 'DataService'];

export function linkJson(l: CheckedLink) {
  return {
    url: l.url,
    role: l.role,
    state: l.state,
    status: l.status,
    method: l.method,
    finalUrl: l.finalUrl,
    redirects: l.redirects,
    contentType: l.contentType,
    size: l.size,
    declaredFormat: l.declaredFormat,
    formatMatches: l.state === 'unchecked' ? null : formatMatches(l.declaredFormat, l.contentType),
    error: l.error,
    detail: l.detail,
    checkedAt: l.checkedAt?.toISOString() ?? null,
    lastWorkedAt: l.okAt?.toISOString() ?? null,
    brokenSince: l.brokenSince?.toISOString() ?? null,
  };
}

const nullable = (type: string) => ({ type, nullable: true });
const linkSchema = {
  type: 'object',
  properties: {
    url: { type: 'string' },
    role: { type: 'string', enum: ['access', 'download', 'endpoint'] },
    state: { type: 'string', enum: ['unchecked', 'ok', 'broken'] },
    status: nullable('integer'),
    method: nullable('string'),
    finalUrl: nullable('string'),
    redirects: nullable('integer'),
    contentType: nullable('string'),
    size: nullable('number'),
    declaredFormat: nullable('string'),
    formatMatches: { type: 'boolean', nullable: true, description: 'Whether the served content type matches the declared format (null: unknown)' },
    error: nullable('string'),
    detail: nullable('string'),
    checkedAt: nullable('string'),
    lastWorkedAt: nullable('string'),
    brokenSince: nullable('string'),
  },
};
const advice = { type: 'object', properties: { nl: { type: 'string' }, en: { type: 'string' } } };
const points = { type: 'object', properties: { points: { type: 'integer' }, max: { type: 'integer' } } };

export async function qualityRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;
  const load = async (id: string) => {
    const record = await getRecord(db, id);
    if (!record) throw problem(404, 'Not Found', `No record with id "${id}".`);
    if (record.deleted_at) throw withdrawnProblem({ ...record, deleted_at: record.deleted_at }, config.baseUrl);
    if (!SCORED_KINDS.includes(record.kind)) throw problem(404, 'Not Found', `Record "${id}" is a ${record.kind}; quality is measured on datasets and data services.`);
    return record;
  };

  app.get<{ Params: { id: string }; Querystring: { format?: string } }>(
    '/api/v1/records/:id/quality',
    {
      schema: {
        summary: "A record's metadata quality score (data.europa.eu MQA dimensions and points), as JSON or as DQV measurements in RDF",
        tags: ['records', 'quality'],
        produces: API_TYPES,
        params: idParams,
        querystring: {
          type: 'object',
          properties: { format: { type: 'string', enum: Object.keys(SUFFIXES).filter((k) => k !== 'html'), description: 'Overrides the Accept header: json, or an RDF syntax (ttl, nt, nq, trig, rdf, jsonld) for DQV' } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              iri: { type: 'string' },
              total: { type: 'integer' },
              max: { type: 'integer' },
              band: { type: 'string', enum: ['bad', 'sufficient', 'good', 'excellent'] },
              dimensions: { type: 'object', additionalProperties: points },
              indicators: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    metric: { type: 'string' },
                    dimension: { type: 'string' },
                    points: { type: 'integer' },
                    max: { type: 'integer' },
                    met: { type: 'boolean', nullable: true, description: 'null: not measured yet (links not checked)' },
                    advice,
                  },
                },
              },
              computedAt: { type: 'string' },
            },
          },
          404: { $ref: 'Problem#' },
          410: { $ref: 'Problem#' },
          406: { $ref: 'Problem#' },
        },
      },
    },
    async (req, reply) => {
      const format = chooseFormat(req, 'The quality score (DQV in RDF)', req.query.format);
      const record = await load(req.params.id);
      const score = storedScore(record.json as JsonNode, (record.validation as { verdict?: string } | null)?.verdict, await linksOfRecord(db, record.id));
      const computedAt = new Date();
      reply.header('cache-control', 'public, max-age=60');
      return sendJsonOrRdf(
        reply,
        format,
        () => ({
          id: record.id,
          iri: record.iri,
          total: score.total,
          max: MAX_POINTS,
          band: score.band,
          dimensions: score.dimensions,
          indicators: score.indicators.map((i) => ({ ...i, metric: metricIri(i.id) })),
          computedAt: computedAt.toISOString(),
        }),
        () => dqvQuads(record.iri, `${config.baseUrl}/api/v1/records/${encodeURIComponent(record.id)}/quality`, score, computedAt),
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/records/:id/links',
    {
      schema: {
        summary: "What the link checker found for a record's access, download and endpoint links",
        tags: ['records', 'quality'],
        params: idParams,
        response: {
          200: { type: 'object', properties: { id: { type: 'string' }, iri: { type: 'string' }, links: { type: 'array', items: linkSchema } } },
          404: { $ref: 'Problem#' },
          410: { $ref: 'Problem#' },
        },
      },
    },
    async (req) => {
      const record = await load(req.params.id);
      return { id: record.id, iri: record.iri, links: (await linksOfRecord(db, record.id)).map(linkJson) };
    },
  );
}
