// `vindbaar reindex`: rebuilds the search index from Postgres, the canonical store, while the service
// keeps running. On Elasticsearch it builds a new generation beside the live one, copies every live
// record into it, catches up with what changed meanwhile, swaps the alias in one atomic step and catches
// up once more (changes indexed into the old generation between the last catch-up and the swap), so
// searches never see a half-built index and no update is lost. On Postgres it rewrites the search
// documents in place.
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import type { SearchBackend } from './backend.js';
import { ElasticsearchSearch, FILL_OP } from './elasticsearch.js';
import { indexAll, indexChangedSince } from './indexer.js';
import { withLease, type LeaseCheck } from '../store/leases.js';

/**
 * A point in the store's history: the oldest transaction still running now. Every record version
 * written by that transaction or a later one has a row xmin at or after it, whenever it commits, so a
 * catch-up from here misses nothing (a timestamp would miss a transaction that began earlier and
 * committed later) and redoes little.
 */
async function marker(db: Db): Promise<string> {
  const r = await db.query<{ x: string }>('SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296)::text AS x');
  return r.rows[0].x;
}

export interface ReindexReport {
  backend: string;
  index?: string;
  retired: string[];
  indexed: number;
  caughtUp: number;
  seconds: number;
}

/**
 * One reindex at a time across the deployment (a lease in the store): two at once would each delete
 * the generation the other is building as left behind by a cut-off run, and a swap to a generation
 * being deleted loses the index. A second one is refused with LeaseTakenError, saying who runs.
 */
export async function reindex(db: Db, search: SearchBackend, log?: Logger, options: { batchSize?: number; keepOld?: boolean } = {}): Promise<ReindexReport> {
  return withLease(db, 'reindex', (stillHeld) => reindexNow(db, search, log, options, stillHeld));
}

async function reindexNow(db: Db, search: SearchBackend, log: Logger | undefined, options: { batchSize?: number; keepOld?: boolean }, stillHeld: LeaseCheck): Promise<ReindexReport> {
  const t0 = performance.now();
  const batch = options.batchSize ?? 1000;
  if (!(search instanceof ElasticsearchSearch)) {
    const since = await marker(db);
    const indexed = await indexAll(db, search, batch);
    // Documents of records no longer live (withdrawn while nothing drained the outbox).
    await db.query(`DELETE FROM search_docs d WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.id = d.record_id AND r.deleted_at IS NULL AND r.duplicate_of IS NULL)`);
    const caughtUp = await indexChangedSince(db, search, since, batch);
    return { backend: search.name, retired: [], indexed, caughtUp, seconds: (performance.now() - t0) / 1000 };
  }
  const es = search;
  // Rows queued to fill a new index ask only for records as they are now: the full copy below, which
  // starts after they were committed, gives the new generation exactly that, so they are retired once
  // it is live rather than drained again (a second pass over every record, and /ready degraded till then).
  const filled = (await db.query<{ seq: string | null }>('SELECT max(seq)::text AS seq FROM outbox WHERE op = $1', [FILL_OP])).rows[0].seq;
  const first = await marker(db);
  const index = await es.createGeneration({ bulk: true });
  log?.info({ index }, 'reindex: new generation created, copying records');
  const writer = es.writerFor(index);
  const indexed = await indexAll(db, writer, batch, 2);
  const second = await marker(db);
  let caughtUp = await indexChangedSince(db, writer, first, batch);
  await es.finishGeneration(index);
  // The swap and the deletions below must not be made by a reindex that has lost its lease.
  await stillHeld();
  const retired = await es.swapAlias(index);
  log?.info({ index, retired }, 'reindex: alias swapped');
  caughtUp += await indexChangedSince(db, writer, second, batch);
  if (filled !== null) await db.query('DELETE FROM outbox WHERE op = $1 AND seq <= $2::bigint', [FILL_OP, filled]);
  await es.refresh();
  if (!options.keepOld && retired.length) await es.client.indices.delete({ index: retired });
  // What an earlier reindex cut off before its swap left behind would otherwise take disk for good.
  const abandoned = options.keepOld ? [] : await es.abandonedGenerations(index);
  if (abandoned.length) {
    await stillHeld();
    await es.client.indices.delete({ index: abandoned });
    log?.info({ abandoned }, 'reindex: generations of cut-off reindexes deleted');
  }
  return { backend: es.name, index, retired: [...retired, ...abandoned], indexed, caughtUp, seconds: (performance.now() - t0) / 1000 };
}
