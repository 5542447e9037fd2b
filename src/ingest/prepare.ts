// Turns a split record into what the store keeps: a stable IRI (generated for blank-node datasets),
// a local id, the content hash, the JSON-LD record, the N-Quads and warnings from basic checks.
import { createHash } from 'node:crypto';
import { namedNode, quad, type Quad, type Term } from '../rdf/terms.js';
import type { SplitRecord } from '../dcat/split.js';
import { canonicalize } from '../dcat/canonical.js';
import { recordToJson } from '../dcat/json.js';
import type { PreparedRecord, RecordBody } from '../store/records.js';
import { qualityBand } from '../quality/mqa.js';
import { searchDocument } from '../search/document.js';
import { summarize } from '../validation/summary.js';
import type { TypesOf } from '../validation/view.js';
import type { IngestValidation } from './source.js';
import { detach } from '../strings.js';
import { PREFIXES } from '../rdf/namespaces.js';
import { identityKeys } from '../dcat/identity.js';

const DCT_IDENTIFIER = `${PREFIXES.dct}identifier`;
const DCT_TITLE = `${PREFIXES.dct}title`;
const DCT_DESCRIPTION = `${PREFIXES.dct}description`;

/** A short, stable, URL-safe id for a record, derived from its catalogue and IRI. */
export function localId(catalogId: string, iri: string): string {
  const digest = createHash('sha256').update(`${catalogId}\n${iri}`).digest();
  let out = '';
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  for (let i = 0; i < 16; i++) out += alphabet[digest[i] & 31];
  return out;
}

function literalOf(quads: Quad[], subject: Term, predicate: string): string | undefined {
  return quads.find((q) => q.subject.equals(subject) && q.predicate.value === predicate && q.object.termType === 'Literal')?.object.value;
}

/** The smallest of the literal values of a property: the same whatever order the triples came in. */
function smallestLiteral(quads: Quad[], subject: Term, predicate: string): string | undefined {
  let out: string | undefined;
  for (const q of quads) if (q.subject.equals(subject) && q.predicate.value === predicate && q.object.termType === 'Literal' && (out === undefined || q.object.value < out)) out = q.object.value;
  return out;
}

function replaceTerm(quads: Quad[], from: Term, to: Term): Quad[] {
  return quads.map((q) =>
    q.subject.equals(from) || q.object.equals(from)
      ? quad(q.subject.equals(from) ? (to as never) : q.subject, q.predicate, q.object.equals(from) ? (to as never) : q.object)
      : q,
  );
}

export interface PrepareContext {
  catalogId: string;
  /** Public base URL, for IRIs minted for blank-node records. */
  baseUrl: string;
}

export function prepareRecord(record: SplitRecord, ctx: PrepareContext): Hashed {
  let { root, quads } = record;
  const warnings: string[] = [];
  let canonical = canonicalize(quads);
  let iri: string;
  if (root.termType === 'BlankNode') {
    if (record.kind === 'Resource') {
      // Left-over blank-node islands keep their blank nodes; the IRI only names the stored row.
      iri = `urn:vindbaar:resource:${canonical.hash.slice(0, 32)}`;
    } else {
      // Stable across re-ingests: from the identifier, else the title, else the content.
      // The smallest identifier or title, so that the order of the triples does not matter.
      const basis = smallestLiteral(quads, root, DCT_IDENTIFIER) ?? smallestLiteral(quads, root, DCT_TITLE) ?? canonical.hash;
      const digest = createHash('sha256').update(`${ctx.catalogId}\n${record.kind}\n${basis}`).digest('hex').slice(0, 24);
      iri = `${ctx.baseUrl.replace(/\/$/, '')}/id/${record.kind.toLowerCase()}/${digest}`;
      const named = namedNode(iri);
      quads = replaceTerm(quads, root, named);
      root = named;
      canonical = canonicalize(quads);
      warnings.push(`The ${record.kind} had no IRI (blank node); it was given ${iri}.`);
    }
  } else iri = root.value;
  if (record.kind !== 'Resource') {
    if (!literalOf(quads, root, DCT_TITLE)) warnings.push(`The ${record.kind} has no dct:title.`);
    if (!literalOf(quads, root, DCT_DESCRIPTION)) warnings.push(`The ${record.kind} has no dct:description.`);
  }
  return {
    // Left-over triples about a record's subject must never replace that record: they get ids of their own.
    record: {
      id: localId(ctx.catalogId, record.kind === 'Resource' ? `resource ${iri}` : iri),
      iri: detach(iri),
      kind: record.kind,
      parentIri: record.catalogIri === undefined ? undefined : detach(record.catalogIri),
      hash: canonical.hash,
      warnings,
    },
    root,
    quads,
    nquads: canonical.nquads,
    blankLabels: canonical.labels,
  };
}

/** A record between hashing and storing: the parts needed to build its body if it has changed. */
export interface Hashed {
  record: PreparedRecord;
  root: Term;
  quads: Quad[];
  nquads: string;
  /** Blank nodes' labels in `nquads`, by their labels in `quads`. */
  blankLabels?: Map<string, string>;
}

/** Builds the stored body of a record: JSON-LD text, N-Triples, its search document and, when asked,
 * its validation report. `typesOf` tells the types of resources described elsewhere in the input. */
export function buildBody(h: Hashed, catalogId: string, validation?: IngestValidation, typesOf?: TypesOf): RecordBody {
  const json = recordToJson(h.root, h.quads);
  const searchDoc = searchDocument(h.record.id, h.record.kind, catalogId, json);
  searchDoc.hash = h.record.hash;
  const body: RecordBody = { json: JSON.stringify(json), nquads: h.nquads, searchDoc };
  if (h.record.kind === 'Dataset' || h.record.kind === 'DatasetSeries' || h.record.kind === 'DataService') body.identityKeys = identityKeys(h.root, h.quads);
  const nodes = new Set<string>();
  for (const q of h.quads) if (q.subject.termType === 'NamedNode' && !q.subject.equals(h.root)) nodes.add(q.subject.value);
  if (nodes.size > 0) body.nodeIris = [...nodes];
  if (validation && h.record.kind !== 'Resource') {
    // Findings name blank nodes as the record's N-Triples and Turtle do, not by the parser's labels.
    const stored = (id: string) => {
      const label = id.startsWith('_:') ? h.blankLabels?.get(id.slice(2)) : undefined;
      return label === undefined ? id : `_:b${label}`;
    };
    const report = summarize(validation.profile, validation.layers, validation.validator.validateRecord(h.root, h.quads, typesOf), stored);
    body.validation = JSON.stringify(report);
    body.report = report;
    body.validatedWith = validation.profile;
    searchDoc.validation = [report.verdict];
    if (validation.policy === 'reject' && report.violations > 0) body.rejected = true;
  }
  if (h.record.kind !== 'Resource') searchDoc.quality = [qualityBand(json, searchDoc.validation?.[0])];
  return body;
}
