// Harvest sources and their runs:
//   GET/POST /api/v1/sources, GET/PATCH/DELETE /api/v1/sources/{id}, POST /api/v1/sources/{id}/harvest,
//   GET /api/v1/sources/{id}/runs, GET /api/v1/runs/{id} (with items),
//   POST /api/v1/runs/{id}/confirm-withdrawal and /dismiss-withdrawal.
// Reading is public (where the catalogue's data comes from is part of its transparency); credentials
// are never shown. Changing needs an API key.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { CatalogOwnedError, createSource, getSource, listSources, removeSource, SourceConflictError, updateSource, HARVEST_TYPES, type Source, type SourceSpec } from '../store/sources.js';
import { getRun, listRuns, runItems, type Run } from '../store/runs.js';
import { checkSourceSpec, SourceSpecError } from '../harvest/source-spec.js';
import { answerWithdrawals, WithdrawalStateError } from '../harvest/withdrawals.js';
import { problem } from './problem.js';
import { LOCAL_ID_PATTERN, RUN_ID_PATTERN } from './patterns.js';
import { principalOf, requireKey } from './auth.js';
import { publicText, publicUrl } from '../public-url.js';

const idParam = { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] } as const;

const sourceProperties = {
  id: { type: 'string', pattern: LOCAL_ID_PATTERN },
  type: { type: 'string', enum: [...HARVEST_TYPES] },
  url: { type: 'string', minLength: 1, maxLength: 2000, description: 'http or https' },
  catalogId: { type: 'string', pattern: LOCAL_ID_PATTERN },
  title: { type: 'string', nullable: true, maxLength: 500 },
  schedule: { type: 'string', nullable: true, maxLength: 100, description: 'cron, five fields, UTC' },
  organisation: { type: 'string', nullable: true, maxLength: 500 },
  profile: { type: 'string', nullable: true, description: 'profile to validate against; "none": no validation' },
  validationPolicy: { type: 'string', enum: ['accept-with-report', 'reject'] },
  deletionPolicy: { type: 'string', enum: ['withdraw-missing', 'keep-missing'] },
  maxWithdrawShare: { type: 'number', minimum: 0, maximum: 1 },
  options: { type: 'object', additionalProperties: true },
  enabled: { type: 'boolean' },
} as const;

const sourceSchema = {
  type: 'object',
  properties: {
    ...sourceProperties,
    hasCredentials: { type: 'boolean' },
    state: { type: 'object', nullable: true, additionalProperties: true },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    runs: { type: 'string', description: 'URL of its runs' },
  },
} as const;

const runSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    sourceId: { type: 'string' },
    status: { type: 'string', enum: ['running', 'succeeded', 'partial', 'failed', 'awaiting-confirmation', 'superseded'] },
    trigger: { type: 'string' },
    complete: { type: 'boolean', description: 'every page of the source was read' },
    pages: { type: 'integer' },
    pagesNotModified: { type: 'integer' },
    records: { type: 'integer' },
    created: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    deleted: { type: 'integer' },
    failed: { type: 'integer' },
    rejected: { type: 'integer' },
    pendingWithdrawals: { type: 'integer' },
    bytes: { type: 'integer' },
    error: { type: 'string', nullable: true },
    worker: { type: 'string', nullable: true },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time', nullable: true },
    seconds: { type: 'number', nullable: true },
  },
} as const;

const itemSchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    action: { type: 'string' },
    recordId: { type: 'string', nullable: true },
    iri: { type: 'string', nullable: true },
    location: { type: 'string', nullable: true },
    message: { type: 'string', nullable: true },
  },
} as const;

function sourceJson(s: Source, baseUrl: string): Record<string, unknown> {
  // The list of sources is public: an access token in the address stays with the harvester.
  return { ...s, url: publicUrl(s.url), createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(), runs: `${baseUrl}/api/v1/sources/${s.id}/runs` };
}

function runJson(r: Run): Record<string, unknown> {
  return {
    ...r,
    error: publicText(r.error),
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    seconds: r.finishedAt ? (r.finishedAt.getTime() - r.startedAt.getTime()) / 1000 : null,
  };
}

function who(req: FastifyRequest): string {
  return principalOf(req)?.keyId ?? 'unknown';
}

const { type: _type, catalogId: _catalog, ...patchableProperties } = sourceProperties;

