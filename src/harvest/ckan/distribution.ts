// A CKAN resource as a dcat:Distribution, with the data services that give access to it.
import { namedNode, type Literal, type NamedNode } from '../../rdf/terms.js';
import type { Node, TripleSet } from './graph.js';
import { field, list, objects, text, translations, type Dict } from './fields.js';
import { anyIri, decimalLiteral, httpIri, iriOrLiteral, plain, typed } from './values.js';
import { addDate, addList, addStatement, addTranslatable, literals } from './properties.js';
import { addAgent, addContact } from './agents.js';
import { fileTypeIri, languageIri, looksLikeMediaType, mediaTypeIri } from './vocabulary.js';
import { ADMS, DCAT, DCATAP, DCT, ELI, FOAF, RDFS, SPDX, SPDX_ALGORITHM } from './terms.js';

export interface DistributionContext {
  siteUrl: string;
  /** The dataset's id (or name) under which the portal serves its resources. */
  datasetId: string | undefined;
  /** The dataset's licence, for resources that name none. */
  licence: NamedNode | undefined;
}

/** The resource's `uri`, else its page on the portal (ckanext-dcat's resource IRI). */
export function resourceIri(resource: Dict, ctx: DistributionContext): NamedNode | undefined {
  const uri = text(resource.uri);
  if (uri !== undefined && uri !== 'None') {
    const iri = anyIri(uri);
    if (iri) return iri;
  }
  const id = text(resource.id);
  const datasetId = text(resource.package_id) ?? ctx.datasetId;
  if (id === undefined || datasetId === undefined) return undefined;
  return namedNode(`${ctx.siteUrl}/dataset/${encodeURIComponent(datasetId)}/resource/${encodeURIComponent(id)}`);
}

/** A language as the EU language authority IRI when it is a code, as given otherwise. */
export function languageTerm(value: string): NamedNode | Literal {
  const iri = httpIri(value);
  if (iri) return iri;
  const eu = languageIri(value);
  return eu ? namedNode(eu) : plain(value);
}

export function addLanguages(g: TripleSet, subject: Node, values: unknown): void {
  for (const v of list(values)) g.link(subject, DCT.language, languageTerm(v), DCT.LinguisticSystem);
}

function formatTerm(value: string): NamedNode | Literal {
  const eu = fileTypeIri(value);
  return httpIri(value) ?? (eu ? namedNode(eu) : plain(value));
}

function mediaTypeTerm(value: string): NamedNode | Literal {
  const iana = mediaTypeIri(value);
  return httpIri(value) ?? (iana ? namedNode(iana) : plain(value));
}

/** dct:format and dcat:mediaType from CKAN's format and mimetype. A format that is a media type
 * ("text/csv") is one, as ckanext-dcat decides, unless it names a file type ("RDF/XML"). */
function addFormats(g: TripleSet, node: Node, resource: Dict): void {
  let format = text(resource.format);
  let mimetype = text(resource.mimetype);
  if (format !== undefined && (mimetype === undefined || mimetype === format)) {
    if (fileTypeIri(format) === undefined && looksLikeMediaType(format)) {
      mimetype = format;
      format = undefined;
    } else {
      mimetype = undefined;
    }
  }
  if (mimetype !== undefined) g.link(node, DCAT.mediaType, mediaTypeTerm(mimetype), DCT.MediaType);
  if (format !== undefined) g.link(node, DCT.format, formatTerm(format), DCT.MediaTypeOrExtent);
}

/** dcat:byteSize as xsd:nonNegativeInteger (DCAT-AP 3); text that is no size is kept as text. */
function addByteSize(g: TripleSet, node: Node, value: unknown): void {
  const size = text(value);
  if (size === undefined) return;
  const n = Number(size.trim());
  if (/^\+?\d+(\.\d*)?$/.test(size.trim()) && Number.isFinite(n)) g.add(node, DCAT.byteSize, typed(BigInt(Math.floor(n)).toString(), 'nonNegativeInteger'));
  else g.add(node, DCAT.byteSize, plain(size));
}

