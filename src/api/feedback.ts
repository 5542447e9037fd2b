// Researchers' feedback through the API:
//   POST /api/v1/records/{id}/feedback   report an error or ask a question (no key; rate-limited per address)
//   GET  /api/v1/records/{id}/feedback   the public questions and answers (JSON, or DUV in RDF)
//   GET  /api/v1/feedback                every message (administrators) or those on one's own organisation's records (publishers)
//   GET  /api/v1/feedback/{id}           one message with the mails it caused
//   PATCH /api/v1/feedback/{id}          status, answer, and whether both are public
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { FEEDBACK_KINDS, FEEDBACK_STATUSES, FeedbackRejected, getFeedback, listFeedback, mailsOf, MESSAGE_MAX, MESSAGE_MIN, OPTIONAL_EMAIL_PATTERN, submitFeedback, updateFeedback, type Feedback, type FeedbackKind, type FeedbackStatus } from '../feedback/feedback.js';
import { duvQuads } from '../feedback/duv.js';
import { chooseFormat, idParams, sendJsonOrRdf } from './json-or-rdf.js';
import { API_TYPES, FORMAT_PARAM } from './negotiate.js';
import { principalOf, requireKey } from './auth.js';
import { problem } from './problem.js';
import { NOT_BLANK_PATTERN } from './patterns.js';

/** A feedback body is a short text: anything larger is refused before it is read (413). */
export const FEEDBACK_BODY_LIMIT = 32 * 1024;

const nullable = (type: string) => ({ type, nullable: true });
const publicSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: FEEDBACK_KINDS },
    message: { type: 'string' },
    status: { type: 'string', enum: FEEDBACK_STATUSES },
    answer: nullable('string'),
    createdAt: { type: 'string' },
    answeredAt: nullable('string'),
  },
};
const fullSchema = {
  type: 'object',
  properties: {
    ...publicSchema.properties,
    recordId: { type: 'string' },
    recordIri: { type: 'string' },
    name: nullable('string'),
    email: nullable('string'),
    lang: nullable('string'),
    public: { type: 'boolean' },
    updatedAt: { type: 'string' },
    mails: {
      type: 'array',
      items: { type: 'object', properties: { to: { type: 'string' }, subject: { type: 'string' }, createdAt: { type: 'string' }, sentAt: nullable('string'), attempts: { type: 'integer' }, lastError: nullable('string') } },
    },
  },
};

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const publicJson = (f: Feedback) => ({ id: f.id, kind: f.kind, message: f.message, status: f.status, answer: f.answer, createdAt: f.createdAt.toISOString(), answeredAt: iso(f.answeredAt) });
const fullJson = (f: Feedback) => ({ ...publicJson(f), recordId: f.recordId, recordIri: f.recordIri, name: f.name, email: f.email, lang: f.lang, public: f.public, updatedAt: f.updatedAt.toISOString() });

/** The catalogues a publisher key may see feedback on; undefined: all (administrators). */
async function visibleCatalogs(services: Services, req: FastifyRequest): Promise<string[] | undefined> {
  const p = principalOf(req);
  if (!p || p.role === 'admin') return undefined;
  const r = await services.db.query<{ id: string }>('SELECT id FROM catalogs WHERE organisation = $1', [p.organisation ?? '']);
  return r.rows.map((x) => x.id);
}

/** Accepts one submission: the API's and the web form's. Throws problems (400, 404). */
export async function acceptFeedback(services: Services, recordId: string, body: { kind?: string; message?: string; name?: string; email?: string; lang?: string }, client: string): Promise<Feedback> {
  try {
    return await submitFeedback(
      services.db,
      { recordId, kind: body.kind as FeedbackKind, message: body.message ?? '', name: body.name, email: body.email, lang: body.lang, client },
      services.feedback.settings,
      services.config.feedback.perAddress,
    );
  } catch (e) {
    if (e instanceof FeedbackRejected) throw problem(e.status, e.status === 404 ? 'Not Found' : e.status === 429 ? 'Too Many Requests' : 'Bad Request', e.message, e.field ? { field: e.field } : {});
    throw e;
  }
}

/** The flood guard of the feedback routes: requests per address in ten minutes, refused ones included.
 * What bounds the messages an address may send is `perAddress` accepted ones (see submitFeedback);
 * this only stops a client hammering the route, and leaves room for a person's mistakes. */
export function feedbackRateLimit(services: Services) {
  return { max: services.config.feedback.perAddress * 4 + 10, timeWindow: '10 minutes' };
}