export async function sourceRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { db } = services;
  const baseUrl = services.config.baseUrl;
  const auth = requireKey(services);
  // Harvesting its own sources now, and answering the withdrawals their runs held back, is also the
  // organisation's: its publisher key may do that for the sources that name its organisation.
  const ownerAuth = requireKey(services, ['admin', 'publisher']);
  const mayRun = (req: FastifyRequest, source: Source) => {
    const p = principalOf(req);
    if (p?.role === 'publisher' && (!source.organisation || source.organisation !== p.organisation))
      throw problem(403, 'Forbidden', `Source "${source.id}" is not one of organisation "${p.organisation ?? ''}"'s: only an administrator key or a key of its own organisation may harvest it or answer its runs.`);
  };
  const specProblem = (e: unknown) => {
    if (e instanceof SourceSpecError) return problem(400, 'Invalid source', e.message, { problems: e.problems });
    if (e instanceof SourceConflictError || e instanceof CatalogOwnedError) return problem(409, 'Conflict', e.message);
    return e;
  };

  app.get(
    '/api/v1/sources',
    { schema: { summary: 'Harvest sources', tags: ['harvest'], response: { 200: { type: 'object', properties: { totalItems: { type: 'integer' }, member: { type: 'array', items: sourceSchema } } } } } },
    async () => {
      const all = await listSources(db);
      return { totalItems: all.length, member: all.map((s) => sourceJson(s, baseUrl)) };
    },
  );

  app.post<{ Body: SourceSpec }>(
    '/api/v1/sources',
    {
      onRequest: auth,
      schema: {
        summary: 'Register a harvest source',
        tags: ['harvest'],
        security: [{ bearer: [] }],
        body: { type: 'object', properties: { ...sourceProperties, credentials: { type: 'string', maxLength: 4000, description: 'Authorization header value sent to the source; never shown again' } }, required: ['id', 'type', 'url'], additionalProperties: false },
        response: { 201: sourceSchema, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      try {
        checkSourceSpec(req.body);
        const s = await createSource(db, req.body);
        req.log.info({ source: s.id, by: who(req) }, 'source added');
        return reply.code(201).header('location', `${baseUrl}/api/v1/sources/${s.id}`).send(sourceJson(s, baseUrl));
      } catch (e) {
        throw specProblem(e);
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/sources/:id',
    { schema: { summary: 'One harvest source', tags: ['harvest'], params: idParam, response: { 200: sourceSchema, 404: { $ref: 'Problem#' } } } },
    async (req) => {
      const s = await getSource(db, req.params.id);
      if (!s) throw problem(404, 'Not Found', `No harvest source "${req.params.id}".`);
      return sourceJson(s, baseUrl);
    },
  );

  app.patch<{ Params: { id: string }; Body: Partial<SourceSpec> }>(
    '/api/v1/sources/:id',
    {
      onRequest: auth,
      schema: {
        summary: 'Change a harvest source',
        tags: ['harvest'],
        security: [{ bearer: [] }],
        params: idParam,
        // The type and the catalogue of a source stay what they were: a different one is a new source.
        body: { type: 'object', properties: { ...patchableProperties, credentials: { type: 'string', nullable: true, maxLength: 4000 } }, additionalProperties: false },
        response: { 200: sourceSchema, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req) => {
      const { id: _id, type, catalogId, ...patch } = req.body;
      void _id;
      if (type !== undefined || catalogId !== undefined) throw problem(400, 'Invalid source', 'type and catalogId cannot be changed; add a new source instead.');
      try {
        checkSourceSpec(patch, true);
      } catch (e) {
        throw specProblem(e);
      }
      const s = await updateSource(db, req.params.id, patch).catch((e: unknown) => {
        throw specProblem(e);
      });
      if (!s) throw problem(404, 'Not Found', `No harvest source "${req.params.id}".`);
      return sourceJson(s, baseUrl);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/sources/:id',
    {
      onRequest: auth,
      schema: {
        summary: 'Remove a harvest source; its records are withdrawn (410 Gone until purged)',
        tags: ['harvest'],
        security: [{ bearer: [] }],
        params: idParam,
        response: { 200: { type: 'object', properties: { removed: { type: 'string' }, withdrawn: { type: 'integer' } } }, 401: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req) => {
      const r = await db.transaction((tx) => removeSource(tx, req.params.id));
      if (!r.removed) throw problem(404, 'Not Found', `No harvest source "${req.params.id}".`);
      await services.reindexPending().catch(() => undefined);
      req.log.info({ source: req.params.id, withdrawn: r.withdrawn, by: who(req) }, 'source removed');
      return { removed: req.params.id, withdrawn: r.withdrawn };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/sources/:id/harvest',
    {
      onRequest: ownerAuth,
      schema: {
        summary: 'Queue a harvest of the source now',
        description: 'At most one run of a source waits at a time: asking again while one waits changes nothing.',
        tags: ['harvest'],
        security: [{ bearer: [] }],
        params: idParam,
        response: { 202: { type: 'object', properties: { source: { type: 'string' }, job: { type: 'string', nullable: true }, queued: { type: 'boolean' }, runs: { type: 'string' } } }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const s = await getSource(db, req.params.id);
      if (!s) throw problem(404, 'Not Found', `No harvest source "${req.params.id}".`);
      mayRun(req, s);
      const job = await services.harvesting.enqueue(s.id, 'api');
      return reply.code(202).send({ source: s.id, job, queued: job !== null, runs: `${baseUrl}/api/v1/sources/${s.id}/runs` });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; before?: string } }>(
    '/api/v1/sources/:id/runs',
    {
      schema: {
        summary: 'Runs of a source, newest first',
        tags: ['harvest'],
        params: idParam,
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 }, before: { type: 'string', pattern: RUN_ID_PATTERN, description: 'runs older than this run id' } } },
        response: { 200: { type: 'object', properties: { totalItems: { type: 'integer' }, member: { type: 'array', items: runSchema }, next: { type: 'string', nullable: true } } }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req) => {
      const s = await getSource(db, req.params.id);
      if (!s) throw problem(404, 'Not Found', `No harvest source "${req.params.id}".`);
      const runs = await listRuns(db, s.id, req.query.limit, req.query.before);
      const count = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM harvest_runs WHERE source_id = $1', [s.id]);
      const last = runs.at(-1);
      return {
        totalItems: count.rows[0].n,
        member: runs.map(runJson),
        next: runs.length === req.query.limit && last ? `${baseUrl}/api/v1/sources/${s.id}/runs?limit=${req.query.limit}&before=${last.id}` : null,
      };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; after: number; action?: string } }>(
    '/api/v1/runs/:id',
    {
      schema: {
        summary: 'One harvest run with its items (records created, updated, withdrawn, rejected or failed, and where)',
        tags: ['harvest'],
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 20 } }, required: ['id'] },
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
            after: { type: 'integer', minimum: 0, default: 0, description: 'items after this sequence number' },
            action: { type: 'string', enum: ['created', 'updated', 'deleted', 'rejected', 'failed', 'pending-withdrawal'] },
          },
        },
        response: { 200: { type: 'object', properties: { ...runSchema.properties, items: { type: 'array', items: itemSchema }, nextItems: { type: 'string', nullable: true } } }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req) => {
      const run = await getRun(db, req.params.id);
      if (!run) throw problem(404, 'Not Found', `No harvest run "${req.params.id}".`);
      const items = await runItems(db, run.id, req.query.limit, req.query.after, req.query.action);
      const last = items.at(-1);
      return {
        ...runJson(run),
        items: items.map((i) => ({ ...i, location: publicUrl(i.location), message: publicText(i.message) })),
        nextItems:
          items.length === req.query.limit && last
            ? `${baseUrl}/api/v1/runs/${run.id}?limit=${req.query.limit}&after=${last.seq}${req.query.action ? `&action=${req.query.action}` : ''}`
            : null,
      };
    },
  );

  for (const [path, confirm] of [
    ['confirm-withdrawal', true],
    ['dismiss-withdrawal', false],
  ] as const)
    app.post<{ Params: { id: string } }>(
      `/api/v1/runs/:id/${path}`,
      {
        onRequest: ownerAuth,
        schema: {
          summary: confirm ? 'Confirm the withdrawals a run held back (more than the source\'s share)' : 'Dismiss the withdrawals a run held back: the records stay',
          tags: ['harvest'],
          security: [{ bearer: [] }],
          params: { type: 'object', properties: { id: { type: 'string', maxLength: 20 } }, required: ['id'] },
          response: { 200: runSchema, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } },
        },
      },
      async (req) => {
        const found = await getRun(db, req.params.id);
        if (!found) throw problem(404, 'Not Found', `No harvest run "${req.params.id}".`);
        const source = await getSource(db, found.sourceId);
        if (source) mayRun(req, source);
        else if (principalOf(req)?.role !== 'admin') throw problem(403, 'Forbidden', `The source of run "${found.id}" is gone: only an administrator key may answer it.`);
        try {
          const run = await answerWithdrawals(services, req.params.id, confirm, who(req));
          req.log.info({ run: run.id, confirm, by: who(req) }, 'withdrawals answered');
          return runJson(run);
        } catch (e) {
          if (e instanceof WithdrawalStateError) throw problem(409, 'Conflict', e.message);
          throw e;
        }
      },
    );
}
