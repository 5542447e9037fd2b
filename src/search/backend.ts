// The contract every search backend meets (Postgres full text now, Elasticsearch later). Routes
// speak only to this interface.
import type { SearchDocument } from './document.js';

export const FACET_FIELDS = ['theme', 'keyword', 'publisher', 'format', 'mediaType', 'license', 'accessRights', 'hvdCategory', 'language', 'spatial', 'catalog', 'validation', 'quality'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

export interface SearchQuery {
  q?: string;
  filters: Partial<Record<FacetField, string[]>>;
  /**
   * Filters that bound the whole search (a thematic view): every record must match each of them, and
   * the facets count within them. Unlike `filters`, a facet's own count does not leave its scope out,
   * so choosing a theme inside a view of one theme narrows the view instead of widening it.
   */
  scope?: Partial<Record<FacetField, string[]>>;
  /** Words every record of the scope holds, as `q` takes them (a thematic view defined by words):
   * a bound like `scope`, not part of relevance. */
  scopeQuery?: string;
  /** Date ranges (ISO dates or date-times, either end open): issued and modified within, temporal
   * coverage overlapping. */
  ranges?: Partial<Record<'issued' | 'modified' | 'temporal', DateRange>>;
  /** Only records whose spatial coverage intersects this box: west, south, east, north (degrees). */
  bbox?: [number, number, number, number];
  /** Record kinds to search; datasets and series by default. */
  kinds: string[];
  sort: 'relevance' | 'modified' | '-modified' | 'title' | 'issued' | '-issued';
  offset: number;
  limit: number;
  /** Language used for labels and title sorting. */
  lang?: string;
  /** Values per facet, most frequent first (50 when absent): the page listing every publisher asks for all. */
  facetLimit?: number;
  /** false: the total and the hits only, no facet counts (a probe that only needs to know how many). */
  facets?: boolean;
  /**
   * Deep paging: start a walk with {} and pass each result's `next` to get the following page, at any
   * depth (offset is ignored). Pages after the first carry no facets.
   */
  cursor?: SearchCursor;
}

/** Where a walk through the results stands; opaque to clients (the API encodes it). */
export interface SearchCursor {
  /** Sort values of the last hit returned (Elasticsearch search_after), or [offset] (Postgres). */
  after?: (string | number | null)[];
  /** Elasticsearch point in time, so that the walk sees one snapshot of the index. */
  pit?: string;
  /** The walk's total, counted on its first page (the snapshot does not change). */
  total?: number;
}

export interface Suggestion {
  id: string;
  title: string;
}

export interface DateRange {
  from?: string;
  to?: string;
}

export const emptyFacets = (): Record<FacetField, FacetValue[]> => Object.fromEntries(FACET_FIELDS.map((f) => [f, [] as FacetValue[]])) as Record<FacetField, FacetValue[]>;

export interface FacetValue {
  value: string;
  count: number;
  label?: string;
}

export interface SearchHit {
  id: string;
  score?: number;
  /** The title with the words that matched marked <mark>...</mark> (HTML-escaped), when words were asked. */
  highlight?: string;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets: Record<FacetField, FacetValue[]>;
  /** In cursor mode: the cursor of the next page, absent after the last. */
  next?: SearchCursor;
  /** The words as typed found nothing; these hits are for words one or two letters away. */
  fuzzy?: boolean;
  /** No record holds all the words; these hits hold some of them (see any-words.ts). */
  anyWords?: boolean;
  /** The word as typed found nothing; these hits are for it taken apart as a compound ("water
   * kwaliteit" for "waterkwaliteit"): the query searched instead (see any-words.ts). */
  searchedFor?: string;
}

export interface SearchBackend {
  readonly name: string;
  /** How deep page-by-number paging reaches (offset + limit), if the backend bounds it; deeper
   * results are reached with a cursor. Page links stop there, so that no link leads to a refusal. */
  readonly maxOffset?: number;
  /** Creates what the backend needs (an index, an alias); safe to call on every start. */
  init?(): Promise<void>;
  index(docs: SearchDocument[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Makes everything indexed so far visible to search (a no-op where writes are visible at once). */
  refresh?(): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** Titles that complete what a researcher is typing (autocomplete), best first, as pages in `lang`
   * show them (English pages: English titles where there are). */
  suggest(prefix: string, kinds: string[], limit: number, lang?: string): Promise<Suggestion[]>;
  /** Whether the backend answers now, for /ready (a backend in the store itself is up with the store). */
  health?(): Promise<{ up: boolean; detail: string }>;
  close?(): Promise<void>;
}

/** The backend cannot answer now (down, overloaded): the API says 503 with Retry-After. */
export class SearchUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 10,
  ) {
    super(message);
    this.name = 'SearchUnavailableError';
  }
}

/** The last page a search's results fill at `limit` per page, as far as page numbers reach on the
 * backend (see SearchBackend.maxOffset): links to "last" and "next" never lead past it. */
export function lastNumberedPage(total: number, limit: number, maxOffset?: number): number {
  const filled = Math.max(1, Math.ceil(total / limit));
  return maxOffset === undefined ? filled : Math.max(1, Math.min(filled, Math.floor(maxOffset / limit)));
}
