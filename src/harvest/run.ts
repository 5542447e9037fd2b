// One harvest run of one source: read its units through the adapter, store what changed (unchanged
// records cost a hash lookup and nothing more), log each item that changed or failed, remember the
// pages for the next run, and withdraw records that are gone, but only when it is safe:
// - never after a run that failed, stopped part-way, or read nothing;
// - only for sources whose complete run lists everything (not a stream or an increment);
// - and not when the run would withdraw more than the source's share (default 20%) of its records:
//   then the run waits for an operator to confirm (POST /api/v1/runs/{id}/confirm-withdrawal).
import type { Services } from '../app.js';
import { documentsSource, type SourceDocument } from '../ingest/local-source.js';
import { localId } from '../ingest/prepare.js';
import type { Quad } from '../rdf/terms.js';
import type { Queryable } from '../store/db.js';
import { withdrawRecords, type PreparedRecord, type UpsertResult } from '../store/records.js';
import { rejectionReason } from '../validation/summary.js';
import {
  addItems,
  addPendingWithdrawals,
  failAbandonedRuns,
  finishRun,
  forgetPages,
  forgetPagesExcept,
  getRun,
  holdSource,
  pageMemos,
  progressRun,
  recalledRecords,
  recalledSince,
  savePageMemos,
  settleRecalls,
  sourceRecalls,
  startRun,
  type PageMemo,
  type Run,
  type RunCounts,
  type RunItem,
  type RunStatus,
} from '../store/runs.js';
import { getSource, leaseSource, releaseSource, saveSourceState, sourceCredentials, type Source } from '../store/sources.js';
import { randomUUID } from 'node:crypto';

import { HarvestSourceError, type HarvestAdapter, type HarvestContext, type HarvestProgress, type HarvestUnit, type PageFacts } from './adapter.js';
import { adapterFor } from './adapters.js';
import { HarvestFetchError, type HttpClient } from './http.js';
import { IdSet } from './id-set.js';

/** How often a running run's row is brought up to date. */
const PROGRESS_MS = 2_000;

export interface RunProgress extends HarvestProgress {
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  seconds: number;
}

export interface RunOptions {
  trigger?: string;
  worker?: string;
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
}

/** Another run of the source is in progress (its worker still renews its hold). */
export class SourceBusyError extends Error {
  constructor(id: string, holder?: { process: string; until: Date }) {
    super(
      `Source "${id}" is being harvested by another run right now` +
        (holder ? ` (${holder.process}; if that process has died, its hold runs out at ${holder.until.toISOString()}).` : '.'),
    );
    this.name = 'SourceBusyError';
  }
}

export class UnknownSourceError extends Error {
  constructor(id: string, message = `No harvest source with id "${id}".`) {
    super(message);
    this.name = 'UnknownSourceError';
  }
}

/** The source was removed while a run of it went on: the run stopped there (its records are withdrawn). */
export class SourceRemovedError extends UnknownSourceError {
  constructor(id: string) {
    super(id, `Source "${id}" was removed while it was being harvested; the run stopped (its records are withdrawn).`);
    this.name = 'SourceRemovedError';
  }
}

/** A finished run, and whether it failed on a source that may answer later (a worker tries it again). */
export type RunOutcome = Run & { retryable: boolean };

export async function runHarvest(services: Services, http: HttpClient, sourceId: string, options: RunOptions = {}): Promise<RunOutcome> {
  const { db } = services;
  const source = await getSource(db, sourceId);
  if (!source) throw new UnknownSourceError(sourceId);
  // One run of a source at a time: the hold is renewed while this run lives. Once it is ours, a run
  // still marked running was left by a worker that died (its hold ran out).
  const holder = `${options.worker ?? 'cli'}:${randomUUID()}`;
  const leaseSeconds = services.config.harvest.leaseSeconds;
  if (!(await leaseSource(db, source.id, holder, leaseSeconds))) {
    // Who holds it (host:pid, without the run's own token) and until when, for the operator.
    const held = await db.query<{ lease_holder: string | null; lease_until: Date | null }>('SELECT lease_holder, lease_until FROM sources WHERE id = $1', [source.id]);
    const h = held.rows[0];
    throw new SourceBusyError(source.id, h?.lease_holder && h.lease_until ? { process: h.lease_holder.replace(/:[0-9a-f-]{36}$/, ''), until: h.lease_until } : undefined);
  }
  const renew = setInterval(() => void leaseSource(db, source.id, holder, leaseSeconds).catch(() => undefined), Math.max(500, (leaseSeconds * 1000) / 3));
  try {
    return await leasedRun(services, http, source, options);
  } finally {
    clearInterval(renew);
    await releaseSource(db, source.id, holder).catch(() => undefined);
  }
}

