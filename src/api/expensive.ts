// Routes whose answer costs far more than a page of search (the whole-catalogue dumps, search exports
// of thousands of records, SPARQL) run a few at a time per process: one more is answered 503 with
// Retry-After at once, instead of every answer slowing down together. A slot is freed when its answer
// ends, whether it was read to the end or the client went away (the socket's close).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Counts against the process's limit of expensive answers running at once. */
    expensive?: boolean;
  }
}

async function expensiveLimit(app: FastifyInstance, { max }: { max: number }): Promise<void> {
  let running = 0;
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.routeOptions.config?.expensive || max <= 0) return;
    if (running >= max) {
      reply.header('retry-after', '5');
      return sendProblem(reply, {
        title: 'Service Unavailable',
        status: 503,
        detail: `${running} dumps, exports or SPARQL queries are being answered; try again in a few seconds.`,
        instance: req.url,
      });
    }
    running++;
    let freed = false;
    reply.raw.once('close', () => {
      if (!freed) running--;
      freed = true;
    });
  });
}

export const expensiveRoutes = fp(expensiveLimit, { name: 'vindbaar-expensive-routes' });