const ALGORITHMS: Record<string, string> = { md5: 'md5', sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };
const BY_LENGTH: Record<number, string> = { 32: 'md5', 40: 'sha1', 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/** spdx:checksum from CKAN's hash. CKAN's hash is free text: a value that is no hexadecimal digest is
 * no checksum and is left out. DCAT-AP requires the algorithm; when the portal does not name it, a
 * prefix ("sha256:...") or the digest's length does. */
function addChecksum(g: TripleSet, node: Node, resource: Dict): void {
  const hash = text(resource.hash)?.trim();
  if (hash === undefined) return;
  const m = /^(?:([A-Za-z0-9-]+)[:=])?([0-9A-Fa-f]+)$/.exec(hash);
  if (!m) return;
  const [, prefix, digest] = m;
  const checksum = g.node(undefined);
  g.add(node, SPDX.checksum, checksum);
  g.type(checksum, SPDX.Checksum);
  g.add(checksum, SPDX.checksumValue, typed(digest, 'hexBinary'));
  const given = text(resource.hash_algorithm);
  const named = prefix ? ALGORITHMS[prefix.toLowerCase().replace('-', '')] : BY_LENGTH[digest.length];
  const algorithm = given !== undefined ? iriOrLiteral(given) : named ? namedNode(`${SPDX_ALGORITHM}${named}`) : undefined;
  if (algorithm) g.link(checksum, SPDX.algorithm, algorithm, SPDX.ChecksumAlgorithm);
}

export function addResolutions(g: TripleSet, node: Node, dict: Dict): void {
  const temporal = text(field(dict, 'temporal_resolution'));
  if (temporal !== undefined) g.add(node, DCAT.temporalResolution, typed(temporal, 'duration'));
  for (const v of list(field(dict, 'spatial_resolution_in_meters'))) g.add(node, DCAT.spatialResolutionInMeters, decimalLiteral(v) ?? plain(v));
}

function addAccessService(g: TripleSet, distribution: Node, service: Record<string, unknown>): void {
  const node = g.node(anyIri(service.uri));
  g.add(distribution, DCAT.accessService, node);
  g.type(node, DCAT.DataService);
  addTranslatable(g, node, DCT.title, service, 'title');
  addTranslatable(g, node, DCT.description, service, 'description');
  const availability = text(service.availability);
  if (availability !== undefined) g.add(node, DCATAP.availability, iriOrLiteral(availability));
  const licence = text(service.license);
  if (licence !== undefined) g.link(node, DCT.license, iriOrLiteral(licence), DCT.LicenseDocument);
  addStatement(g, node, DCT.accessRights, service.access_rights, DCT.RightsStatement);
  const description = text(service.endpoint_description);
  if (description !== undefined) g.link(node, DCAT.endpointDescription, iriOrLiteral(description), RDFS.Resource);
  addDate(g, node, DCT.modified, service.modified);
  const identifier = text(service.identifier);
  if (identifier !== undefined) g.add(node, DCT.identifier, plain(identifier));
  for (const contact of objects(service.contact)) addContact(g, node, contact);
  const publisher = objects(service.publisher)[0];
  if (publisher) addAgent(g, node, DCT.publisher, publisher);
  for (const creator of objects(service.creator)) addAgent(g, node, DCT.creator, creator);
  addList(g, node, DCT.conformsTo, service.conforms_to, DCT.Standard);
  for (const f of list(service.format)) g.link(node, DCT.format, formatTerm(f), DCT.MediaTypeOrExtent);
  addLanguages(g, node, service.language);
  for (const r of list(service.rights)) addStatement(g, node, DCT.rights, r, DCT.RightsStatement);
  addList(g, node, DCAT.landingPage, service.landing_page, FOAF.Document);
  addList(g, node, DCATAP.applicableLegislation, service.applicable_legislation, ELI.LegalResource);
  addList(g, node, DCAT.theme, service.theme);
  for (const k of translations(service.keyword) ? literals(service.keyword) : list(service.keyword).map((v) => plain(v))) g.add(node, DCAT.keyword, k);
  addList(g, node, DCAT.endpointURL, service.endpoint_url, RDFS.Resource);
  addList(g, node, DCAT.servesDataset, service.serves_dataset);
}

export function addDistribution(g: TripleSet, dataset: Node, resource: Dict, ctx: DistributionContext): void {
  const node = g.node(resourceIri(resource, ctx));
  g.add(dataset, DCAT.distribution, node);
  g.type(node, DCAT.Distribution);
  addTranslatable(g, node, DCT.title, resource, 'name');
  addTranslatable(g, node, DCT.description, resource, 'description');
  const status = text(resource.status);
  if (status !== undefined) g.add(node, ADMS.status, iriOrLiteral(status));
  const licence = text(resource.license);
  if (licence !== undefined) g.link(node, DCT.license, iriOrLiteral(licence), DCT.LicenseDocument);
  // A CKAN licence is the dataset's and covers every resource; DCAT-AP records licences per
  // distribution (ckanext-dcat does this when ckanext.dcat.resource.inherit.license is set).
  else if (ctx.licence) g.link(node, DCT.license, ctx.licence, DCT.LicenseDocument);

  const accessUrl = anyIri(resource.access_url);
  const downloadUrl = anyIri(resource.download_url);
  const url = anyIri(resource.url);
  // CKAN's url is the resource's link; without an explicit access URL it is the access URL, even
  // when it is also the download URL (ckanext-dcat leaves it out then, but DCAT-AP requires one).
  const access = accessUrl ?? url;
  if (access) g.link(node, DCAT.accessURL, access, RDFS.Resource);
  // An uploaded file's url downloads it.
  const download = downloadUrl ?? (resource.url_type === 'upload' ? url : undefined);
  if (download) g.link(node, DCAT.downloadURL, download, RDFS.Resource);

  addList(g, node, FOAF.page, resource.documentation, FOAF.Document);
  addLanguages(g, node, resource.language);
  addList(g, node, DCT.conformsTo, resource.conforms_to, DCT.Standard);
  addStatement(g, node, DCT.rights, resource.rights, DCT.RightsStatement);
  addFormats(g, node, resource);
  addDate(g, node, DCT.issued, text(resource.issued) ?? text(resource.created));
  addDate(g, node, DCT.modified, text(resource.modified) ?? text(resource.last_modified) ?? text(resource.metadata_modified));
  addByteSize(g, node, resource.size);
  addChecksum(g, node, resource);

  const availability = text(resource.availability);
  if (availability !== undefined) g.add(node, DCATAP.availability, iriOrLiteral(availability));
  for (const [key, predicate] of [['compress_format', DCAT.compressFormat], ['package_format', DCAT.packageFormat]] as const) {
    const v = text(resource[key]);
    if (v !== undefined) g.link(node, predicate, mediaTypeTerm(v), DCT.MediaType);
  }
  addResolutions(g, node, resource);
  addList(g, node, DCATAP.applicableLegislation, resource.applicable_legislation, ELI.LegalResource);
  for (const service of objects(resource.access_services)) addAccessService(g, node, service);
}
