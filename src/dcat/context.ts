// The project's JSON-LD @context: the keys of every JSON record and API response. A term is either
// an IRI reference ("id": coerced to @id), a language map ("lang"), or a plain literal ("literal").
// Records written with these terms are valid JSON-LD that expands back to the record's triples.
import { PREFIXES } from '../rdf/namespaces.js';
import { detach } from '../strings.js';

export type TermKind = 'id' | 'lang' | 'literal';

export interface TermDef {
  iri: string;
  kind: TermKind;
  /** Always written as an array (or arrays per language), whatever the number of values. */
  set?: boolean;
}

const P = PREFIXES;

export const TERMS: Record<string, TermDef> = {
  // descriptive
  title: { iri: `${P.dct}title`, kind: 'lang' },
  description: { iri: `${P.dct}description`, kind: 'lang' },
  keyword: { iri: `${P.dcat}keyword`, kind: 'lang', set: true },
  identifier: { iri: `${P.dct}identifier`, kind: 'literal', set: true },
  otherIdentifier: { iri: `${P.adms}identifier`, kind: 'id', set: true },
  versionInfo: { iri: `${P.dcat}version`, kind: 'literal' },
  versionNotes: { iri: `${P.adms}versionNotes`, kind: 'lang' },
  issued: { iri: `${P.dct}issued`, kind: 'literal' },
  modified: { iri: `${P.dct}modified`, kind: 'literal' },
  label: { iri: `${P.rdfs}label`, kind: 'lang' },
  prefLabel: { iri: `${P.skos}prefLabel`, kind: 'lang' },
  notation: { iri: `${P.skos}notation`, kind: 'literal' },
  comment: { iri: `${P.rdfs}comment`, kind: 'lang' },
  // classification
  theme: { iri: `${P.dcat}theme`, kind: 'id', set: true },
  subject: { iri: `${P.dct}subject`, kind: 'id', set: true },
  hvdCategory: { iri: `${P.dcatap}hvdCategory`, kind: 'id', set: true },
  applicableLegislation: { iri: `${P.dcatap}applicableLegislation`, kind: 'id', set: true },
  type_: { iri: `${P.dct}type`, kind: 'id' },
  language: { iri: `${P.dct}language`, kind: 'id', set: true },
  conformsTo: { iri: `${P.dct}conformsTo`, kind: 'id', set: true },
  // who
  publisher: { iri: `${P.dct}publisher`, kind: 'id' },
  creator: { iri: `${P.dct}creator`, kind: 'id', set: true },
  contactPoint: { iri: `${P.dcat}contactPoint`, kind: 'id', set: true },
  name: { iri: `${P.foaf}name`, kind: 'lang' },
  fn: { iri: `${P.vcard}fn`, kind: 'lang' },
  hasEmail: { iri: `${P.vcard}hasEmail`, kind: 'id', set: true },
  hasTelephone: { iri: `${P.vcard}hasTelephone`, kind: 'id', set: true },
  hasURL: { iri: `${P.vcard}hasURL`, kind: 'id', set: true },
  homepage: { iri: `${P.foaf}homepage`, kind: 'id' },
  // where and when
  spatial: { iri: `${P.dct}spatial`, kind: 'id', set: true },
  temporal: { iri: `${P.dct}temporal`, kind: 'id', set: true },
  startDate: { iri: `${P.dcat}startDate`, kind: 'literal' },
  endDate: { iri: `${P.dcat}endDate`, kind: 'literal' },
  bbox: { iri: `${P.dcat}bbox`, kind: 'literal', set: true },
  centroid: { iri: `${P.dcat}centroid`, kind: 'literal', set: true },
  geometry: { iri: `${P.locn}geometry`, kind: 'literal', set: true },
  accrualPeriodicity: { iri: `${P.dct}accrualPeriodicity`, kind: 'id' },
  spatialResolutionInMeters: { iri: `${P.dcat}spatialResolutionInMeters`, kind: 'literal' },
  temporalResolution: { iri: `${P.dcat}temporalResolution`, kind: 'literal' },
  // access and use
  accessRights: { iri: `${P.dct}accessRights`, kind: 'id' },
  license: { iri: `${P.dct}license`, kind: 'id' },
  rights: { iri: `${P.dct}rights`, kind: 'id', set: true },
  landingPage: { iri: `${P.dcat}landingPage`, kind: 'id', set: true },
  page: { iri: `${P.foaf}page`, kind: 'id', set: true },
  distribution: { iri: `${P.dcat}distribution`, kind: 'id', set: true },
  accessURL: { iri: `${P.dcat}accessURL`, kind: 'id', set: true },
  downloadURL: { iri: `${P.dcat}downloadURL`, kind: 'id', set: true },
  accessService: { iri: `${P.dcat}accessService`, kind: 'id', set: true },
  format: { iri: `${P.dct}format`, kind: 'id' },
  mediaType: { iri: `${P.dcat}mediaType`, kind: 'id' },
  compressFormat: { iri: `${P.dcat}compressFormat`, kind: 'id' },
  packageFormat: { iri: `${P.dcat}packageFormat`, kind: 'id' },
  byteSize: { iri: `${P.dcat}byteSize`, kind: 'literal' },
  checksum: { iri: `${P.spdx}checksum`, kind: 'id' },
  algorithm: { iri: `${P.spdx}algorithm`, kind: 'id' },
  checksumValue: { iri: `${P.spdx}checksumValue`, kind: 'literal' },
  status: { iri: `${P.adms}status`, kind: 'id' },
  availability: { iri: `${P.dcatap}availability`, kind: 'id' },
  // services
  endpointURL: { iri: `${P.dcat}endpointURL`, kind: 'id', set: true },
  endpointDescription: { iri: `${P.dcat}endpointDescription`, kind: 'id', set: true },
  servesDataset: { iri: `${P.dcat}servesDataset`, kind: 'id', set: true },
  // catalogues and relations
  dataset: { iri: `${P.dcat}dataset`, kind: 'id', set: true },
  service: { iri: `${P.dcat}service`, kind: 'id', set: true },
  catalog: { iri: `${P.dcat}catalog`, kind: 'id', set: true },
  record: { iri: `${P.dcat}record`, kind: 'id', set: true },
  primaryTopic: { iri: `${P.foaf}primaryTopic`, kind: 'id' },
  inSeries: { iri: `${P.dcat}inSeries`, kind: 'id', set: true },
  source: { iri: `${P.dct}source`, kind: 'id', set: true },
  relation: { iri: `${P.dct}relation`, kind: 'id', set: true },
  isReferencedBy: { iri: `${P.dct}isReferencedBy`, kind: 'id', set: true },
  hasVersion: { iri: `${P.dct}hasVersion`, kind: 'id', set: true },
  isVersionOf: { iri: `${P.dct}isVersionOf`, kind: 'id', set: true },
  sample: { iri: `${P.adms}sample`, kind: 'id', set: true },
  provenance: { iri: `${P.dct}provenance`, kind: 'id', set: true },
  sameAs: { iri: `${P.owl}sameAs`, kind: 'id', set: true },
};

