// Thematic views in Postgres (migration 037): a few rows an operator writes, read by every request that
// names a view, so reads are one primary-key lookup.
import type { Queryable } from './db.js';

/** Text per page language; at least one of the two. */
export type LangText = Partial<Record<'nl' | 'en', string>>;

/** A view's filters: search API parameter names to their values (codes or IRIs, as the API takes them). */
export type ViewFilters = Record<string, string[]>;

export interface ThematicView {
  id: string;
  title: LangText;
  description: LangText;
  filters: ViewFilters;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  title: LangText;
  description: LangText;
  filters: ViewFilters;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, title, description, filters, created_at, updated_at';
const asView = (r: Row): ThematicView => ({ id: r.id, title: r.title, description: r.description ?? {}, filters: r.filters, createdAt: r.created_at, updatedAt: r.updated_at });

export async function getView(db: Queryable, id: string): Promise<ThematicView | undefined> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM thematic_views WHERE id = $1`, [id], { prepare: 'thematic-view' });
  return r.rows[0] ? asView(r.rows[0]) : undefined;
}

export async function listViews(db: Queryable): Promise<ThematicView[]> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM thematic_views ORDER BY id`);
  return r.rows.map(asView);
}

/** Creates or replaces a view; says which. */
export async function putView(db: Queryable, id: string, v: { title: LangText; description: LangText; filters: ViewFilters }): Promise<{ view: ThematicView; created: boolean }> {
  // xmax = 0 only on a row this statement inserted: one round trip tells a creation from a replacement.
  const r = await db.query<Row & { inserted: boolean }>(
    `INSERT INTO thematic_views (id, title, description, filters) VALUES ($1, $2::jsonb, $3::jsonb, $4::jsonb)
     ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description, filters = EXCLUDED.filters, updated_at = now()
     RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
    [id, JSON.stringify(v.title), JSON.stringify(v.description), JSON.stringify(v.filters)],
  );
  return { view: asView(r.rows[0]), created: r.rows[0].inserted };
}

export async function deleteView(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query('DELETE FROM thematic_views WHERE id = $1', [id]);
  return r.rowCount > 0;
}
