// The push API of entity portals, in any RDF syntax, each call in one transaction (a syntax error
// half-way stores nothing):
//   POST   /api/v1/catalogs/{id}/records             a DCAT document with any number of records;
//   PUT    /api/v1/catalogs/{id}/records/{recordId}  one record, replaced by the body;
//   DELETE /api/v1/catalogs/{id}/records/{recordId}  one record withdrawn (410 Gone until purged).
// {recordId} is the record's id here or its IRI (URL-encoded). A publisher key may only write into its
// own organisation's catalogues.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { formatForMediaType, SUPPORTED_MEDIA_TYPES, FORMATS, type RdfFormat } from '../rdf/formats.js';
import { problem } from './problem.js';
import { LOCAL_ID_PATTERN } from './patterns.js';
import { rdfBodyParser } from './rdf-body.js';
import { rdfBody } from './openapi-document.js';
import { checkCatalogAccess, principalOf, releaseCatalog, requireKey } from './auth.js';
import { parseString } from '../rdf/parse.js';
import { RecordSplitter } from '../dcat/split.js';
import { localId, prepareRecord } from '../ingest/prepare.js';
import { withdrawRecords } from '../store/records.js';
import { recallWithdrawn } from '../store/runs.js';
import { profileIds, UnknownProfileError } from '../validation/profiles.js';
import type { IngestReport } from '../ingest/pipeline.js';
import { withStoredListings } from './catalog-listing.js';
import { checkWritePreconditions, type CurrentRecord } from './preconditions.js';

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
    rejected: { type: 'integer', description: 'records not stored because they violate the profile, or are left-over resources that no stored record refers to (policy reject)' },
    byKind: { type: 'object', additionalProperties: { type: 'integer' } },
    warnings: {
      type: 'array',
      items: { type: 'object', properties: { iri: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } } },
    },
    validation: {
      type: 'object',
      description: 'What validation found in the new and changed records: counts, and the records that do not conform (the first 100) with their first findings and a link to the full report',
      properties: {
        profile: { type: 'string' },
        policy: { type: 'string' },
        checked: { type: 'integer' },
        withViolations: { type: 'integer' },
        withWarnings: { type: 'integer' },
        records: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              iri: { type: 'string' },
              verdict: { type: 'string' },
              violations: { type: 'integer' },
              warnings: { type: 'integer' },
              stored: { type: 'boolean' },
              report: { type: 'string', description: 'The full report of a stored record' },
              findings: {
                type: 'array',
                items: { type: 'object', properties: { severity: { type: 'string' }, focusNode: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** The push's report as answered: each stored record's findings link to its full report. */
function answer(catalog: string, report: IngestReport, baseUrl: string): Record<string, unknown> {
  const validation = report.validation && {
    ...report.validation,
    records: report.validation.records.map((r) => ({ ...r, ...(r.stored ? { report: `${baseUrl}/api/v1/records/${r.id}/validation` } : {}) })),
  };
  const { written: _written, ...rest } = report;
  return { catalog, ...rest, ...(validation ? { validation } : {}) };
}

/** Every record of the push turned away by the reject policy: a 422 that carries the report. Left-over
 * resources (nodes no dataset, service or catalogue owns) go with the records that refer to them. */
function allRejected(catalog: string, report: IngestReport, baseUrl: string): void {
  if (report.rejected === 0 || report.created + report.updated + report.unchanged > 0) return;
  const profile = report.validation?.profile ?? 'the profile';
  const what = (report.byKind.Resource ?? 0) > 0 ? `${report.rejected} records were turned away: each violates ${profile}, or is a left-over resource that only such records refer to` : `${report.rejected} records violate ${profile}`;
  throw problem(422, 'Rejected by validation', `All ${what} (policy reject); nothing was stored. The findings are in "validation".`, answer(catalog, report, baseUrl));
}

type PushQuery = { profile?: string; policy?: 'reject' | 'accept-with-report' };

const pushQuerystring = {
  type: 'object',
  properties: {
    profile: { type: 'string', enum: [...profileIds(), 'none'], description: 'profile to validate the records against ("none": no validation; default: the service\'s default profile)' },
    policy: { type: 'string', enum: ['accept-with-report', 'reject'], default: 'accept-with-report', description: 'reject: records with violations are not stored' },
  },
} as const;

const catalogParam = { type: 'string', pattern: LOCAL_ID_PATTERN } as const;

/** The body and syntax of a pushed document, or the 415 / 400 that says why not. */
function pushedDocument(contentType: string | undefined, body: string | undefined): { format: RdfFormat; body: string } {
  const format = formatForMediaType(contentType);
  if (!format) throw problem(415, 'Unsupported Media Type', `Send one of ${SUPPORTED_MEDIA_TYPES.join(', ')}.`);
  if (!body || body.trim() === '') throw problem(400, 'Empty document', 'The request body is empty; nothing was changed.');
  return { format, body };
}

/** A record named in the path by its id here, or by its IRI. */
function recordIdOf(catalogId: string, recordId: string): string {
  return /^[a-z2-7]{16}$/.test(recordId) ? recordId : localId(catalogId, recordId);
}

export async function ingestRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const currentRecord = async (catalogId: string, id: string): Promise<CurrentRecord | undefined> => {
    const r = await services.db.query<{ hash: string; version: number; live: boolean }>('SELECT hash, version, deleted_at IS NULL AS live FROM records WHERE id = $1 AND catalog_id = $2', [id, catalogId]);
    return r.rows[0];
  };
  const store = async (catalogId: string, given: RdfFormat, document: string, query: PushQuery) => {
    const baseIRI = `${services.config.baseUrl}/api/v1/catalogs/${catalogId}/records`;
    const { format, body } = await withStoredListings(services.db, catalogId, given, document, baseIRI);
    return services
      .ingest(
        (async function* () {
          yield body;
        })(),
        {
          catalogId,
          source: { id: `push:${catalogId}`, kind: 'push', location: null },
          format,
          baseIRI,
          atomic: true,
          profile: query.profile === 'none' ? null : query.profile,
          policy: query.policy,
        },
      )
      .catch((e: unknown) => {
        if (e instanceof UnknownProfileError) throw problem(400, 'Unknown profile', `${e.message} Nothing was stored.`, { known: e.known });
        throw e;
      });
  };

  /** A write into a catalogue this request may have just created: if it fails, the catalogue is given up. */
  const givenUpOnFailure = async <T>(created: boolean, catalogId: string, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (e) {
      if (created) await releaseCatalog(services, catalogId);
      throw e;
    }
  };

  // Bodies stay text: the RDF parsers read them, for every RDF media type (JSON included, as JSON-LD).
  app.removeAllContentTypeParsers();
  rdfBodyParser(app, ALL_TYPES, services.config.bodyLimit);

  app.post<{ Params: { id: string }; Querystring: PushQuery; Body: string }>(
    '/api/v1/catalogs/:id/records',
    {
      bodyLimit: services.config.bodyLimit,
      onRequest: requireKey(services, ['admin', 'publisher']),
      schema: {
        summary: 'Push DCAT records into a catalogue',
        description: `Body: a DCAT-AP document as ${SUPPORTED_MEDIA_TYPES.join(', ')}. Records are created or updated by IRI; unchanged ones are not written.`,
        tags: ['ingest'],
        security: [{ bearer: [] }],
        params: { type: 'object', properties: { id: catalogParam }, required: ['id'] },
        querystring: pushQuerystring,
        consumes: SUPPORTED_MEDIA_TYPES as unknown as string[],
        body: rdfBody,
        response: { 200: reportSchema, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' } },
      },
    },
    async (req) => {
      const catalogId = req.params.id;
      const { format, body } = pushedDocument(req.headers['content-type'], req.body);
      // New here when this request makes it (a publisher's first push), or when it does not exist yet
      // (an administrator's push makes it in the write): either way given up if nothing is stored.
      const before = (await services.db.query('SELECT 1 FROM catalogs WHERE id = $1', [catalogId])).rows.length > 0;
      const created = (await checkCatalogAccess(services, principalOf(req), catalogId)).created || !before;
      // Everything turned away is a failure too: a catalogue this push made is given up.
      const report = await givenUpOnFailure(created, catalogId, async () => {
        const r = await store(catalogId, format, body, req.query);
        allRejected(catalogId, r, services.config.baseUrl);
        return r;
      });
      req.log.info({ catalogId, created: report.created, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected }, 'records pushed');
      return answer(catalogId, report, services.config.baseUrl);
    },
  );

  app.put<{ Params: { id: string; recordId: string }; Querystring: PushQuery; Body: string }>(
    '/api/v1/catalogs/:id/records/:recordId',
    {
      bodyLimit: services.config.bodyLimit,
      onRequest: requireKey(services, ['admin', 'publisher']),
      schema: {
        summary: 'Create or replace one record',
        description:
          'The body describes exactly one dataset, data service or series (with its distributions and other owned nodes), whose IRI is {recordId} or whose id here is {recordId}. ' +
          'If-Match with an ETag the record was read with replaces it only if it has not changed since (412 otherwise); If-None-Match: * creates it only if it does not exist.',
        tags: ['ingest'],
        security: [{ bearer: [] }],
        params: { type: 'object', properties: { id: catalogParam, recordId: { type: 'string', minLength: 1, maxLength: 2000 } }, required: ['id', 'recordId'] },
        querystring: pushQuerystring,
        consumes: SUPPORTED_MEDIA_TYPES as unknown as string[],
        body: rdfBody,
        response: { 200: reportSchema, 201: reportSchema, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' }, 412: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' }, 422: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const catalogId = req.params.id;
      const { format, body } = pushedDocument(req.headers['content-type'], req.body);
      // New here when this request makes it (a publisher's first push), or when it does not exist yet
      // (an administrator's push makes it in the write): either way given up if nothing is stored.
      const before = (await services.db.query('SELECT 1 FROM catalogs WHERE id = $1', [catalogId])).rows.length > 0;
      const created = (await checkCatalogAccess(services, principalOf(req), catalogId)).created || !before;
      const wanted = recordIdOf(catalogId, req.params.recordId);
      const report = await givenUpOnFailure(created, catalogId, async () => {
        // If-Match / If-None-Match: against the record as stored now, before anything is read or written.
        checkWritePreconditions(req, await currentRecord(catalogId, wanted));
        // Which records the body describes, before anything is stored: one, and the one named in the path.
        const quads = await parseString(body, { format, baseIRI: `${services.config.baseUrl}/api/v1/catalogs/${catalogId}/records` });
        const splitter = new RecordSplitter();
        const split = [...splitter.push(quads), ...splitter.end()].filter((r) => r.kind !== 'Resource' && r.kind !== 'Catalog');
        const records = split.map((r) => prepareRecord(r, { catalogId, baseUrl: services.config.baseUrl }).record);
        if (records.length !== 1)
          throw problem(400, 'One record expected', `PUT replaces one record; the body describes ${records.length} (${records.map((r) => r.iri).slice(0, 5).join(', ')}). POST a document to /api/v1/catalogs/${catalogId}/records for several.`);
        if (records[0].id !== wanted)
          throw problem(409, 'Conflict', `The body describes <${records[0].iri}> (id ${records[0].id}), not the record named in the path (${req.params.recordId}). Nothing was stored.`);
        const r = await store(catalogId, format, body, req.query);
        allRejected(catalogId, r, services.config.baseUrl);
        return r;
      });
      req.log.info({ catalogId, record: wanted, created: report.created, updated: report.updated }, 'record put');
      // A PUT that made the record answers 201 Created with where it now lives (RFC 9110, 9.3.4).
      if (report.created > 0) reply.code(201).header('location', `${services.config.baseUrl}/api/v1/records/${wanted}`);
      return answer(catalogId, report, services.config.baseUrl);
    },
  );

  app.delete<{ Params: { id: string; recordId: string } }>(
    '/api/v1/catalogs/:id/records/:recordId',
    {
      onRequest: requireKey(services, ['admin', 'publisher']),
      schema: {
        summary: 'Withdraw one record',
        description: 'The record becomes a tombstone: it answers 410 Gone, stays in the change feed, and is purged after the retention period. A harvested record comes back (created) with the next run of its source that still lists it: its source is the authority for it. If-Match with an ETag the record was read with withdraws it only if it has not changed since (412 otherwise).',
        tags: ['ingest'],
        security: [{ bearer: [] }],
        params: { type: 'object', properties: { id: catalogParam, recordId: { type: 'string', minLength: 1, maxLength: 2000 } }, required: ['id', 'recordId'] },
        response: { 204: { type: 'null' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 412: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const catalogId = req.params.id;
      await checkCatalogAccess(services, principalOf(req), catalogId, false);
      const id = recordIdOf(catalogId, req.params.recordId);
      const r = await services.db.query<{ iri: string; deleted: boolean }>('SELECT iri, deleted_at IS NOT NULL AS deleted FROM records WHERE id = $1 AND catalog_id = $2', [id, catalogId]);
      if (r.rows.length === 0) throw problem(404, 'Not Found', `Catalogue "${catalogId}" has no record ${req.params.recordId}.`);
      checkWritePreconditions(req, await currentRecord(catalogId, id));
      // The record and the left-over triples about its subject kept beside it. A harvested one comes
      // back with the next run that still finds it at its source: the pages that held it are read
      // again, an increment asks for it by name, and a run under way does not count it as kept.
      await services.db.transaction(async (tx) => recallWithdrawn(tx, await withdrawRecords(tx, [id, localId(catalogId, `resource ${r.rows[0].iri}`)])));
      await services.reindexPending().catch(() => undefined);
      req.log.info({ catalogId, record: id }, 'record withdrawn');
      return reply.code(204).send();
    },
  );
}
