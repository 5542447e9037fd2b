// API keys, for administrators: create one (shown once; only its hash is kept), list, revoke.
// Publisher keys are scoped to one organisation, for the entity portal that pushes its records. Every
// key can read its own facts (when it ends) and rotate itself, so that a portal can renew its key
// without asking an administrator, as its security policy may demand.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { createKey, getKey, listKeys, revokeKey, rotateKey, type KeyInfo, type Role } from '../store/keys.js';
import { keyVerifier, principalOf, requireKey } from './auth.js';
import { problem } from './problem.js';

const keySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    prefix: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'publisher'] },
    organisation: { type: 'string', nullable: true },
    label: { type: 'string', nullable: true },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time', nullable: true },
    revokedAt: { type: 'string', format: 'date-time', nullable: true },
  },
} as const;

function keyJson(k: KeyInfo): Record<string, unknown> {
  return { ...k, createdAt: k.createdAt.toISOString(), expiresAt: k.expiresAt?.toISOString() ?? null, revokedAt: k.revokedAt?.toISOString() ?? null };
}

export async function keyRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const admin = requireKey(services, ['admin']);
  app.post<{ Body: { role: Role; organisation?: string; label: string; expiresAt?: string } }>(
    '/api/v1/keys',
    {
      onRequest: admin,
      schema: {
        summary: 'Create an API key (the key is in this answer only)',
        tags: ['operations'],
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          properties: {
            role: { type: 'string', enum: ['admin', 'publisher'] },
            organisation: { type: 'string', minLength: 1, maxLength: 200, description: 'required for publisher keys: the organisation whose catalogues the key may change' },
            label: { type: 'string', minLength: 1, maxLength: 200 },
            expiresAt: { type: 'string', format: 'date-time' },
          },
          required: ['role', 'label'],
          additionalProperties: false,
          // A publisher key acts for one organisation; an administrator key for none.
          oneOf: [
            { type: 'object', properties: { role: { enum: ['publisher'] } }, required: ['organisation'] },
            { type: 'object', properties: { role: { enum: ['admin'] } }, not: { type: 'object', required: ['organisation'] } },
          ],
        },
        response: { 201: { type: 'object', properties: { key: { type: 'string', description: 'shown once: store it now' }, ...keySchema.properties } }, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const { role, organisation, label, expiresAt } = req.body;
      if (role === 'publisher' && !organisation) throw problem(400, 'Bad Request', 'A publisher key needs the organisation it acts for.');
      if (role === 'admin' && organisation) throw problem(400, 'Bad Request', 'An administrator key is not scoped to an organisation.');
      const expires = expiresAt ? new Date(expiresAt) : undefined;
      if (expires && expires.getTime() <= Date.now()) throw problem(400, 'Bad Request', 'expiresAt is in the past.');
      const key = await createKey(services.db, role, label, organisation, expires);
      const info = (await listKeys(services.db)).find((k) => key.startsWith(`vb_${k.prefix}_`));
      req.log.info({ key: info?.id, role, organisation, by: principalOf(req)?.keyId }, 'API key created');
      return reply.code(201).send({ key, ...(info ? keyJson(info) : {}) });
    },
  );
  app.get(
    '/api/v1/keys',
    { onRequest: admin, schema: { summary: 'API keys (never their secrets)', tags: ['operations'], security: [{ bearer: [] }], response: { 200: { type: 'object', properties: { member: { type: 'array', items: keySchema } } } } } },
    async () => ({ member: (await listKeys(services.db)).map(keyJson) }),
  );
  const anyKey = requireKey(services, ['admin', 'publisher']);
  /** The stored key that made the request; a key from the environment or a token is none. */
  const ownKey = async (req: Parameters<typeof principalOf>[0]): Promise<KeyInfo> => {
    const principal = principalOf(req);
    const info = principal ? await getKey(services.db, principal.keyId) : undefined;
    if (!info) throw problem(400, 'Bad Request', 'This credential is not a stored API key (VINDBAAR_ADMIN_KEY or a sign-in token): it has no key facts to show or rotate.');
    return info;
  };
  app.get(
    '/api/v1/keys/self',
    {
      onRequest: anyKey,
      schema: { summary: 'The API key that makes this request (never its secret): its role, organisation and when it ends', tags: ['operations'], security: [{ bearer: [] }], response: { 200: keySchema, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' } } },
    },
    async (req) => keyJson(await ownKey(req)),
  );
  app.delete(
    '/api/v1/keys/self',
    {
      onRequest: anyKey,
      schema: {
        summary: 'Revoke the API key that makes this request, at once (a key that leaked: its holder need not wait for an administrator)',
        tags: ['operations'],
        security: [{ bearer: [] }],
        response: { 204: { type: 'null' }, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const own = await ownKey(req);
      await revokeKey(services.db, own.id);
      keyVerifier(services).forget();
      req.log.info({ key: own.id }, 'API key revoked by its holder');
      return reply.code(204).send();
    },
  );
  app.post<{ Body: { graceHours?: number } | undefined }>(
    '/api/v1/keys/self/rotate',
    {
      onRequest: anyKey,
      schema: {
        summary: 'Rotate the API key that makes this request: a new key (in this answer only) for the same role and organisation; the old one ends after graceHours',
        tags: ['operations'],
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          nullable: true,
          properties: { graceHours: { type: 'number', minimum: 0, maximum: 168, default: 24, description: 'how long the old key keeps working (0: it stops now); never longer than it would have' } },
          additionalProperties: false,
        },
        response: { 201: { type: 'object', properties: { key: { type: 'string', description: 'shown once: store it now' }, ...keySchema.properties, previous: keySchema } }, 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const old = await ownKey(req);
      const graceHours = req.body?.graceHours ?? 24;
      const key = await services.db.transaction((tx) => rotateKey(tx, old.id, Math.round(graceHours * 3600)));
      if (!key) throw problem(400, 'Bad Request', 'This key is no longer active.');
      keyVerifier(services).forget();
      const keys = await listKeys(services.db);
      const info = keys.find((k) => key.startsWith(`vb_${k.prefix}_`));
      const previous = keys.find((k) => k.id === old.id);
      req.log.info({ key: old.id, next: info?.id, graceHours }, 'API key rotated');
      return reply.code(201).send({ key, ...(info ? keyJson(info) : {}), ...(previous ? { previous: keyJson(previous) } : {}) });
    },
  );
  app.delete<{ Params: { id: string } }>(
    '/api/v1/keys/:id',
    {
      onRequest: admin,
      schema: { summary: 'Revoke an API key', tags: ['operations'], security: [{ bearer: [] }], params: { type: 'object', properties: { id: { type: 'string', maxLength: 100 } }, required: ['id'] }, response: { 204: { type: 'null' }, 404: { $ref: 'Problem#' } } },
    },
    async (req, reply) => {
      if (!(await revokeKey(services.db, req.params.id))) throw problem(404, 'Not Found', `No active API key "${req.params.id}".`);
      keyVerifier(services).forget();
      req.log.info({ key: req.params.id, by: principalOf(req)?.keyId }, 'API key revoked');
      return reply.code(204).send();
    },
  );
}
