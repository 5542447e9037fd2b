// Harvest runs: one row per run with its counts, one row per item that changed or failed, the pages a
// source was read from, and the withdrawals waiting for an operator.
import type { Queryable } from './db.js';
import { HARVEST_TYPES } from './sources.js';

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'awaiting-confirmation' | 'superseded';

export interface RunCounts {
  pages: number;
  pagesNotModified: number;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  rejected: number;
  pendingWithdrawals: number;
  bytes: number;
}

export interface Run extends RunCounts {
  id: string;
  sourceId: string;
  status: RunStatus;
  trigger: string;
  complete: boolean;
  error: string | null;
  worker: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface RunItem {
  seq: number;
  action: 'created' | 'updated' | 'deleted' | 'rejected' | 'failed' | 'pending-withdrawal';
  recordId: string | null;
  iri: string | null;
  location: string | null;
  message: string | null;
}

interface RunRow {
  id: string;
  source_id: string;
  status: RunStatus;
  trigger: string;
  complete: boolean;
  pages: number;
  pages_not_modified: number;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  rejected: number;
  pending_withdrawals: number;
  bytes: string;
  error: string | null;
  worker: string | null;
  started_at: Date;
  finished_at: Date | null;
}

function fromRow(r: RunRow): Run {
  return {
    id: String(r.id),
    sourceId: r.source_id,
    status: r.status,
    trigger: r.trigger,
    complete: r.complete,
    pages: r.pages,
    pagesNotModified: r.pages_not_modified,
    records: r.records,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    deleted: r.deleted,
    failed: r.failed,
    rejected: r.rejected,
    pendingWithdrawals: r.pending_withdrawals,
    bytes: Number(r.bytes),
    error: r.error,
    worker: r.worker,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export async function startRun(db: Queryable, sourceId: string, trigger: string, worker: string): Promise<string> {
  const r = await db.query<{ id: string }>('INSERT INTO harvest_runs (source_id, trigger, worker) VALUES ($1, $2, $3) RETURNING id', [sourceId, trigger, worker]);
  const id = String(r.rows[0].id);
  // An earlier run still waiting for an operator can no longer be answered (this run sees the source
  // again, and its view wins): it says so instead of waiting for good.
  const waiting = await db.query<{ id: string }>(
    `UPDATE harvest_runs SET status = 'superseded', pending_withdrawals = 0,
       error = concat_ws('; ', error, 'run ' || $2::text || ' read the source again before the withdrawals were confirmed: none were made')
     WHERE source_id = $1 AND status = 'awaiting-confirmation' AND id < $2::bigint RETURNING id`,
    [sourceId, id],
  );
  for (const w of waiting.rows) await clearPendingWithdrawals(db, String(w.id));
  return id;
}

/** What a running run has done so far, for those who watch it (the API, the operator's dashboard). */
export async function progressRun(db: Queryable, id: string, p: { pages: number; bytes: number; records: number; created: number; updated: number; unchanged: number }): Promise<void> {
  await db.query("UPDATE harvest_runs SET pages = $2, bytes = $3, records = $4, created = $5, updated = $6, unchanged = $7 WHERE id = $1 AND status = 'running'", [
    id, p.pages, p.bytes, p.records, p.created, p.updated, p.unchanged,
  ]);
}

export async function finishRun(db: Queryable, id: string, status: RunStatus, counts: RunCounts, complete: boolean, error?: string): Promise<void> {
  await db.query(
    `UPDATE harvest_runs SET status = $2, complete = $3, pages = $4, pages_not_modified = $5, records = $6, created = $7, updated = $8,
       unchanged = $9, deleted = $10, failed = $11, rejected = $12, pending_withdrawals = $13, bytes = $14, error = $15, finished_at = now()
     WHERE id = $1`,
    [
      id,
      status,
      complete,
      counts.pages,
      counts.pagesNotModified,
      counts.records,
      counts.created,
      counts.updated,
      counts.unchanged,
      counts.deleted,
      counts.failed,
      counts.rejected,
      counts.pendingWithdrawals,
      counts.bytes,
      error?.slice(0, 4000) ?? null,
    ],
  );
}

/** Runs left 'running' by a worker that died: marked failed so that they are not mistaken for live ones. */
export async function failAbandonedRuns(db: Queryable, sourceId: string, reason: string): Promise<number> {
  const r = await db.query(
    `UPDATE harvest_runs SET status = 'failed', error = $2, finished_at = now() WHERE source_id = $1 AND status = 'running'`,
    [sourceId, reason],
  );
  return r.rowCount;
}

export async function addItems(db: Queryable, runId: string, firstSeq: number, items: Omit<RunItem, 'seq'>[]): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `INSERT INTO harvest_items (run_id, seq, action, record_id, iri, location, message)
     SELECT $1, s, a, r, i, l, m FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(s, a, r, i, l, m)`,
    [
      runId,
      items.map((_, i) => firstSeq + i),
      items.map((i) => i.action),
      items.map((i) => i.recordId),
      items.map((i) => i.iri),
      items.map((i) => i.location?.slice(0, 2000) ?? null),
      items.map((i) => i.message?.slice(0, 4000) ?? null),
    ],
  );
}

export async function getRun(db: Queryable, id: string): Promise<Run | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const r = await db.query<RunRow>('SELECT * FROM harvest_runs WHERE id = $1', [id]);
  return r.rows[0] ? fromRow(r.rows[0]) : undefined;
}

