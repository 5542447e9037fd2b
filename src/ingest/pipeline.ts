// parse -> split -> hash -> store -> index, in batches. The database stores (and indexes) one batch
// while the next is parsed and hashed; record bodies (JSON-LD, N-Triples, search document) are built
// only for records whose hash differs from the stored one.
import type { Chunks } from '../rdf/parse.js';
import type { RdfFormat } from '../rdf/formats.js';
import type { Db, Queryable } from '../store/db.js';
import { ensureCatalog, ensureSource, othersRecords, storedWithViolations, upsertRecords, type PreparedRecord, type Provenance, type UpsertCounts, type UpsertResult } from '../store/records.js';
import type { IngestValidation, RecordSource, SourceBatch, SourceOptions } from './source.js';
import { localSource } from './local-source.js';
import { detach } from '../strings.js';
import { rejectionReason, withMessage, type RecordValidation } from '../validation/summary.js';

export interface IngestOptions {
  catalogId: string;
  source: { id: string; kind: string; location: string | null };
  format: RdfFormat;
  baseIRI?: string;
  /** Public base URL of this Vindbaar, for minted IRIs. */
  baseUrl: string;
  batchSize?: number;
  /** All records in one transaction: a failure anywhere stores nothing (used for pushed documents). */
  atomic?: boolean;
  allowRemoteContexts?: boolean;
  /** Validate new and changed records (see IngestValidation). */
  validation?: IngestValidation;
  onProgress?: (p: IngestProgress) => void;
  /** Called after each batch is committed with what it wrote, e.g. to index it at once. */
  afterBatch?: (result: UpsertResult) => Promise<void>;
  /** Where records come from; parsed in this thread by default. */
  recordSource?: (input: Chunks, options: SourceOptions) => RecordSource;
  /** Every record read, changed or not, batch by batch (a harvest notes which records it saw). */
  onRecords?: (records: PreparedRecord[]) => void;
  /** Runs in the transaction that stores a batch, with what it wrote (a harvest logs its items there). */
  inWrite?: (tx: Queryable, result: UpsertResult) => Promise<void>;
  /** The harvest run the records come from, stored with each new or changed record. */
  provenance?: Provenance;
  /** The source is recorded by its owner (harvest sources): do not create or change its row. */
  sourceExists?: boolean;
  /** No triples at all is not an error (a harvest whose pages were all unchanged). */
  allowEmpty?: boolean;
}

export interface IngestProgress extends UpsertCounts {
  quads: number;
  records: number;
}

/** What validation found in the records this ingest wrote or turned away (new and changed ones). */
export interface ValidationOutcome {
  profile: string;
  policy: IngestValidation['policy'];
  /** Records validated by this ingest. */
  checked: number;
  withViolations: number;
  withWarnings: number;
  /** The records that do not conform (the first 100), each with its first findings. */
  records: {
    id: string;
    iri: string;
    verdict: string;
    violations: number;
    warnings: number;
    /** False when the reject policy kept it out. */
    stored: boolean;
    findings: { severity: string; focusNode: string; path?: string; message: string }[];
  }[];
}

export interface IngestReport extends IngestProgress {
  byKind: Record<string, number>;
  validation?: ValidationOutcome;
  /** Atomic ingests: what was written, for indexing after the commit. */
  written?: UpsertResult[];
  warnings: { iri: string; messages: string[] }[];
}

export class EmptyInputError extends Error {
  constructor(message = 'The input holds no RDF triples.') {
    super(message);
    this.name = 'EmptyInputError';
  }
}

/** Why triples about this service's own documents were left out, and what to do instead: relative IRIs
 * are read against the push URL, which is one of them. */
function leftOutMessage(leftOut: { triples: number; example: string }, baseIRI: string | undefined): string {
  const relative = baseIRI !== undefined && leftOut.example.startsWith(baseIRI.slice(0, baseIRI.lastIndexOf('/') + 1));
  return `${leftOut.triples} triple(s) about this service's own documents (such as <${detach(leftOut.example)}>) were left out: a source describes its own resources, not this catalogue's.${relative ? ' Relative IRIs are read against the URL the document was sent to; give the records absolute IRIs.' : ''}`;
}

export async function ingest(db: Db, input: Chunks, options: IngestOptions): Promise<IngestReport> {
  const source = (options.recordSource ?? localSource)(input, {
    catalogId: options.catalogId,
    format: options.format,
    baseIRI: options.baseIRI,
    baseUrl: options.baseUrl,
    batchSize: options.batchSize ?? 250,
    allowRemoteContexts: options.allowRemoteContexts,
    validation: options.validation,
  });
  return ingestFrom(db, source, options);
}

/**
 * The records a catalogue may write: statements about records of other catalogues are left out, each
 * with a warning. (Statements about this service's own documents never get this far: see
 * ingest/local-source.ts.)
 */
