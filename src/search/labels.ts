// Labels of facet values (publisher names, catalogue titles) live in Postgres whatever the search
// backend: they come from the records themselves, and Postgres is where records are canonical.
import type { Queryable } from '../store/db.js';
import type { FacetField, FacetValue } from './backend.js';
import type { SearchDocument } from './document.js';

/** Remembers the labels the documents carry (e.g. a publisher's foaf:name), per language. */
export async function storeLabels(db: Queryable, docs: SearchDocument[]): Promise<void> {
  const rows = docs.flatMap((d) => Object.entries(d.labels).flatMap(([iri, byLang]) => Object.entries(byLang).map(([lang, label]) => [iri, lang, label])));
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO term_labels (iri, lang, label) SELECT DISTINCT ON (a, b) a, b, c FROM unnest($1::text[], $2::text[], $3::text[]) AS u(a, b, c)
     ON CONFLICT (iri, lang) DO UPDATE SET label = EXCLUDED.label`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
}

/** The last path segment of an IRI: the label of last resort. */
export function lastSegment(iri: string): string {
  const m = /[/#]([^/#]+)\/?$/.exec(iri);
  if (!m) return iri;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/** Adds labels to facet values: in `lang` if known, else English, else any; catalogues by title. */
export async function labelFacets(db: Queryable, facets: Record<FacetField, FacetValue[]>, lang: string): Promise<void> {
  const values = [...new Set(Object.values(facets).flatMap((list) => list.map((v) => v.value)))];
  if (values.length === 0) return;
  const found = await db.query<{ iri: string; label: string }>(
    `SELECT DISTINCT ON (iri) iri, label FROM term_labels WHERE iri = ANY($1::text[])
     ORDER BY iri, (lang = $2) DESC, (lang = 'en') DESC, lang`,
    [values, lang],
  );
  const labels = new Map(found.rows.map((r) => [r.iri, r.label]));
  const catalogs = facets.catalog.length
    ? await db.query<{ id: string; title: string | null }>('SELECT id, title FROM catalogs WHERE id = ANY($1::text[])', [facets.catalog.map((v) => v.value)])
    : { rows: [] };
  const titles = new Map(catalogs.rows.map((r) => [r.id, r.title]));
  for (const [field, list] of Object.entries(facets) as [FacetField, FacetValue[]][])
    for (const v of list) v.label = (field === 'catalog' ? titles.get(v.value) : labels.get(v.value)) ?? labels.get(v.value) ?? lastSegment(v.value);
}