export async function listRuns(db: Queryable, sourceId: string, limit: number, before?: string): Promise<Run[]> {
  const r = await db.query<RunRow>(
    `SELECT * FROM harvest_runs WHERE source_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $3`,
    [sourceId, before ?? null, limit],
  );
  return r.rows.map(fromRow);
}

export async function runItems(db: Queryable, runId: string, limit: number, after = 0, action?: string): Promise<RunItem[]> {
  const r = await db.query<{ seq: number; action: RunItem['action']; record_id: string | null; iri: string | null; location: string | null; message: string | null }>(
    `SELECT seq, action, record_id, iri, location, message FROM harvest_items
     WHERE run_id = $1 AND seq > $2 AND ($3::text IS NULL OR action = $3) ORDER BY seq LIMIT $4`,
    [runId, after, action ?? null, limit],
  );
  return r.rows.map((i) => ({ seq: i.seq, action: i.action, recordId: i.record_id, iri: i.iri, location: i.location, message: i.message }));
}

export interface PageMemo {
  url: string;
  etag: string | null;
  lastModified: string | null;
  digest: string | null;
  recordIds: string[];
  immutable: boolean;
  next: string | null;
  catalog: string | null;
}

export async function pageMemos(db: Queryable, sourceId: string): Promise<Map<string, PageMemo>> {
  const r = await db.query<{ url: string; etag: string | null; last_modified: string | null; digest: string | null; record_ids: string[]; immutable: boolean; next: string | null; catalog: string | null }>(
    'SELECT url, etag, last_modified, digest, record_ids, immutable, next, catalog FROM harvest_pages WHERE source_id = $1',
    [sourceId],
  );
  return new Map(
    r.rows.map((p) => [
      p.url,
      { url: p.url, etag: p.etag, lastModified: p.last_modified, digest: p.digest, recordIds: p.record_ids, immutable: p.immutable, next: p.next, catalog: p.catalog },
    ]),
  );
}

export async function savePageMemos(db: Queryable, sourceId: string, pages: PageMemo[]): Promise<void> {
  if (pages.length === 0) return;
  await db.query(
    `INSERT INTO harvest_pages (source_id, url, etag, last_modified, digest, record_ids, immutable, next, catalog, fetched_at)
     SELECT $1, u, e, l, d, string_to_array(r, ' '), i, n, c, now()
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::text[], $9::text[]) AS x(u, e, l, d, r, i, n, c)
     ON CONFLICT (source_id, url) DO UPDATE SET etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, digest = EXCLUDED.digest,
       record_ids = EXCLUDED.record_ids, immutable = EXCLUDED.immutable, next = EXCLUDED.next, catalog = EXCLUDED.catalog, fetched_at = now()`,
    [
      sourceId,
      pages.map((p) => p.url),
      pages.map((p) => p.etag),
      pages.map((p) => p.lastModified),
      pages.map((p) => p.digest),
      pages.map((p) => p.recordIds.join(' ')),
      pages.map((p) => p.immutable),
      pages.map((p) => p.next),
      pages.map((p) => p.catalog),
    ],
  );
}

/**
 * Harvested records withdrawn outside a harvest (an entity portal's or an administrator's DELETE), in the
 * transaction that withdraws them. Their source is the authority for them, so:
 * - the remembered pages that held them are forgotten: the next run reads those pages again rather than
 *   counting them unchanged by their validators or bytes, and brings back a record the source still
 *   lists (only those pages are fetched again; the rest of the source stays as cheap as before);
 * - each is remembered as a recall (harvest_recalls): a source read by increments (CKAN) asks for it by
 *   name at its next run, and a run under way when the withdrawal is made learns of it when it ends, so
 *   that it does not remember a page it read before the withdrawal as still holding the record.
 * The source's row is held (FOR NO KEY UPDATE) as the end of a run holds it (holdSource), so that a
 * run's last look at the recalls and its writing of pages cannot interleave with a withdrawal.
 */
