// Where hashed records come from (local-source.ts parses in this thread). The pipeline sees batches
// of hashed records, asks for the bodies of those that changed, and releases each batch once stored.
// A source that parses elsewhere (another thread or process) fits the same interface.
import type { Materialize, PreparedRecord } from '../store/records.js';
import type { RdfFormat } from '../rdf/formats.js';
import type { ProfileValidator } from '../validation/validate.js';

/** Validation of every new or changed record against the profile its source claims. */
export interface IngestValidation {
  profile: string;
  layers: string[];
  validator: ProfileValidator;
  /** reject: records with violations are not stored; accept-with-report: stored with their report. */
  policy: 'reject' | 'accept-with-report';
}

export interface SourceBatch {
  records: PreparedRecord[];
  /** Triples read since the previous batch. */
  quads: number;
  /** Triples read since the previous batch and left out as statements about this service's own
   * documents (see local-source.ts), with the subject of the first: not counted in `quads`. */
  leftOut?: { triples: number; example: string };
}

export interface RecordSource {
  batches(): AsyncIterable<SourceBatch>;
  materialize: Materialize;
  /** The batch is stored: forget what was kept to build its bodies. */
  release(records: PreparedRecord[]): void;
  /** Everything is stored (or failed): free what the source holds. */
  close(): Promise<void>;
}

export interface SourceOptions {
  catalogId: string;
  format: RdfFormat;
  baseIRI?: string;
  baseUrl: string;
  batchSize: number;
  allowRemoteContexts?: boolean;
  validation?: IngestValidation;
}
