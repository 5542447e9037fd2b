// Drains the outbox into the search backend in batches. Safe to run twice or to crash midway:
// it always indexes the record's current state and deletes outbox rows only after indexing them.
import type { Db } from '../store/db.js';
import type { SearchBackend } from './backend.js';
import { qualityBand } from '../quality/mqa.js';
import { searchDocument, type SearchDocument } from './document.js';
import type { JsonNode } from '../dcat/json.js';
import type { PreparedRecord } from '../store/records.js';

export const SEARCHABLE_KINDS = ['Dataset', 'DatasetSeries', 'DataService', 'Catalog'];

/** Indexes records just written, from memory, and retires the outbox rows that announced them.
 * Rows of later changes stay, so a drain picks those up. */
export async function indexWritten(db: Db, backend: SearchBackend, records: PreparedRecord[], outboxSeqs: string[]): Promise<void> {
  let searchable = records.filter((r) => SEARCHABLE_KINDS.includes(r.kind) && r.body?.searchDoc);
  // Copies of a record in another catalogue are found through their primary, not on their own.
  const copies = searchable.length > 0 ? await db.query<{ id: string }>('SELECT id FROM records WHERE id = ANY($1::text[]) AND duplicate_of IS NOT NULL', [searchable.map((r) => r.id)]) : { rows: [] };
  if (copies.rows.length > 0) {
    const ids = new Set(copies.rows.map((r) => r.id));
    searchable = searchable.filter((r) => !ids.has(r.id));
    await backend.remove([...ids]);
  }
  await backend.index(searchable.map((r) => r.body!.searchDoc as SearchDocument));
  if (outboxSeqs.length > 0) await db.query('DELETE FROM outbox WHERE seq = ANY($1::bigint[])', [outboxSeqs]);
}

interface RecordRow {
  id: string;
  kind: string;
  catalog_id: string;
  json: JsonNode;
  verdict: string | null;
  hash: string;
  version: number;
  deleted_at: Date | null;
  duplicate_of: string | null;
  /** The record's checked links: URL → answered 2xx. */
  links: Record<string, boolean> | null;
}

/** The columns a search document is built from. */
const ROWS = `SELECT id, kind, catalog_id, json, validation->>'verdict' AS verdict, hash, version, deleted_at, duplicate_of,
  (SELECT json_object_agg(x.url, x.ok) FROM (SELECT DISTINCT l.url, l.state = 'ok' AS ok FROM record_links rl JOIN links l ON l.url = rl.url
     WHERE rl.record_id = records.id AND l.state <> 'unchecked') x) AS links
  FROM records`;

/** Whether a record belongs in the search index: live, searchable, and not a copy of another. */
const indexable = (r: RecordRow) => !r.deleted_at && !r.duplicate_of && SEARCHABLE_KINDS.includes(r.kind);

function documentOf(r: RecordRow): SearchDocument {
  const doc = searchDocument(r.id, r.kind, r.catalog_id, r.json);
  if (r.verdict) doc.validation = [r.verdict];
  doc.quality = [qualityBand(r.json, r.verdict, r.links)];
  doc.hash = r.hash;
  doc.version = r.version;
  return doc;
}

/**
 * Indexes every live searchable record from Postgres into `backend`, in id order, `batchSize` at a
 * time (a new index generation, or a check that nothing is missing). With `inFlight` > 1 the next
 * batches are read and sent while earlier ones are being indexed (Elasticsearch indexes bulk requests
 * on as many threads as it has cores). Returns how many it indexed.
 */
export async function indexAll(db: Db, backend: Pick<SearchBackend, 'index'>, batchSize = 1000, inFlight = 1): Promise<number> {
  let after = '';
  let total = 0;
  const pending = new Set<Promise<void>>();
  let failure: unknown;
  for (;;) {
    const rows = await db.query<RecordRow>(
      `${ROWS}
       WHERE id > $1 AND deleted_at IS NULL AND duplicate_of IS NULL AND kind = ANY($2::text[]) ORDER BY id LIMIT $3`,
      [after, SEARCHABLE_KINDS, batchSize],
    );
    if (rows.rows.length === 0) break;
    const sent: Promise<void> = backend
      .index(rows.rows.map(documentOf))
      .catch((e: unknown) => {
        failure ??= e;
      })
      .finally(() => pending.delete(sent));
    pending.add(sent);
    total += rows.rows.length;
    after = rows.rows[rows.rows.length - 1].id;
    if (pending.size >= inFlight) await Promise.race(pending);
    if (failure) break;
  }
  await Promise.all(pending);
  if (failure) throw failure;
  return total;
}

/**
 * Brings `backend` up to date with every record written (changed or withdrawn) by transaction `since`
 * (a 32-bit transaction id, as reindex's marker gives) or later: live ones are indexed, withdrawn ones
 * removed. Returns how many it handled.
 */
export async function indexChangedSince(db: Db, backend: Pick<SearchBackend, 'index' | 'remove'>, since: string, batchSize = 1000): Promise<number> {
  let after = '';
  let total = 0;
  for (;;) {
    const rows = await db.query<RecordRow>(
      `${ROWS}
       WHERE id > $1 AND age(xmin) <= age($2::text::xid) ORDER BY id LIMIT $3`,
      [after, since, batchSize],
    );
    if (rows.rows.length === 0) return total;
    const live = rows.rows.filter(indexable);
    await backend.index(live.map(documentOf));
    const liveIds = new Set(live.map((r) => r.id));
    await backend.remove(rows.rows.filter((r) => !liveIds.has(r.id)).map((r) => r.id));
    total += rows.rows.length;
    after = rows.rows[rows.rows.length - 1].id;
  }
}

export async function drainOutbox(db: Db, backend: SearchBackend, batchSize = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await db.query<{ seq: string; record_id: string }>('SELECT seq, record_id FROM outbox ORDER BY seq LIMIT $1', [batchSize]);
    if (batch.rows.length === 0) return total;
    const ids = [...new Set(batch.rows.map((r) => r.record_id))];
    const records = await db.query<RecordRow>(
      `${ROWS} WHERE id = ANY($1::text[])`,
      [ids],
    );
    const live = records.rows.filter(indexable);
    const liveIds = new Set(live.map((r) => r.id));
    await backend.index(live.map(documentOf));
    await backend.remove(ids.filter((id) => !liveIds.has(id)));
    // Exactly the rows read: a row of a later change to the same record, or of a transaction that
    // committed after the read with a lower number, stays for the next round.
    await db.query('DELETE FROM outbox WHERE seq = ANY($1::bigint[])', [batch.rows.map((r) => r.seq)]);
    total += ids.length;
  }
}