async function leasedRun(services: Services, http: HttpClient, source: Source, options: RunOptions): Promise<RunOutcome> {
  const { db, log } = services;
  await failAbandonedRuns(db, source.id, 'the worker running it stopped before it finished; the run was retried');
  const runId = await startRun(db, source.id, options.trigger ?? 'manual', options.worker ?? 'cli');
  const started = Date.now();
  // The recalls waiting now, before the pages are looked up: a withdrawal committed after this is one
  // the run may have read the record before (see HarvestRun.remember).
  const recalls = await sourceRecalls(db, source.id);
  const harvest = new HarvestRun(services, source, runId, recalls);
  const adapter = adapterFor(source.type);
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort());
  const ctx: HarvestContext = {
    source,
    http,
    credentials: await sourceCredentials(db, source.id),
    memos: await pageMemos(db, source.id),
    log: log.child({ source: source.id, run: runId }),
    signal: controller.signal,
    allowRemoteContexts: services.config.allowRemoteContexts,
    progress: { pages: 0, bytes: 0 },
    itemFailed: (item) => harvest.failedItem(item),
    recalled: () => recalledRecords(db, recalls),
    recallSettled: (id) => harvest.recallSettled(id),
  };
  let status: RunStatus = 'succeeded';
  let error: string | undefined;
  let removed = false;
  // The run's row follows a long run every few seconds (it showed 0 pages until the end).
  let stored = { records: 0, created: 0, updated: 0, unchanged: 0 };
  const progress = setInterval(() => {
    const { records, created, updated, unchanged } = stored;
    void progressRun(db, runId, { pages: ctx.progress.pages, bytes: ctx.progress.bytes, records, created, updated, unchanged }).catch(() => undefined);
  }, PROGRESS_MS);
  progress.unref();
  try {
    // The records are validated where their bodies are built, in the record source.
    const validation = services.validationFor(source.profile === 'none' ? null : (source.profile ?? undefined), source.validationPolicy);
    const records = documentsSource(harvest.documents(adapter, ctx), { catalogId: source.catalogId, baseUrl: services.config.baseUrl, batchSize: 250, validation });
    const report = await services.ingestRecords(records, {
      catalogId: source.catalogId,
      source: { id: source.id, kind: source.type, location: source.url },
      // The record source validates; the store needs the profile and policy to tell stale reports
      // (records validated against another profile) and to turn away stored records with violations.
      validation,
      sourceExists: true,
      allowEmpty: true,
      provenance: { runId, fetchedAt: new Date(started) },
      onRecords: (records) => harvest.saw(records),
      inWrite: (tx, result) => harvest.logWritten(tx, result),
      onProgress: (p) => {
        stored = p;
        options.onProgress?.({ ...ctx.progress, records: p.records, created: p.created, updated: p.updated, unchanged: p.unchanged, seconds: (Date.now() - started) / 1000 });
      },
    });
    Object.assign(harvest.counts, { records: report.records, created: report.created, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected });
    // The records of pages that had not changed were not read again: they are the run's too, unchanged.
    const kept = harvest.recordsOfUnchangedPages();
    harvest.counts.records += kept;
    harvest.counts.unchanged += kept;
    await harvest.applyWithdrawals();
    if (harvest.sourceError) {
      status = harvest.counts.records > 0 || harvest.counts.pagesNotModified > 0 ? 'partial' : 'failed';
      error = `${harvest.sourceError.location}: ${harvest.sourceError.message}`;
    } else if (adapter.listsEverything(ctx) && source.deletionPolicy === 'withdraw-missing' && harvest.counts.failed > 0) {
      // A record the source lists but that could not be read is missing from what was seen, though not
      // from the source: nothing missing is withdrawn until every record reads.
      status = 'partial';
      error = `${harvest.counts.failed} record${harvest.counts.failed === 1 ? '' : 's'} could not be read (see the run's items); records missing from this run were not withdrawn`;
    } else if (adapter.listsEverything(ctx) && source.deletionPolicy === 'withdraw-missing') {
      const outcome = await harvest.withdrawMissing();
      if (outcome === 'empty') {
        status = 'failed';
        error = 'The source gave no records although it had some before; nothing was withdrawn.';
      } else if (outcome === 'awaiting-confirmation') status = 'awaiting-confirmation';
    }
    await harvest.remember(!harvest.sourceError && adapter.listsEverything(ctx));
    const next = adapter.nextState?.();
    if (next && status !== 'failed') await saveSourceState(db, source.id, next);
  } catch (e) {
    status = 'failed';
    // Stopped from outside (a signal, a shutdown): say that, not what the cut-off request reported.
    const stopped = options.signal?.aborted ? (options.signal.reason as Error | undefined)?.message : undefined;
    error = stopped ? `${stopped} before the run ended` : (e as Error).message;
    // A source removed meanwhile makes the run's next write fail: that is the end of the run, not a fault.
    if (await sourceGone(db, source.id)) removed = true;
    else ctx.log.error({ err: e }, 'harvest run failed');
  } finally {
    controller.abort();
    clearInterval(progress);
  }
  if (removed || (await sourceGone(db, source.id))) {
    ctx.log.warn({ ...harvest.counts, seconds: (Date.now() - started) / 1000 }, 'harvest run stopped: its source was removed');
    throw new SourceRemovedError(source.id);
  }
  // A page cut off by a stop from outside reads as a timeout ("timed out (20)", the abort's code): the
  // run says it was stopped, whether or not it had stored anything, and does not blame the source.
  if (options.signal?.aborted && harvest.sourceError) {
    status = 'failed';
    error = `${(options.signal.reason as Error | undefined)?.message ?? 'stopped'} before the run ended`;
    harvest.sourceError = new HarvestSourceError(harvest.sourceError.location, error);
  }
  harvest.counts.pages = ctx.progress.pages;
  harvest.counts.bytes = ctx.progress.bytes;
  await harvest.flushFailed();
  await finishRun(db, runId, status, harvest.counts, status === 'succeeded' || status === 'awaiting-confirmation', error);
  // A run that did not succeed is something an operator must hear of (alerts watch warn and above).
  const outcome = { status, ...harvest.counts, seconds: (Date.now() - started) / 1000, ...(error ? { error } : {}) };
  if (status === 'succeeded') ctx.log.info(outcome, 'harvest run finished');
  else ctx.log.warn(outcome, status === 'awaiting-confirmation' ? 'harvest run waits for an operator to confirm withdrawals' : 'harvest run did not succeed');
  const retryable = (status === 'failed' || status === 'partial') && harvest.sourceError?.transient === true && !options.signal?.aborted;
  // Removed as the run ended: its row went with the source.
  const run = await getRun(db, runId);
  if (!run) throw new SourceRemovedError(source.id);
  return Object.assign(run, { retryable });
}

