// parse -> split -> prepare -> store, in batches. The next batch is prepared while the previous one
// is being written, so parsing and the database work side by side.
import { parseQuads, type Chunks } from '../rdf/parse.js';
import type { RdfFormat } from '../rdf/formats.js';
import { RecordSplitter, type SplitRecord } from '../dcat/split.js';
import type { Db, Queryable } from '../store/db.js';
import { ensureCatalog, ensureSource, upsertRecords, type PreparedRecord, type UpsertCounts, type UpsertResult } from '../store/records.js';
import { prepareRecord } from './prepare.js';

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
  onProgress?: (p: IngestProgress) => void;
  /** Called after each batch is committed with what it wrote, e.g. to index it at once. */
  afterBatch?: (result: UpsertResult) => Promise<void>;
}

export interface IngestProgress extends UpsertCounts {
  quads: number;
  records: number;
}

export interface IngestReport extends IngestProgress {
  byKind: Record<string, number>;
  /** Atomic ingests: what was written, for indexing after the commit. */
  written?: UpsertResult[];
  warnings: { iri: string; messages: string[] }[];
  records: number;
}

export class EmptyInputError extends Error {
  constructor() {
    super('The input holds no RDF triples.');
    this.name = 'EmptyInputError';
  }
}

export async function ingest(db: Db, input: Chunks, options: IngestOptions): Promise<IngestReport> {
  if (options.atomic) return db.transaction((tx) => run(tx, (fn) => fn(tx), input, options));
  return run(db, (fn) => db.transaction(fn), input, options);
}

async function run(
  setup: Queryable,
  write: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
  input: Chunks,
  options: IngestOptions,
): Promise<IngestReport> {
  const report: IngestReport = { quads: 0, records: 0, created: 0, updated: 0, unchanged: 0, byKind: {}, warnings: [] };
  const batchSize = options.batchSize ?? 500;
  const splitter = new RecordSplitter();
  const prepareCtx = { catalogId: options.catalogId, baseUrl: options.baseUrl };
  let batch: PreparedRecord[] = [];
  let writing: Promise<void> = Promise.resolve();
  let catalogEnsured = false;
  const atomic = options.atomic === true;
  // In one transaction, indexing waits for the commit: what is indexed must be what was stored.
  const written: UpsertResult[] = [];

  const flush = async () => {
    const toWrite = batch;
    batch = [];
    await writing;
    if (!catalogEnsured) {
      await ensureCatalog(setup, options.catalogId);
      await ensureSource(setup, options.source.id, options.source.kind, options.source.location, options.catalogId);
      catalogEnsured = true;
    }
    // The database writes (and indexes) this batch while the next one is parsed and prepared.
    writing = write((tx) => upsertRecords(tx, options.catalogId, options.source.id, toWrite)).then(async (c) => {
      report.created += c.created;
      report.updated += c.updated;
      report.unchanged += c.unchanged;
      if (!atomic && options.afterBatch && c.changed.length > 0) await options.afterBatch(c);
      else if (atomic && c.changed.length > 0) written.push(c);
      options.onProgress?.(report);
    });
  };
  const take = async (records: SplitRecord[]) => {
    for (const r of records) {
      const prepared = prepareRecord(r, prepareCtx);
      batch.push(prepared);
      report.records++;
      report.byKind[prepared.kind] = (report.byKind[prepared.kind] ?? 0) + 1;
      if (prepared.warnings && prepared.warnings.length > 0 && report.warnings.length < 1000)
        report.warnings.push({ iri: prepared.iri, messages: prepared.warnings });
      if (batch.length >= batchSize) await flush();
    }
  };

  try {
    for await (const quads of parseQuads(input, { format: options.format, baseIRI: options.baseIRI, contexts: { allowRemote: options.allowRemoteContexts } })) {
      report.quads += quads.length;
      await take(splitter.push(quads));
    }
    await take(splitter.end());
    if (report.quads === 0) throw new EmptyInputError();
    if (batch.length > 0) await flush();
  } finally {
    // Never leave a write running behind an error.
    await writing.catch(() => undefined);
  }
  await writing;
  return Object.assign(report, { written });
}
