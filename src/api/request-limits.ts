// Request rates: per API key for clients that send a valid one (a portal pushing its catalogue), per
// address for everyone else (researchers, crawlers). A made-up key counts under its sender's address, so
// inventing keys buys no extra requests. Counted per process over a minute; an answer past the limit is
// 429 problem+json with Retry-After and the RateLimit headers. Operators' probes (/health, /ready,
// /metrics) are never limited; the feedback form has its own, stricter limit per address.
import type { FastifyRequest } from 'fastify';
import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { LimitsConfig } from '../config.js';
import type { KeyPrincipal } from '../store/keys.js';

const BEARER = /^Bearer\s+(\S+)$/i;

export function requestLimits(limits: LimitsConfig, verify: (key: string) => Promise<KeyPrincipal | undefined>): RateLimitPluginOptions {
  const enabled = limits.perAddress > 0 || limits.perKey > 0;
  return {
    global: enabled,
    timeWindow: 60_000,
    // Valid keys are remembered by the verifier for a minute: this costs a hash lookup, not a scrypt.
    keyGenerator: async (req: FastifyRequest) => {
      const key = BEARER.exec(req.headers.authorization ?? '')?.[1];
      const principal = key ? await verify(key).catch(() => undefined) : undefined;
      return principal ? `key:${principal.keyId}` : `address:${req.ip}`;
    },
    // A limit of 0 is no limit.
    max: (_req, key) => (key.startsWith('key:') ? limits.perKey : limits.perAddress) || Number.MAX_SAFE_INTEGER,
  };
}
