// The terms the mapping writes, and the code lists it points into.
import { namedNode, type NamedNode } from '../../rdf/terms.js';
import { PREFIXES } from '../../rdf/namespaces.js';

export const XSD = PREFIXES.xsd;

function terms<const K extends string>(ns: string, names: readonly K[]): Record<K, NamedNode> {
  return Object.fromEntries(names.map((n) => [n, namedNode(`${ns}${n}`)])) as Record<K, NamedNode>;
}

export const RDF = terms(PREFIXES.rdf, ['type']);
export const RDFS = terms(PREFIXES.rdfs, ['label', 'comment']);
export const OWL = terms(PREFIXES.owl, ['versionInfo']);
export const DCAT = terms(PREFIXES.dcat, [
  'Dataset', 'DatasetSeries', 'DataService', 'Distribution', 'CatalogRecord', 'Role',
  'accessService', 'accessURL', 'bbox', 'byteSize', 'contactPoint', 'distribution', 'endDate', 'endpointDescription',
  'endpointURL', 'hadRole', 'keyword', 'landingPage', 'mediaType', 'servesDataset', 'spatialResolutionInMeters',
  'startDate', 'theme',
]);
export const DCT = terms(PREFIXES.dct, [
  'Frequency', 'LicenseDocument', 'LinguisticSystem', 'Location', 'MediaType', 'PeriodOfTime', 'ProvenanceStatement',
  'RightsStatement', 'Standard',
  'accessRights', 'accrualPeriodicity', 'conformsTo', 'created', 'creator', 'description', 'format', 'identifier',
  'issued', 'language', 'license', 'modified', 'provenance', 'publisher', 'rights', 'rightsHolder', 'source',
  'spatial', 'temporal', 'title', 'type',
]);
export const DCATAP = terms(PREFIXES.dcatap, ['applicableLegislation', 'hvdCategory']);
export const ADMS = terms(PREFIXES.adms, ['representationTechnique']);
export const FOAF = terms(PREFIXES.foaf, [
  'Agent', 'Document', 'Organization', 'Person',
  'isPrimaryTopicOf', 'mbox', 'name', 'page', 'phone', 'primaryTopic', 'workplaceHomepage',
]);
export const VCARD = terms(PREFIXES.vcard, [
  'Address', 'Individual', 'Kind', 'Organization',
  'country-name', 'fn', 'hasAddress', 'hasEmail', 'hasTelephone', 'hasURL', 'locality', 'organization-name',
  'postal-code', 'region', 'street-address',
]);
export const LOCN = terms(PREFIXES.locn, ['Address', 'address', 'adminUnitL1', 'adminUnitL2', 'postCode', 'postName', 'thoroughfare']);
export const ORG = terms('http://www.w3.org/ns/org#', ['memberOf']);
export const PROV = terms(PREFIXES.prov, [
  'Activity', 'Agent', 'Association', 'Attribution', 'Entity', 'Plan',
  'agent', 'generated', 'hadPlan', 'qualifiedAssociation', 'qualifiedAttribution', 'used', 'wasDerivedFrom', 'wasUsedBy',
]);
export const SKOS = terms(PREFIXES.skos, ['Concept', 'ConceptScheme', 'inScheme', 'notation', 'prefLabel']);
export const DQV = terms(PREFIXES.dqv, ['Metric', 'QualityMeasurement', 'hasQualityMeasurement', 'isMeasurementOf', 'value']);
export const SDMX_ATTRIBUTE = terms('http://purl.org/linked-data/sdmx/2009/attribute#', ['unitMeasure']);
export const CNT = terms(PREFIXES.cnt, ['characterEncoding']);
export const GSP = { wktLiteral: `${PREFIXES.gsp}wktLiteral`, gmlLiteral: `${PREFIXES.gsp}gmlLiteral`, geoJSONLiteral: `${PREFIXES.gsp}geoJSONLiteral` };
export const GEODCAT = terms(PREFIXES.geodcat, [
  'custodian', 'distributor', 'originator', 'principalInvestigator', 'processor', 'purpose', 'referenceSystem',
  'resourceProvider', 'resourceType', 'serviceCategory', 'serviceProtocol', 'serviceType', 'spatialResolutionAsDistance',
  'spatialResolutionAsScale', 'topicCategory', 'user',
]);

/** The profiles a catalogue record declares it conforms to. */
export const PROFILE_IRI = { core: PREFIXES.dcatap, extended: PREFIXES.geodcat } as const;

const INSPIRE_CODELIST = 'http://inspire.ec.europa.eu/metadata-codelist/';
export const INSPIRE = {
  degreeOfConformity: `${INSPIRE_CODELIST}DegreeOfConformity/`,
  resourceType: `${INSPIRE_CODELIST}ResourceType/`,
  responsiblePartyRole: `${INSPIRE_CODELIST}ResponsiblePartyRole/`,
  serviceCategory: `${INSPIRE_CODELIST}SpatialDataServiceCategory`,
  serviceType: `${INSPIRE_CODELIST}SpatialDataServiceType/`,
  spatialRepresentationType: `${INSPIRE_CODELIST}SpatialRepresentationType/`,
  topicCategory: `${INSPIRE_CODELIST}TopicCategory/`,
  spatialReferenceSystem: 'http://inspire.ec.europa.eu/glossary/SpatialReferenceSystem',
} as const;

export const EU = {
  language: 'http://publications.europa.eu/resource/authority/language/',
  fileType: 'http://publications.europa.eu/resource/authority/file-type/',
  frequency: 'http://publications.europa.eu/resource/authority/frequency/',
  /** The HVD implementing regulation; a keyword anchored to it marks a high-value dataset. */
  hvdLegislation: 'http://data.europa.eu/eli/reg_impl/2023/138/oj',
  /** The HVD category thesaurus; its keywords are HVD categories, not themes. */
  hvdCategories: 'http://data.europa.eu/bna/asd487ae75',
} as const;

export const IANA_MEDIA_TYPES = 'https://www.iana.org/assignments/media-types/';

export const CRS = {
  epsgBase: 'http://www.opengis.net/def/crs/EPSG/0',
  epsgUrn: 'urn:ogc:def:crs:EPSG',
  epsgName: 'EPSG Coordinate Reference Systems',
  ogcBase: 'http://www.opengis.net/def/crs/OGC',
  ogcName: 'OGC Coordinate Reference Systems',
  crs84: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84',
  crs84Urn: 'urn:ogc:def:crs:OGC:1.3:CRS84',
  etrs89: 'http://www.opengis.net/def/crs/EPSG/0/4258',
  etrs89Urn: 'urn:ogc:def:crs:EPSG::4258',
} as const;

export const QUDT_UNIT = 'http://www.qudt.org/vocab/unit/';
