// Source type "ckan": a CKAN portal read through its Action API (package_search), each package mapped
// to DCAT-AP (ckan/map.ts). The source URL is the portal's site URL.
// - A full run pages through every package and ends with the portal's catalogue node listing them;
//   only a full run may withdraw packages that disappeared.
// - Between full runs, a run asks only for packages modified since the newest change the last run saw
//   (metadata_modified), so a large portal costs a page or two when little changed. A full run is made
//   when none has been for `fullEveryHours` (default 24), or when the source has no state yet.
// - An increment does not see a package that did not change. A record withdrawn here outside a
//   harvest (an entity portal's DELETE) whose package the portal still lists would come back only at
//   the next full run; so an increment also asks package_show for each such package, and brings back
//   those the portal still lists.
import { HarvestSourceError, sourceAuthorization, type HarvestAdapter, type HarvestContext, type HarvestUnit, type RecalledRecord } from './adapter.js';
import { packageSearchUrl, packageShowUrl, parsePackageSearch, parsePackageShow, listedPackage, CkanApiError, MAX_ROWS } from './ckan/api.js';
import { ckanCatalogQuads, ckanDatasetIri, ckanPackageToQuads, normaliseSiteUrl, type CkanPackage } from './ckan/map.js';
import { HarvestFetchError } from './http.js';
import { parseString } from '../rdf/parse.js';
import { PREFIXES } from '../rdf/namespaces.js';
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
  /** Datasets an increment read (few): a recalled one among them needs no package_show. */
  const changed = new Set<string>();
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
        else changed.add(ckanDatasetIri(pkg, { siteUrl }).value);
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
  } else {
    // A full run lists every package the portal has, recalled or not; an increment asks for them. Their
    // metadata_modified is not taken as the newest seen: a package edited while this run read the
    // increment, and not in it, would be skipped by the next one.
    yield* recalledPackages(ctx, siteUrl, changed);
  }
  if (newest) state.lastModified = newest;
}

/**
 * The packages of records withdrawn here outside a harvest, asked for one by one with package_show,
 * by the names their records give (recallKeys). One the portal still lists (active and public, as
 * package_search would give it, under the same dataset IRI) is read again, and so comes back; one it
 * no longer has (404, or 403 for a deleted or private one to a harvester that may not see it), or no
 * longer lists, does not, and is not asked for again. Neither fails the run: a package that cannot be
 * read (the portal unreachable, an answer that is no package) is a failed item, asked for again at the
 * next run.
 */
async function* recalledPackages(ctx: HarvestContext, siteUrl: string, read: Set<string>): AsyncGenerator<HarvestUnit> {
  const byIri = new Map<string, RecalledRecord[]>();
  for (const r of await ctx.recalled()) byIri.set(r.iri, [...(byIri.get(r.iri) ?? []), r]);
  for (const [iri, records] of byIri) {
    const settle = () => {
      for (const r of records) ctx.recallSettled(r.id);
    };
    if (read.has(iri)) {
      settle();
      continue;
    }
    // A record whose package cannot be named is left to the next full run, which lists everything.
    const keys = await recallKeys(iri, records, siteUrl);
    let failed = false;
    for (const key of keys) {
      const url = packageShowUrl(siteUrl, key);
      let pkg: CkanPackage;
      try {
        const { text } = await ctx.http.text(url, { accept: 'application/json', authorization: sourceAuthorization(ctx), signal: ctx.signal });
        ctx.progress.pages++;
        ctx.progress.bytes += Buffer.byteLength(text);
        pkg = parsePackageShow(JSON.parse(text));
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        // Not under this name (another key may find it), or not to be seen by this harvester.
        if (e instanceof HarvestFetchError && e.kind === 'http' && (e.status === 404 || e.status === 403)) continue;
        if (e instanceof CkanApiError && (e.type === 'Not Found Error' || e.type === 'Authorization Error')) continue;
        ctx.itemFailed({ iri, location: url, message: e instanceof SyntaxError ? `the answer is not JSON: ${e.message}` : (e as Error).message });
        failed = true;
        break;
      }
      if (!listedPackage(pkg)) continue;
      let quads: Quad[];
      try {
        // Another package that took the name since is not the withdrawn record's.
        if (ckanDatasetIri(pkg, { siteUrl }).value !== iri) continue;
        quads = ckanPackageToQuads(pkg, { siteUrl });
      } catch (e) {
        ctx.itemFailed({ iri, location: url, message: (e as Error).message });
        failed = true;
        break;
      }
      yield { kind: 'document', url, quads: once(quads) };
      break;
    }
    if (!failed && keys.length > 0) settle();
  }
}

const LANDING_PAGE = `${PREFIXES.dcat}landingPage`;

/** The ids or names a recalled record's package may be asked for by: the one in its IRI when the
 * portal named it (<site>/dataset/<id>), and the name in its page on the portal, which the mapping
 * gives every package as a landing page (the only name of a package with its own `uri`). */
async function recallKeys(iri: string, records: RecalledRecord[], siteUrl: string): Promise<string[]> {
  const prefix = `${siteUrl}/dataset/`;
  const keys = new Set<string>();
  const add = (page: string) => {
    const rest = page.slice(prefix.length);
    if (!page.startsWith(prefix) || rest === '' || /[/?#]/.test(rest)) return;
    try {
      keys.add(decodeURIComponent(rest));
    } catch {
      // Not percent-encoded as the mapping writes it: not a name of ours.
    }
  };
  add(iri);
  for (const r of records) {
    let quads: Quad[];
    try {
      quads = await parseString(r.nquads, { format: 'nquads' });
    } catch {
      continue;
    }
    for (const q of quads) if (q.subject.value === iri && q.predicate.value === LANDING_PAGE && q.object.termType === 'NamedNode') add(q.object.value);
  }
  return [...keys];
}

async function* once(quads: Quad[]): AsyncGenerator<Quad[]> {
  if (quads.length > 0) yield quads;
}
