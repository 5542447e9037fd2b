// The CKAN Action API calls a harvest makes, as pure functions: the package_search URL of one page and
// the parsing of its answer. Pages are sorted by metadata_modified so that an incremental harvest can
// ask for what changed since its last run (fq=metadata_modified:[<time> TO *]) and resume where it
// stopped. package_show asks for one package by id or name (a record withdrawn here that the portal
// may still list).
import type { CkanPackage } from './types.js';
import { isObject } from './fields.js';

/** CKAN's default upper bound on rows per package_search page (ckan.search.rows_max). */
export const MAX_ROWS = 1000;

/** An Action API answer that is not a usable package_search result; `where` points into the body. */
export class CkanApiError extends Error {
  constructor(
    message: string,
    readonly where: string,
    /** CKAN's own name for the failure (error.__type), e.g. "Not Found Error", "Authorization Error". */
    readonly type?: string,
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

/** The URL of an Action API call of the portal at siteUrl. */
function actionUrl(siteUrl: string, action: string): URL {
  let base: URL;
  try {
    base = new URL(siteUrl.trim().replace(/\/*$/, '/'));
  } catch {
    throw new RangeError(`siteUrl is not a URL: ${JSON.stringify(siteUrl)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new RangeError(`siteUrl is not an http(s) URL: ${JSON.stringify(siteUrl)}`);
  // Relative to the site, so that a portal mounted under a path (https://host/data/) keeps it.
  return new URL(`api/3/action/${action}`, base);
}

/** The URL of one page of package_search, oldest change first. */
export function packageSearchUrl(siteUrl: string, page: PackageSearchPage): string {
  if (!Number.isInteger(page.rows) || page.rows < 1 || page.rows > MAX_ROWS) throw new RangeError(`rows must be an integer from 1 to ${MAX_ROWS}, not ${page.rows}`);
  if (!Number.isInteger(page.start) || page.start < 0) throw new RangeError(`start must be a non-negative integer, not ${page.start}`);
  const url = actionUrl(siteUrl, 'package_search');
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

/** The result of a successful Action API answer; CkanApiError on success: false (with CKAN's error
 * message and type) or a body that is no such answer. */
function actionResult(json: unknown): unknown {
  if (!isObject(json)) throw new CkanApiError(`expected a JSON object, got ${describe(json)}`, '(body)');
  if (json.success === false) {
    const error = json.error;
    const type = isObject(error) && typeof error.__type === 'string' ? error.__type : undefined;
    const message = isObject(error) ? [error.__type, error.message ?? error.info].filter((x) => typeof x === 'string' && x !== '').join(': ') : typeof error === 'string' ? error : '';
    throw new CkanApiError(`the API reported a failure${message ? `: ${message}` : ''}`, 'success', type);
  }
  if (json.success !== true) throw new CkanApiError(`expected true, got ${describe(json.success)}`, 'success');
  return json.result;
}

/** A package must at least be an object with an id or a name, and lists where lists belong. */
function checkPackage(pkg: unknown, where: string): asserts pkg is CkanPackage {
  if (!isObject(pkg)) throw new CkanApiError(`expected a package object, got ${describe(pkg)}`, where);
  const named = ['id', 'name'].some((k) => typeof pkg[k] === 'string' && (pkg[k] as string).trim() !== '');
  if (!named) throw new CkanApiError('a package has neither an id nor a name', where);
  if (pkg.resources !== undefined && !Array.isArray(pkg.resources)) throw new CkanApiError(`expected an array, got ${describe(pkg.resources)}`, `${where}.resources`);
  if (pkg.extras !== undefined && !Array.isArray(pkg.extras)) throw new CkanApiError(`expected an array, got ${describe(pkg.extras)}`, `${where}.extras`);
}

/** The count and packages of a package_search answer (the parsed JSON body). Throws CkanApiError on an
 * answer with success: false (with CKAN's error message) or a body that is not a package_search
 * result; each package must at least be an object with an id or a name. */
export function parsePackageSearch(json: unknown): PackageSearchResult {
  const result = actionResult(json);
  if (!isObject(result)) throw new CkanApiError(`expected an object, got ${describe(result)}`, 'result');
  const { count, results } = result;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new CkanApiError(`expected a non-negative integer, got ${describe(count)}`, 'result.count');
  if (!Array.isArray(results)) throw new CkanApiError(`expected an array, got ${describe(results)}`, 'result.results');
  results.forEach((pkg: unknown, i) => checkPackage(pkg, `result.results[${i}]`));
  return { count, results: results as CkanPackage[] };
}

/** The URL of package_show for one package, by its id or its name (CKAN takes either). */
export function packageShowUrl(siteUrl: string, idOrName: string): string {
  if (idOrName.trim() === '') throw new RangeError('a package is asked for by a non-empty id or name');
  const url = actionUrl(siteUrl, 'package_show');
  url.searchParams.set('id', idOrName);
  return url.toString();
}

/** The package of a package_show answer (the parsed JSON body); CkanApiError as parsePackageSearch. */
export function parsePackageShow(json: unknown): CkanPackage {
  const result = actionResult(json);
  checkPackage(result, 'result');
  return result;
}

/** Whether package_search lists the package to a harvest: an active, public one. package_show also
 * answers with a deleted or draft package to its editors, and with a private one to its organisation. */
export function listedPackage(pkg: CkanPackage): boolean {
  return (pkg.state === undefined || pkg.state === 'active') && pkg.private !== true;
}
