// The CKAN Action API calls a harvest makes, as pure functions: the package_search URL of one page and
// the parsing of its answer. Pages are sorted by metadata_modified so that an incremental harvest can
// ask for what changed since its last run (fq=metadata_modified:[<time> TO *]) and resume where it
// stopped.
import type { CkanPackage } from './types.js';
import { isObject } from './fields.js';

/** CKAN's default upper bound on rows per package_search page (ckan.search.rows_max). */
export const MAX_ROWS = 1000;

/** An Action API answer that is not a usable package_search result; `where` points into the body. */
export class CkanApiError extends Error {
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'CkanApiError';
  }
}

export interface PackageSearchPage {
  /** How many packages to ask for (1..1000). */
  rows: number;
  /** The offset of the first one. */
  start: number;
  /** Only packages modified at or after this time (an incremental harvest). */
  modifiedSince?: Date | string;
}

/** A time as Solr wants it in a range query: UTC, ISO 8601, with a Z. */
function solrTime(value: Date | string): string {
  // A time without a zone is read as UTC, as CKAN writes metadata_modified.
  const text = typeof value === 'string' ? value.trim() : '';
  const zoned = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /([zZ]|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const date = value instanceof Date ? value : new Date(zoned);
  if (Number.isNaN(date.getTime())) throw new RangeError(`modifiedSince is not a time: ${JSON.stringify(String(value))}`);
  return date.toISOString();
}

/** The URL of one page of package_search, oldest change first. */
export function packageSearchUrl(siteUrl: string, page: PackageSearchPage): string {
  if (!Number.isInteger(page.rows) || page.rows < 1 || page.rows > MAX_ROWS) throw new RangeError(`rows must be an integer from 1 to ${MAX_ROWS}, not ${page.rows}`);
  if (!Number.isInteger(page.start) || page.start < 0) throw new RangeError(`start must be a non-negative integer, not ${page.start}`);
  let base: URL;
  try {
    base = new URL(siteUrl.trim().replace(/\/*$/, '/'));
  } catch {
    throw new RangeError(`siteUrl is not a URL: ${JSON.stringify(siteUrl)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new RangeError(`siteUrl is not an http(s) URL: ${JSON.stringify(siteUrl)}`);
  // Relative to the site, so that a portal mounted under a path (https://host/data/) keeps it.
  const url = new URL('api/3/action/package_search', base);
  url.searchParams.set('rows', String(page.rows));
  url.searchParams.set('start', String(page.start));
  url.searchParams.set('sort', 'metadata_modified asc');
  // Solr reads the times in CKAN's index as UTC, which is how CKAN writes metadata_modified.
  if (page.modifiedSince !== undefined) url.searchParams.set('fq', `metadata_modified:[${solrTime(page.modifiedSince)} TO *]`);
  return url.toString();
}

export interface PackageSearchResult {
  /** How many packages match, over all pages. */
  count: number;
  results: CkanPackage[];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`.slice(0, 80);
}

/** The count and packages of a package_search answer (the parsed JSON body). Throws CkanApiError on an
 * answer with success: false (with CKAN's error message) or a body that is not a package_search
 * result; each package must at least be an object with an id or a name. */
export function parsePackageSearch(json: unknown): PackageSearchResult {
  if (!isObject(json)) throw new CkanApiError(`expected a JSON object, got ${describe(json)}`, '(body)');
  if (json.success === false) {
    const error = json.error;
    const message = isObject(error) ? [error.__type, error.message ?? error.info].filter((x) => typeof x === 'string' && x !== '').join(': ') : typeof error === 'string' ? error : '';
    throw new CkanApiError(`the API reported a failure${message ? `: ${message}` : ''}`, 'success');
  }
  if (json.success !== true) throw new CkanApiError(`expected true, got ${describe(json.success)}`, 'success');
  const result = json.result;
  if (!isObject(result)) throw new CkanApiError(`expected an object, got ${describe(result)}`, 'result');
  const { count, results } = result;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new CkanApiError(`expected a non-negative integer, got ${describe(count)}`, 'result.count');
  if (!Array.isArray(results)) throw new CkanApiError(`expected an array, got ${describe(results)}`, 'result.results');
  results.forEach((pkg: unknown, i) => {
    if (!isObject(pkg)) throw new CkanApiError(`expected a package object, got ${describe(pkg)}`, `result.results[${i}]`);
    const named = ['id', 'name'].some((k) => typeof pkg[k] === 'string' && (pkg[k] as string).trim() !== '');
    if (!named) throw new CkanApiError('a package has neither an id nor a name', `result.results[${i}]`);
    if (pkg.resources !== undefined && !Array.isArray(pkg.resources)) throw new CkanApiError(`expected an array, got ${describe(pkg.resources)}`, `result.results[${i}].resources`);
    if (pkg.extras !== undefined && !Array.isArray(pkg.extras)) throw new CkanApiError(`expected an array, got ${describe(pkg.extras)}`, `result.results[${i}].extras`);
  });
  return { count, results: results as CkanPackage[] };
}