async function ownRecords(db: Queryable, options: Pick<IngestOptions, 'catalogId'>, records: PreparedRecord[], report: IngestReport): Promise<PreparedRecord[]> {
  const resources = records.filter((r) => r.kind === 'Resource');
  if (resources.length === 0) return records;
  const others = await othersRecords(db, options.catalogId, resources.map((r) => r.iri));
  if (others.size === 0) return records;
  const refused = (r: PreparedRecord) => r.kind === 'Resource' && others.has(r.iri);
  for (const r of records)
    if (refused(r) && report.warnings.length < 1000) report.warnings.push({ iri: detach(r.iri), messages: ['left out: statements about a record of another catalogue'] });
  return records.filter((r) => !refused(r));
}

/** Stores the records a source yields (see ingest). */
export async function ingestFrom(db: Db, source: RecordSource, options: Omit<IngestOptions, 'format' | 'recordSource'>): Promise<IngestReport> {
  if (options.atomic) return db.transaction((tx) => run(tx, (fn) => fn(tx), source, options));
  return run(db, (fn) => db.transaction(fn), source, options);
}

async function run(
  setup: Queryable,
  write: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
  source: RecordSource,
  options: Omit<IngestOptions, 'format' | 'recordSource'>,
): Promise<IngestReport> {
  const report: IngestReport = { quads: 0, records: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, byKind: {}, warnings: [] };
  if (options.validation) report.validation = { profile: options.validation.profile, policy: options.validation.policy, checked: 0, withViolations: 0, withWarnings: 0, records: [] };
  const atomic = options.atomic === true;
  // In one transaction, indexing waits for the commit: what is indexed must be what was stored.
  const written: UpsertResult[] = [];
  let writing: Promise<void> = Promise.resolve();
  // Indexing a batch runs on its own connection while the next batch is stored.
  let indexing: Promise<void> = Promise.resolve();
  let indexedBefore: Promise<void> = Promise.resolve();
  let catalogEnsured = false;
  let leftOut: SourceBatch['leftOut'];
  // Under the reject policy a left-over resource (no record's own node) is stored only for a record
  // that is: it waits until the records that refer to it are decided (they come before it), and one
  // that records unseen may refer to waits until some record of the input is stored (see settle).
  const reject = options.validation?.policy === 'reject';
  let waiting: PreparedRecord[] = [];
  let anyStored = false;

  /** The waiting left-overs that can be decided now: those to store, and those turned away. */
  const settle = (end: boolean): { store: PreparedRecord[]; refused: PreparedRecord[] } => {
    const store: PreparedRecord[] = [];
    const refused: PreparedRecord[] = [];
    const still: PreparedRecord[] = [];
    for (const r of waiting) {
      const by = r.referencedBy ?? [];
      if (by.some((x) => x.stored === true)) store.push(r);
      else if (!end && by.some((x) => x.stored === undefined)) still.push(r);
      else if (r.unseenReferences && anyStored) store.push(r);
      else if (r.unseenReferences && !end) still.push(r);
      else {
        r.rejection = `not stored: ${by.length > 0 ? 'only records that the policy turned away refer to it' : 'no stored record refers to it'} (policy reject)`;
        refused.push(r);
      }
    }
    waiting = still;
    return { store, refused };
  };

  /** Stores a batch once the one before it is stored: at most one batch being stored and one being
   * indexed, so the pipeline never runs ahead of the database and memory does not grow with the input. */
  const send = async (batch: PreparedRecord[], end: boolean): Promise<void> => {
    await writing;
    await indexedBefore;
    indexedBefore = indexing;
    let records = batch;
    let refused: PreparedRecord[] = [];
    if (reject) {
      const settled = settle(end);
      records = [...batch, ...settled.store];
      refused = settled.refused;
    }
    if (records.length === 0 && refused.length === 0) return;
    if (!catalogEnsured) {
      await ensureCatalog(setup, options.catalogId);
      if (!options.sourceExists) await ensureSource(setup, options.source.id, options.source.kind, options.source.location, options.catalogId, options.validation);
      catalogEnsured = true;
    }
    const inWrite = options.inWrite;
    writing = write(async (tx) => {
      const result = await upsertRecords(tx, options.catalogId, options.source.id, records, source.materialize, options.provenance, options.validation?.profile);
      // Left-overs turned away with the records they belong to are logged with them.
      if (refused.length > 0) {
        result.rejectedRecords.push(...refused);
        result.rejected += refused.length;
      }
      if (inWrite) await inWrite(tx, result);
      return result;
    }).then(async (c) => {
      source.release(records);
      source.release(refused);
      report.created += c.created;
      report.updated += c.updated;
      report.unchanged += c.unchanged;
      report.rejected += c.rejected;
      if (report.validation) noteValidation(report.validation, c.changed, c.rejectedRecords);
      // Why each was turned away, where the sender reads it.
      for (const r of c.rejectedRecords) if (report.warnings.length < 1000) report.warnings.push({ iri: detach(r.iri), messages: [r.rejection ?? rejectionReason(r.body?.validation)] });
      const turnedAway = new Set(c.rejectedRecords.map((r) => r.id));
      // Unchanged, but stored earlier (without the policy) with violations: the policy turns it
      // away too, so that a sender who gates on it is not told all is well. What is stored stays.
      if (options.validation?.policy === 'reject' && c.unchanged > 0) {
        const stored = await storedWithViolations(setup, records.filter((r) => !turnedAway.has(r.id)).map((r) => r.id), options.validation.profile);
        report.unchanged -= stored.length;
        report.rejected += stored.length;
        for (const r of stored) {
          turnedAway.add(r.id);
          if (report.warnings.length < 1000) report.warnings.push({ iri: r.iri, messages: [`${rejectionReason(r.validation)}; the version stored earlier, unchanged, stays until a version without violations is sent`] });
        }
      }
      // What the left-overs still waiting are decided by.
      if (reject)
        for (const r of records)
          if (r.kind !== 'Resource') {
            r.stored = !turnedAway.has(r.id);
            if (r.stored) anyStored = true;
          }
      if (c.changed.length > 0) {
        const after = options.afterBatch;
        if (atomic) written.push(c);
        else if (after) {
          indexing = indexing.then(() => after(c));
          indexing.catch(() => undefined);
        }
      }
      options.onProgress?.(report);
    });
    // Awaited before the next batch or at the end; until then a failure (the database gone) must not
    // count as unhandled and end the process while the next batch is being read.
    writing.catch(() => undefined);
  };

  try {
    for await (const batch of source.batches()) {
      const { quads } = batch;
      if (batch.leftOut) leftOut = { triples: (leftOut?.triples ?? 0) + batch.leftOut.triples, example: leftOut?.example ?? batch.leftOut.example };
      const records = await ownRecords(setup, options, batch.records, report);
      // What is left out is never written: the source may let go of it now.
      if (records.length < batch.records.length) source.release(batch.records.filter((r) => !records.includes(r)));
      report.quads += quads;
      // A record the input gives twice in one batch is stored once (the last one read), and counted once,
      // so that created, updated, unchanged and rejected add up to the records.
      const seen = new Set<string>();
      for (const r of records) seen.add(r.id);
      report.records += seen.size;
      options.onRecords?.(records);
      for (const r of records) {
        if (!seen.delete(r.id)) continue;
        report.byKind[r.kind] = (report.byKind[r.kind] ?? 0) + 1;
        if (r.warnings && r.warnings.length > 0 && report.warnings.length < 1000)
          report.warnings.push({ iri: detach(r.iri), messages: r.warnings.map(detach) });
      }
      let own = records;
      if (reject) {
        for (const r of records) if (r.kind === 'Resource') waiting.push(r);
        own = records.filter((r) => r.kind !== 'Resource');
      }
      // Left-overs alone wait for the next records, or the end.
      if (own.length === 0) continue;
      await send(own, false);
    }
    // The left-overs still waiting: every record that could refer to them is decided now.
    if (waiting.length > 0) await send([], true);
    // A document whose every triple was left out is not empty: the sender is told why nothing is left.
    if (report.quads === 0 && !options.allowEmpty) throw new EmptyInputError(leftOut ? `Nothing is left to store: ${leftOutMessage(leftOut, options.baseIRI)}` : undefined);
    if (leftOut && report.warnings.length < 1000) report.warnings.push({ iri: detach(leftOut.example), messages: [leftOutMessage(leftOut, options.baseIRI)] });
  } finally {
    // Never leave a write running behind an error.
    await writing.catch(() => undefined);
    await indexing.catch(() => undefined);
    await source.close();
  }
  await writing;
  await indexing;
  return Object.assign(report, { written });
}

