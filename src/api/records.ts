// Record reads and search: /api/v1/datasets, /api/v1/dataservices, /api/v1/records/{id}.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { getRecord, recentVersions, recordVersions, versionSince, type StoredRecord } from '../store/records.js';
import { versionChanges } from '../dcat/history.js';
import type { JsonNode } from '../dcat/json.js';
import { iris, isNode, versionOf } from '../dcat/values.js';
import { choose, FORMAT_PARAM, offeredTypes, RECORD_OFFERS, RECORD_TYPES, splitSuffix, SUFFIXES } from './negotiate.js';
import { loadServedRecord, sendRecord, wantedFor, type RecordHtml } from './representation.js';
import { problem, withdrawnProblem } from './problem.js';
import type { RecordValidation } from '../validation/summary.js';
import { resultJson, resultSchema } from './validation-schema.js';

/** Versions whose changes are worked out (each needs its triples read). */
const COMPARED_VERSIONS = 50;

const recordSchema = { type: 'object', additionalProperties: true, description: 'A DCAT record as JSON-LD (keys from /context.jsonld)' };

/** What a record's JSON answer is made of (a search page loads only these columns). */
export type RecordSummary = Pick<StoredRecord, 'id' | 'iri' | 'kind' | 'json' | 'catalog_id' | 'first_seen' | 'last_modified' | 'warnings'>;

