// Records in Postgres. Upserts compare content hashes before sending any row, so an unchanged record
// costs one indexed lookup and no write; changed records keep their previous version in
// record_versions; every real change lands in the outbox for the search indexer, in the same transaction.
import { binaryInt8, binaryTimestamp, type Queryable } from './db.js';
import { linkDuplicates } from './duplicates.js';

/** What is stored of a record, built only once the record is known to be new or changed. */
export interface RecordBody {
  /** The JSON-LD record, serialised. */
  json: string;
  /** Canonical N-Triples of the record. */
  nquads: string;
  /** The search backend's document for it, built alongside (opaque to the store). */
  searchDoc?: unknown;
  /** The validation report, serialised, when the record was validated, and the profile it was validated against. */
  validation?: string;
  validatedWith?: string;
  /** The same report as an object, for what the sender is told (opaque to the store, never stored). */
  report?: unknown;
  /** The source's policy turned the record away (violations under policy "reject"): not stored. */
  rejected?: boolean;
  /** Keys by which a copy of the record in another catalogue is recognised (dcat/identity.ts). */
  identityKeys?: string[];
  /** The IRIs of the nodes the record holds besides its subject (distributions, agents...), which
   * /resolve finds it by. */
  nodeIris?: string[];
}

export interface PreparedRecord {
  id: string;
  iri: string;
  kind: string;
  parentIri?: string;
  hash: string;
  warnings?: string[];
  body?: RecordBody;
  /** The page or document the record was read from (harvests). */
  origin?: string;
  /** A left-over resource (kind Resource): the records of its document seen referring to it. */
  referencedBy?: PreparedRecord[];
  /** A left-over resource that records not seen doing so may refer to (cut before it was read, or in
   * another document of the input). */
  unseenReferences?: boolean;
  /** Set once written under the reject policy: whether the record is stored (false: turned away). */
  stored?: boolean;
  /** Why the record was turned away, when its validation report does not say (a left-over resource). */
  rejection?: string;
}

/** Fills in the bodies of the given records. */
export type Materialize = (records: PreparedRecord[]) => Promise<void> | void;

export interface UpsertCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** New or changed records the validation policy turned away. */
  rejected: number;
}

export interface UpsertResult extends UpsertCounts {
  /** The records that were written, and the outbox rows that announce them. */
  changed: PreparedRecord[];
  /** Ids among `changed` that are new (or back after a withdrawal); the others were updated. */
  createdIds: Set<string>;
  /** Ids among `changed` whose triples did not change, validated again against another profile: their
   * report is replaced in place (no new version, no change event); they count as unchanged. */
  revalidatedIds: Set<string>;
  /** New or changed records the validation policy turned away. */
  rejectedRecords: PreparedRecord[];
  outboxSeqs: string[];
}

export interface StoredRecord {
  id: string;
  iri: string;
  kind: string;
  catalog_id: string;
  source_id: string | null;
  parent_iri: string | null;
  hash: string;
  json: Record<string, unknown>;
  nquads: string;
  warnings: string[] | null;
  validation: Record<string, unknown> | null;
  version: number;
  first_seen: Date;
  last_modified: Date;
  /** When the current version began (null for records last written before this was kept). */
  version_since?: Date | null;
  deleted_at: Date | null;
}

/** When the record's current version began: its triples' last change, not a report made anew. */
export function versionSince(r: Pick<StoredRecord, 'last_modified' | 'version_since'>): Date {
  return r.version_since ?? r.last_modified;
}

/** The same in SQL, of `records` as written. */
const VERSION_SINCE_SQL = 'COALESCE(version_since, last_modified)';

/**
 * SQL for a catalogue's title (of `catalogs` as `c`): the one its source was given, else the title of the
 * dcat:Catalog record it holds (an entity portal that pushes its catalogue names it so), in the first of
 * the languages given that it has, else untagged or any.
 */
