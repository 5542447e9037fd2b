// What every source type gives the harvest run: a sequence of units (documents to store, pages that
// did not change, records the source says are gone), read lazily so that memory stays flat.
import type { Logger } from 'pino';
import type { Quad } from '../rdf/terms.js';
import type { HttpClient } from './http.js';
import type { Source } from '../store/sources.js';
import type { PageMemo } from '../store/runs.js';

export type HarvestUnit =
  /** Triples to split into records; `page` is remembered (validators, digest) once the document is read. */
  | { kind: 'document'; url: string; quads: AsyncIterable<Quad[]>; page?: PageFacts; streamed?: boolean }
  /** A page that has not changed since it was last read: the records it held count as seen. */
  | { kind: 'unchanged'; url: string; memo: PageMemo }
  /** Records the source says are gone (an LDES delete, a CKAN package deleted): withdrawn at once. */
  | { kind: 'withdraw'; url: string; iris: string[] };

/** What is remembered of a page for the next run. */
export interface PageFacts {
  etag?: string;
  lastModified?: string;
  digest?: string;
  immutable: boolean;
  /** The page that follows (paged catalogues), so that an unchanged page still leads on. */
  next?: string;
  /** N-Triples of the catalogue node as this page gave it (paged catalogues gather it over the run). */
  catalog?: string;
}

export interface HarvestProgress {
  pages: number;
  /** Pages (or records) the source says it has, when it says so. */
  totalPages?: number;
  totalRecords?: number;
  bytes: number;
}

export interface HarvestContext {
  source: Source;
  http: HttpClient;
  /** Authorization header value for the source, if it needs one. */
  credentials?: string;
  /** The pages read by earlier runs, by URL. */
  memos: Map<string, PageMemo>;
  log: Logger;
  signal: AbortSignal;
  allowRemoteContexts: boolean;
  progress: HarvestProgress;
  /** An item failed without stopping the run (a package that cannot be mapped): it is logged. */
  itemFailed(item: { iri?: string; location: string; message: string }): void;
  /** Records of this source withdrawn outside a harvest (an entity portal's or an administrator's
   * DELETE) before the run began, and withdrawn still. The source is the authority for them: one that
   * is read in full finds them on the pages that held them (which the withdrawal made the run read
   * again), but an increment does not see what did not change, so it asks its source for them (ckan.ts). */
  recalled(): Promise<RecalledRecord[]>;
  /** The source was asked for a recalled record and answered, giving it or saying it no longer has it:
   * later runs need not ask again. */
  recallSettled(recordId: string): void;
}

/** A record withdrawn outside a harvest, as the source last gave it. */
export interface RecalledRecord {
  id: string;
  iri: string;
  /** The record's triples as last stored (N-Quads): what names it at its source besides its IRI. */
  nquads: string;
}

/** The source's credentials as a request option: for its own origin only (see GetOptions). */
export function sourceAuthorization(ctx: HarvestContext): { value: string; origin: string } | undefined {
  if (!ctx.credentials) return undefined;
  try {
    return { value: ctx.credentials, origin: new URL(ctx.source.url).origin };
  } catch {
    return undefined;
  }
}

export interface HarvestAdapter {
  /** A complete run of this adapter lists every record the source has, so that a record missing from it
   * may be withdrawn. Incremental readers (an LDES, changes since a date) do not. */
  listsEverything(ctx: HarvestContext): boolean;
  units(ctx: HarvestContext): AsyncIterable<HarvestUnit>;
  /** What to remember for the next run (where an incremental reader stopped), after a run that ended well. */
  nextState?(): Record<string, unknown> | undefined;
}

/** The source stopped the run: a page that cannot be fetched or parsed, a loop, a limit. Records read
 * before it are kept; nothing is withdrawn. */
export class HarvestSourceError extends Error {
  constructor(
    readonly location: string,
    message: string,
    /** The source may well answer later (unreachable, timed out, 5xx, 429): the run is tried again. */
    readonly transient = false,
  ) {
    super(message);
    this.name = 'HarvestSourceError';
  }
}