export async function recallWithdrawn(tx: Queryable, recordIds: string[]): Promise<void> {
  if (recordIds.length === 0) return;
  const held = await tx.query<{ id: string }>(
    `SELECT id FROM sources WHERE id IN (SELECT source_id FROM records WHERE id = ANY($1::text[])) AND kind = ANY($2::text[])
     ORDER BY id FOR NO KEY UPDATE`,
    [recordIds, HARVEST_TYPES],
  );
  const sources = held.rows.map((r) => r.id);
  if (sources.length === 0) return;
  await tx.query('DELETE FROM harvest_pages WHERE source_id = ANY($2::text[]) AND record_ids && $1::text[]', [recordIds, sources]);
  // A record withdrawn again gets a new seq: a run that found the earlier recall waiting tells them apart.
  await tx.query(
    `INSERT INTO harvest_recalls (record_id, source_id)
     SELECT id, source_id FROM records WHERE id = ANY($1::text[]) AND source_id = ANY($2::text[]) AND deleted_at IS NOT NULL
     ON CONFLICT (record_id) DO UPDATE SET source_id = EXCLUDED.source_id, seq = EXCLUDED.seq, withdrawn_at = EXCLUDED.withdrawn_at`,
    [recordIds, sources],
  );
}

/** The recalls of a source (record id → seq), as a run finds them when it begins. */
export async function sourceRecalls(db: Queryable, sourceId: string): Promise<Map<string, string>> {
  const r = await db.query<{ record_id: string; seq: string }>('SELECT record_id, seq::text AS seq FROM harvest_recalls WHERE source_id = $1', [sourceId]);
  return new Map(r.rows.map((x) => [x.record_id, x.seq]));
}

/** Of `recalls`, the records still withdrawn, with their IRI and last triples: what an adapter asks its
 * source for. */
export async function recalledRecords(db: Queryable, recalls: Map<string, string>): Promise<{ id: string; iri: string; nquads: string }[]> {
  if (recalls.size === 0) return [];
  const r = await db.query<{ id: string; iri: string; nquads: string }>('SELECT id, iri, nquads FROM records WHERE id = ANY($1::text[]) AND deleted_at IS NOT NULL ORDER BY id', [[...recalls.keys()]]);
  return r.rows;
}

/** Holds a source's row until the transaction ends (see recallWithdrawn). */
export async function holdSource(tx: Queryable, sourceId: string): Promise<void> {
  await tx.query('SELECT id FROM sources WHERE id = $1 FOR NO KEY UPDATE', [sourceId]);
}

/** Records of a source withdrawn outside a harvest after a run began (recalls it did not find waiting,
 * `before`), and withdrawn still. */
export async function recalledSince(tx: Queryable, sourceId: string, before: Map<string, string>): Promise<Set<string>> {
  const r = await tx.query<{ record_id: string; seq: string }>(
    `SELECT c.record_id, c.seq::text AS seq FROM harvest_recalls c JOIN records r ON r.id = c.record_id
     WHERE c.source_id = $1 AND r.deleted_at IS NOT NULL`,
    [sourceId],
  );
  return new Set(r.rows.filter((x) => before.get(x.record_id) !== x.seq).map((x) => x.record_id));
}

/** Recalls a run has answered (`settled`, with the seq it found them under: a withdrawal made since is
 * not answered by it), and those whose record is back, however it came back. */
export async function settleRecalls(tx: Queryable, sourceId: string, settled: Map<string, string>): Promise<void> {
  await tx.query(
    `DELETE FROM harvest_recalls c WHERE c.source_id = $1
       AND ((c.record_id, c.seq) IN (SELECT * FROM unnest($2::text[], $3::bigint[]))
            OR EXISTS (SELECT 1 FROM records r WHERE r.id = c.record_id AND r.deleted_at IS NULL))`,
    [sourceId, [...settled.keys()], [...settled.values()]],
  );
}

/** Forgets some pages of a source: the next run reads them in full. */
export async function forgetPages(db: Queryable, sourceId: string, urls: string[]): Promise<void> {
  if (urls.length === 0) return;
  await db.query('DELETE FROM harvest_pages WHERE source_id = $1 AND url = ANY($2::text[])', [sourceId, urls]);
}

/** Pages of a source not seen in a complete run any more (a catalogue that shrank): forgotten. */
export async function forgetPagesExcept(db: Queryable, sourceId: string, urls: string[]): Promise<void> {
  await db.query('DELETE FROM harvest_pages WHERE source_id = $1 AND NOT (url = ANY($2::text[]))', [sourceId, urls]);
}

export async function addPendingWithdrawals(db: Queryable, runId: string, recordIds: string[]): Promise<void> {
  if (recordIds.length === 0) return;
  await db.query('INSERT INTO harvest_withdrawals (run_id, record_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [runId, recordIds]);
}

export async function pendingWithdrawals(db: Queryable, runId: string): Promise<string[]> {
  const r = await db.query<{ record_id: string }>('SELECT record_id FROM harvest_withdrawals WHERE run_id = $1', [runId]);
  return r.rows.map((x) => x.record_id);
}

export async function clearPendingWithdrawals(db: Queryable, runId: string): Promise<void> {
  await db.query('DELETE FROM harvest_withdrawals WHERE run_id = $1', [runId]);
}
