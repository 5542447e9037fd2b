// gmd:CI_ResponsibleParty → agents. Each party becomes a FOAF agent under the property its role
// names (GeoDCAT-AP's role properties, dct:publisher, dct:creator, dct:rightsHolder) and a
// prov:qualifiedAttribution carrying the INSPIRE role; a point of contact becomes a vCard contact
// point instead. Every use gets its own node, as the reference mapping does: the same party
// playing two roles is two descriptions, not one merged agent.
import type { NamedNode } from '../../rdf/terms.js';
import type { MappingContext } from './context.js';
import { plain, toIri, type Node } from './graph.js';
import { all, attr, codeValue, first, norm, text } from './select.js';
import { literals, oneText } from './text.js';
import { DCAT, DCT, FOAF, GEODCAT, INSPIRE, LOCN, ORG, PROV, RDF, VCARD } from './vocab.js';
import type { XmlElement } from './xml.js';

/** Roles with a property of their own in GeoDCAT-AP extended. */
const ROLE_PROPERTIES: Record<string, NamedNode> = {
  resourceProvider: GEODCAT.resourceProvider,
  custodian: GEODCAT.custodian,
  owner: DCT.rightsHolder,
  user: GEODCAT.user,
  distributor: GEODCAT.distributor,
  originator: GEODCAT.originator,
  principalInvestigator: GEODCAT.principalInvestigator,
  processor: GEODCAT.processor,
};

/** Roles DCAT-AP itself covers, on datasets; in the core profile services get no agents for them. */
const DCAT_ROLES = new Set(['pointOfContact', 'publisher', 'author']);

interface Party {
  el: XmlElement;
  role: string;
  individual: string;
  organisation: string;
  iri: NamedNode | null;
  organisationIri: NamedNode | null;
}

function readParty(el: XmlElement): Party {
  const individualEl = first(el, 'gmd:individualName/*');
  const organisationEl = first(el, 'gmd:organisationName/*');
  const individualIri = toIri(norm(attr(individualEl, 'xlink:href')));
  const organisationIri = toIri(norm(attr(organisationEl, 'xlink:href')));
  return {
    el,
    role: codeValue(first(el, 'gmd:role/gmd:CI_RoleCode')),
    individual: norm(text(individualEl)),
    organisation: norm(text(first(el, 'gmd:organisationName/gco:CharacterString') ?? first(el, 'gmd:organisationName/gmx:Anchor'))),
    iri: individualIri ?? organisationIri,
    organisationIri,
  };
}

/** Maps one responsible party of `subject` (the resource, or the catalogue record for gmd:contact). */
export function mapResponsibleParty(ctx: MappingContext, subject: Node, el: XmlElement): void {
  const party = readParty(el);
  const { g } = ctx;
  const service = ctx.resourceType === 'service';
  const roleProperty = ctx.extended ? ROLE_PROPERTIES[party.role] : undefined;
  if (roleProperty) g.add(subject, roleProperty, foafAgent(ctx, party));
  else if (party.role === 'pointOfContact' && (!service || ctx.extended)) g.add(subject, DCAT.contactPoint, vcardContact(ctx, party));
  else if (party.role === 'publisher' && (!service || ctx.extended)) g.add(subject, DCT.publisher, foafAgent(ctx, party));
  else if (party.role === 'author' && (!service || ctx.extended)) g.add(subject, DCT.creator, foafAgent(ctx, party));

  if (attributed(ctx, party)) {
    const attribution = g.blank();
    g.add(subject, PROV.qualifiedAttribution, attribution);
    g.add(attribution, RDF.type, PROV.Attribution);
    g.add(attribution, PROV.agent, foafAgent(ctx, party));
    const role = toIri(`${INSPIRE.responsiblePartyRole}${party.role}`);
    g.add(attribution, DCAT.hadRole, role);
    if (role) g.add(role, RDF.type, DCAT.Role);
  }
}

function attributed(ctx: MappingContext, party: Party): boolean {
  return ctx.extended || (ctx.resourceType !== 'service' && !DCAT_ROLES.has(party.role));
}

