// Parses, splits and hashes in the calling thread: the right choice for small documents (pushes),
// where starting a thread would cost more than it saves, and for harvests, whose pages arrive one by one.
import { parseQuads, type Chunks } from '../rdf/parse.js';
import { RecordSplitter, type SplitRecord } from '../dcat/split.js';
import type { PreparedRecord } from '../store/records.js';
import { buildBody, prepareRecord, type Hashed } from './prepare.js';
import type { RecordSource, SourceBatch, SourceOptions } from './source.js';
import type { Quad } from '../rdf/terms.js';
import { RDF_TYPE } from '../rdf/namespaces.js';
import { detach } from '../strings.js';

export function localSource(input: Chunks, options: SourceOptions): RecordSource {
  const quads = parseQuads(input, { format: options.format, baseIRI: options.baseIRI, contexts: { allowRemote: options.allowRemoteContexts } });
  return documentsSource(
    (async function* () {
      yield { quads };
    })(),
    options,
    true,
  );
}

export interface SourceDocument {
  quads: AsyncIterable<Quad[]>;
  /** Where the document came from (a page URL): records keep it, so a harvest knows what each page held. */
  origin?: string;
}

/** Records from a sequence of documents (the pages of a harvest, the members of a stream), each already
 * parsed into batches of quads. Each document is split on its own: blank-node labels of one page say
 * nothing about those of the next. `oneDocument`: the input is a single document, so that a left-over
 * resource that nothing in it refers to is referred to by nothing in the input. */
export function documentsSource(documents: AsyncIterable<SourceDocument>, options: Omit<SourceOptions, 'format'>, oneDocument = false): RecordSource {
  // Keyed by the record object: the same id can be in two batches in flight (a record cut, then
  // completed by triples that came later).
  const pending = new Map<PreparedRecord, Hashed>();
  // Types stated anywhere in the input, for records that point at resources described in others
  // (SHACL sees the whole data graph). Bounded: the types of the last 100,000 to 200,000 typed
  // resources are kept in two generations; when the newer one is full the older is dropped. (One
  // map of 500,000 cost about 150 MB on a million-dataset dump, and forgot everything at once.)
  let types = new Map<string, string[]>();
  let older = new Map<string, string[]>();
  const TYPES_PER_GENERATION = 100_000;
  const noteTypes = (quads: Quad[]) => {
    for (const q of quads)
      if (q.predicate.value === RDF_TYPE && q.subject.termType === 'NamedNode' && q.object.termType === 'NamedNode') {
        let list = types.get(q.subject.value);
        if (!list) {
          if (types.size >= TYPES_PER_GENERATION) {
            older = types;
            types = new Map();
          }
          list = [...(older.get(q.subject.value) ?? [])];
          types.set(detach(q.subject.value), list);
        }
        if (!list.includes(q.object.value)) list.push(q.object.value);
      }
  };
  const typesOf = (iri: string) => types.get(iri) ?? older.get(iri);
  return {
    async *batches(): AsyncGenerator<SourceBatch> {
      const ctx = { catalogId: options.catalogId, baseUrl: options.baseUrl };
      const ownPrefix = `${options.baseUrl.replace(/\/+$/, '')}/`;
      const mintedPrefix = `${ownPrefix}id/`;
      let records: PreparedRecord[] = [];
      let quads = 0;
      let leftOut: SourceBatch['leftOut'];
      // The record made of each split record, for the left-overs that refer to them (which come later).
      const made = new WeakMap<SplitRecord, PreparedRecord>();
      const take = function* (split: SplitRecord[]): Generator<SourceBatch> {
        for (const r of split) {
          const h = prepareRecord(r, ctx);
          if (origin !== undefined) h.record.origin = origin;
          made.set(r, h.record);
          if (r.kind === 'Resource') {
            const by = r.referencedBy?.map((x) => made.get(x)).filter((x) => x !== undefined);
            if (by && by.length > 0) h.record.referencedBy = by;
            // Another document of the input may refer to what nothing in this one does.
            if (r.unseenReferences || (!oneDocument && !h.record.referencedBy)) h.record.unseenReferences = true;
          }
          pending.set(h.record, h);
          records.push(h.record);
          if (records.length >= options.batchSize) {
            yield { records, quads, ...(leftOut ? { leftOut } : {}) };
            records = [];
            quads = 0;
            leftOut = undefined;
          }
        }
      };
      let origin: string | undefined;
      for await (const document of documents) {
        const splitter = new RecordSplitter();
        origin = document.origin;
        for await (const read of document.quads) {
          const { batch, example } = withoutOwnStatements(read, ownPrefix, mintedPrefix);
          if (example !== undefined) leftOut = { triples: (leftOut?.triples ?? 0) + read.length - batch.length, example: leftOut?.example ?? example };
          quads += batch.length;
          if (options.validation) noteTypes(batch);
          yield* take(splitter.push(batch));
        }
        yield* take(splitter.end());
      }
      if (records.length > 0 || quads > 0 || leftOut) yield { records, quads, ...(leftOut ? { leftOut } : {}) };
    },
    materialize(records) {
      for (const r of records) {
        const h = pending.get(r);
        if (h) r.body = buildBody(h, options.catalogId, options.validation, typesOf);
        // The triples are no longer needed once the body is built; let them go before the write.
        pending.delete(r);
      }
    },
    release(records) {
      for (const r of records) pending.delete(r);
    },
    async close() {
      pending.clear();
      types = new Map();
      older = new Map();
    },
  };
}

/**
 * Statements about this service's own documents (the catalogue, record pages, the CatalogRecord it
 * adds to every record it serves) are its own, not the source's: a record read here and pushed back
 * unchanged would otherwise store them, gain another dct:modified on every round trip and never be
 * "unchanged". IRIs minted here for blank-node records (under /id/) are the records' own.
 */
function withoutOwnStatements(quads: Quad[], ownPrefix: string, mintedPrefix: string): { batch: Quad[]; example?: string } {
  const own = (q: Quad) => q.subject.termType === 'NamedNode' && q.subject.value.startsWith(ownPrefix) && !q.subject.value.startsWith(mintedPrefix);
  const first = quads.find(own);
  return first ? { batch: quads.filter((q) => !own(q)), example: first.subject.value } : { batch: quads };
}
