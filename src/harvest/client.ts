// The harvest HTTP client as the configuration describes it.
import type { Config } from '../config.js';
import { HttpClient } from './http.js';

export const VERSION = '0.1.0';

export function harvestClient(config: Config): HttpClient {
  const h = config.harvest;
  return new HttpClient({
    userAgent: `Vindbaar/${VERSION} (DCAT harvester; +${config.baseUrl})`,
    allow: h.allow,
    maxBytes: h.maxBytes,
    timeoutMs: h.timeoutMs,
    bodyIdleMs: Math.max(h.timeoutMs, 10_000),
    perHost: h.perHost,
    attempts: h.attempts,
    backoffMs: h.backoffMs,
  });
}