/** Whether the source no longer exists (removed during the run); a store that does not answer says nothing. */
async function sourceGone(db: Queryable, id: string): Promise<boolean> {
  return db.query('SELECT 1 FROM sources WHERE id = $1', [id]).then(
    (r) => r.rows.length === 0,
    () => false,
  );
}

/** The bookkeeping of one run: what was seen, page by page, and the item log. */
class HarvestRun {
  readonly counts: RunCounts = { pages: 0, pagesNotModified: 0, records: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0, rejected: 0, pendingWithdrawals: 0, bytes: 0 };
  sourceError?: HarvestSourceError;
  private readonly seen = new IdSet();
  /** The records read in this run (not those of unchanged pages, which are only seen). */
  private readonly read = new IdSet();
  /** Pages read, with the ids of their records; a streamed page (a dump) keeps no list: its records are
   * looked up in the store when it is remembered. */
  private readonly pages = new Map<string, { facts?: PageFacts; recordIds: string[]; complete: boolean; streamed: boolean }>();
  private readonly unchanged = new Map<string, PageMemo>();
  private readonly explicitWithdrawals: { url: string; iris: string[] }[] = [];
  /** Recalls the adapter asked the source about (see HarvestContext.recallSettled). */
  private readonly settled = new Set<string>();
  private failed: Omit<RunItem, 'seq'>[] = [];
  private seq = 0;

  constructor(
    private readonly services: Services,
    private readonly source: Source,
    private readonly runId: string,
    /** The recalls of the source waiting when the run began (record id → seq). */
    private readonly recalls: Map<string, string>,
  ) {}

  recallSettled(id: string): void {
    this.settled.add(id);
  }

