// The audit log: every request made with an API key that writes or administers (any method but GET and
// HEAD, and the key and audit reads themselves), and every request refused for its key (401, 403),
// written as the answer is sent; GET /api/v1/audit for administrators. A failing write to the log is
// logged and does not fail the request it describes.
import { utcInstant } from './instant.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Services } from '../app.js';
import { principalOf, requireKey } from './auth.js';
import { Where } from '../store/where.js';
import { writeAudit } from '../store/audit.js';

const READ = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Reads that are administrative all the same: who looked at keys and at the log. */
const AUDITED_READS = /^\/api\/v1\/(keys|audit|feedback)(\/|$)/;

function keyPrefix(req: FastifyRequest): string | null {
  const m = /^Bearer\s+vb_([a-z0-9]{8})_/i.exec(req.headers.authorization ?? '');
  if (m) return m[1];
  // A token is named by its kind only: no part of a bearer token is a public identifier.
  if (/^Bearer\s+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(req.headers.authorization ?? '')) return 'token';
  return req.headers.authorization ? 'other' : null;
}

async function auditHook(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  // Written when the answer is decided (onSend), not once it has reached the client (onResponse): a
  // client that hangs up while its write is being stored still changed the catalogue, and that is
  // recorded. The entry is written beside the answer, not before it; a shutdown waits for entries still
  // pending, so that no accepted write goes unrecorded.
  const pending = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...pending]);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const entry = record(req, reply).finally(() => pending.delete(entry));
    pending.add(entry);
    return payload;
  });
  const record = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const principal = principalOf(req);
    const path = req.url.split('?')[0];
    const refused = reply.statusCode === 401 || reply.statusCode === 403;
    const write = !READ.has(req.method) || AUDITED_READS.test(path);
    if (!(write && (principal || refused))) return;
    try {
      await writeAudit(services.db, {
        keyId: principal?.keyId,
        keyPrefix: keyPrefix(req),
        role: principal?.role,
        organisation: principal?.organisation,
        method: req.method,
        path,
        route: req.routeOptions.url,
        status: reply.statusCode,
        address: req.ip,
        durationMs: Math.round(reply.elapsedTime),
      });
    } catch (e) {
      req.log.error({ err: (e as Error).message }, 'audit log write failed');
    }
  };
}

/** Registered on the root instance so that it sees every route. */
export const auditLog = fp(auditHook, { name: 'vindbaar-audit' });

export async function auditRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get<{ Querystring: { key?: string; since?: string; status?: number; limit: number; before?: number } }>(
    '/api/v1/audit',
    {
      onRequest: requireKey(services, ['admin']),
      schema: {
        summary: 'The audit log, newest first: every write and administrative request with a key, every refused one, and every command run on the server that changes the catalogue (method CLI, status its exit code, address user@host) (administrators)',
        tags: ['operations'],
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          properties: {
            key: { type: 'string', maxLength: 100, description: 'A key id (key-xxxxxxxx)' },
            since: { type: 'string', format: 'date-time' },
            status: { type: 'integer', minimum: 0, maximum: 599, description: 'An HTTP status, or the exit code of a command' },
            before: { type: 'integer', minimum: 1, description: 'Entries older than this id (paging)' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              entries: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    at: { type: 'string' },
                    keyId: { type: 'string', nullable: true },
                    keyPrefix: { type: 'string', nullable: true },
                    role: { type: 'string', nullable: true },
                    organisation: { type: 'string', nullable: true },
                    method: { type: 'string' },
                    path: { type: 'string' },
                    route: { type: 'string', nullable: true },
                    status: { type: 'integer' },
                    address: { type: 'string', nullable: true },
                    durationMs: { type: 'integer', nullable: true },
                  },
                },
              },
            },
          },
          401: { $ref: 'Problem#' },
          403: { $ref: 'Problem#' },
        },
      },
    },
    async (req) => {
      const w = new Where();
      if (req.query.key) w.add('key_id = ?', req.query.key);
      if (req.query.since) w.add('at >= ?::timestamptz', utcInstant('since', req.query.since));
      if (req.query.status !== undefined) w.add('status = ?', req.query.status);
      if (req.query.before) w.add('id < ?', req.query.before);
      const r = await services.db.query<Record<string, unknown>>(
        `SELECT id::int, at, key_id AS "keyId", key_prefix AS "keyPrefix", role, organisation, method, path, route, status, address, duration_ms AS "durationMs"
         FROM audit_log ${w.clause} ORDER BY id DESC LIMIT ${req.query.limit}`,
        w.params,
      );
      return { entries: r.rows.map((e) => ({ ...e, at: (e.at as Date).toISOString() })) };
    },
  );
}
