// Harvest sources: where records come from, how often, who owns them and what to do with records that
// disappear from them. Push and file sources are recorded by the ingest path; harvest sources here.
import type { Queryable } from './db.js';
import { withdrawRecords } from './records.js';

export const HARVEST_TYPES = ['dcat', 'ckan', 'csw', 'ldes'] as const;
export type HarvestType = (typeof HARVEST_TYPES)[number];

export type DeletionPolicy = 'withdraw-missing' | 'keep-missing';

export interface SourceSpec {
  id: string;
  type: HarvestType;
  url: string;
  /** Local catalogue the records go into; the source's id when absent. */
  catalogId?: string;
  title?: string | null;
  /** Cron expression (UTC); null: harvested only on demand. */
  schedule?: string | null;
  organisation?: string | null;
  profile?: string | null;
  validationPolicy?: 'accept-with-report' | 'reject';
  deletionPolicy?: DeletionPolicy;
  /** Largest share of the source's records one run may withdraw without an operator (0..1). */
  maxWithdrawShare?: number;
  /** Authorization header value sent to the source (never shown by the API). */
  credentials?: string | null;
  options?: Record<string, unknown>;
  enabled?: boolean;
}

export interface Source extends Required<Omit<SourceSpec, 'credentials'>> {
  hasCredentials: boolean;
  state: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

interface SourceRow {
  id: string;
  kind: string;
  url: string | null;
  location: string | null;
  catalog_id: string;
  title: string | null;
  schedule: string | null;
  organisation: string | null;
  profile: string | null;
  validation_policy: string;
  deletion_policy: string;
  max_withdraw_share: number;
  credentials: string | null;
  options: Record<string, unknown> | null;
  state: Record<string, unknown> | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

function fromRow(r: SourceRow): Source {
  return {
    id: r.id,
    type: r.kind as HarvestType,
    url: r.url ?? r.location ?? '',
    catalogId: r.catalog_id,
    title: r.title,
    schedule: r.schedule,
    organisation: r.organisation,
    profile: r.profile,
    validationPolicy: r.validation_policy as Source['validationPolicy'],
    deletionPolicy: r.deletion_policy as DeletionPolicy,
    maxWithdrawShare: Number(r.max_withdraw_share),
    hasCredentials: r.credentials !== null,
    options: r.options ?? {},
    state: r.state,
    enabled: r.enabled,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class SourceConflictError extends Error {
  constructor(id: string) {
    super(`A source with id "${id}" exists already.`);
    this.name = 'SourceConflictError';
  }
}

/** A source's organisation may not take over another organisation's catalogue. */
export class CatalogOwnedError extends Error {
  constructor(catalogId: string, owner: string) {
    super(`Catalogue "${catalogId}" belongs to organisation "${owner}"; choose another catalogue for this source.`);
    this.name = 'CatalogOwnedError';
  }
}

/** Makes `organisation` the owner of a catalogue that has none (its keys may then push to it, and
 * see and answer the feedback on its records); refuses a catalogue another organisation owns. */
async function claimCatalog(db: Queryable, catalogId: string, organisation: string | null | undefined): Promise<void> {
  if (!organisation) return;
  await db.query('UPDATE catalogs SET organisation = $2 WHERE id = $1 AND organisation IS NULL', [catalogId, organisation]);
  const owner = (await db.query<{ organisation: string | null }>('SELECT organisation FROM catalogs WHERE id = $1', [catalogId])).rows[0]?.organisation;
  if (owner && owner !== organisation) throw new CatalogOwnedError(catalogId, owner);
}

export async function createSource(db: Queryable, spec: SourceSpec): Promise<Source> {
  const catalogId = spec.catalogId ?? spec.id;
  // A refused source leaves no catalogue behind.
  if ((await db.query('SELECT 1 FROM sources WHERE id = $1', [spec.id])).rows.length > 0) throw new SourceConflictError(spec.id);
  const owner = spec.organisation ? (await db.query<{ organisation: string | null }>('SELECT organisation FROM catalogs WHERE id = $1', [catalogId])).rows[0]?.organisation : null;
  if (owner && owner !== spec.organisation) throw new CatalogOwnedError(catalogId, owner);
  await db.query(`INSERT INTO catalogs (id, title) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [catalogId, spec.title ?? null]);
  await claimCatalog(db, catalogId, spec.organisation);
  const r = await db.query<SourceRow>(
    `INSERT INTO sources (id, kind, url, location, catalog_id, title, schedule, organisation, profile, validation_policy,
       deletion_policy, max_withdraw_share, credentials, options, enabled)
     VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (id) DO NOTHING RETURNING *`,
    [
      spec.id,
      spec.type,
      spec.url,
      catalogId,
      spec.title ?? null,
      spec.schedule ?? null,
      spec.organisation ?? null,
      spec.profile ?? null,
      spec.validationPolicy ?? 'accept-with-report',
      spec.deletionPolicy ?? 'withdraw-missing',
      spec.maxWithdrawShare ?? 0.2,
      spec.credentials ?? null,
      JSON.stringify(spec.options ?? {}),
      spec.enabled ?? true,
    ],
  );
  if (r.rows.length === 0) throw new SourceConflictError(spec.id);
  return fromRow(r.rows[0]);
}

/** Changes the given settings of a harvest source; returns undefined when there is no such source. */
export async function updateSource(db: Queryable, id: string, patch: Partial<Omit<SourceSpec, 'id' | 'type' | 'catalogId'>>): Promise<Source | undefined> {
  const columns: Record<string, unknown> = {
    url: patch.url,
    location: patch.url,
    title: patch.title,
    schedule: patch.schedule,
    organisation: patch.organisation,
    profile: patch.profile,
    validation_policy: patch.validationPolicy,
    deletion_policy: patch.deletionPolicy,
    max_withdraw_share: patch.maxWithdrawShare,
    credentials: patch.credentials,
    options: patch.options === undefined ? undefined : JSON.stringify(patch.options),
    enabled: patch.enabled,
  };
  const set = Object.entries(columns).filter(([, v]) => v !== undefined);
  const before = patch.profile !== undefined || patch.validationPolicy !== undefined ? await getSource(db, id) : undefined;
  const r = await db.query<SourceRow>(
    `UPDATE sources SET ${[...set.map(([k], i) => `${k} = $${i + 2}`), 'updated_at = now()'].join(', ')} WHERE id = $1 AND kind = ANY($${set.length + 2}::text[]) RETURNING *`,
    [id, ...set.map(([, v]) => v), HARVEST_TYPES],
  );
  const after = r.rows[0] ? fromRow(r.rows[0]) : undefined;
  if (after && patch.organisation) await claimCatalog(db, after.catalogId, patch.organisation);
  // Another profile or policy applies to every record, unchanged ones included: the next run reads the
  // source whole again (no page taken as unchanged, an incremental reader from its start), and the
  // records it reads are validated again (see upsertRecords).
  if (before && after && (before.profile !== after.profile || before.validationPolicy !== after.validationPolicy)) {
    await db.query('DELETE FROM harvest_pages WHERE source_id = $1', [id]);
    await db.query('UPDATE sources SET state = NULL WHERE id = $1', [id]);
  }
  return after;
}

export async function getSource(db: Queryable, id: string): Promise<Source | undefined> {
  const r = await db.query<SourceRow>('SELECT * FROM sources WHERE id = $1 AND kind = ANY($2::text[])', [id, HARVEST_TYPES]);
  return r.rows[0] ? fromRow(r.rows[0]) : undefined;
}

/** The Authorization header value of a source, for the harvester only. */
export async function sourceCredentials(db: Queryable, id: string): Promise<string | undefined> {
  const r = await db.query<{ credentials: string | null }>('SELECT credentials FROM sources WHERE id = $1', [id]);
  return r.rows[0]?.credentials ?? undefined;
}

export async function listSources(db: Queryable): Promise<Source[]> {
  const r = await db.query<SourceRow>('SELECT * FROM sources WHERE kind = ANY($1::text[]) ORDER BY id', [HARVEST_TYPES]);
  return r.rows.map(fromRow);
}

/** Removes a harvest source. Its records are withdrawn (tombstones), not erased: links to them answer 410. */
export async function removeSource(db: Queryable, id: string): Promise<{ removed: boolean; withdrawn: number }> {
  // The source's row is locked first: a run's writes of its records wait (their foreign key needs the
  // row) until the removal commits, and then fail. Without the lock, records a run committed between
  // the statements below kept no source and stayed published, or the removal failed on them.
  const src = (await db.query('SELECT id FROM sources WHERE id = $1 FOR UPDATE', [id])).rows[0];
  if (!src) return { removed: false, withdrawn: 0 };
  const live = await db.query<{ id: string }>('SELECT id FROM records WHERE source_id = $1 AND deleted_at IS NULL', [id]);
  const withdrawn = await withdrawRecords(db, live.rows.map((r) => r.id));
  await db.query('UPDATE records SET source_id = NULL WHERE source_id = $1', [id]);
  await db.query('DELETE FROM sources WHERE id = $1', [id]);
  return { removed: true, withdrawn: withdrawn.length };
}

export async function saveSourceState(db: Queryable, id: string, state: Record<string, unknown>): Promise<void> {
  await db.query('UPDATE sources SET state = $2 WHERE id = $1', [id, JSON.stringify(state)]);
}

/** Takes the source for one run: at most one run of a source at a time, whatever the queue does (a job
 * whose worker is slow may expire and be handed out again). The hold lasts `seconds` unless renewed;
 * a dead worker's hold runs out. */
export async function leaseSource(db: Queryable, id: string, holder: string, seconds: number): Promise<boolean> {
  const r = await db.query(
    `UPDATE sources SET lease_holder = $2, lease_until = now() + make_interval(secs => $3)
     WHERE id = $1 AND (lease_holder IS NULL OR lease_holder = $2 OR lease_until < now()) RETURNING id`,
    [id, holder, seconds],
  );
  return r.rows.length > 0;
}

export async function releaseSource(db: Queryable, id: string, holder: string): Promise<void> {
  await db.query('UPDATE sources SET lease_holder = NULL, lease_until = NULL WHERE id = $1 AND lease_holder = $2', [id, holder]);
}
