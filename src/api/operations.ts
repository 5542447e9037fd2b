// What operators need around the API: security headers on every answer (@fastify/helmet; pages set
// their own Content-Security-Policy), back-pressure when the event loop falls behind
// (@fastify/under-pressure: 503 problem+json with Retry-After instead of answering everyone late), and
// Prometheus metrics at /metrics (prom-client): request latency per route (with status: errors), and
// at each scrape the indexer's backlog and lag, link states, mail and feedback waiting, harvest jobs by
// state and the records harvests read in the last hour.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Services } from '../app.js';
import { sendProblem } from './problem.js';

async function operations(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  await app.register(helmet, {
    // Pages carry their own strict policy (web/layout.ts); the API answers data, and /docs needs its script.
    contentSecurityPolicy: false,
    // Linked data is meant to be read from other sites.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  // Measured over 5 s: a shorter window reads one long synchronous step (a big page parsed, a large
  // batch validated) as an event loop that has stopped, and would turn readers away during an ingest.
  const maxDelay = services.config.maxEventLoopDelayMs;
  await app.register(underPressure, {
    ...(maxDelay > 0 ? { maxEventLoopDelay: maxDelay } : {}),
    sampleInterval: 5_000,
    retryAfter: 10,
    exposeStatusRoute: false,
    pressureHandler: (_req, reply, type, value) => {
      // Infinity is no measurement at all: under-pressure reports it when no timer tick fell into
      // the window, as after one long synchronous step on a busy machine. A loop that is really
      // late still ticks and is measured finitely; one that cannot tick answers nobody anyway. So
      // the request goes on instead of a 503 (seen on loaded CI machines in the middle of a harvest).
      if (type === 'eventLoopDelay' && typeof value === 'number' && !Number.isFinite(value)) return;
      reply.header('retry-after', '10');
      sendProblem(reply, { title: 'Service Unavailable', status: 503, detail: `The service is overloaded (${type}: ${value}); try again in a few seconds.` });
    },
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vindbaar_' });
  const duration = new Histogram({
    name: 'vindbaar_http_request_duration_seconds',
    help: 'Time to answer a request, by route pattern, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    duration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  const { db } = services;
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        try {
          await collect(this);
        } catch {
          // A part that cannot be read now (a table not yet made) is left out of this scrape.
        }
      },
    });
  gauge('vindbaar_index_pending', 'Changes waiting in the outbox to be indexed', [], async (g) => g.set((await services.indexerStatus()).pending));
  gauge('vindbaar_index_lag_seconds', 'Age of the oldest change waiting to be indexed', [], async (g) => g.set((await services.indexerStatus()).lagSeconds));
  gauge('vindbaar_records_estimated', 'Records in the store (estimate from table statistics)', [], async (g) =>
    g.set(Number((await db.query<{ n: number }>("SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE relname = 'records'")).rows[0]?.n ?? 0)),
  );
  gauge('vindbaar_links', 'Links by state of their last check', ['state'], async (g) => {
    g.reset();
    for (const r of (await db.query<{ state: string; n: number }>('SELECT state, count(*)::int AS n FROM links GROUP BY state')).rows) g.set({ state: r.state }, r.n);
  });
  gauge('vindbaar_mail_waiting', 'Mails in the outbox not yet sent', [], async (g) => g.set((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_outbox WHERE sent_at IS NULL')).rows[0].n));
  gauge('vindbaar_feedback_open', 'Feedback messages not yet answered', [], async (g) => g.set((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM feedback WHERE status = 'open'")).rows[0].n));
  gauge('vindbaar_harvest_jobs', 'Harvest jobs on the queue by state', ['state'], async (g) => {
    g.reset();
    for (const r of (await db.query<{ state: string; n: number }>("SELECT state::text, count(*)::int AS n FROM pgboss.job WHERE name = 'harvest' GROUP BY state")).rows) g.set({ state: r.state }, r.n);
  });
  // Throughput of harvests, from the runs' own counts: what a dashboard plots as records per hour.
  gauge('vindbaar_harvest_records_last_hour', 'Records read by harvest runs that ended in the last hour, by outcome', ['outcome'], async (g) => {
    const r = (
      await db.query<Record<string, number>>(
        `SELECT coalesce(sum(created), 0)::int AS created, coalesce(sum(updated), 0)::int AS updated, coalesce(sum(unchanged), 0)::int AS unchanged,
                coalesce(sum(deleted), 0)::int AS deleted, coalesce(sum(failed), 0)::int AS failed
         FROM harvest_runs WHERE finished_at > now() - interval '1 hour'`,
      )
    ).rows[0];
    for (const [outcome, n] of Object.entries(r)) g.set({ outcome }, n);
  });
  gauge('vindbaar_harvest_runs_failed_last_day', 'Harvest runs that failed in the last 24 hours', [], async (g) =>
    g.set((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM harvest_runs WHERE status = 'failed' AND started_at > now() - interval '1 day'")).rows[0].n),
  );

  // Scraped every few seconds: its requests are logged only when something is wrong.
  app.get('/metrics', { logLevel: 'warn', schema: { summary: 'Prometheus metrics', tags: ['operations'], produces: ['text/plain'] } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

export const operationsPlugin = fp(operations, { name: 'vindbaar-operations' });
