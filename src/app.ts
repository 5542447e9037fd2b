// Wires the parts together: store, search backend, the ingest entry point and the indexer.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDb, type Db } from './store/db.js';
import { migrate } from './store/migrate.js';
import { PostgresSearch } from './search/postgres.js';
import type { SearchBackend } from './search/backend.js';
import { drainOutbox, indexWritten } from './search/indexer.js';
import { ingest, type IngestOptions, type IngestReport } from './ingest/pipeline.js';
import type { Chunks } from './rdf/parse.js';
import type { IngestValidation } from './ingest/source.js';
import { profileValidator, readManifest } from './validation/profiles.js';
import { join } from 'node:path';

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
  reindexPending(): Promise<number>;
  close(): Promise<void>;
}

export async function createServices(config: Config, log: Logger): Promise<Services> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  const applied = await migrate(db);
  if (applied.length > 0) log.info({ applied }, 'database migrated');
  if (config.elasticsearchUrl) log.warn('ELASTICSEARCH_URL is set, but this version searches with Postgres full text only');
  const search = new PostgresSearch(db);
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
  return {
    config,
    db,
    search,
    log,
    async ingest(input, { profile: asked, policy, ...options }) {
      const profile = asked === undefined ? config.defaultProfile : (asked ?? undefined);
      let validation: IngestValidation | undefined;
      if (profile) {
        const layers = readManifest(profile).defaultLayers;
        validation = { profile, layers, validator: profileValidator(profile, { layers }), policy: policy ?? 'accept-with-report' };
      }
      const report = await ingest(db, input, {
        ...options,
        validation,
        baseUrl: config.baseUrl,
        allowRemoteContexts: config.allowRemoteContexts,
        afterBatch: (r) => indexWritten(db, search, r.changed, r.outboxSeqs),
      });
      for (const r of report.written ?? []) await indexWritten(db, search, r.changed, r.outboxSeqs);
      delete report.written;
      // Anything a failed indexing step left in the outbox.
      await reindexPending();
      return report;
    },
    reindexPending,
    close: () => db.close(),
  };
}
