// This catalogue as a dcat:Catalog node: what every DCAT output (the Hydra pages of /catalog, the
// dumps, the feed) says about the catalogue itself. DCAT-AP makes title, description and publisher
// mandatory, and the publisher an agent with a name; the operator sets them (VINDBAAR_CATALOG_*).
import { literal, namedNode, quad, type NamedNode, type Quad } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';
import type { CatalogDescription } from '../config.js';
import type { LangText } from '../store/thematic-views.js';

const { dcat, dct, foaf, rdfs, vcard, xsd } = PREFIXES;

export function catalogIri(baseUrl: string): string {
  return `${baseUrl}/catalog`;
}

/** The catalogue node and its publisher. `conformsTo`: the specification the output follows. */
export function catalogQuads(baseUrl: string, d: CatalogDescription, options: { conformsTo?: string; modified?: Date } = {}): Quad[] {
  const catalog = namedNode(catalogIri(baseUrl));
  const publisher = namedNode(d.publisher);
  const out: Quad[] = [
    quad(catalog, namedNode(RDF_TYPE), namedNode(`${dcat}Catalog`)),
    quad(catalog, namedNode(`${dct}title`), literal(d.title, d.language)),
    quad(catalog, namedNode(`${dct}description`), literal(d.description, d.language)),
    quad(catalog, namedNode(`${dct}publisher`), publisher),
    quad(catalog, namedNode(`${dct}license`), namedNode(d.license)),
    quad(catalog, namedNode(`${foaf}homepage`), namedNode(`${baseUrl}/`)),
    // DCAT-AP VL asks an identifier and a contact point of every catalogue.
    quad(catalog, namedNode(`${dct}identifier`), literal(catalogIri(baseUrl))),
    ...contactQuads(catalog, baseUrl, d),
    ...agentQuads(publisher, d),
    // The classes of the values, as DCAT-AP's shapes check them (sh:class) without reasoning: the
    // licence is a licence document, the home page a document, and datasets and services are the
    // dcat:Resource a CatalogRecord's primary topic must be (DCAT's own subclass axioms).
    quad(namedNode(d.license), namedNode(RDF_TYPE), namedNode(`${dct}LicenseDocument`)),
    quad(namedNode(`${baseUrl}/`), namedNode(RDF_TYPE), namedNode(`${foaf}Document`)),
    ...['Dataset', 'DataService'].map((c) => quad(namedNode(`${dcat}${c}`), namedNode(`${rdfs}subClassOf`), namedNode(`${dcat}Resource`))),
    quad(namedNode(`${dcat}DatasetSeries`), namedNode(`${rdfs}subClassOf`), namedNode(`${dcat}Dataset`)),
  ];
  if (options.conformsTo)
    out.push(quad(catalog, namedNode(`${dct}conformsTo`), namedNode(options.conformsTo)), quad(namedNode(options.conformsTo), namedNode(RDF_TYPE), namedNode(`${dct}Standard`)));
  if (options.modified) out.push(quad(catalog, namedNode(`${dct}modified`), literal(options.modified.toISOString(), namedNode(`${xsd}dateTime`))));
  return out;
}

export function agentQuads(agent: NamedNode, d: CatalogDescription): Quad[] {
  // foaf:Agent for DCAT-AP, dct:Agent for DCAT-AP VL (which checks that class).
  return [
    quad(agent, namedNode(RDF_TYPE), namedNode(`${foaf}Agent`)),
    quad(agent, namedNode(RDF_TYPE), namedNode(`${dct}Agent`)),
    quad(agent, namedNode(`${foaf}name`), literal(d.publisherName, d.language)),
  ];
}

