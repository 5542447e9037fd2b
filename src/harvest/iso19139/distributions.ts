// gmd:distributionInfo → distributions, access services, landing pages and service endpoints.
//
// For a dataset or series, an online resource becomes a dcat:Distribution when it is a download,
// an order or offline-access link, or a service's GetCapabilities request (then the distribution
// also gets a dcat:accessService describing that service); an information or search link becomes
// foaf:page, anything else dcat:landingPage. For a service, online resources are its endpoints.
import type { NamedNode } from '../../rdf/terms.js';
import type { MappingContext } from './context.js';
import { CHARACTER_SETS, FORMAT_LABELS, SERVICE_PROTOCOLS } from './codelists.js';
import { mapConstraints } from './constraints.js';
import { parseDecimal, roundToInteger, multiply } from './decimal.js';
import { lang, plain, toIri, typed, type Node } from './graph.js';
import { all, attr, codeValue, first, norm, text } from './select.js';
import { literals, mainProse, oneText } from './text.js';
import { ADMS, CNT, DCAT, DCT, EU, FOAF, GEODCAT, IANA_MEDIA_TYPES, INSPIRE, RDF, RDFS } from './vocab.js';
import type { XmlElement } from './xml.js';

interface Link {
  online: XmlElement;
  /** The gmd:MD_Format/gmd:name elements that apply to this link. */
  formats: XmlElement[];
  transfer: XmlElement;
}

function links(ctx: MappingContext): Link[] {
  const out: Link[] = [];
  for (const distribution of all(ctx.md, 'gmd:distributionInfo/gmd:MD_Distribution')) {
    const formats = all(distribution, 'gmd:distributionFormat/gmd:MD_Format/gmd:name');
    for (const transfer of all(distribution, 'gmd:transferOptions/*')) {
      for (const online of all(transfer, 'gmd:onLine/*')) out.push({ online, formats, transfer });
    }
    // A distributor's own formats describe what it hands out; the distribution's apply otherwise.
    for (const distributor of all(distribution, 'gmd:distributor/gmd:MD_Distributor')) {
      const own = all(distributor, 'gmd:distributorFormat/gmd:MD_Format/gmd:name');
      for (const transfer of all(distributor, 'gmd:distributorTransferOptions/*')) {
        for (const online of all(transfer, 'gmd:onLine/*')) out.push({ online, formats: own.length > 0 ? own : formats, transfer });
      }
    }
  }
  return out;
}

export function mapDistributions(ctx: MappingContext): void {
  const { g } = ctx;
  for (const link of links(ctx)) {
    const url = norm(text(first(link.online, 'gmd:linkage/gmd:URL')));
    const urlIri = toIri(url);
    if (!urlIri) continue;
    const protocol = norm(text(first(link.online, 'gmd:protocol/*')));
    const fn = codeValue(first(link.online, 'gmd:function/gmd:CI_OnLineFunctionCode'));

    if (ctx.resourceType === 'service') {
      mapEndpoint(ctx, ctx.resource, url, protocol);
      continue;
    }
    if (pointsToService(url) || fn === 'download' || fn === 'offlineAccess' || fn === 'order') {
      const distribution = g.blank();
      g.add(ctx.resource, DCAT.distribution, distribution);
      g.add(distribution, RDF.type, DCAT.Distribution);
      describeLink(ctx, distribution, link.online);
      if (pointsToService(url)) {
        const service = g.blank();
        g.add(distribution, DCAT.accessService, service);
        g.add(service, RDF.type, DCAT.DataService);
        const name = oneText(ctx, first(link.online, 'gmd:name')) || oneText(ctx, first(link.online, 'gmd:description')) || 'N/A';
        g.add(service, DCT.title, lang(name, ctx.lang));
        mapEndpoint(ctx, service, url, protocol);
      }
      g.add(distribution, DCAT.accessURL, urlIri);
      mapConstraints(ctx, distribution);
      if (ctx.extended) {
        for (const el of all(ctx.md, 'gmd:identificationInfo/*/gmd:spatialRepresentationType/gmd:MD_SpatialRepresentationTypeCode')) {
          const code = codeValue(el);
          if (code) g.add(distribution, ADMS.representationTechnique, toIri(`${INSPIRE.spatialRepresentationType}${code}`));
        }
      }
      const bytes = byteSize(link.transfer);
      if (bytes !== null) g.add(distribution, DCAT.byteSize, typed(bytes, 'nonNegativeInteger'));
      for (const name of link.formats) mapFormat(ctx, distribution, name);
      if (ctx.extended) {
        for (const charset of all(ctx.md, 'gmd:identificationInfo/gmd:MD_DataIdentification/gmd:characterSet/gmd:MD_CharacterSetCode')) {
          const encoding = CHARACTER_SETS[norm(attr(charset, 'codeListValue'))];
          if (encoding) g.add(distribution, CNT.characterEncoding, typed(encoding, 'string'));
        }
      }
    } else {
      g.add(ctx.resource, fn === 'information' || fn === 'search' ? FOAF.page : DCAT.landingPage, urlIri);
      g.add(urlIri, RDF.type, FOAF.Document);
      describeLink(ctx, urlIri, link.online);
    }
  }
}

