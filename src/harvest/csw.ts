// Source type "csw": an OGC CSW 2.0.2 catalogue (GeoNetwork, pycsw, ...) read with GetRecords in ISO
// 19139, page by page (startPosition / maxRecords), each record mapped to GeoDCAT-AP (iso19139/map.ts).
// The source URL is the CSW endpoint; parameters already in it (a GeoNetwork portal path, an API key)
// are kept on every request.
//
// - A record that cannot be mapped is logged as a failed item and the run goes on; a page that cannot
//   be fetched or parsed, or an ows:ExceptionReport, stops the run as incomplete.
// - Paging follows the server's nextRecord and stops when it is 0 or past numberOfRecordsMatched. A
//   nextRecord that asks for a page already read, or more pages than `maxPages`, stops the run; so does
//   a numberOfRecordsMatched that changes between pages, since records then shift between pages and
//   some may never be listed: such a run must not withdraw anything.
// - CSW servers send no validators, and their responses carry a timestamp (csw:SearchStatus), so a page
//   counts as unchanged when its bytes without that timestamp are the same as last time: an unchanged
//   catalogue is fetched again but not mapped or stored again.
import { createHash } from 'node:crypto';
import type { Quad } from '../rdf/terms.js';
import { HarvestSourceError, sourceAuthorization, type HarvestAdapter, type HarvestContext, type HarvestUnit, type PageFacts } from './adapter.js';
import { CswExceptionError, CswResponseError, getRecordsUrl, parseGetRecordsResponse, type GetRecordsPage } from './csw-response.js';
import type { Profile } from './iso19139/context.js';
import { isoToGeoDcat, type IsoMappingOptions } from './iso19139/map.js';
import { first, norm, text } from './iso19139/select.js';
import { XmlParseError, XmlSecurityError } from './iso19139/xml.js';