export function recordJson(r: RecordSummary, baseUrl: string, withContext: boolean): Record<string, unknown> {
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

/** Some columns of the live records with the given ids, by id. Every search page asks this: the
 * statement is prepared once per connection (`name` goes with one column list). */
export async function recordsById<T extends { id: string }>(services: Services, ids: string[], columns: string, name: string): Promise<Map<string, T>> {
  if (ids.length === 0) return new Map();
  const r = await services.db.query<T>(`SELECT ${columns} FROM records WHERE id = ANY($1::text[]) AND deleted_at IS NULL`, [ids], { prepare: name });
  return new Map(r.rows.map((row) => [row.id, row]));
}

/** The records of a page of hits, without their stored triples (the largest column, not shown here). */
export const loadRecords = (services: Services, ids: string[]): Promise<Map<string, RecordSummary>> =>
  recordsById(services, ids, 'id, iri, kind, json, catalog_id, first_seen, last_modified, warnings', 'records-by-id');

export async function recordRoutes(app: FastifyInstance, { services, html }: { services: Services; html?: RecordHtml }): Promise<void> {
  const baseUrl = services.config.baseUrl;

  /** The read route of a record of this kind. */
  const routeOf = (kind: string) =>
    kind === 'DataService' ? '/api/v1/dataservices' : kind === 'Dataset' || kind === 'DatasetSeries' ? '/api/v1/datasets' : '/api/v1/records';
  const readRoute = (path: string, kinds: string[] | undefined, summary: string) =>
    app.get<{ Params: { id: string }; Querystring: { format?: string } }>(
      path,
      {
        schema: {
          summary,
          querystring: { type: 'object', properties: { format: FORMAT_PARAM } },
          description: `Content negotiation: ${offeredTypes(RECORD_OFFERS).join(', ')}; JSON-LD in the profile asked (expanded, compacted, flattened, framed). Suffix URLs (.json, .jsonld, .ttl, .trig, .nt, .nq, .rdf, .html) name a format outright. ETag and Last-Modified; 304 on a match.`,
          tags: ['records'],
          produces: RECORD_TYPES,
          params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
          response: { 200: recordSchema, 304: { type: 'null', description: 'Not Modified' }, 404: { $ref: 'Problem#' }, 406: { $ref: 'Problem#' }, 410: { $ref: 'Problem#' } },
        },
      },
      async (req, reply) => {
        const { id, format: suffixed } = splitSuffix(req.params.id);
        const format = suffixed ?? (req.query.format ? SUFFIXES[req.query.format] : undefined);
        // Only the columns the representation needs: the stored N-Triples for RDF, the JSON otherwise.
        const record = await loadServedRecord(services.db, id, wantedFor(format ?? choose(req.headers.accept, RECORD_OFFERS)?.format));
        if (!record) throw problem(404, 'Not Found', `No ${kinds ? kinds.join(' or ') : 'record'} with id "${id}".`);
        // An id taken from a search of every type and asked of the other route: the answer says where it is.
        if (kinds && !kinds.includes(record.kind))
          throw problem(404, 'Not Found', `No ${kinds.join(' or ')} with id "${id}": it is a ${record.kind}, at ${baseUrl}${routeOf(record.kind)}/${record.id}.`, {
            record: `${baseUrl}${routeOf(record.kind)}/${record.id}`,
          });
        if (record.deleted_at) throw withdrawnProblem({ ...record, deleted_at: record.deleted_at }, baseUrl);
        return sendRecord(req, reply, record, baseUrl, format, html);
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
        summary: "Version history of a record, newest first, with which properties each real change touched; and the record's own version information, change notes and documentation links",
        tags: ['records'],
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              iri: { type: 'string' },
              versionInfo: { type: 'string', nullable: true, description: 'The version the publisher gives (dcat:version / owl:versionInfo)' },
              versionNotes: { type: 'object', additionalProperties: true, nullable: true, description: 'Change notes per language (adms:versionNotes)' },
              documentation: { type: 'array', items: { type: 'string' }, description: 'Documentation and methodology links (foaf:page, dct:conformsTo, adms:sample, dct:provenance)' },
              versions: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    version: { type: 'integer' },
                    hash: { type: 'string' },
                    validFrom: { type: 'string' },
                    validTo: { type: 'string', nullable: true },
                    changes: {
                      type: 'object',
                      nullable: true,
                      description: 'Properties (by their JSON names) with values added, removed or changed from the version before; null when not compared (older versions)',
                      properties: { added: { type: 'array', items: { type: 'string' } }, removed: { type: 'array', items: { type: 'string' } }, changed: { type: 'array', items: { type: 'string' } } },
                    },
                  },
                },
              },
            },
          },
          404: { $ref: 'Problem#' },
          410: { $ref: 'Problem#' },
        },
      },
    },
    async (req) => {
      const record = await getRecord(services.db, req.params.id);
      if (!record) throw problem(404, 'Not Found', `No record with id "${req.params.id}".`);
      const [earlier, recent] = await Promise.all([recordVersions(services.db, record.id), recentVersions(services.db, record.id, COMPARED_VERSIONS)]);
      const compared = new Map(versionChanges({ version: record.version, nquads: record.nquads, since: versionSince(record) }, recent).map((c) => [c.version, c]));
      const changes = (version: number) => {
        const c = compared.get(version);
        // The oldest version read has nothing to compare with, unless it is the first.
        if (!c || (!c.first && version === recent[recent.length - 1]?.version && recent.length === COMPARED_VERSIONS)) return null;
        return { added: c.added, removed: c.removed, changed: c.changed };
      };
      const json = record.json as JsonNode;
      const versionNotes = json.versionNotes;
      return {
        id: record.id,
        iri: record.iri,
        versionInfo: versionOf(json) ?? null,
        versionNotes: typeof versionNotes === 'string' ? { und: versionNotes } : isNode(versionNotes) ? versionNotes : null,
        documentation: [...iris(json.page), ...iris(json.conformsTo), ...iris(json.sample), ...iris(json.provenance)],
        versions: [
          { version: record.version, hash: record.hash, validFrom: versionSince(record).toISOString(), validTo: record.deleted_at?.toISOString() ?? null, changes: changes(record.version) },
          ...earlier.map((v) => ({ version: v.version, hash: v.hash, validFrom: v.valid_from.toISOString(), validTo: v.valid_to.toISOString(), changes: changes(v.version) })),
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
      if (record.deleted_at) throw withdrawnProblem({ ...record, deleted_at: record.deleted_at }, services.config.baseUrl);
      const v = record.validation as RecordValidation | null;
      if (!v) throw problem(404, 'Not Found', `Record "${req.params.id}" was stored without validation.`);
      return { id: record.id, iri: record.iri, ...v, results: v.results.map(resultJson) };
    },
  );
}