export function catalogTitleSql(langs: readonly string[] = ['nl', 'en', 'fr', 'de']): string {
  const t = `(cr.json::jsonb)->'title'`;
  const pick = (v: string) => `CASE jsonb_typeof(${v}) WHEN 'string' THEN ${v} #>> '{}' WHEN 'array' THEN ${v}->>0 END`;
  const byLang = langs.filter((l) => /^[a-z]{2,3}$/.test(l)).map((l) => pick(`${t}->'${l}'`));
  return `COALESCE(NULLIF(c.title, ''), (SELECT COALESCE(${[...byLang, pick(`${t}->'@none'`), pick(t), `(SELECT ${pick('x.value')} FROM jsonb_each(CASE jsonb_typeof(${t}) WHEN 'object' THEN ${t} END) AS x LIMIT 1)`].join(', ')})
    FROM records cr WHERE cr.catalog_id = c.id AND cr.kind = 'Catalog' AND cr.deleted_at IS NULL ORDER BY cr.first_seen, cr.id LIMIT 1))`;
}

export async function ensureCatalog(db: Queryable, id: string, iri?: string, title?: string): Promise<void> {
  await db.query(
    `INSERT INTO catalogs (id, iri, title) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET iri = COALESCE(catalogs.iri, EXCLUDED.iri), title = COALESCE(catalogs.title, EXCLUDED.title)`,
    [id, iri ?? null, title ?? null],
  );
}

/** Records a source, and the profile and validation policy its last ingest ran with. */
export async function ensureSource(
  db: Queryable,
  id: string,
  kind: string,
  location: string | null,
  catalogId: string,
  validation?: { profile: string; policy: string },
): Promise<void> {
  await db.query(
    `INSERT INTO sources (id, kind, location, catalog_id, profile, validation_policy) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET profile = EXCLUDED.profile, validation_policy = EXCLUDED.validation_policy`,
    [id, kind, location, catalogId, validation?.profile ?? null, validation?.policy ?? 'accept-with-report'],
  );
}

/** Hashes of the given records as stored now; a deleted record has none (it is revived if it comes back). */
async function currentHashes(db: Queryable, ids: string[]): Promise<{ hashes: Map<string, string | null>; profiles: Map<string, string | null> }> {
  const r = await db.query<{ id: string; hash: string; deleted: boolean; profile: string | null }>(
    'SELECT id, hash, deleted_at IS NOT NULL AS deleted, validated_with AS profile FROM records WHERE id = ANY($1::text[])',
    [ids],
  );
  return { hashes: new Map(r.rows.map((row) => [row.id, row.deleted ? null : row.hash])), profiles: new Map(r.rows.map((row) => [row.id, row.profile])) };
}

/** Which of `records` differ from what is stored: new, changed, withdrawn, or validated against
 * another profile than `validatedWith`. */
async function compareStored(db: Queryable, records: PreparedRecord[], validatedWith: string | undefined): Promise<{ existing: Map<string, string | null>; differing: PreparedRecord[] }> {
  const { hashes: existing, profiles } = await currentHashes(db, records.map((r) => r.id));
  const revalidate = (r: PreparedRecord) => validatedWith !== undefined && r.kind !== 'Resource' && existing.get(r.id) != null && profiles.get(r.id) !== validatedWith;
  return { existing, differing: records.filter((r) => existing.get(r.id) !== r.hash || revalidate(r)) };
}

/**
 * Of the IRIs of described resources a catalogue brings along (agents, licences, concepts), those that
 * are records of their own in another catalogue: a dataset, data service, series or catalogue. What one
 * catalogue says about another's records is not stored, or a publisher could add a title to anyone's
 * dataset in every export of the catalogue.
 */
export async function othersRecords(db: Queryable, catalogId: string, iris: string[]): Promise<Set<string>> {
  if (iris.length === 0) return new Set();
  const r = await db.query<{ iri: string }>(
    `SELECT DISTINCT iri FROM records WHERE iri = ANY($1::text[]) AND kind <> 'Resource' AND catalog_id <> $2 AND deleted_at IS NULL`,
    [iris, catalogId],
  );
  return new Set(r.rows.map((row) => row.iri));
}