/** Whom to ask about the catalogue: the publisher, at its address (and e-mail when configured). */
function contactQuads(catalog: NamedNode, baseUrl: string, d: CatalogDescription): Quad[] {
  const contact = namedNode(`${baseUrl}/id/organisation/catalogue#contact`);
  const out = [
    quad(catalog, namedNode(`${dcat}contactPoint`), contact),
    quad(contact, namedNode(RDF_TYPE), namedNode(`${vcard}Kind`)),
    quad(contact, namedNode(RDF_TYPE), namedNode(`${vcard}Organization`)),
    quad(contact, namedNode(`${vcard}fn`), literal(d.publisherName, d.language)),
  ];
  if (d.contactEmail) out.push(quad(contact, namedNode(`${vcard}hasEmail`), namedNode(`mailto:${d.contactEmail}`)));
  return out;
}

/**
 * What the catalogue says of its thematic sub-catalogues (the operator's views). DCAT-AP 3 offers two
 * properties of a Catalogue for this: dcat:catalog, "a catalogue whose contents are of interest in the
 * context of this catalogue", and dct:hasPart, "a related Catalogue that is part of the described
 * Catalogue". A view is both (its records are this catalogue's), so both are said; each names a
 * dcat:Catalog (sh:class in the shapes), typed and titled here so that it checks without its own page.
 */
export function subCatalogQuads(baseUrl: string, subs: { iri: string; title: LangText }[]): Quad[] {
  const catalog = namedNode(catalogIri(baseUrl));
  return subs.flatMap((s) => {
    const sub = namedNode(s.iri);
    return [
      quad(catalog, namedNode(`${dcat}catalog`), sub),
      quad(catalog, namedNode(`${dct}hasPart`), sub),
      quad(sub, namedNode(RDF_TYPE), namedNode(`${dcat}Catalog`)),
      ...langLiterals(s.title).map((l) => quad(sub, namedNode(`${dct}title`), l)),
    ];
  });
}

/** Text per language as language-tagged literals. */
function langLiterals(text: LangText) {
  return Object.entries(text)
    .filter(([, v]) => !!v)
    .map(([lang, v]) => literal(v!, lang));
}

/**
 * A thematic sub-catalogue as a catalogue of its own, for the portals that harvest it: the mandatory
 * title, description and publisher (the catalogue's publisher, who runs it), its licence and contact
 * point, its page as home page, and dct:isPartOf the whole catalogue (named only: a harvester of the view takes the view, not the
 * whole catalogue's description). A view without a description
 * borrows its title for one: DCAT-AP makes the description mandatory.
 */
export function viewCatalogQuads(baseUrl: string, d: CatalogDescription, v: { iri: string; homepage: string; title: LangText; description: LangText }): Quad[] {
  const catalog = namedNode(v.iri);
  const publisher = namedNode(d.publisher);
  const description = Object.values(v.description).some(Boolean) ? v.description : v.title;
  return [
    quad(catalog, namedNode(RDF_TYPE), namedNode(`${dcat}Catalog`)),
    ...langLiterals(v.title).map((l) => quad(catalog, namedNode(`${dct}title`), l)),
    ...langLiterals(description).map((l) => quad(catalog, namedNode(`${dct}description`), l)),
    quad(catalog, namedNode(`${dct}publisher`), publisher),
    quad(catalog, namedNode(`${dct}license`), namedNode(d.license)),
    quad(catalog, namedNode(`${foaf}homepage`), namedNode(v.homepage)),
    quad(catalog, namedNode(`${dct}identifier`), literal(v.iri)),
    quad(catalog, namedNode(`${dct}isPartOf`), namedNode(catalogIri(baseUrl))),
    ...contactQuads(catalog, baseUrl, d),
    ...agentQuads(publisher, d),
    quad(namedNode(d.license), namedNode(RDF_TYPE), namedNode(`${dct}LicenseDocument`)),
    quad(namedNode(v.homepage), namedNode(RDF_TYPE), namedNode(`${foaf}Document`)),
    ...['Dataset', 'DataService'].map((c) => quad(namedNode(`${dcat}${c}`), namedNode(`${rdfs}subClassOf`), namedNode(`${dcat}Resource`))),
    quad(namedNode(`${dcat}DatasetSeries`), namedNode(`${rdfs}subClassOf`), namedNode(`${dcat}Dataset`)),
  ];
}