  /** The adapter's units as documents for the pipeline. A source error ends the documents there (the
   * pipeline then stores what came before it) and is kept, to decide the run's outcome. */
  async *documents(adapter: HarvestAdapter, ctx: HarvestContext): AsyncGenerator<SourceDocument> {
    const stop = (e: unknown, location: string) => {
      if (e instanceof HarvestSourceError) this.sourceError = e;
      else if (e instanceof HarvestFetchError) {
        // The location is said once: a refusal's own message starts with the URL too.
        let message = e.message;
        while (message.startsWith(`${e.url}: `)) message = message.slice(e.url.length + 2);
        const transient = e.kind === 'timeout' || e.kind === 'network' || (e.kind === 'http' && e.status !== undefined && (e.status >= 500 || e.status === 429));
        this.sourceError = new HarvestSourceError(e.url, message, transient);
      }
      else if (e instanceof Error && e.name === 'AbortError') this.sourceError = new HarvestSourceError(location, 'the run was stopped');
      else throw e;
    };
    const iterator = adapter.units(ctx)[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<HarvestUnit>;
      try {
        next = await iterator.next();
      } catch (e) {
        stop(e, this.source.url);
        return;
      }
      if (next.done) return;
      const unit = next.value;
      if (unit.kind === 'unchanged') {
        this.counts.pagesNotModified++;
        this.unchanged.set(unit.url, unit.memo);
        for (const id of unit.memo.recordIds) this.seen.add(id);
        continue;
      }
      if (unit.kind === 'withdraw') {
        this.explicitWithdrawals.push({ url: unit.url, iris: unit.iris });
        continue;
      }
      const page = this.pages.get(unit.url) ?? { recordIds: [], complete: true, streamed: false };
      if (unit.page) page.facts = unit.page;
      if (unit.streamed) page.streamed = true;
      this.pages.set(unit.url, page);
      yield {
        origin: unit.url,
        quads: (async function* (): AsyncGenerator<Quad[]> {
          try {
            yield* unit.quads;
          } catch (e) {
            page.complete = false;
            stop(e, unit.url);
          }
        })(),
      };
      if (this.sourceError) {
        // A page broke off: it is not remembered, and nothing after it is read.
        page.complete = false;
        await iterator.return?.(undefined).catch(() => undefined);
        return;
      }
    }
  }

  saw(records: PreparedRecord[]): void {
    for (const r of records) {
      this.seen.add(r.id);
      this.read.add(r.id);
      const page = r.origin ? this.pages.get(r.origin) : undefined;
      if (page && !page.streamed) page.recordIds.push(r.id);
    }
  }

  /** How many records the unchanged pages hold that were not read again elsewhere in this run. */
  recordsOfUnchangedPages(): number {
    const counted = new IdSet();
    for (const memo of this.unchanged.values()) for (const id of memo.recordIds) if (!this.read.has(id)) counted.add(id);
    return counted.size;
  }

  /** In the transaction that stores a batch: one item row per record created, updated or rejected. */
  async logWritten(tx: Queryable, result: UpsertResult): Promise<void> {
    const items: Omit<RunItem, 'seq'>[] = [];
    for (const r of result.changed)
      if (!result.revalidatedIds.has(r.id))
        items.push({ action: result.createdIds.has(r.id) ? 'created' : 'updated', recordId: r.id, iri: r.iri, location: r.origin ?? null, message: r.warnings?.length ? r.warnings.join(' ') : null });
    for (const r of result.rejectedRecords)
      items.push({ action: 'rejected', recordId: r.id, iri: r.iri, location: r.origin ?? null, message: rejection(r) });
    await addItems(tx, this.runId, this.seq + 1, items);
    this.seq += items.length;
  }

  failedItem(item: { iri?: string; location: string; message: string }): void {
    this.counts.failed++;
    this.failed.push({ action: 'failed', recordId: null, iri: item.iri ?? null, location: item.location, message: item.message });
  }

  async flushFailed(): Promise<void> {
    if (this.sourceError) this.failedItem({ location: this.sourceError.location, message: this.sourceError.message });
    const items = this.failed;
    this.failed = [];
    await addItems(this.services.db, this.runId, this.seq + 1, items);
    this.seq += items.length;
  }

  /** Deletions the source stated itself (LDES delete activities): applied whatever the run's outcome. */
  async applyWithdrawals(): Promise<void> {
    for (const { url, iris } of this.explicitWithdrawals) {
      const ids = iris.map((iri) => localId(this.source.catalogId, iri));
      await this.withdraw(ids, url, 'the source deleted it');
    }
  }

