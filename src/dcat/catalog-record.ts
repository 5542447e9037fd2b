// What this catalogue says about a record it holds, as a dcat:CatalogRecord: when it was first seen and
// last changed here, its local id, the source it was harvested from, and the harvest run that fetched it
// and when (PROV-O), so that a chain of federated catalogues stays traceable. The same facts in two
// shapes: as triples (every RDF serialisation, the DCAT catalogue pages) and as the JSON-LD node under
// "catalogRecord" in a record's JSON, which expands to exactly those triples.
import { literal, namedNode, quad, type Quad } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';
import type { JsonNode } from './json.js';
import { publicUrl } from '../public-url.js';

const { dcat, dct, foaf, prov, xsd } = PREFIXES;

export interface RecordProvenance {
  /** Local id. */
  id: string;
  /** The record's subject: its original IRI, or the one minted here for a blank node. */
  iri: string;
  firstSeen: Date;
  lastModified: Date;
  /** The URL of the source it was harvested from (none for pushed and ingested records); published
   * without the secrets it may hold (see public-url.ts). */
  sourceUrl?: string | null;
  runId?: string | number | null;
  fetchedAt?: Date | null;
}

/** The IRI of the CatalogRecord of a record: a fragment of its document on this server. */
export function catalogRecordIri(baseUrl: string, id: string): string {
  return `${baseUrl}/api/v1/records/${id}#record`;
}

export function runIri(baseUrl: string, runId: string | number): string {
  return `${baseUrl}/api/v1/runs/${runId}`;
}

const dateTime = (d: Date) => literal(d.toISOString(), namedNode(`${xsd}dateTime`));

export function catalogRecordQuads(baseUrl: string, p: RecordProvenance): Quad[] {
  const record = namedNode(catalogRecordIri(baseUrl, p.id));
  const out: Quad[] = [
    quad(record, namedNode(RDF_TYPE), namedNode(`${dcat}CatalogRecord`)),
    quad(record, namedNode(`${foaf}primaryTopic`), namedNode(p.iri)),
    quad(record, namedNode(`${dct}identifier`), literal(p.id)),
    quad(record, namedNode(`${dct}issued`), dateTime(p.firstSeen)),
    quad(record, namedNode(`${dct}modified`), dateTime(p.lastModified)),
  ];
  if (p.sourceUrl) out.push(quad(record, namedNode(`${dct}source`), namedNode(publicUrl(p.sourceUrl))));
  if (p.runId !== undefined && p.runId !== null) {
    const run = namedNode(runIri(baseUrl, p.runId));
    out.push(quad(record, namedNode(`${prov}wasGeneratedBy`), run), quad(run, namedNode(RDF_TYPE), namedNode(`${prov}Activity`)));
    if (p.sourceUrl) out.push(quad(run, namedNode(`${prov}used`), namedNode(publicUrl(p.sourceUrl))));
  }
  if (p.fetchedAt) out.push(quad(record, namedNode(`${prov}generatedAtTime`), dateTime(p.fetchedAt)));
  return out;
}

const dateTimeJson = (d: Date) => ({ '@value': d.toISOString(), '@type': 'xsd:dateTime' });

/** The same CatalogRecord as a JSON-LD node, in the terms of /context.jsonld ("catalogRecord" is the
 * reverse of foaf:primaryTopic, so it sits inside the record it describes). */
export function catalogRecordJson(baseUrl: string, p: RecordProvenance): JsonNode {
  const node: JsonNode = {
    iri: catalogRecordIri(baseUrl, p.id),
    type: 'CatalogRecord',
    identifier: [p.id],
    issued: dateTimeJson(p.firstSeen),
    modified: dateTimeJson(p.lastModified),
  };
  if (p.sourceUrl) node.source = [publicUrl(p.sourceUrl)];
  if (p.runId !== undefined && p.runId !== null)
    node.wasGeneratedBy = { iri: runIri(baseUrl, p.runId), type: 'prov:Activity', ...(p.sourceUrl ? { used: publicUrl(p.sourceUrl) } : {}) };
  if (p.fetchedAt) node.generatedAtTime = dateTimeJson(p.fetchedAt);
  return node;
}

const MEMBER_OF: Record<string, string> = { Dataset: `${dcat}dataset`, DatasetSeries: `${dcat}dataset`, DataService: `${dcat}service` };

/** A record as a catalogue page, dump or SPARQL graph lists it. */
export interface CatalogEntry extends RecordProvenance {
  kind: string;
}

/** The catalogue's links to a record (dcat:dataset or dcat:service, and dcat:record) and its
 * CatalogRecord: what every export adds to the record's own triples. */
export function catalogEntryQuads(baseUrl: string, catalogIri: string, e: CatalogEntry): Quad[] {
  const catalog = namedNode(catalogIri);
  const record = catalogRecordQuads(baseUrl, e);
  return [quad(catalog, namedNode(MEMBER_OF[e.kind] ?? `${dcat}resource`), namedNode(e.iri)), quad(catalog, namedNode(`${dcat}record`), namedNode(catalogRecordIri(baseUrl, e.id))), ...record];
}