export async function feedbackRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;

  app.post<{ Params: { id: string }; Body: { kind: FeedbackKind; message: string; name?: string; email?: string; lang?: string } }>(
    '/api/v1/records/:id/feedback',
    {
      bodyLimit: FEEDBACK_BODY_LIMIT,
      config: { rateLimit: feedbackRateLimit(services) },
      schema: {
        summary: 'Report an error in the data or ask a question about a dataset or service (no key needed; the contact point is told)',
        tags: ['feedback'],
        params: idParams,
        body: {
          type: 'object',
          required: ['kind', 'message'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: FEEDBACK_KINDS },
            message: { type: 'string', minLength: MESSAGE_MIN, maxLength: MESSAGE_MAX + 100, pattern: NOT_BLANK_PATTERN },
            name: { type: 'string', maxLength: 200 },
            email: { type: 'string', maxLength: 254, pattern: OPTIONAL_EMAIL_PATTERN, description: 'Optional: where the answer is sent; never shown' },
            lang: { type: 'string', enum: ['nl', 'en', 'fr', 'de'] },
          },
        },
        response: { 201: publicSchema, 400: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const f = await acceptFeedback(services, req.params.id, req.body, req.ip);
      reply.header('location', `/api/v1/feedback/${f.id}`);
      return reply.code(201).send(publicJson(f));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/records/:id/feedback',
    {
      schema: {
        summary: "The public questions and error reports on a record, with their answers (JSON, or W3C DUV in an RDF syntax)",
        tags: ['feedback'],
        produces: API_TYPES,
        params: idParams,
        querystring: { type: 'object', properties: { format: FORMAT_PARAM } },
        response: { 200: { type: 'object', properties: { id: { type: 'string' }, feedback: { type: 'array', items: publicSchema } } }, 404: { $ref: 'Problem#' }, 406: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const format = chooseFormat(req, 'Feedback (DUV in RDF)', (req.query as { format?: string }).format);
      // Feedback outlives a purged record; an id that never named a record has none.
      const known = await db.query('SELECT 1 FROM records WHERE id = $1 UNION ALL SELECT 1 FROM feedback WHERE record_id = $1 LIMIT 1', [req.params.id]);
      if (known.rows.length === 0) throw problem(404, 'Not Found', `No record "${req.params.id}".`);
      const { items } = await listFeedback(db, { recordId: req.params.id, publicOnly: true, limit: 500, offset: 0 });
      return sendJsonOrRdf(reply, format, () => ({ id: req.params.id, feedback: items.map(publicJson) }), () => duvQuads(config.baseUrl, items));
    },
  );

  const admin = requireKey(services, ['admin', 'publisher']);

  app.get<{ Querystring: { status?: FeedbackStatus; record?: string; limit: number; offset: number } }>(
    '/api/v1/feedback',
    {
      onRequest: admin,
      schema: {
        summary: "Feedback to handle: all of it (administrators) or that on one's organisation's records (publishers), newest first",
        tags: ['feedback'],
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: FEEDBACK_STATUSES },
            record: { type: 'string', maxLength: 200 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
          },
        },
        response: { 200: { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: fullSchema } } }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } },
      },
    },
    async (req) => {
      const r = await listFeedback(db, { status: req.query.status, recordId: req.query.record, catalogIds: await visibleCatalogs(services, req), limit: req.query.limit, offset: req.query.offset });
      return { total: r.total, items: r.items.map(fullJson) };
    },
  );

  const mine = async (req: FastifyRequest, id: string): Promise<Feedback> => {
    const f = await getFeedback(db, id);
    const catalogs = await visibleCatalogs(services, req);
    if (!f || (catalogs && !catalogs.includes(f.catalogId))) throw problem(404, 'Not Found', `No feedback "${id}" that this key may see.`);
    return f;
  };

  app.get<{ Params: { id: string } }>(
    '/api/v1/feedback/:id',
    {
      onRequest: admin,
      schema: {
        summary: 'One message, with the mails it caused and whether they were sent',
        tags: ['feedback'],
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: fullSchema, 401: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req) => {
      const f = await mine(req, req.params.id);
      const mails = await mailsOf(db, f.id);
      return { ...fullJson(f), mails: mails.map((m) => ({ to: m.to, subject: m.subject, createdAt: m.createdAt.toISOString(), sentAt: iso(m.sentAt), attempts: m.attempts, lastError: m.lastError })) };
    },
  );

  app.patch<{ Params: { id: string }; Body: { status?: FeedbackStatus; answer?: string; public?: boolean } }>(
    '/api/v1/feedback/:id',
    {
      onRequest: admin,
      bodyLimit: FEEDBACK_BODY_LIMIT,
      schema: {
        summary: 'Answer a message, set its status, and make question and answer public (or not); an answer is mailed to a sender who left an address',
        tags: ['feedback'],
        security: [{ bearer: [] }],
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            status: { type: 'string', enum: FEEDBACK_STATUSES },
            answer: { type: 'string', maxLength: MESSAGE_MAX, description: 'An empty answer withdraws the one given before; a message marked answered becomes open again' },
            public: { type: 'boolean' },
          },
        },
        response: { 200: fullSchema, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req) => {
      await mine(req, req.params.id);
      const f = await updateFeedback(db, req.params.id, req.body, services.feedback.settings);
      if (!f) throw problem(404, 'Not Found', `No feedback "${req.params.id}".`);
      return fullJson(f);
    },
  );
}