/** Of records `ids`, those stored with violations of `profile` in their report, with that report. */
export async function storedWithViolations(db: Queryable, ids: string[], profile: string): Promise<{ id: string; iri: string; validation: string }[]> {
  if (ids.length === 0) return [];
  const r = await db.query<{ id: string; iri: string; validation: string }>(
    `SELECT id, iri, validation::text AS validation FROM records
     WHERE id = ANY($1::text[]) AND deleted_at IS NULL AND validated_with = $2 AND validation->>'verdict' = 'violations'`,
    [ids, profile],
  );
  return r.rows;
}

const COLUMNS = ['id', 'iri', 'kind', 'catalog_id', 'source_id', 'parent_iri', 'hash', 'json', 'nquads', 'warnings', 'validation', 'validated_with', 'run_id', 'fetched_at'];

/** Where the current version of a record came from: the harvest run that fetched it, and when. */
export interface Provenance {
  runId?: string;
  fetchedAt?: Date;
}

/** Drops all but the last of records with the same id in one batch (the same IRI twice in an input). */
function lastPerId(records: PreparedRecord[]): PreparedRecord[] {
  const byId = new Map<string, PreparedRecord>();
  for (const r of records) byId.set(r.id, r);
  return [...byId.values()];
}

export async function upsertRecords(
  tx: Queryable,
  catalogId: string,
  sourceId: string | null,
  batch: PreparedRecord[],
  materialize: Materialize,
  provenance: Provenance = {},
  /** The profile this write validates against: a stored record validated against another one is
   * validated again even when its triples are unchanged (a stricter profile, with policy=reject,
   * must not let it pass as "unchanged"). */
  validatedWith?: string,
): Promise<UpsertResult> {
  const records = lastPerId(batch);
  const counts: UpsertResult = { created: 0, updated: 0, unchanged: 0, rejected: 0, changed: [], createdIds: new Set(), revalidatedIds: new Set(), rejectedRecords: [], outboxSeqs: [] };
  if (records.length === 0) return counts;
  const { existing, differing } = await compareStored(tx, records, validatedWith);
  counts.unchanged = records.length - differing.length;
  if (differing.length === 0) return counts;
  await materialize(differing.filter((r) => !r.body));
  // Turned away by the validation policy: the stored version, if any, stays as it was.
  const changed = differing.filter((r) => !r.body?.rejected);
  counts.rejectedRecords = differing.filter((r) => r.body?.rejected);
  counts.rejected = differing.length - changed.length;
  if (changed.length === 0) return counts;
  const fresh = changed.filter((r) => !existing.has(r.id));
  // Same triples, another profile: only the report changes, which is not a new version of the record.
  const revalidated = changed.filter((r) => existing.get(r.id) === r.hash);
  for (const r of revalidated) counts.revalidatedIds.add(r.id);
  const known = changed.filter((r) => existing.has(r.id) && !counts.revalidatedIds.has(r.id));
  for (const r of changed) if (existing.get(r.id) == null) counts.createdIds.add(r.id);
  counts.created = counts.createdIds.size;
  counts.updated = changed.length - counts.created - revalidated.length;
  counts.unchanged += revalidated.length;
  const body = (r: PreparedRecord): RecordBody => {
    if (!r.body) throw new Error(`record ${r.id} has no body`);
    return r.body;
  };
  const warningsOf = (r: PreparedRecord) => (r.warnings && r.warnings.length > 0 ? JSON.stringify(r.warnings) : null);
  const runId = provenance.runId ?? null;
  const fetchedAt = provenance.fetchedAt?.toISOString() ?? null;
  const runIdBinary = runId === null ? null : binaryInt8(runId);
  const fetchedAtBinary = provenance.fetchedAt ? binaryTimestamp(provenance.fetchedAt) : null;
  // New records go in with COPY, the fastest path into Postgres.
  await tx.copyIn(
    'records',
    COLUMNS,
    fresh.map((r) => [r.id, r.iri, r.kind, catalogId, sourceId, r.parentIri ?? null, r.hash, body(r).json, body(r).nquads, warningsOf(r), body(r).validation ?? null, body(r).validatedWith ?? null, runIdBinary, fetchedAtBinary]),
  );
  // The version each search document carries, so that the index keeps the newest of two writes that
  // cross (external versioning); a fresh record starts at 1, a changed one gets what the update gave it.
  const stamp = (r: PreparedRecord, version: number) => {
    const doc = r.body?.searchDoc as { version?: number } | undefined;
    if (doc) doc.version = version;
  };
  for (const r of fresh) stamp(r, 1);
  if (known.length > 0) {
    await tx.query(
      `INSERT INTO record_versions (record_id, version, hash, nquads, valid_from)
       SELECT id, version, hash, nquads, ${VERSION_SINCE_SQL} FROM records WHERE id = ANY($1::text[]) AND deleted_at IS NULL`,
      [known.map((r) => r.id)],
    );
    // Changed (or deleted and back) records: one statement, arrays unnested server-side.
    const updated = await tx.query<{ id: string; version: number }>(
      `UPDATE records AS r SET kind = u.kind, source_id = $1, parent_iri = COALESCE(u.parent_iri, r.parent_iri),
         hash = u.hash, json = u.json::json, nquads = u.nquads, warnings = u.warnings::json, validation = u.validation::json,
         validated_with = u.validated_with,
         version = r.version + 1, last_modified = now(), version_since = now(), deleted_at = NULL, run_id = $10::bigint, fetched_at = $11::timestamptz
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $12::text[])
         AS u(id, kind, parent_iri, hash, json, nquads, warnings, validation, validated_with)
       WHERE r.id = u.id
       RETURNING r.id, r.version`,
      [
        sourceId,
        known.map((r) => r.id),
        known.map((r) => r.kind),
        known.map((r) => r.parentIri ?? null),
        known.map((r) => r.hash),
        known.map((r) => body(r).json),
        known.map((r) => body(r).nquads),
        known.map(warningsOf),
        known.map((r) => body(r).validation ?? null),
        runId,
        fetchedAt,
        known.map((r) => body(r).validatedWith ?? null),
      ],
    );
    const versions = new Map(updated.rows.map((u) => [u.id, u.version]));
    for (const r of known) stamp(r, versions.get(r.id) ?? 1);
  }
  if (revalidated.length > 0) {
    const updated = await tx.query<{ id: string; version: number }>(
      `UPDATE records AS r SET validation = u.validation::json, validated_with = u.validated_with, warnings = u.warnings::json, last_modified = now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, validation, validated_with, warnings)
       WHERE r.id = u.id RETURNING r.id, r.version`,
      [revalidated.map((r) => r.id), revalidated.map((r) => body(r).validation ?? null), revalidated.map((r) => body(r).validatedWith ?? null), revalidated.map(warningsOf)],
    );
    const versions = new Map(updated.rows.map((u) => [u.id, u.version]));
    for (const r of revalidated) stamp(r, versions.get(r.id) ?? 1);
    await noteRederived(tx, updated.rows.map((u) => u.id));
  }
  // Revalidated records are indexed again too: their validation facet and quality band may change.
  const outbox = await tx.query<{ seq: string }>(`INSERT INTO outbox (record_id, op) SELECT unnest($1::text[]), 'upsert' RETURNING seq`, [changed.map((r) => r.id)]);
  await storeIdentityKeys(tx, catalogId, changed.filter((r) => !counts.revalidatedIds.has(r.id)), known.map((r) => r.id));
  await storeNodeIris(tx, changed.filter((r) => !counts.revalidatedIds.has(r.id)), known.map((r) => r.id));
  // A record new here whose IRI another catalogue described before, as a resource of its own: those
  // statements about someone else's record are withdrawn (later ones are refused, see othersRecords).
  const created = changed.filter((r) => r.kind !== 'Resource' && counts.createdIds.has(r.id)).map((r) => r.iri);
  if (created.length > 0) {
    const stale = await tx.query<{ id: string }>(`SELECT id FROM records WHERE iri = ANY($1::text[]) AND kind = 'Resource' AND catalog_id <> $2 AND deleted_at IS NULL`, [created, catalogId]);
    if (stale.rows.length > 0) await withdrawRecords(tx, stale.rows.map((r) => r.id));
  }
  counts.changed = changed;
  counts.outboxSeqs = outbox.rows.map((r) => String(r.seq));
  return counts;
}

