// Write routes need "Authorization: Bearer <key>".
import type { FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { KeyVerifier } from '../store/keys.js';
import { problem } from './problem.js';

const verifiers = new WeakMap<Services, KeyVerifier>();

export function requireKey(services: Services) {
  let verifier = verifiers.get(services);
  if (!verifier) verifiers.set(services, (verifier = new KeyVerifier(services.db, services.config.adminKey)));
  const v = verifier;
  return async (req: FastifyRequest) => {
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw problem(401, 'Unauthorized', 'Send an API key as "Authorization: Bearer <key>".');
    const principal = await v.verify(m[1]);
    if (!principal) throw problem(401, 'Unauthorized', 'The API key is unknown, revoked or expired.');
    (req as FastifyRequest & { principal?: unknown }).principal = principal;
  };
}
