// What a thematic view means for a search: its filters, in the search API's own vocabulary, bound the
// search (SearchQuery.scope) and its record kinds narrow the kinds asked for. Every way a view is served
// (the search API with ?view=, the view's page, its DCAT catalogue, the embeddable list) goes through
// here and through the one search backend, so they list the same records.
import type { Services } from '../app.js';
import { FACET_FIELDS, type FacetField, type SearchQuery } from '../search/backend.js';
import { getView, type ThematicView, type ViewFilters } from '../store/thematic-views.js';
import { filterValues } from './filter-codes.js';
import { problem } from './problem.js';
import { kindsOf, searchQuerySchema } from './search.js';

/** The filters a view may hold: the search API's facet filters, the kinds of record, and words (q,
 * one query in the search API's syntax that every record of the view must answer). */
export const VIEW_FILTERS = [...FACET_FIELDS, 'type', 'q'] as const;
/** The longest query a view may hold, as the search API's q. */
const VIEW_QUERY_MAX = 500;

/** Values a filter takes only from a fixed list (the search API's own enums; read when asked, as
 * search.ts and this module import each other). */
const fixedValues = (name: string): readonly string[] | undefined =>
  name === 'validation' ? searchQuerySchema.properties.validation.items.enum : name === 'quality' ? searchQuerySchema.properties.quality.items.enum : name === 'type' ? ['dataset', 'series', 'dataservice'] : undefined;

const isFacet = (name: string): name is FacetField => (FACET_FIELDS as readonly string[]).includes(name);

/**
 * A filter set as an operator sent it, checked: known names only, each a non-empty list of values. A
 * name the search API does not know is refused by name (a misspelt "themes" would otherwise widen the
 * view to the whole catalogue, silently). Values are kept as given; codes are expanded when searching.
 */
export function checkViewFilters(given: Record<string, unknown>): ViewFilters {
  const unknown = Object.keys(given).filter((k) => !(VIEW_FILTERS as readonly string[]).includes(k));
  if (unknown.length)
    throw problem(400, 'Bad Request', `Unknown filter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}: a view filters by ${VIEW_FILTERS.join(', ')}.`, {
      unknownFilters: unknown,
      knownFilters: [...VIEW_FILTERS],
    });
  const out: ViewFilters = {};
  for (const name of VIEW_FILTERS) {
    const raw = given[name];
    if (raw === undefined) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (typeof v === 'string' ? v.trim() : v));
    if (values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) throw problem(400, 'Bad Request', `Filter "${name}" needs one or more values that are not blank.`, { field: name });
    const fixed = fixedValues(name);
    const wrong = fixed ? (values as string[]).filter((v) => !fixed.includes(v)) : [];
    if (wrong.length) throw problem(400, 'Bad Request', `Filter "${name}" takes ${fixed!.join(', ')}; not ${wrong.map((v) => `"${v}"`).join(', ')}.`, { field: name });
    if (name === 'q' && (values.length !== 1 || [...(values[0] as string)].length > VIEW_QUERY_MAX))
      throw problem(400, 'Bad Request', `Filter "q" takes one query of at most ${VIEW_QUERY_MAX} characters (several words in it must all be found; "or" between them for any).`, { field: name });
    out[name] = [...new Set(values as string[])];
  }
  if (Object.keys(out).length === 0) throw problem(400, 'Bad Request', `A view needs at least one filter (${VIEW_FILTERS.join(', ')}); the whole catalogue is at /catalog and /search already.`);
  return out;
}

/** The view of that id, or a 404 that says so. */
export async function viewOrNotFound(services: Services, id: string): Promise<ThematicView> {
  const view = await getView(services.db, id);
  if (!view) throw problem(404, 'Not Found', `There is no thematic view "${id}". GET /api/v1/views lists them.`);
  return view;
}

/** A search bounded by a view: its filters as scope (codes expanded as the API expands them), its kinds
 * those asked for that the view also holds. */
export function scopedBy(query: SearchQuery, view: ThematicView): SearchQuery {
  const scope: NonNullable<SearchQuery['scope']> = { ...query.scope };
  for (const [name, values] of Object.entries(view.filters)) if (isFacet(name)) scope[name] = filterValues(name, values);
  const viewKinds = view.filters.type ? kindsOf(view.filters.type) : undefined;
  const words = view.filters.q?.[0];
  return { ...query, scope, ...(words ? { scopeQuery: words } : {}), kinds: viewKinds ? query.kinds.filter((k) => viewKinds.includes(k)) : query.kinds };
}

/** The search a request asks for, bounded by the view it names (none: the search as it is). */
export async function withView(services: Services, query: SearchQuery, viewId: string | undefined): Promise<SearchQuery> {
  return viewId ? scopedBy(query, await viewOrNotFound(services, viewId)) : query;
}
