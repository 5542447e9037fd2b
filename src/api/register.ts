// The public register of closed data and services:
//   GET    /api/v1/register              search it (q, access, publisher, record); JSON, or DPV + DCAT in RDF
//   GET    /api/v1/register.csv          the same as a spreadsheet
//   GET    /api/v1/register/{id}         one entry
//   POST   /api/v1/records/{id}/register a publisher records a data flow of its dataset or service
//   PUT    /api/v1/register/{id}         ... changes it
//   DELETE /api/v1/register/{id}         ... removes it
// Entries made from harvested DCAT are kept by the service and cannot be changed through the API.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { createEntry, deleteEntry, getEntry, REGISTER_ACCESS, searchRegister, updateEntry, type EntryInput, type RegisterAccess, type RegisterEntry } from '../register/register.js';
import { dpvQuads } from '../register/dpv.js';
import type { JsonNode } from '../dcat/json.js';
import { chooseFormat, idParams, sendJsonOrRdf } from './json-or-rdf.js';
import { API_TYPES, FORMAT_PARAM } from './negotiate.js';
import { checkCatalogAccess, principalOf, requireKey } from './auth.js';
import { problem } from './problem.js';
import { HTTP_URL_PATTERN } from './patterns.js';
import { csvField } from './search-export.js';

const str = (max: number) => ({ type: 'string', maxLength: max });
const httpUrl = { type: 'string', maxLength: 2000, pattern: HTTP_URL_PATTERN };
const named = { type: 'object', additionalProperties: false, properties: { iri: httpUrl, label: str(500) }, anyOf: [{ type: 'object', required: ['iri'] }, { type: 'object', required: ['label'] }] };
const entryBody = {
  type: 'object',
  additionalProperties: false,
  required: ['access'],
  properties: {
    access: { type: 'string', enum: REGISTER_ACCESS },
    conditions: str(5000),
    legalBasis: { type: 'array', maxItems: 50, items: named, description: 'Legal basis, preferably ELI IRIs' },
    purposes: { type: 'array', maxItems: 50, items: named },
    recipients: { type: 'array', maxItems: 200, items: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: str(500), iri: httpUrl } } },
    decisions: {
      type: 'array',
      maxItems: 50,
      items: { type: 'object', additionalProperties: false, required: ['authority'], properties: { authority: str(500), reference: str(200), date: { type: 'string', format: 'date' }, url: httpUrl } },
      description: 'Authorisation decisions of the competent privacy authority',
    },
    dpo: { type: 'object', additionalProperties: false, properties: { name: str(200), email: { type: 'string', format: 'email', maxLength: 254 }, url: httpUrl } },
    request: str(1000),
    personalData: { type: 'boolean' },
  },
};
const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    recordId: { type: 'string' },
    recordIri: { type: 'string' },
    origin: { type: 'string', enum: ['publisher', 'harvested'] },
    ...entryBody.properties,
    title: { type: 'string', nullable: true },
    publisher: { type: 'string', nullable: true },
    publisherName: { type: 'string', nullable: true, description: 'The name of the organisation that holds the data' },
    conditions: { type: 'string', nullable: true },
    request: { type: 'string', nullable: true },
    personalData: { type: 'boolean', nullable: true },
    dpo: { ...entryBody.properties.dpo, nullable: true },
    updatedAt: { type: 'string' },
  },
};
const searchQuery = {
  type: 'object',
  properties: {
    q: str(200),
    format: FORMAT_PARAM,
    access: { type: 'string', enum: REGISTER_ACCESS },
    publisher: str(2000),
    record: str(200),
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  },
} as const;
type SearchQuery = { q?: string; format?: string; access?: RegisterAccess; publisher?: string; record?: string; limit: number; offset: number };

const entryJson = (e: RegisterEntry) => ({ ...e, createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString() });

/** A name with its link, as a spreadsheet shows both: "Steunpunt Werk <https://…>". */
const withLink = (label: string | undefined, iri: string | undefined) => (label && iri ? `${label} <${iri}>` : (label ?? iri ?? ''));

const CSV_COLUMNS: [string, (e: RegisterEntry) => string | undefined][] = [
  ['record_iri', (e) => e.recordIri],
  ['title', (e) => e.title ?? ''],
  ['holder', (e) => e.publisherName ?? ''],
  ['publisher', (e) => e.publisher ?? ''],
  ['access', (e) => e.access],
  ['origin', (e) => e.origin],
  ['legal_basis', (e) => e.legalBasis.map((l) => withLink(l.label, l.iri)).join(' | ')],
  ['purposes', (e) => e.purposes.map((l) => withLink(l.label, l.iri)).join(' | ')],
  ['recipients', (e) => e.recipients.map((r) => withLink(r.name, r.iri)).join(' | ')],
  ['decisions', (e) => e.decisions.map((d) => withLink([d.authority, d.reference, d.date].filter(Boolean).join(' '), d.url)).join(' | ')],
  ['dpo', (e) => [e.dpo?.name, e.dpo?.email, e.dpo?.url].filter(Boolean).join(' ')],
  ['personal_data', (e) => (e.personalData === null ? '' : e.personalData ? 'yes' : 'no')],
  ['conditions', (e) => e.conditions ?? ''],
  ['request', (e) => e.request ?? ''],
];

