// Prefixes used when writing RDF and in the project's JSON-LD context.
export const PREFIXES = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatap: 'http://data.europa.eu/r5r/',
  adms: 'http://www.w3.org/ns/adms#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  locn: 'http://www.w3.org/ns/locn#',
  prov: 'http://www.w3.org/ns/prov#',
  schema: 'http://schema.org/',
  spdx: 'http://spdx.org/rdf/terms#',
  odrl: 'http://www.w3.org/ns/odrl/2/',
  dqv: 'http://www.w3.org/ns/dqv#',
  geodcat: 'http://data.europa.eu/930/',
  gsp: 'http://www.opengis.net/ont/geosparql#',
  time: 'http://www.w3.org/2006/time#',
  cnt: 'http://www.w3.org/2011/content#',
  mdcat: 'https://data.vlaanderen.be/ns/metadata-dcat#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  vb: 'https://w3id.org/vindbaar/ns#',
} as const;

export const RDF_TYPE = `${PREFIXES.rdf}type`;
export const XSD_STRING = `${PREFIXES.xsd}string`;
export const RDF_LANGSTRING = `${PREFIXES.rdf}langString`;
