// Routes of the API that answer JSON only (no `produces` in their schema: key figures, sources, runs,
// feedback, views…) tell a client that asks for something else so, with 406 and what they do give,
// instead of sending JSON to a client that said it cannot read it ("Accept: text/turtle" on
// /api/v1/kpis). A client that says nothing, or accepts any type, gets JSON as before.
import type { FastifyInstance } from 'fastify';
import { choose, type Offer } from './negotiate.js';
import { problem } from './problem.js';

const JSON_OFFERS: Offer[] = [{ type: 'application/json', format: 'json' }];

/** True for a route whose answers are JSON only, by its schema. */
export function answersJsonOnly(url: string, schema: { produces?: unknown; hide?: boolean } | undefined): boolean {
  if (!url.startsWith('/api/v1/') || !schema || schema.hide) return false;
  const p = schema.produces;
  return p === undefined || (Array.isArray(p) && p.length === 1 && p[0] === 'application/json');
}

export function refuseUnacceptableJson(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return;
    const schema = req.routeOptions.schema as { produces?: unknown; hide?: boolean } | undefined;
    if (!answersJsonOnly(req.routeOptions.url ?? '', schema)) return;
    if (!choose(req.headers.accept, JSON_OFFERS))
      throw problem(406, 'Not Acceptable', `${req.routeOptions.url} answers application/json only; ask for it, or for */*.`, { available: ['application/json'] });
  });
}
