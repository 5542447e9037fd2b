// Source type "ckan": a CKAN portal read through its Action API (package_search), each package mapped
// to DCAT-AP (ckan/map.ts). The source URL is the portal's site URL.
// - A full run pages through every package and ends with the portal's catalogue node listing them;
//   only a full run may withdraw packages that disappeared.
// - Between full runs, a run asks only for packages modified since the newest change the last run saw
//   (metadata_modified), so a large portal costs a page or two when little changed. A full run is made
//   when none has been for `fullEveryHours` (default 24), or when the source has no state yet.
import { HarvestSourceError, sourceAuthorization, type HarvestAdapter, type HarvestContext, type HarvestUnit } from './adapter.js';
import { packageSearchUrl, parsePackageSearch, CkanApiError, MAX_ROWS } from './ckan/api.js';
import { ckanCatalogQuads, ckanDatasetIri, ckanPackageToQuads, normaliseSiteUrl, type CkanPackage } from './ckan/map.js';
import type { Quad } from '../rdf/terms.js';

export interface CkanOptions {
  rows?: number;
  fullEveryHours?: number;
  maxPages?: number;
  /** Catalogue title, when the portal's own is not wanted. */
  title?: string;
}

interface CkanState {
  /** The newest metadata_modified seen (CKAN's UTC time without a zone). */
  lastModified?: string;
  /** When the last full run started (ISO). */
  lastFull?: string;
}

export function ckanAdapter(): HarvestAdapter {
  let state: CkanState = {};
  let full = true;
  return {
    listsEverything: () => full,
    units(ctx) {
      state = { ...((ctx.source.state as CkanState | null) ?? {}) };
      const options = ctx.source.options as CkanOptions;
      const hours = options.fullEveryHours ?? 24;
      full = !state.lastModified || !state.lastFull || Date.now() - Date.parse(state.lastFull) > hours * 3600_000;
      return pages(ctx, state, full, () => (full = false));
    },
    nextState: () => ({ ...state }),
  };
}

async function* pages(ctx: HarvestContext, state: CkanState, full: boolean, incomplete: () => void): AsyncGenerator<HarvestUnit> {
  const options = ctx.source.options as CkanOptions;
  const rows = Math.min(Math.max(options.rows ?? 100, 1), MAX_ROWS);
  const maxPages = options.maxPages ?? 100_000;
  const siteUrl = normaliseSiteUrl(ctx.source.url);
  const startedAt = new Date().toISOString();
  // Packages modified during a run may move between pages (the order is by modification time); the
  // next increment starts from the newest time seen, so one that moved is read then.
  const since = full ? undefined : state.lastModified;
  let newest = state.lastModified;
  const datasets: string[] = [];
  let count: number | undefined;
  for (let start = 0, page = 0; count === undefined || start < count; start += rows, page++) {
    if (page >= maxPages) throw new HarvestSourceError(siteUrl, `more than ${maxPages} pages; stopped (raise the source's maxPages option)`);
    const url = packageSearchUrl(siteUrl, { rows, start, modifiedSince: since ? `${since}` : undefined });
    const { text } = await ctx.http.text(url, { accept: 'application/json', authorization: sourceAuthorization(ctx), signal: ctx.signal });
    ctx.progress.pages++;
    ctx.progress.bytes += Buffer.byteLength(text);
    let result: { count: number; results: CkanPackage[] };
    try {
      result = parsePackageSearch(JSON.parse(text));
    } catch (e) {
      if (e instanceof SyntaxError) throw new HarvestSourceError(url, `the answer is not JSON: ${e.message}`);
      if (e instanceof CkanApiError) throw new HarvestSourceError(url, e.message);
      throw e;
    }
    count = result.count;
    ctx.progress.totalRecords = count;
    const quads: Quad[] = [];
    result.results.forEach((pkg, i) => {
      try {
        for (const q of ckanPackageToQuads(pkg, { siteUrl })) quads.push(q);
        if (full) datasets.push(ckanDatasetIri(pkg, { siteUrl }).value);
        if (typeof pkg.metadata_modified === 'string' && (!newest || pkg.metadata_modified > newest)) newest = pkg.metadata_modified;
      } catch (e) {
        ctx.itemFailed({ iri: typeof pkg.name === 'string' ? `${siteUrl}/dataset/${pkg.name}` : undefined, location: `${url} (result ${i})`, message: (e as Error).message });
      }
    });
    yield { kind: 'document', url, quads: once(quads) };
    if (result.results.length === 0) break;
  }
  // Paging by offset over a list that changes while it is read (a package edited meanwhile moves to the
  // end and the others shift back across a page boundary) can skip a package: a full run that read
  // fewer distinct packages than the portal counts lists nothing for withdrawal, and the next run is
  // full again.
  const distinct = new Set(datasets).size;
  if (full && count !== undefined && distinct < count) {
    ctx.log.warn({ read: distinct, count }, 'the portal listed packages that this run did not read (it changed while it was read); nothing is withdrawn and the next run reads everything again');
    incomplete();
    full = false;
  }
  if (full) {
    yield { kind: 'document', url: siteUrl, quads: once(ckanCatalogQuads(siteUrl, options.title ?? ctx.source.title ?? undefined, { datasets })) };
    state.lastFull = startedAt;
  }
  if (newest) state.lastModified = newest;
}

async function* once(quads: Quad[]): AsyncGenerator<Quad[]> {
  if (quads.length > 0) yield quads;
}
