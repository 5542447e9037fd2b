// The classes and properties the CKAN mapping writes.
import { namedNode, type NamedNode } from '../../rdf/terms.js';
import { PREFIXES } from '../../rdf/namespaces.js';

function terms<const K extends string>(ns: string, names: readonly K[]): Record<K, NamedNode> {
  return Object.fromEntries(names.map((n) => [n, namedNode(`${ns}${n}`)])) as Record<K, NamedNode>;
}

export const RDF = terms(PREFIXES.rdf, ['type']);
export const RDFS = terms(PREFIXES.rdfs, ['Resource', 'label', 'seeAlso']);
export const DCAT = terms(PREFIXES.dcat, [
  'Catalog', 'DataService', 'Dataset', 'DatasetSeries', 'Distribution', 'Relationship', 'Role',
  'accessService', 'accessURL', 'bbox', 'byteSize', 'centroid', 'compressFormat', 'contactPoint', 'dataset',
  'distribution', 'downloadURL', 'endDate', 'endpointDescription', 'endpointURL', 'first', 'hadRole', 'hasVersion',
  'inSeries', 'keyword', 'landingPage', 'last', 'mediaType', 'next', 'packageFormat', 'prev',
  'qualifiedAttribution', 'qualifiedRelation', 'servesDataset', 'spatialResolutionInMeters', 'startDate',
  'temporalResolution', 'theme', 'version',
]);
export const DCT = terms(PREFIXES.dct, [
  'Frequency', 'LicenseDocument', 'LinguisticSystem', 'Location', 'MediaType', 'MediaTypeOrExtent', 'PeriodOfTime',
  'ProvenanceStatement', 'RightsStatement', 'Standard',
  'accessRights', 'accrualPeriodicity', 'conformsTo', 'creator', 'description', 'format', 'identifier',
  'isReferencedBy', 'isVersionOf', 'issued', 'language', 'license', 'modified', 'provenance', 'publisher', 'relation',
  'rights', 'source', 'spatial', 'temporal', 'title', 'type',
]);
export const DCATAP = terms(PREFIXES.dcatap, ['applicableLegislation', 'availability', 'hvdCategory']);
export const ADMS = terms(PREFIXES.adms, ['Identifier', 'identifier', 'sample', 'status', 'versionNotes']);
export const FOAF = terms(PREFIXES.foaf, ['Agent', 'Document', 'homepage', 'name', 'page']);
export const VCARD = terms(PREFIXES.vcard, ['Kind', 'fn', 'hasEmail', 'hasUID', 'hasURL']);
export const SKOS = terms(PREFIXES.skos, ['Concept', 'notation', 'prefLabel']);
export const LOCN = terms(PREFIXES.locn, ['Geometry', 'geometry']);
export const GSP = terms(PREFIXES.gsp, ['asWKT']);
export const PROV = terms(PREFIXES.prov, ['Activity', 'Attribution', 'Organization', 'actedOnBehalfOf', 'agent', 'startedAtTime', 'wasAssociatedWith', 'wasGeneratedBy']);
export const SPDX = terms(PREFIXES.spdx, ['Checksum', 'ChecksumAlgorithm', 'algorithm', 'checksum', 'checksumValue']);
export const ELI = terms('http://data.europa.eu/eli/ontology#', ['LegalResource']);

/** The datatype of geometry literals (GeoSPARQL WKT). */
export const WKT_LITERAL = `${PREFIXES.gsp}wktLiteral`;
export const SPDX_ALGORITHM = `${PREFIXES.spdx}checksumAlgorithm_`;