function foafAgent(ctx: MappingContext, party: Party): Node {
  const { g } = ctx;
  const agent = party.iri ?? g.blank();
  g.add(agent, RDF.type, party.individual ? FOAF.Person : party.organisation ? FOAF.Organization : FOAF.Agent);
  if (attributed(ctx, party)) g.add(agent, RDF.type, PROV.Agent);
  const individualName = first(party.el, 'gmd:individualName');
  const organisationName = first(party.el, 'gmd:organisationName');
  if (party.individual) {
    for (const l of literals(ctx, individualName)) g.add(agent, FOAF.name, l);
    if (party.organisation) {
      const organisation = party.organisationIri ?? g.blank();
      g.add(agent, ORG.memberOf, organisation);
      g.add(organisation, RDF.type, FOAF.Organization);
      for (const l of literals(ctx, organisationName)) g.add(organisation, FOAF.name, l);
    }
  } else if (party.organisation) {
    for (const l of literals(ctx, organisationName)) g.add(agent, FOAF.name, l);
  }
  for (const phone of phones(party.el)) g.add(agent, FOAF.phone, phone);
  for (const mail of emails(party.el)) g.add(agent, FOAF.mbox, mail);
  for (const url of homepages(party.el)) g.add(agent, FOAF.workplaceHomepage, url);
  for (const a of addresses(ctx, party.el)) {
    const address = g.blank();
    g.add(agent, LOCN.address, address);
    g.add(address, RDF.type, LOCN.Address);
    if (a.street) g.add(address, LOCN.thoroughfare, plain(a.street));
    if (a.city) g.add(address, LOCN.postName, plain(a.city));
    if (a.area) g.add(address, LOCN.adminUnitL2, plain(a.area));
    if (a.postCode) g.add(address, LOCN.postCode, plain(a.postCode));
    if (a.country) g.add(address, LOCN.adminUnitL1, plain(a.country));
  }
  return agent;
}

function vcardContact(ctx: MappingContext, party: Party): Node {
  const { g } = ctx;
  const contact = party.iri ?? g.blank();
  g.add(contact, RDF.type, party.individual ? VCARD.Individual : party.organisation ? VCARD.Organization : VCARD.Kind);
  const organisationName = first(party.el, 'gmd:organisationName');
  if (party.individual) {
    for (const l of literals(ctx, first(party.el, 'gmd:individualName'))) g.add(contact, VCARD.fn, l);
    if (party.organisation) for (const l of literals(ctx, organisationName)) g.add(contact, VCARD['organization-name'], l);
  } else if (party.organisation) {
    for (const l of literals(ctx, organisationName)) g.add(contact, VCARD.fn, l);
  }
  for (const phone of phones(party.el)) g.add(contact, VCARD.hasTelephone, phone);
  for (const mail of emails(party.el)) g.add(contact, VCARD.hasEmail, mail);
  for (const url of homepages(party.el)) g.add(contact, VCARD.hasURL, url);
  for (const a of addresses(ctx, party.el)) {
    const address = g.blank();
    g.add(contact, VCARD.hasAddress, address);
    g.add(address, RDF.type, VCARD.Address);
    if (a.street) g.add(address, VCARD['street-address'], plain(a.street));
    if (a.city) g.add(address, VCARD.locality, plain(a.city));
    if (a.area) g.add(address, VCARD.region, plain(a.area));
    if (a.postCode) g.add(address, VCARD['postal-code'], plain(a.postCode));
    if (a.country) g.add(address, VCARD['country-name'], plain(a.country));
  }
  return contact;
}

/** Telephone numbers as tel: IRIs; only a number written with its country code ('+' or '00') is global. */
function phones(el: XmlElement): NamedNode[] {
  return all(el, 'gmd:contactInfo/gmd:CI_Contact/gmd:phone/gmd:CI_Telephone/gmd:voice/*').flatMap((v) => {
    const written = norm(text(v));
    const international = /^(\+|00)/.test(written);
    const digits = (international ? written.replace(/^(\+|00)/, '').replace('(0)', '') : written).replace(/\D/g, '');
    return digits ? (toIri(`tel:${international ? '+' : ''}${digits}`) ?? []) : [];
  });
}

function emails(el: XmlElement): NamedNode[] {
  return all(el, 'gmd:contactInfo/gmd:CI_Contact/gmd:address/gmd:CI_Address/gmd:electronicMailAddress/*')
    .map((v) => norm(text(v)))
    .filter((m) => m !== '')
    .flatMap((m) => toIri(`mailto:${m}`) ?? []);
}

function homepages(el: XmlElement): NamedNode[] {
  return all(el, 'gmd:contactInfo/gmd:CI_Contact/gmd:onlineResource/gmd:CI_OnlineResource/gmd:linkage/gmd:URL').flatMap((u) => toIri(norm(text(u))) ?? []);
}

interface Address {
  street: string;
  city: string;
  area: string;
  postCode: string;
  country: string;
}

function addresses(ctx: MappingContext, el: XmlElement): Address[] {
  return all(el, 'gmd:contactInfo/gmd:CI_Contact/gmd:address/gmd:CI_Address')
    .map((a) => ({
      street: norm(all(a, 'gmd:deliveryPoint').map((d) => oneText(ctx, d)).join(' ')),
      city: oneText(ctx, first(a, 'gmd:city')),
      area: oneText(ctx, first(a, 'gmd:administrativeArea')),
      postCode: oneText(ctx, first(a, 'gmd:postalCode')),
      country: oneText(ctx, first(a, 'gmd:country')),
    }))
    .filter((a) => a.street || a.city || a.area || a.postCode || a.country);
}