export async function registerRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;
  const filter = (q: SearchQuery) => ({ q: q.q, access: q.access, publisher: q.publisher, recordId: q.record, limit: q.limit, offset: q.offset });

  app.get<{ Querystring: SearchQuery }>(
    '/api/v1/register',
    {
      schema: {
        summary: 'The public register of closed data and services: who receives what, why, on which legal basis, with which authorisation (JSON, or DPV and DCAT in RDF)',
        tags: ['register'],
        produces: API_TYPES,
        querystring: searchQuery,
        response: { 200: { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: entrySchema } } }, 406: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const format = chooseFormat(req, 'The register', req.query.format);
      const r = await searchRegister(db, filter(req.query));
      return sendJsonOrRdf(reply, format, () => ({ total: r.total, items: r.items.map(entryJson) }), () => dpvQuads(config.baseUrl, r.items));
    },
  );

  app.get<{ Querystring: SearchQuery }>(
    '/api/v1/register.csv',
    { schema: { summary: 'The register as CSV (the same filters)', tags: ['register'], querystring: searchQuery, produces: ['text/csv'] } },
    async (req, reply) => {
      const r = await searchRegister(db, { ...filter(req.query), limit: Math.max(req.query.limit, 1000), offset: req.query.offset });
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="register.csv"');
      return `\uFEFF${CSV_COLUMNS.map(([n]) => n).join(',')}\r\n${r.items.map((e) => `${CSV_COLUMNS.map(([, get]) => csvField(get(e))).join(',')}\r\n`).join('')}`;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/register/:id',
    { schema: { summary: 'One register entry', tags: ['register'], params: idParams, response: { 200: entrySchema, 404: { $ref: 'Problem#' } } } },
    async (req) => {
      const e = await getEntry(db, req.params.id);
      if (!e) throw problem(404, 'Not Found', `No register entry "${req.params.id}".`);
      return entryJson(e);
    },
  );

  const writer = requireKey(services, ['admin', 'publisher']);
  /** The entry, if this key's organisation owns its record's catalogue. */
  const owned = async (req: FastifyRequest, id: string): Promise<RegisterEntry> => {
    const e = await getEntry(db, id);
    if (!e) throw problem(404, 'Not Found', `No register entry "${id}".`);
    await checkCatalogAccess(services, principalOf(req), e.catalogId);
    if (e.origin !== 'publisher') throw problem(409, 'Conflict', 'This entry is made from the record’s harvested DCAT and follows it; add an entry of your own instead.');
    return e;
  };

  app.post<{ Params: { id: string }; Body: EntryInput }>(
    '/api/v1/records/:id/register',
    {
      onRequest: writer,
      bodyLimit: 256 * 1024,
      schema: {
        summary: 'Record a data flow of a closed dataset or service in the public register (publishers: their own records)',
        tags: ['register'],
        security: [{ bearer: [] }],
        params: idParams,
        body: entryBody,
        response: { 201: entrySchema, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const r = await db.query<{ id: string; iri: string; kind: string; catalog_id: string; json: JsonNode }>(
        'SELECT id, iri, kind, catalog_id, json FROM records WHERE id = $1 AND deleted_at IS NULL',
        [req.params.id],
      );
      const rec = r.rows[0];
      if (!rec || !['Dataset', 'DatasetSeries', 'DataService'].includes(rec.kind)) throw problem(404, 'Not Found', `No dataset or data service with id "${req.params.id}".`);
      await checkCatalogAccess(services, principalOf(req), rec.catalog_id);
      const title = typeof rec.json.title === 'string' ? rec.json.title : (Object.values((rec.json.title ?? {}) as Record<string, unknown>).flat()[0] as string | undefined);
      const e = await createEntry(db, { id: rec.id, iri: rec.iri, catalogId: rec.catalog_id, title, json: rec.json }, req.body);
      reply.header('location', `/api/v1/register/${e.id}`);
      return reply.code(201).send(entryJson(e));
    },
  );

  app.put<{ Params: { id: string }; Body: EntryInput }>(
    '/api/v1/register/:id',
    {
      onRequest: writer,
      bodyLimit: 256 * 1024,
      schema: {
        summary: 'Replace a register entry of one of your records',
        tags: ['register'],
        security: [{ bearer: [] }],
        params: idParams,
        body: entryBody,
        response: { 200: entrySchema, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } },
      },
    },
    async (req) => {
      await owned(req, req.params.id);
      return entryJson((await updateEntry(db, req.params.id, req.body))!);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/register/:id',
    {
      onRequest: writer,
      schema: {
        summary: 'Remove a register entry of one of your records',
        tags: ['register'],
        security: [{ bearer: [] }],
        params: idParams,
        response: { 204: { type: 'null' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      await owned(req, req.params.id);
      await deleteEntry(db, req.params.id);
      return reply.code(204).send();
    },
  );
}