function describeLink(ctx: MappingContext, subject: Node, online: XmlElement): void {
  for (const name of all(online, 'gmd:name')) for (const l of literals(ctx, name)) ctx.g.add(subject, DCT.title, l);
  for (const description of all(online, 'gmd:description')) {
    for (const l of literals(ctx, description, mainProse(description))) ctx.g.add(subject, DCT.description, l);
  }
}

function query(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1).toLowerCase();
}

function pointsToService(url: string): boolean {
  return query(url).includes('request=getcapabilities');
}

/** The service behind a URL: its endpoint (the URL without query) and, from the extended profile on, its protocol. */
function mapEndpoint(ctx: MappingContext, service: Node, url: string, protocol: string): void {
  const { g } = ctx;
  const q = url.indexOf('?');
  g.add(service, DCAT.endpointURL, toIri(q === -1 ? url : url.slice(0, q)));
  g.add(service, DCAT.endpointDescription, toIri(url));
  if (!ctx.extended) return;
  const params = query(url);
  const p = protocol.toLowerCase();
  const standard = SERVICE_PROTOCOLS.find(([code]) => params.includes(`service=${code}`) || p === `ogc:${code}`)?.[1];
  const iri = toIri(standard);
  if (iri) {
    g.add(service, GEODCAT.serviceProtocol, iri);
    g.add(iri, RDF.type, DCT.Standard);
  }
}

/** gmd:transferSize is in megabytes; dcat:byteSize wants bytes. */
function byteSize(transfer: XmlElement): string | null {
  const size = parseDecimal(norm(text(first(transfer, 'gmd:transferSize/gco:Real'))));
  if (!size || size.m < 0n) return null;
  return roundToInteger(multiply(size, { m: 1_000_000n, scale: 0 })).toString();
}

const INSPIRE_MEDIA_TYPES = 'http://inspire.ec.europa.eu/media-types/';

/** A format's IRI from its free-text name, when the name is a well-known one. */
function formatIri(label: string): string {
  const normalised = (label.startsWith(EU.fileType) ? label.slice(EU.fileType.length) : label).toLowerCase();
  const code = FORMAT_LABELS[normalised];
  if (!code) return '';
  if (code.startsWith('iana:')) return `${IANA_MEDIA_TYPES}${code.slice(5)}`;
  if (code.startsWith('inspire:')) return `${INSPIRE_MEDIA_TYPES}${code.slice(8)}`;
  return `${EU.fileType}${code}`;
}

function mapFormat(ctx: MappingContext, distribution: Node, name: XmlElement): void {
  const { g } = ctx;
  for (const el of [...all(name, 'gco:CharacterString'), ...all(name, 'gmx:Anchor')]) {
    const label = norm(text(el));
    const iri = toIri(norm(attr(el, 'xlink:href')) || formatIri(label));
    let format: NamedNode | Node;
    if (iri) format = iri;
    else if (label) {
      format = g.blank();
      g.add(format, RDFS.label, plain(label));
    } else continue;
    g.add(distribution, iri?.value.startsWith(IANA_MEDIA_TYPES) ? DCAT.mediaType : DCT.format, format);
    g.add(format, RDF.type, DCT.MediaType);
  }
}