/** Class names used as values of "type". */
export const CLASSES: Record<string, string> = {
  Catalog: `${P.dcat}Catalog`,
  Dataset: `${P.dcat}Dataset`,
  DatasetSeries: `${P.dcat}DatasetSeries`,
  DataService: `${P.dcat}DataService`,
  Distribution: `${P.dcat}Distribution`,
  CatalogRecord: `${P.dcat}CatalogRecord`,
  Agent: `${P.foaf}Agent`,
  Kind: `${P.vcard}Kind`,
  PeriodOfTime: `${P.dct}PeriodOfTime`,
  Location: `${P.dct}Location`,
  LicenseDocument: `${P.dct}LicenseDocument`,
  RightsStatement: `${P.dct}RightsStatement`,
  Checksum: `${P.spdx}Checksum`,
  Identifier: `${P.adms}Identifier`,
  Concept: `${P.skos}Concept`,
};

/** The "type_" term is written as "dct:type" in JSON; "type" itself is @type. */
export function termKey(term: string): string {
  return term === 'type_' ? 'dct:type' : term;
}

const byIri = new Map<string, string>();
for (const [term, def] of Object.entries(TERMS)) byIri.set(def.iri, termKey(term));
const defByKey = new Map<string, TermDef>();
for (const [term, def] of Object.entries(TERMS)) defByKey.set(termKey(term), def);
const classByIri = new Map<string, string>(Object.entries(CLASSES).map(([k, v]) => [v, k]));