/** Replaces the identity keys of the changed records, then lets the duplicate groups follow. */
async function storeIdentityKeys(tx: Queryable, catalogId: string, changed: PreparedRecord[], knownIds: string[]): Promise<void> {
  if (knownIds.length > 0) await tx.query('DELETE FROM record_keys WHERE record_id = ANY($1::text[])', [knownIds]);
  const ids: string[] = [];
  const keys: string[] = [];
  for (const r of changed)
    for (const k of r.body?.identityKeys ?? []) {
      ids.push(r.id);
      keys.push(k);
    }
  if (keys.length > 0)
    await tx.query('INSERT INTO record_keys (key, record_id, catalog_id) SELECT k, r, $3 FROM unnest($1::text[], $2::text[]) AS u(k, r) ON CONFLICT DO NOTHING', [keys, ids, catalogId]);
  if (keys.length > 0 || knownIds.length > 0) await linkDuplicates(tx, changed.map((r) => r.id));
}

/** Replaces the node IRIs of the changed records (one statement each way, arrays unnested server-side). */
async function storeNodeIris(tx: Queryable, changed: PreparedRecord[], knownIds: string[]): Promise<void> {
  if (knownIds.length > 0) await tx.query('DELETE FROM record_nodes WHERE record_id = ANY($1::text[])', [knownIds]);
  const ids: string[] = [];
  const iris: string[] = [];
  for (const r of changed)
    for (const iri of r.body?.nodeIris ?? []) {
      ids.push(r.id);
      iris.push(iri);
    }
  if (iris.length > 0) await tx.query('INSERT INTO record_nodes (iri, record_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [iris, ids]);
}

/** A record's derived parts built anew from its stored triples by this version of the code. */
export interface Rederived {
  id: string;
  catalogId: string;
  /** The hash and the validation profile the record had when it was read: a record changed or
   * validated again since is left to that change. */
  readHash: string;
  readValidatedWith: string | null;
  hash: string;
  nquads: string;
  json: string;
  validation: string | null;
  /** Present when the identity keys differ from those stored. */
  identityKeys?: string[];
}

/**
 * Stores what was derived anew from unchanged triples (see ingest/refresh.ts): the same triples, so no
 * new version and no change-feed event; the search index follows through the outbox, and duplicate
 * groups follow changed identity keys. Returns the ids written.
 */
export async function storeRederived(tx: Queryable, records: Rederived[]): Promise<string[]> {
  if (records.length === 0) return [];
  const written = await tx.query<{ id: string }>(
    // last_modified moves: what is served changed, and the record's validators (ETag, Last-Modified)
    // must tell clients so. The version stays: the triples are the same.
    `UPDATE records AS r SET hash = u.hash, nquads = u.nquads, json = u.json::json, validation = u.validation::json, last_modified = now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(id, read_hash, hash, nquads, json, validation, read_profile)
     WHERE r.id = u.id AND r.hash = u.read_hash AND r.validated_with IS NOT DISTINCT FROM u.read_profile AND r.deleted_at IS NULL
     RETURNING r.id`,
    [records.map((r) => r.id), records.map((r) => r.readHash), records.map((r) => r.hash), records.map((r) => r.nquads), records.map((r) => r.json), records.map((r) => r.validation), records.map((r) => r.readValidatedWith)],
  );
  const ids = new Set(written.rows.map((r) => r.id));
  const byCatalog = new Map<string, PreparedRecord[]>();
  for (const r of records)
    if (ids.has(r.id) && r.identityKeys) {
      const list = byCatalog.get(r.catalogId) ?? [];
      list.push({ id: r.id, iri: '', kind: '', hash: r.hash, body: { json: r.json, nquads: r.nquads, identityKeys: r.identityKeys } });
      byCatalog.set(r.catalogId, list);
    }
  for (const [catalogId, list] of byCatalog) await storeIdentityKeys(tx, catalogId, list, list.map((r) => r.id));
  if (ids.size > 0) await tx.query(`INSERT INTO outbox (record_id, op) SELECT unnest($1::text[]), 'upsert'`, [[...ids]]);
  await noteRederived(tx, [...ids]);
  return [...ids];
}

/**
 * Tells those who follow the change feed record by record (the quality facts and the register of
 * closed data, the SPARQL store) that records' derived parts were replaced in place (JSON-LD, report):
 * an event that is not announced, since the dataset did not change for the public feed and its
 * harvesters, but without which the facts built from the old JSON or verdict would stay as they were.
 */
async function noteRederived(tx: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(
    `INSERT INTO feed_events (record_id, iri, kind, version, op, announced)
     SELECT id, iri, kind, version, 'update', false FROM records
     WHERE id = ANY($1::text[]) AND deleted_at IS NULL AND kind IN ('Dataset', 'DatasetSeries', 'DataService') ORDER BY id`,
    [ids],
  );
}

export async function getRecord(db: Queryable, id: string): Promise<StoredRecord | undefined> {
  const r = await db.query<StoredRecord>('SELECT * FROM records WHERE id = $1', [id]);
  return r.rows[0];
}

export async function recordVersions(db: Queryable, id: string): Promise<{ version: number; hash: string; valid_from: Date; valid_to: Date }[]> {
  const r = await db.query<{ version: number; hash: string; valid_from: Date; valid_to: Date }>(
    'SELECT version, hash, valid_from, valid_to FROM record_versions WHERE record_id = $1 ORDER BY version DESC',
    [id],
  );
  return r.rows;
}

/** The latest earlier versions of a record with their triples, newest first (for change notes). */
export async function recentVersions(db: Queryable, id: string, limit: number): Promise<{ version: number; nquads: string; valid_from: Date; valid_to: Date }[]> {
  const r = await db.query<{ version: number; nquads: string; valid_from: Date; valid_to: Date }>(
    'SELECT version, nquads, valid_from, valid_to FROM record_versions WHERE record_id = $1 ORDER BY version DESC LIMIT $2',
    [id, limit],
  );
  return r.rows;
}

/** Withdraws records: each becomes a tombstone (still there, answered with 410 Gone, purged after the
 * retention period), its last live version goes to the history, and the indexer removes it. Returns the
 * ids actually withdrawn (those that were live). */
export async function withdrawRecords(tx: Queryable, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  await tx.query(
    `INSERT INTO record_versions (record_id, version, hash, nquads, valid_from)
     SELECT id, version, hash, nquads, ${VERSION_SINCE_SQL} FROM records WHERE id = ANY($1::text[]) AND deleted_at IS NULL
     ON CONFLICT DO NOTHING`,
    [ids],
  );
  const r = await tx.query<{ id: string }>(
    `UPDATE records SET deleted_at = now(), last_modified = now(), version_since = now(), version = version + 1
     WHERE id = ANY($1::text[]) AND deleted_at IS NULL RETURNING id`,
    [ids],
  );
  const gone = r.rows.map((row) => row.id);
  if (gone.length > 0) {
    await tx.query(`INSERT INTO outbox (record_id, op) SELECT unnest($1::text[]), 'delete'`, [gone]);
    // A withdrawn primary hands over to one of its copies.
    await linkDuplicates(tx, gone);
  }
  return gone;
}

/** Erases tombstones older than the retention period, with their history. */
export async function purgeTombstones(db: Queryable, olderThanDays: number): Promise<number> {
  const r = await db.query<{ id: string }>(`DELETE FROM records WHERE deleted_at IS NOT NULL AND deleted_at < now() - make_interval(days => $1) RETURNING id`, [olderThanDays]);
  // Their events leave the change feed too: the feed promises the last retention period, no more.
  if (r.rows.length > 0) await db.query('DELETE FROM feed_events WHERE record_id = ANY($1::text[])', [r.rows.map((x) => x.id)]);
  return r.rows.length;
}