export interface CswOptions {
  /** Records asked for per GetRecords request (maxRecords); 100 by default. */
  pageSize?: number;
  /** Pages read at most (a safety net against endless paging). */
  maxPages?: number;
  /** A CQL filter (OGC CQL_TEXT 1.1.0) that selects the records to harvest, e.g. "apiso:Type = 'dataset'". */
  constraint?: string;
  /** Namespace for IRIs minted from file identifiers, for records whose resource has none (see isoToGeoDcat). */
  baseIRI?: string;
  profile?: Profile;
  /** ISO 639-2 code of the language picked where one text must be chosen among translations. */
  preferredLanguage?: string;
  /** Bytes a page may have. */
  maxBytes?: number;
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_MAX_PAGES = 100_000;
/** A page is held whole to be parsed; 100 full ISO records are a few megabytes. */
const DEFAULT_PAGE_BYTES = 256 * 1024 * 1024;
const ACCEPT = 'application/xml, text/xml;q=0.9, */*;q=0.1';

export function cswAdapter(): HarvestAdapter {
  return {
    listsEverything: () => true,
    units: (ctx) => pages(ctx),
  };
}

interface Settings {
  pageSize: number;
  maxPages: number;
  constraint?: string;
  mapping: IsoMappingOptions;
  maxBytes: number;
}

function settings(ctx: HarvestContext): Settings {
  const o = (ctx.source.options ?? {}) as CswOptions;
  const whole = (name: keyof CswOptions, value: unknown, fallback: number): number => {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new HarvestSourceError(ctx.source.url, `the source's ${name} option must be a whole number from 1, not ${JSON.stringify(value)}`);
    return value;
  };
  if (o.constraint !== undefined && typeof o.constraint !== 'string') throw new HarvestSourceError(ctx.source.url, "the source's constraint option must be a CQL text");
  if (o.profile !== undefined && o.profile !== 'core' && o.profile !== 'extended') throw new HarvestSourceError(ctx.source.url, "the source's profile option must be core or extended");
  return {
    pageSize: whole('pageSize', o.pageSize, DEFAULT_PAGE_SIZE),
    maxPages: whole('maxPages', o.maxPages, DEFAULT_MAX_PAGES),
    constraint: o.constraint?.trim() || undefined,
    mapping: { baseIRI: o.baseIRI, profile: o.profile, preferredLanguage: o.preferredLanguage },
    maxBytes: whole('maxBytes', o.maxBytes, Math.min(ctx.http.options.maxBytes, DEFAULT_PAGE_BYTES)),
  };
}

/** The GetRecords request for one page, with the source's filter if it has one. */
export function cswPageUrl(endpoint: string, startPosition: number, pageSize: number, constraint?: string): string {
  const url = getRecordsUrl(endpoint, startPosition, pageSize);
  if (!constraint) return url;
  return `${url}&constraintLanguage=CQL_TEXT&constraint_language_version=1.1.0&constraint=${encodeURIComponent(constraint)}`;
}

async function* pages(ctx: HarvestContext): AsyncGenerator<HarvestUnit> {
  const s = settings(ctx);
  // What the mapping depends on besides the page: a change of these options maps every page again.
  const salt = JSON.stringify(s.mapping);
  const asked = new Set<number>();
  let matched: number | undefined;
  let start = 1;
  for (;;) {
    const url = cswPageUrl(ctx.source.url, start, s.pageSize, s.constraint);
    if (asked.size >= s.maxPages) throw new HarvestSourceError(url, `more than ${s.maxPages} pages; stopped (raise the source's maxPages option if the catalogue is that large)`);
    asked.add(start);
    const { fetched, text: body } = await ctx.http.text(url, {
      accept: ACCEPT,
      authorization: sourceAuthorization(ctx),
      signal: ctx.signal,
      maxBytes: s.maxBytes,
    });
    ctx.progress.pages++;
    ctx.progress.bytes += fetched.bytesRead();
    const page = parsePage(body, url);
    if (matched === undefined) matched = page.matched;
    else if (page.matched !== matched)
      throw new HarvestSourceError(url, `the catalogue changed during the run: numberOfRecordsMatched was ${matched}, is now ${page.matched}; records may have moved between pages, so the run is incomplete`);
    ctx.progress.totalRecords = matched;
    ctx.progress.totalPages = Math.ceil(matched / s.pageSize);

    const next = page.nextRecord === 0 || page.nextRecord > matched ? undefined : page.nextRecord;
    const digest = createHash('sha256').update(salt).update('\n').update(withoutTimestamp(body)).digest('base64url');
    const memo = ctx.memos.get(url);
    if (memo?.digest === digest) yield { kind: 'unchanged', url, memo };
    else yield* documents(ctx, url, start, page, s.mapping, { immutable: false, digest, next: next === undefined ? undefined : cswPageUrl(ctx.source.url, next, s.pageSize, s.constraint) });

    if (next === undefined) return;
    if (asked.has(next)) throw new HarvestSourceError(url, `nextRecord ${next} asks for a page already read (a loop); stopped after ${asked.size} pages`);
    start = next;
  }
}

function parsePage(body: string, url: string): GetRecordsPage {
  try {
    return parseGetRecordsResponse(body);
  } catch (e) {
    if (e instanceof CswExceptionError) throw new HarvestSourceError(url, `the server answered with an exception report: ${e.message}`);
    if (e instanceof XmlSecurityError) throw new HarvestSourceError(url, `refused: ${e.message}`);
    if (e instanceof XmlParseError) throw new HarvestSourceError(url, `malformed XML: ${e.message}`);
    if (e instanceof CswResponseError) throw new HarvestSourceError(url, `not a GetRecords response: ${e.message}`);
    throw e;
  }
}

/**
 * One document per record, so that what a record holds does not depend on the records that share its
 * page (a record inserted upstream shifts every later one to another page). The first document carries
 * the page's facts; a page without a mappable record still gives one, empty, to be remembered.
 */
function* documents(ctx: HarvestContext, url: string, start: number, page: GetRecordsPage, mapping: IsoMappingOptions, facts: PageFacts): Generator<HarvestUnit> {
  const mapped: Quad[][] = [];
  let failed = false;
  for (const [i, record] of page.records.entries()) {
    try {
      // ISO 19115 requires it; without it the mapping would give a dataset with nothing but its record.
      if (!first(record, 'gmd:identificationInfo/*')) throw new Error('the record describes no resource (no gmd:identificationInfo)');
      mapped.push(isoToGeoDcat(record, mapping));
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      failed = true;
      const id = norm(text(first(record, 'gmd:fileIdentifier/gco:CharacterString')));
      ctx.itemFailed({
        location: `${url} record ${start + i} (${i + 1} of the page${id ? `, fileIdentifier ${id}` : ''}, line ${record.line})`,
        message: `cannot be mapped to GeoDCAT-AP: ${e.message}`,
      });
    }
  }
  // A page with a record that failed is read in full again next time, so that the failure is reported
  // by every run until the record is fixed.
  const remembered: PageFacts = failed ? { ...facts, digest: undefined } : facts;
  if (mapped.length === 0) yield { kind: 'document', url, quads: once([]), page: remembered };
  for (let i = 0; i < mapped.length; i++) yield { kind: 'document', url, quads: once(mapped[i]), page: i === 0 ? remembered : undefined };
}

/** The response without csw:SearchStatus, whose timestamp changes with every request. */
function withoutTimestamp(body: string): string {
  return body.replace(/<([\w.-]+:)?SearchStatus\b[^>]*?(\/>|>[\s\S]*?<\/([\w.-]+:)?SearchStatus\s*>)/, '');
}

async function* once(quads: Quad[]): AsyncGenerator<Quad[]> {
  if (quads.length > 0) yield quads;
}