const OUTCOME_RECORDS = 100;
const OUTCOME_FINDINGS = 10;

/** Adds the validation reports of a written batch to what the sender is told. */
function noteValidation(outcome: ValidationOutcome, stored: PreparedRecord[], rejected: PreparedRecord[]): void {
  for (const [records, kept] of [[stored, true], [rejected, false]] as const)
    for (const r of records) {
      if (!r.body?.validation) continue;
      let v: RecordValidation;
      try {
        v = (r.body.report as RecordValidation | undefined) ?? (JSON.parse(r.body.validation) as RecordValidation);
      } catch {
        continue;
      }
      outcome.checked++;
      if (v.verdict === 'violations') outcome.withViolations++;
      else if (v.verdict === 'warnings') outcome.withWarnings++;
      else continue;
      if (outcome.records.length >= OUTCOME_RECORDS) continue;
      outcome.records.push({
        id: r.id,
        iri: detach(r.iri),
        verdict: v.verdict,
        violations: v.violations,
        warnings: v.warnings,
        stored: kept,
        findings: v.results.slice(0, OUTCOME_FINDINGS).map((x) => ({ severity: x.severity, focusNode: x.focusNode, ...(x.path ? { path: x.path } : {}), message: withMessage(x).message.en })),
      });
    }
}
