// Page views per record: counted in memory and added to record_views in one statement every few
// seconds (and when the service stops), so that reading a page never waits for a write.
import type { Queryable } from './db.js';

export class ViewCounter {
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: Queryable) {}

  hit(recordId: string): void {
    // A bound on what waits in memory: a flood of distinct ids between flushes counts no further.
    if (this.pending.size >= 100_000 && !this.pending.has(recordId)) return;
    this.pending.set(recordId, (this.pending.get(recordId) ?? 0) + 1);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    // Records purged since their view are left out by the join (no foreign-key failure for the batch).
    await this.db.query(
      `INSERT INTO record_views (record_id, views, last_viewed)
       SELECT u.id, u.n, now() FROM unnest($1::text[], $2::bigint[]) AS u(id, n) JOIN records r ON r.id = u.id
       ON CONFLICT (record_id) DO UPDATE SET views = record_views.views + EXCLUDED.views, last_viewed = EXCLUDED.last_viewed`,
      [[...batch.keys()], [...batch.values()]],
    );
  }

  start(intervalMs: number, onError: (e: Error) => void): void {
    this.timer = setInterval(() => this.flush().catch(onError), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

/** The most viewed live records of the given kinds that search shows (primaries, not copies). */
export async function mostViewed(db: Queryable, kinds: string[], limit: number): Promise<{ id: string; views: number }[]> {
  const r = await db.query<{ id: string; views: string }>(
    `SELECT v.record_id AS id, v.views FROM record_views v JOIN records r ON r.id = v.record_id
     WHERE r.deleted_at IS NULL AND r.duplicate_of IS NULL AND r.kind = ANY($1::text[])
     ORDER BY v.views DESC, v.record_id LIMIT $2`,
    [kinds, limit],
  );
  return r.rows.map((row) => ({ id: row.id, views: Number(row.views) }));
}
