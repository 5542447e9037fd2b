// POST /api/v1/catalogs/{id}/records: an entity portal pushes a DCAT document in any RDF syntax.
// The whole document is stored in one transaction, so a syntax error half-way stores nothing.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { formatForMediaType, SUPPORTED_MEDIA_TYPES, FORMATS } from '../rdf/formats.js';
import { problem } from './problem.js';
import { requireKey } from './auth.js';
import { UnknownProfileError } from '../validation/profiles.js';

const ALL_TYPES = FORMATS.flatMap((f) => [f.mediaType, ...f.aliases]);

const reportSchema = {
  type: 'object',
  properties: {
    catalog: { type: 'string' },
    quads: { type: 'integer' },
    records: { type: 'integer' },
    created: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    rejected: { type: 'integer', description: 'records not stored because they violate the profile (policy reject)' },
    byKind: { type: 'object', additionalProperties: { type: 'integer' } },
    warnings: {
      type: 'array',
      items: { type: 'object', properties: { iri: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } } },
    },
  },
} as const;

export async function ingestRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  // Bodies stay text: the RDF parsers read them, for every RDF media type (JSON included, as JSON-LD).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(ALL_TYPES, { parseAs: 'string', bodyLimit: services.config.bodyLimit }, (_req, body, done) => done(null, body));

  app.post<{ Params: { id: string }; Querystring: { profile?: string; policy?: 'reject' | 'accept-with-report' }; Body: string }>(
    '/api/v1/catalogs/:id/records',
    {
      bodyLimit: services.config.bodyLimit,
      preHandler: requireKey(services),
      schema: {
        summary: 'Push DCAT records into a catalogue',
        description: `Body: a DCAT-AP document as ${SUPPORTED_MEDIA_TYPES.join(', ')}. Records are created or updated by IRI; unchanged ones are not written.`,
        tags: ['ingest'],
        security: [{ bearer: [] }],
        params: { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' } }, required: ['id'] },
        querystring: {
          type: 'object',
          properties: {
            profile: { type: 'string', description: 'profile to validate the records against ("none": no validation; default: the service\'s default profile)' },
            policy: { type: 'string', enum: ['accept-with-report', 'reject'], default: 'accept-with-report', description: 'reject: records with violations are not stored' },
          },
        },
        consumes: SUPPORTED_MEDIA_TYPES as unknown as string[],
        response: { 200: reportSchema, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' } },
      },
    },
    async (req) => {
      const format = formatForMediaType(req.headers['content-type']);
      if (!format) throw problem(415, 'Unsupported Media Type', `Send one of ${SUPPORTED_MEDIA_TYPES.join(', ')}.`);
      const body = req.body ?? '';
      if (body.trim() === '') throw problem(400, 'Empty document', 'The request body is empty; nothing was changed.');
      const catalogId = req.params.id;
      const report = await services.ingest(
        (async function* () {
          yield body;
        })(),
        {
          catalogId,
          source: { id: `push:${catalogId}`, kind: 'push', location: null },
          format,
          baseIRI: `${services.config.baseUrl}/api/v1/catalogs/${catalogId}/records`,
          atomic: true,
          profile: req.query.profile === 'none' ? null : req.query.profile,
          policy: req.query.policy,
        },
      ).catch((e: unknown) => {
        if (e instanceof UnknownProfileError) throw problem(400, 'Unknown profile', `${e.message} Nothing was stored.`, { known: e.known });
        throw e;
      });
      req.log.info({ catalogId, created: report.created, updated: report.updated, unchanged: report.unchanged }, 'records pushed');
      return { catalog: catalogId, ...report };
    },
  );
}
