// Where hashed records come from: parsed in this thread (local-source.ts) or in a worker thread
// (thread-source.ts). Either way the pipeline sees batches of hashed records, asks for the bodies of
// those that changed, and releases each batch once it is stored.
import type { Materialize, PreparedRecord } from '../store/records.js';
import type { RdfFormat } from '../rdf/formats.js';

export interface SourceBatch {
  records: PreparedRecord[];
  /** Triples read since the previous batch. */
  quads: number;
}

export interface RecordSource {
  batches(): AsyncIterable<SourceBatch>;
  materialize: Materialize;
  /** The batch is stored: forget what was kept to build its bodies. */
  release(records: PreparedRecord[]): void;
}

export interface SourceOptions {
  catalogId: string;
  format: RdfFormat;
  baseIRI?: string;
  baseUrl: string;
  batchSize: number;
  allowRemoteContexts?: boolean;
}