export function termForPredicate(iri: string): { key: string; def?: TermDef } {
  const key = byIri.get(iri);
  if (key) return { key, def: defByKey.get(key) };
  return { key: compactIri(iri) };
}

export function classKey(iri: string): string {
  return classByIri.get(iri) ?? compactIri(iri);
}

/** "dcat:foo" for IRIs under a known prefix whose local part is safe; the full IRI otherwise. */
export function compactIri(iri: string): string {
  let short = compacted.get(iri);
  if (short === undefined) {
    short = compactUncached(iri);
    // The same few hundred predicates, classes and datatypes come back in every record.
    if (compacted.size >= COMPACTED_LIMIT) compacted.clear();
    // Kept beyond the batch: copies, not slices of the text being parsed.
    short = detach(short);
    compacted.set(detach(iri), short);
  }
  return short;
}

const PREFIX_LIST = Object.entries(PREFIXES);
const COMPACTED_LIMIT = 10_000;
const compacted = new Map<string, string>();

function compactUncached(iri: string): string {
  for (const [prefix, ns] of PREFIX_LIST) {
    if (iri.startsWith(ns)) {
      const local = iri.slice(ns.length);
      if (/^[A-Za-z_][\w.-]*$/.test(local)) return `${prefix}:${local}`;
    }
  }
  return iri;
}

/** The @context document served at /context.jsonld. */
export function contextDocument(): { '@context': Record<string, unknown> } {
  const ctx: Record<string, unknown> = { '@version': 1.1, ...PREFIXES };
  ctx.iri = '@id';
  ctx.type = '@type';
  for (const [k, v] of Object.entries(CLASSES)) ctx[k] = v;
  for (const [term, def] of Object.entries(TERMS)) {
    const entry: Record<string, unknown> = { '@id': def.iri };
    if (def.kind === 'id') entry['@type'] = '@id';
    if (def.kind === 'lang') entry['@container'] = '@language';
    else if (def.set) entry['@container'] = '@set';
    ctx[termKey(term)] = entry;
  }
  // API envelopes: Hydra collections with facets carried as a JSON literal.
  Object.assign(ctx, {
    Collection: 'hydra:Collection',
    PartialCollectionView: 'hydra:PartialCollectionView',
    totalItems: 'hydra:totalItems',
    member: { '@id': 'hydra:member', '@container': '@set' },
    view: 'hydra:view',
    first: { '@id': 'hydra:first', '@type': '@id' },
    next: { '@id': 'hydra:next', '@type': '@id' },
    previous: { '@id': 'hydra:previous', '@type': '@id' },
    last: { '@id': 'hydra:last', '@type': '@id' },
    facets: { '@id': 'vb:facets', '@type': '@json' },
    kind: 'vb:kind',
    // What this catalogue says about a record (see dcat/catalog-record.ts): a dcat:CatalogRecord whose
    // foaf:primaryTopic is the record, nested inside it.
    catalogRecord: { '@reverse': 'foaf:primaryTopic' },
    wasGeneratedBy: { '@id': 'prov:wasGeneratedBy', '@type': '@id' },
    used: { '@id': 'prov:used', '@type': '@id' },
    generatedAtTime: { '@id': 'prov:generatedAtTime', '@type': 'xsd:dateTime' },
    // Conveniences of the JSON API, not statements about the resource: the local id, catalogue, dates,
    // warnings, origin and copies. Mapped to null, they are left out when the JSON is read as linked
    // data, so that a record's JSON-LD and its Turtle are the same graph; catalogRecord carries the
    // same facts as triples.
    id: null,
    catalogId: null,
    firstSeen: null,
    lastModified: null,
    warnings: null,
    origin: null,
    copies: null,
    copyOf: null,
  });
  return { '@context': ctx };
}
