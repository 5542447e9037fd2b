// POST /api/v1/validate?profile=: validates an uploaded DCAT document against a profile without
// storing anything, like the EU DCAT-AP validator. The report is JSON by default, or SHACL RDF
// (Turtle, JSON-LD...) when asked for in Accept.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { formatForMediaType, mediaTypeFor, SUPPORTED_MEDIA_TYPES, FORMATS } from '../rdf/formats.js';
import { parseString } from '../rdf/parse.js';
import { problem } from './problem.js';
import { rdfBodyParser } from './rdf-body.js';
import { rdfBody } from './openapi-document.js';
import { API_TYPES, negotiate, OFFERED_TYPES } from './negotiate.js';
import { profileIds, profileValidator, readManifest, UnknownProfileError } from '../validation/profiles.js';
import { buildReport, reportQuads, REPORT_CONTEXT } from '../validation/report.js';
import { serialize } from '../rdf/write.js';
import { messageTextsSchema, resultSchema } from './validation-schema.js';

const ALL_TYPES = FORMATS.flatMap((f) => [f.mediaType, ...f.aliases]);

const reportSchema = {
  type: 'object',
  description: 'A SHACL-style validation report',
  properties: {
    profile: { type: 'string' },
    layers: { type: 'array', items: { type: 'string' } },
    conforms: { type: 'boolean' },
    resources: { type: 'integer', description: 'DCAT catalogues, datasets, series and services described' },
    violations: { type: 'integer' },
    warnings: { type: 'integer' },
    infos: { type: 'integer' },
    notice: messageTextsSchema,
    results: { type: 'array', items: resultSchema },
  },
} as const;

export async function validateRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get(
    '/api/v1/profiles',
    {
      schema: {
        summary: 'The application profiles records can be validated against, with their layers',
        tags: ['validation'],
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                title: { type: 'string' },
                version: { type: 'string' },
                base: { type: 'string', nullable: true },
                layers: { type: 'array', items: { type: 'string' } },
                defaultLayers: { type: 'array', items: { type: 'string' } },
                default: { type: 'boolean', description: 'the profile records are validated against when their source names none' },
              },
            },
          },
        },
      },
    },
    async () =>
      profileIds().map((id) => {
        const m = readManifest(id);
        return {
          id,
          title: m.title,
          version: m.version,
          base: m.base,
          layers: [...new Set(m.shapes.map((s) => s.layer))],
          defaultLayers: m.defaultLayers,
          default: services.config.defaultProfile === id,
        };
      }),
  );

  app.removeAllContentTypeParsers();
  rdfBodyParser(app, ALL_TYPES, services.config.bodyLimit);

  app.post<{ Querystring: { profile: string; layers?: string }; Body: string }>(
    '/api/v1/validate',
    {
      bodyLimit: services.config.bodyLimit,
      schema: {
        summary: 'Validate a DCAT document against a profile (nothing is stored)',
        description: `Body: a DCAT document as ${SUPPORTED_MEDIA_TYPES.join(', ')}. Profiles: ${profileIds().join(', ')}.`,
        tags: ['validation'],
        produces: API_TYPES,
        querystring: {
          type: 'object',
          properties: {
            profile: { type: 'string', enum: profileIds(), description: 'profile id' },
            layers: { type: 'string', description: "comma-separated layers (default: the profile's default layers)" },
          },
          required: ['profile'],
        },
        consumes: SUPPORTED_MEDIA_TYPES as unknown as string[],
        body: rdfBody,
        response: { 200: reportSchema, 400: { $ref: 'Problem#' }, 406: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const format = formatForMediaType(req.headers['content-type']);
      if (!format) throw problem(415, 'Unsupported Media Type', `Send one of ${SUPPORTED_MEDIA_TYPES.join(', ')}.`);
      const out = negotiate(req.headers.accept);
      if (!out) throw problem(406, 'Not Acceptable', `The report is available as ${OFFERED_TYPES.join(', ')}.`, { available: OFFERED_TYPES });
      const { profile } = req.query;
      let layers: string[];
      try {
        const manifest = readManifest(profile);
        layers = req.query.layers ? req.query.layers.split(',').map((l) => l.trim()) : manifest.defaultLayers;
        const unknown = layers.filter((l) => !manifest.shapes.some((s) => s.layer === l));
        if (unknown.length > 0)
          throw problem(400, 'Unknown layer', `Profile ${profile} has no layer ${unknown.join(', ')}; it has ${[...new Set(manifest.shapes.map((s) => s.layer))].join(', ')}.`);
      } catch (e) {
        if (e instanceof UnknownProfileError) throw problem(400, 'Unknown profile', e.message, { known: e.known });
        throw e;
      }
      const quads = await parseString(req.body ?? '', { format, baseIRI: `${services.config.baseUrl}/api/v1/validate` });
      const report = buildReport(profile, layers, quads, profileValidator(profile, { layers }).validateDocument(quads));
      if (out === 'json') return report;
      return reply.type(`${mediaTypeFor(out)}; charset=utf-8`).send(await serialize(reportQuads(report), out, { context: { '@context': REPORT_CONTEXT } }));
    },
  );
}
