// POST /api/v1/labels: names for IRIs that records use without naming them (see search/label-file.ts),
// from an RDF document an administrator sends; answered with how many names were read and changed.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { formatForMediaType, SUPPORTED_MEDIA_TYPES, FORMATS } from '../rdf/formats.js';
import { parseString } from '../rdf/parse.js';
import { labelsFromQuads, storeTermLabels } from '../search/label-file.js';
import { requireKey } from './auth.js';
import { problem } from './problem.js';
import { rdfBodyParser } from './rdf-body.js';
import { rdfBody } from './openapi-document.js';

const ALL_TYPES = FORMATS.flatMap((f) => [f.mediaType, ...f.aliases]);

export async function labelRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.removeAllContentTypeParsers();
  rdfBodyParser(app, ALL_TYPES, services.config.bodyLimit);
  app.post<{ Body: string }>(
    '/api/v1/labels',
    {
      onRequest: requireKey(services, ['admin']),
      bodyLimit: services.config.bodyLimit,
      schema: {
        summary: 'Load names for IRIs that records use without naming them (organisations, concepts), from any RDF document',
        description:
          'Reads foaf:name, skos:prefLabel, vcard:organization-name, rov:legalName, rdfs:label, dct:title and vcard:fn of every IRI in the document (the best of them per language) and keeps them as the names pages, facets and exports show. A name a record gives for its own publisher still wins. Nothing else is stored.',
        tags: ['operations'],
        security: [{ bearer: [] }],
        consumes: SUPPORTED_MEDIA_TYPES as unknown as string[],
        body: rdfBody,
        response: {
          200: { type: 'object', properties: { read: { type: 'integer', description: 'Names found (one per IRI and language)' }, changed: { type: 'integer', description: 'Names new or different from those kept' } } },
          400: { $ref: 'Problem#' },
          413: { $ref: 'Problem#' },
          415: { $ref: 'Problem#' },
        },
      },
    },
    async (req) => {
      const format = formatForMediaType(req.headers['content-type']);
      if (!format) throw problem(415, 'Unsupported Media Type', `Send one of ${SUPPORTED_MEDIA_TYPES.join(', ')}.`);
      const quads = await parseString(req.body ?? '', { format, baseIRI: `${services.config.baseUrl}/api/v1/labels` });
      const labels = labelsFromQuads(quads);
      if (labels.length === 0) throw problem(400, 'Bad Request', 'The document names no IRI (foaf:name, skos:prefLabel, vcard:organization-name, rov:legalName, rdfs:label, dct:title or vcard:fn with a literal); nothing was stored.');
      const changed = await storeTermLabels(services.db, labels);
      req.log.info({ read: labels.length, changed }, 'names loaded');
      return { read: labels.length, changed };
    },
  );
}
