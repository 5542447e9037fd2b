// Who: contact points (vcard:Kind), publishers and creators (foaf:Agent), and the agents of provenance
// activities and qualified attributions. CKAN has three generations of these: the core maintainer and
// author fields, free-form extras (publisher_name, contact_email, dcat_publisher_email...) and scheming
// repeating subfields (publisher, creator, contact as lists of objects). The newest one present wins
// for the publisher, whom DCAT-AP allows once; the organisation that owns the dataset is the last resort.
import type { NamedNode } from '../../rdf/terms.js';
import type { Node, TripleSet } from './graph.js';
import { field, firstText, isObject, objects, text, translations, type Dict } from './fields.js';
import { anyIri, httpIri, iriOrLiteral, mailto, plain } from './values.js';
import { addDate } from './properties.js';
import { DCAT, DCT, FOAF, PROV, RDFS, VCARD } from './terms.js';

type Fields = Record<string, unknown>;

/** Names from `name_translated` and `name`, the plain name left out when it repeats a translation. */
function addNames(g: TripleSet, node: Node, predicate: NamedNode, agent: Fields): void {
  const translated = translations(agent.name_translated) ?? [];
  for (const [lang, v] of translated) g.add(node, predicate, plain(v, lang));
  const name = text(agent.name);
  if (name !== undefined && !translated.some(([, v]) => v === name)) g.add(node, predicate, plain(name));
}

/** A foaf:Agent from a scheming agent object (or one assembled from legacy fields). */
export function addAgent(g: TripleSet, subject: Node, predicate: NamedNode, agent: Fields): Node {
  const node = g.node(anyIri(agent.uri));
  g.add(subject, predicate, node);
  g.type(node, FOAF.Agent);
  addNames(g, node, FOAF.name, agent);
  for (const key of ['url', 'homepage']) {
    const homepage = httpIri(agent[key]);
    if (homepage) g.add(node, FOAF.homepage, homepage);
  }
  const type = text(agent.type);
  if (type !== undefined) g.add(node, DCT.type, iriOrLiteral(type));
  const email = text(agent.email);
  // vcard:hasEmail for every agent, as ckanext-dcat writes it for scheming agents (its legacy and
  // nested agents use foaf:mbox): one property for one fact, and the one the project's JSON reads.
  if (email !== undefined) g.add(node, VCARD.hasEmail, mailto(email));
  const identifier = text(agent.identifier);
  // DCAT-AP's dct:identifier is a literal, whatever the text looks like.
  if (identifier !== undefined) g.add(node, DCT.identifier, plain(identifier));
  for (const parent of objects(agent.actedOnBehalfOf)) {
    const org = g.node(anyIri(parent.uri));
    g.add(node, PROV.actedOnBehalfOf, org);
    g.type(org, PROV.Organization);
    addNames(g, org, FOAF.name, parent);
  }
  return node;
}

/** A vcard:Kind from a scheming contact object. */
export function addContact(g: TripleSet, subject: Node, contact: Fields): void {
  const node = g.node(anyIri(contact.uri));
  g.add(subject, DCAT.contactPoint, node);
  g.type(node, VCARD.Kind);
  const translated = translations(contact.name_translated);
  if (translated && translated.length > 0) for (const [lang, v] of translated) g.add(node, VCARD.fn, plain(v, lang));
  else if (text(contact.name) !== undefined) g.add(node, VCARD.fn, plain(text(contact.name)!));
  const email = text(contact.email);
  if (email !== undefined) g.add(node, VCARD.hasEmail, mailto(email));
  const uid = text(contact.identifier);
  if (uid !== undefined) g.add(node, VCARD.hasUID, iriOrLiteral(uid));
  const url = httpIri(contact.url);
  if (url) g.add(node, VCARD.hasURL, url);
}

/** Contact points: the legacy one (contact_* extras, else maintainer, else author), then the scheming
 * list. Both are kept when both are present, as they may name different people. */
export function addContactPoints(g: TripleSet, dataset: Node, pkg: Dict): void {
  const legacy = {
    uri: firstText(pkg, 'contact_uri'),
    name: firstText(pkg, 'contact_name', 'maintainer', 'author'),
    email: firstText(pkg, 'contact_email', 'maintainer_email', 'author_email'),
  };
  // ckanext-dcat types this one vcard:Organization; DCAT-AP's range is vcard:Kind, and nothing says
  // a maintainer is an organisation rather than a person.
  if (legacy.uri !== undefined || legacy.name !== undefined || legacy.email !== undefined) addContact(g, dataset, legacy);
  for (const contact of objects(pkg.contact)) addContact(g, dataset, contact);
}