  /** After a complete run: withdraws the source's records it did not list, within the allowed share. */
  async withdrawMissing(): Promise<'done' | 'empty' | 'awaiting-confirmation'> {
    const { db } = this.services;
    const live = await db.query<{ id: string; iri: string }>('SELECT id, iri FROM records WHERE source_id = $1 AND deleted_at IS NULL', [this.source.id]);
    if (this.seen.size === 0) return live.rows.length > 0 ? 'empty' : 'done';
    const missing = live.rows.filter((r) => !this.seen.has(r.id));
    if (missing.length === 0) return 'done';
    const share = missing.length / live.rows.length;
    if (share > this.source.maxWithdrawShare) {
      await addPendingWithdrawals(db, this.runId, missing.map((r) => r.id));
      const message = `missing from a complete run; ${missing.length} of ${live.rows.length} records (${(share * 100).toFixed(1)}%) exceed the source's ${(this.source.maxWithdrawShare * 100).toFixed(0)}% limit: an operator must confirm`;
      await this.log(missing.map((r) => ({ action: 'pending-withdrawal', recordId: r.id, iri: r.iri, location: this.source.url, message })));
      this.counts.pendingWithdrawals = missing.length;
      return 'awaiting-confirmation';
    }
    await this.withdraw(missing.map((r) => r.id), this.source.url, 'missing from a complete, successful run');
    return 'done';
  }

  private async withdraw(ids: string[], location: string, message: string): Promise<void> {
    const { db } = this.services;
    const gone = await db.transaction(async (tx) => {
      const withdrawn = await withdrawRecords(tx, ids);
      const iris = await tx.query<{ id: string; iri: string }>('SELECT id, iri FROM records WHERE id = ANY($1::text[])', [withdrawn]);
      const items = iris.rows.map((r) => ({ action: 'deleted' as const, recordId: r.id, iri: r.iri, location, message }));
      await addItems(tx, this.runId, this.seq + 1, items);
      this.seq += items.length;
      return withdrawn;
    });
    this.counts.deleted += gone.length;
    if (gone.length > 0) await this.services.reindexPending().catch(() => undefined);
  }

  private async log(items: Omit<RunItem, 'seq'>[]): Promise<void> {
    await addItems(this.services.db, this.runId, this.seq + 1, items);
    this.seq += items.length;
  }

  /** Remembers every page read to the end, for the next run's conditional requests. After a complete
   * run of a source that lists everything, pages it no longer has are forgotten.
   *
   * A record withdrawn outside a harvest while the run went on (an entity portal's DELETE) may sit on
   * a page the run read before the withdrawal: remembered with its validators and bytes, that page
   * would count as unchanged at the next run, and the record, which the source still lists, would never
   * come back. Such a page is not remembered (the withdrawal forgot what an earlier run had kept of it),
   * so that the next run reads it again. A record the run stored after the withdrawal is back already,
   * and its page is remembered as usual. The source's row is held meanwhile, as a withdrawal holds it,
   * so that one made between this look and the writing of the pages waits and then forgets them itself. */
  async remember(completeListing: boolean): Promise<void> {
    await this.services.db.transaction(async (tx) => {
      await holdSource(tx, this.source.id);
      const withdrawnSince = await recalledSince(tx, this.source.id, this.recalls);
      const memos: PageMemo[] = [];
      const unsure: string[] = [];
      for (const [url, p] of this.pages) {
        if (!p.complete || !p.facts) continue;
        const f = p.facts;
        let recordIds = p.recordIds;
        if (p.streamed) {
          // A dump read as a stream: when it is the source's only page, its records are the source's live
          // ones; several streamed pages cannot be told apart afterwards and are not remembered.
          if (this.pages.size > 1) continue;
          // Its live records leave out one withdrawn meanwhile, which the dump still holds.
          if (withdrawnSince.size > 0) {
            unsure.push(url);
            continue;
          }
          const live = await tx.query<{ id: string }>('SELECT id FROM records WHERE source_id = $1 AND deleted_at IS NULL', [this.source.id]);
          recordIds = live.rows.map((r) => r.id);
        } else if (recordIds.some((id) => withdrawnSince.has(id))) {
          unsure.push(url);
          continue;
        }
        memos.push({ url, etag: f.etag ?? null, lastModified: f.lastModified ?? null, digest: f.digest ?? null, recordIds, immutable: f.immutable, next: f.next ?? null, catalog: f.catalog ?? null });
      }
      await savePageMemos(tx, this.source.id, memos);
      await forgetPages(tx, this.source.id, unsure);
      if (completeListing) await forgetPagesExcept(tx, this.source.id, [...this.pages.keys(), ...this.unchanged.keys()]);
      // The recalls the run answered: records it read, those the adapter asked the source about, and,
      // after a complete listing, every one (a record it did not list is one the source no longer has).
      // Not a recall made while it ran: that one is for the next run.
      const answered = new Map<string, string>();
      for (const [id, seq] of this.recalls) if (completeListing || this.read.has(id) || this.settled.has(id)) answered.set(id, seq);
      await settleRecalls(tx, this.source.id, answered);
    });
  }
}

function rejection(r: PreparedRecord): string {
  return r.rejection ?? rejectionReason(r.body?.validation);
}
