// Wires the parts together: store, search backend, the ingest entry point and the indexer.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { configureContexts } from './rdf/jsonld-contexts.js';
import { guardedJsonFetch } from './net/guarded-json.js';
import { openDb, type Db } from './store/db.js';
import { migrate } from './store/migrate.js';
import { PostgresSearch } from './search/postgres.js';
import { ElasticsearchSearch } from './search/elasticsearch.js';
import type { SearchBackend } from './search/backend.js';
import { drainOutbox, indexWritten } from './search/indexer.js';
import { ingest, ingestFrom, type IngestOptions, type IngestReport } from './ingest/pipeline.js';
import type { UpsertResult } from './store/records.js';
import type { Chunks } from './rdf/parse.js';
import type { IngestValidation, RecordSource } from './ingest/source.js';
import { profileValidator, readManifest } from './validation/profiles.js';
import { join } from 'node:path';
import { Harvesting } from './harvest/harvesting.js';
import type { QueueOptions } from './harvest/queue.js';
import { SparqlService } from './sparql/service.js';
import { LinkChecking } from './quality/link-checking.js';
import { LinkChecker } from './quality/link-check.js';
import { KpiReporting } from './quality/kpis.js';
import { FormTokens } from './feedback/form-token.js';
import { MailDelivery } from './feedback/mail.js';
import type { MailSettings } from './feedback/feedback.js';
import { VERSION } from './harvest/client.js';

export interface Readiness {
  search: { backend: string; up: boolean; detail: string; pending: number; lagSeconds: number; reindex?: { holder: string; since: string } };
  /** Harvest jobs waiting, running and failed; absent where no queue is kept (embedded without workers). */
  queue?: { queued: number; active: number; failedLastDay: number; oldestWaitingSeconds: number };
}

export interface Services {
  config: Config;
  db: Db;
  search: SearchBackend;
  log: Logger;
  /** Ingests and then brings the search index up to date. Records are validated against `profile`
   * (default: the configured default profile; null: none) under `policy`. */
  ingest(
    input: Chunks,
    options: Omit<IngestOptions, 'baseUrl' | 'allowRemoteContexts' | 'validation'> & { profile?: string | null; policy?: IngestValidation['policy'] },
  ): Promise<IngestReport>;
  /** Ingests the records a source yields (harvests: pages or stream members parsed by an adapter). The
   * record source validates the records it builds (give it validationFor's result). */
  ingestRecords(source: RecordSource, options: Omit<IngestOptions, 'baseUrl' | 'allowRemoteContexts' | 'format' | 'recordSource'>): Promise<IngestReport>;
  validationFor(profile: string | null | undefined, policy?: IngestValidation['policy']): IngestValidation | undefined;
  reindexPending(): Promise<number>;
  /** Harvest runs, the job queue and its worker (see harvest/harvesting.ts). */
  harvesting: Harvesting;
  /** SPARQL over the catalogue, with the store it keeps in step (see sparql/service.ts). */
  sparql: SparqlService;
  /** Checks of the records' links (see quality/link-checking.ts); `start` it to run on a schedule. */
  links: LinkChecking;
  /** KPI snapshots per publisher (see quality/kpis.ts); `start` it to take one a day. */
  kpis: KpiReporting;
  /** Researchers' feedback: the form tokens, the mail outbox's delivery, and what mails say. */
  feedback: { tokens: FormTokens; mail: MailDelivery; settings: MailSettings };
  /** How far search is behind Postgres: changes waiting in the outbox and the age of the oldest. */
  indexerStatus(): Promise<{ backend: string; pending: number; lagSeconds: number }>;
  /** The search backend's and the harvest queue's state, for /ready. */
  readiness(): Promise<Readiness>;
  /** Drains the outbox every few seconds while the service runs (retries after a search outage). */
  startBackgroundIndexing(intervalMs?: number): void;
  close(): Promise<void>;
}