/** Legacy agent fields `<role>_uri`, `<role>_name`, ... as an agent object, if there is a URI or name. */
function legacyAgent(pkg: Dict, role: string): Fields | undefined {
  const uri = firstText(pkg, `${role}_uri`);
  const name = firstText(pkg, `${role}_name`);
  if (uri === undefined && name === undefined) return undefined;
  return {
    uri,
    name,
    email: firstText(pkg, `${role}_email`),
    url: firstText(pkg, `${role}_url`),
    type: firstText(pkg, `${role}_type`),
    identifier: firstText(pkg, `${role}_identifier`),
  };
}

/** The publisher: the scheming one, else the legacy extras, else the owning organisation (as its page
 * on the portal, which is what ckanext-dcat names it). */
export function addPublisher(g: TripleSet, dataset: Node, pkg: Dict, siteUrl: string): void {
  const scheming = objects(pkg.publisher);
  // DCAT-AP allows one publisher; a scheming list holds one unless a portal changed its schema.
  if (scheming.length > 0) {
    addAgent(g, dataset, DCT.publisher, scheming[0]);
    return;
  }
  const legacy = legacyAgent(pkg, 'publisher');
  if (legacy) {
    addAgent(g, dataset, DCT.publisher, legacy);
    return;
  }
  const org = pkg.organization;
  if (isObject(org) && text(org.id) !== undefined) {
    addAgent(g, dataset, DCT.publisher, {
      uri: `${siteUrl}/organization/${encodeURIComponent(text(org.id)!)}`,
      name: text(org.title) ?? text(org.name),
      email: org.email,
      url: org.url,
      type: org.dcat_type,
      identifier: org.identifier,
    });
  }
}

export function addCreators(g: TripleSet, dataset: Node, pkg: Dict): void {
  const scheming = objects(pkg.creator);
  if (scheming.length > 0) {
    for (const creator of scheming) addAgent(g, dataset, DCT.creator, creator);
    return;
  }
  const legacy = legacyAgent(pkg, 'creator');
  if (legacy) addAgent(g, dataset, DCT.creator, legacy);
}

/** prov:wasGeneratedBy activities (HealthDCAT-AP and DCAT-AP 3 provenance). */
export function addProvenanceActivities(g: TripleSet, dataset: Node, pkg: Dict): void {
  for (const activity of objects(field(pkg, 'provenance_activity'))) {
    const node = g.node(anyIri(activity.uri));
    g.add(dataset, PROV.wasGeneratedBy, node);
    g.type(node, PROV.Activity);
    const label = text(activity.label);
    if (label !== undefined) g.add(node, RDFS.label, plain(label));
    const seeAlso = httpIri(activity.seeAlso);
    if (seeAlso) g.add(node, RDFS.seeAlso, seeAlso);
    const type = text(activity.dct_type);
    if (type !== undefined) g.add(node, DCT.type, iriOrLiteral(type));
    addDate(g, node, PROV.startedAtTime, activity.startedAtTime);
    for (const agent of objects(activity.wasAssociatedWith)) addAgent(g, node, PROV.wasAssociatedWith, agent);
  }
}

/** dcat:qualifiedAttribution: an agent and the role it had. */
export function addQualifiedAttributions(g: TripleSet, dataset: Node, pkg: Dict): void {
  for (const attribution of objects(field(pkg, 'qualified_attribution'))) {
    const node = g.node(undefined);
    g.add(dataset, DCAT.qualifiedAttribution, node);
    // prov:Attribution and prov:agent, DCAT's terms (ckanext-dcat writes dcat:Attribution and
    // dcat:agent, which DCAT does not define).
    g.type(node, PROV.Attribution);
    const agents = Array.isArray(attribution.agent) ? attribution.agent : [];
    for (const agent of agents) {
      if (isObject(agent)) {
        if (objects([agent]).length > 0) addAgent(g, node, PROV.agent, agent);
      } else {
        const iri = anyIri(agent);
        if (iri) g.add(node, PROV.agent, iri);
      }
    }
    const role = anyIri(attribution.role);
    if (role) g.link(node, DCAT.hadRole, role, DCAT.Role);
  }
}