export async function createServices(config: Config, log: Logger, queueOptions?: QueueOptions): Promise<Services> {
  // Extra contexts, and remote ones (when allowed) fetched through the harvester's address policy.
  configureContexts({ folders: config.jsonldContexts, allowRemote: config.allowRemoteContexts, fetch: guardedJsonFetch(config.harvest.allow, { timeoutMs: 10_000, maxBytes: 1024 * 1024 }) });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  const formTokens = new FormTokens(db);
  const applied = await migrate(db);
  if (applied.length > 0) log.info({ applied }, 'database migrated');
  const search: SearchBackend = config.elasticsearchUrl
    ? new ElasticsearchSearch({ ...config.elasticsearch, url: config.elasticsearchUrl, db, log })
    : // PGlite is one process's alone: no other writer can change the index behind this one's back.
      new PostgresSearch(db, db.driver === 'pglite' ? Infinity : undefined, db.driver === 'pglite');
  try {
    await search.init?.();
  } catch (e) {
    // Search being down must not stop the catalogue: changes wait in the outbox until it is back.
    log.error({ err: (e as Error).message }, 'search backend not ready; search answers 503 until it is');
  }
  // Indexing follows storing: a record is in Postgres once its batch commits, whatever happens to
  // search. A failed indexing step leaves the change in the outbox, and the background drain retries it.
  const indexSafely = async (changed: Parameters<typeof indexWritten>[2], outboxSeqs: string[]) => {
    try {
      await indexWritten(db, search, changed, outboxSeqs);
    } catch (e) {
      log.warn({ err: (e as Error).message, records: changed.length }, 'indexing deferred: the changes wait in the outbox');
    }
  };
  /** Validation of new and changed records against `asked` (default: the configured default profile; null: none). */
  const validationFor = (asked: string | null | undefined, policy?: IngestValidation['policy']): IngestValidation | undefined => {
    const profile = asked === undefined ? config.defaultProfile : (asked ?? undefined);
    if (!profile) return undefined;
    const layers = readManifest(profile).defaultLayers;
    return { profile, layers, validator: profileValidator(profile, { layers }), policy: policy ?? 'accept-with-report' };
  };
  const afterBatch = (r: UpsertResult) => indexSafely(r.changed, r.outboxSeqs);
  /** Indexes what an atomic ingest wrote once it committed, and anything a failed step left behind. */
  const settle = async (report: IngestReport): Promise<IngestReport> => {
    for (const r of report.written ?? []) await indexSafely(r.changed, r.outboxSeqs);
    delete report.written;
    try {
      await reindexPending();
      await search.refresh?.();
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'indexing deferred: the changes wait in the outbox');
    }
    return report;
  };
  const stopTimers: (() => void)[] = [];
  let draining: Promise<number> | undefined;
  const reindexPending = async () => {
    // One drain at a time; a caller arriving meanwhile waits for it and then drains what is left.
    while (draining) await draining.catch(() => undefined);
    draining = drainOutbox(db, search);
    try {
      return await draining;
    } finally {
      draining = undefined;
    }
  };
  const services: Services = {
    config,
    db,
    search,
    log,
    async ingest(input, { profile, policy, ...options }) {
      const validation = validationFor(profile, policy);
      const report = await ingest(db, input, { ...options, validation, baseUrl: config.baseUrl, allowRemoteContexts: config.allowRemoteContexts, afterBatch });
      return settle(report);
    },
    async ingestRecords(source, options) {
      const report = await ingestFrom(db, source, { ...options, baseUrl: config.baseUrl, allowRemoteContexts: config.allowRemoteContexts, afterBatch });
      return settle(report);
    },
    validationFor,
    reindexPending,
    async readiness() {
      const status = await this.indexerStatus();
      const health = search.health ? await search.health() : { up: true, detail: 'in the store' };
      // Harvest jobs: none of this exists before the first worker made pg-boss's schema.
      const queue = await db
        .query<{ queued: number; active: number; failed: number; oldest: Date | null }>(
          `SELECT count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS queued, count(*) FILTER (WHERE state = 'active')::int AS active,
                  count(*) FILTER (WHERE state = 'failed' AND completed_on > now() - interval '1 day')::int AS failed,
                  min(created_on) FILTER (WHERE state IN ('created', 'retry') AND start_after <= now()) AS oldest
           FROM pgboss.job WHERE name = 'harvest'`,
        )
        .then((r) => r.rows[0])
        .catch(() => undefined);
      // A reindex under way (its lease, see store/leases.ts): who runs it and since when.
      const reindexing = await db
        .query<{ holder: string; since: Date }>("SELECT holder, since FROM leases WHERE name = 'reindex' AND until > now()")
        .then((r) => r.rows[0])
        .catch(() => undefined);
      return {
        search: { ...status, up: health.up, detail: health.detail, ...(reindexing ? { reindex: { holder: reindexing.holder, since: reindexing.since.toISOString() } } : {}) },
        queue: queue
          ? { queued: queue.queued, active: queue.active, failedLastDay: queue.failed, oldestWaitingSeconds: queue.oldest ? Math.max(0, (Date.now() - queue.oldest.getTime()) / 1000) : 0 }
          : undefined,
      };
    },
    async indexerStatus() {
      const r = await db.query<{ pending: number; oldest: Date | null }>('SELECT count(*)::int AS pending, min(created_at) AS oldest FROM outbox');
      const { pending, oldest } = r.rows[0];
      return { backend: search.name, pending, lagSeconds: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0 };
    },
    startBackgroundIndexing(intervalMs = 5_000) {
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        (async () => {
          const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM outbox LIMIT 1) x');
          if (r.rows[0].n === 0) return;
          await search.init?.();
          const n = await reindexPending();
          await search.refresh?.();
          if (n > 0) log.info({ records: n }, 'outbox drained into the search index');
        })()
          .catch((e: Error) => log.warn({ err: e.message }, 'outbox drain failed; retrying'))
          .finally(() => {
            busy = false;
          });
      }, intervalMs);
      timer.unref();
      stopTimers.push(() => clearInterval(timer));
    },
    harvesting: undefined as unknown as Harvesting,
    sparql: new SparqlService(config, db, log),
    links: linkChecking(config, db, log),
    kpis: undefined as unknown as KpiReporting,
    feedback: {
      tokens: formTokens,
      mail: new MailDelivery(db, config.feedback.smtpUrl, config.feedback.from, log),
      settings: {
        baseUrl: config.baseUrl,
        fallbackTo: config.catalog.contactEmail,
        siteName: config.catalog.title,
        answerUrl: async (id: string) => `${config.baseUrl.replace(/\/$/, '')}/feedback/${encodeURIComponent(id)}/answer?key=${await formTokens.answerToken(id)}`,
      },
    },
    async close() {
      for (const stop of stopTimers) stop();
      await services.feedback.mail.close();
      await services.kpis.close();
      await services.links.close();
      await services.harvesting.close();
      await services.sparql.close();
      await search.close?.();
      await db.close();
    },
  };
  services.harvesting = new Harvesting(services, queueOptions);
  services.kpis = new KpiReporting(db, () => services.links.discover(), log);
  return services;
}

function linkChecking(config: Config, db: Db, log: Logger): LinkChecking {
  const c = config.linkCheck;
  const checker = new LinkChecker({
    userAgent: `Vindbaar/${VERSION} (link checker; +${config.baseUrl})`,
    allow: c.allow,
    perHost: c.perHost,
    perHostIntervalMs: c.perHostIntervalMs,
    timeoutMs: c.timeoutMs,
    attempts: c.attempts,
    backoffMs: c.backoffMs,
  });
  return new LinkChecking(db, checker, log, { concurrency: c.concurrency, recheckOkHours: c.recheckOkHours, recheckBrokenHours: c.recheckBrokenHours, check: c.enabled, probeHost: c.probeHost });
}
