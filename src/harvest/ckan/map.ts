// A CKAN dataset dict (package_show, a package_search result) as DCAT-AP 3 RDF, following the mapping
// of ckanext-dcat's euro_dcat_ap_3 profile with its scheming support and the legacy extras it still
// reads, so that what a CKAN portal would publish as DCAT is what a harvest of its API yields. Where
// that mapping writes something DCAT-AP 3 rejects (a literal where a concept is required, an IRI where
// a literal is), the value is written the way DCAT-AP 3 wants it and the code says why; the
// differences from ckanext-dcat's own output are listed in dcat-profiles/ckan-mapping-differences.json.
import { namedNode, type NamedNode, type Quad } from '../../rdf/terms.js';
import type { CkanPackage } from './types.js';
import { TripleSet, type Node } from './graph.js';
import { field, firstText, isObject, list, listField, objects, text } from './fields.js';
import { anyIri, httpIri, iriOrLiteral, plain } from './values.js';
import { addDate, addList, addStatement, addTranslatable, literals } from './properties.js';
import { addContactPoints, addCreators, addProvenanceActivities, addPublisher, addQualifiedAttributions } from './agents.js';
import { addSpatial, addTemporal } from './coverage.js';
import { addDistribution, addLanguages, addResolutions } from './distribution.js';
import { frequencyIri } from './vocabulary.js';
import { ckanDatasetIri, CkanMappingError, normaliseSiteUrl, type CkanMapOptions } from './naming.js';
import { ADMS, DCAT, DCATAP, DCT, ELI, FOAF, RDFS, SKOS } from './terms.js';

export type { CkanPackage, CkanResource, CkanAgent, CkanExtra, CkanTag, CkanGroup, CkanOrganization, Translated } from './types.js';
export { ckanCatalogQuads, type CkanCatalogOptions } from './catalog.js';
export { ckanDatasetIri, CkanMappingError, normaliseSiteUrl, type CkanMapOptions } from './naming.js';

function addKeywords(g: TripleSet, dataset: Node, pkg: CkanPackage): void {
  const translated = isObject(pkg.tags_translated) ? Object.entries(pkg.tags_translated).flatMap(([lang, values]) => list(values).map((v) => plain(v, lang))) : [];
  if (translated.length > 0) {
    for (const keyword of translated) g.add(dataset, DCAT.keyword, keyword);
    return;
  }
  const tags = Array.isArray(pkg.tags) ? pkg.tags : list(field(pkg, 'tags'));
  for (const tag of tags) {
    const name = isObject(tag) ? text(tag.name) ?? text(tag.display_name) : text(tag);
    if (name !== undefined) g.add(dataset, DCAT.keyword, plain(name));
  }
}

/** Themes: the `theme` field's IRIs, and the portal's groups as concepts named by their pages (CKAN
 * groups are the portal's own themes; ckanext-dcat does not publish them). A theme IRI is not typed
 * skos:Concept here: DCAT-AP requires a concept to have a label, which only its vocabulary has; a
 * group has its title. */
function addThemes(g: TripleSet, dataset: Node, pkg: CkanPackage, site: string): void {
  for (const v of listField(pkg, 'theme')) g.add(dataset, DCAT.theme, iriOrLiteral(v));
  for (const group of objects(pkg.groups)) {
    const name = text(group.name) ?? text(group.id);
    if (name === undefined) continue;
    const concept = namedNode(`${site}/group/${encodeURIComponent(name)}`);
    g.link(dataset, DCAT.theme, concept, SKOS.Concept);
    const label = text(group.title) ?? text(group.display_name);
    if (label !== undefined) g.add(concept, SKOS.prefLabel, plain(label));
  }
}

function addIdentifiers(g: TripleSet, dataset: Node, pkg: CkanPackage): void {
  // A literal, as DCAT-AP 3 defines dct:identifier (ckanext-dcat makes URL-like identifiers IRIs).
  const identifier = firstText(pkg, 'identifier', 'guid', 'id');
  if (identifier !== undefined) g.add(dataset, DCT.identifier, plain(identifier));
  for (const v of listField(pkg, 'alternate_identifier')) {
    const node = g.node(undefined);
    g.add(dataset, ADMS.identifier, node);
    g.type(node, ADMS.Identifier);
    g.add(node, SKOS.notation, plain(v));
  }
}

function addQualifiedRelations(g: TripleSet, dataset: Node, pkg: CkanPackage): void {
  for (const relation of objects(field(pkg, 'qualified_relation'))) {
    const node = g.node(anyIri(relation.uri));
    g.add(dataset, DCAT.qualifiedRelation, node);
    g.type(node, DCAT.Relationship);
    const target = text(relation.relation);
    if (target !== undefined) g.link(node, DCT.relation, iriOrLiteral(target), RDFS.Resource);
    const role = text(relation.role);
    if (role !== undefined) g.link(node, DCAT.hadRole, iriOrLiteral(role), DCAT.Role);
  }
}

/** Series membership and navigation, as ckanext-dataset-series exposes them in package_show: a series
 * has first/last members, a member its series (in_series) and its previous/next in each. */
function addSeries(g: TripleSet, dataset: Node, pkg: CkanPackage, options: CkanMapOptions, series: boolean): void {
  const navigation = pkg.series_navigation;
  const link = (predicate: NamedNode, target: unknown) => {
    if (isObject(target) && (text(target.id) ?? text(target.name) ?? text(target.uri)) !== undefined) g.add(dataset, predicate, ckanDatasetIri(target, options));
  };
  if (series) {
    if (isObject(navigation)) {
      link(DCAT.first, navigation.first);
      link(DCAT.last, navigation.last);
    }
    return;
  }
  for (const seriesId of listField(pkg, 'in_series')) {
    g.add(dataset, DCAT.inSeries, ckanDatasetIri({ id: seriesId }, options));
    for (const nav of objects(navigation)) {
      if (text(nav.id) !== seriesId) continue;
      link(DCAT.prev, nav.previous);
      link(DCAT.next, nav.next);
    }
  }
}

/** The dataset's licence as an IRI, for distributions that name none (license_url is what CKAN's
 * licence register gives; some portals put an IRI in license_id). */
function licenceOf(pkg: CkanPackage): NamedNode | undefined {
  return httpIri(pkg.license_url) ?? httpIri(pkg.license_id);
}

/** The triples of one CKAN dataset dict as DCAT-AP 3. Throws CkanMappingError when the package cannot
 * be named (no uri, id or name) or the site URL is unusable. */
export function ckanPackageToQuads(pkg: CkanPackage, options: CkanMapOptions): Quad[] {
  if (!isObject(pkg)) throw new CkanMappingError('a package must be a JSON object', '(package)');
  const site = normaliseSiteUrl(options.siteUrl);
  const g = new TripleSet();
  const dataset = ckanDatasetIri(pkg, options);
  const series = pkg.type === 'dataset_series';
  g.type(dataset, series ? DCAT.DatasetSeries : DCAT.Dataset);

  addTranslatable(g, dataset, DCT.title, pkg, 'title');
  addTranslatable(g, dataset, DCT.description, pkg, 'notes');
  // The source's own page (CKAN's url field, which ckanext-dcat publishes as the landing page), and
  // the dataset's page on the portal, which is where a reader of a harvested record lands.
  const source = httpIri(pkg.url);
  if (source) g.link(dataset, DCAT.landingPage, source, FOAF.Document);
  const name = text(pkg.name);
  const page = name === undefined ? undefined : namedNode(`${site}/dataset/${encodeURIComponent(name)}`);
  // Not when the page names the dataset itself (a package without an id is named by its page).
  if (page && !page.equals(dataset)) g.link(dataset, DCAT.landingPage, page, FOAF.Document);

  addIdentifiers(g, dataset, pkg);
  const version = firstText(pkg, 'version');
  if (version !== undefined) g.add(dataset, DCAT.version, plain(version));
  for (const l of literals(field(pkg, 'version_notes'))) g.add(dataset, ADMS.versionNotes, l);
  const frequency = firstText(pkg, 'frequency');
  if (frequency !== undefined) {
    const eu = httpIri(frequency) ? undefined : frequencyIri(frequency);
    g.link(dataset, DCT.accrualPeriodicity, eu ? namedNode(eu) : iriOrLiteral(frequency), DCT.Frequency);
  }
  const type = firstText(pkg, 'dcat_type');
  if (type !== undefined) g.add(dataset, DCT.type, iriOrLiteral(type));

  addKeywords(g, dataset, pkg);
  addThemes(g, dataset, pkg, site);
  addDate(g, dataset, DCT.issued, firstText(pkg, 'issued', 'metadata_created'));
  addDate(g, dataset, DCT.modified, firstText(pkg, 'modified', 'metadata_modified'));

  addLanguages(g, dataset, field(pkg, 'language'));
  addList(g, dataset, DCT.conformsTo, field(pkg, 'conforms_to'), DCT.Standard);
  addList(g, dataset, FOAF.page, field(pkg, 'documentation'), FOAF.Document);
  addList(g, dataset, DCT.relation, field(pkg, 'related_resource'), RDFS.Resource);
  addList(g, dataset, DCAT.hasVersion, field(pkg, 'has_version'));
  addList(g, dataset, DCT.isVersionOf, field(pkg, 'is_version_of'));
  addList(g, dataset, DCT.source, field(pkg, 'source'));
  // Not typed dcat:Distribution (as ckanext-dcat does): that would make the sample a distribution
  // to validate, and a bare IRI has none of a distribution's required properties.
  addList(g, dataset, ADMS.sample, field(pkg, 'sample'));
  addList(g, dataset, DCT.isReferencedBy, field(pkg, 'is_referenced_by'), RDFS.Resource);
  addList(g, dataset, DCATAP.applicableLegislation, field(pkg, 'applicable_legislation'), ELI.LegalResource);
  addList(g, dataset, DCATAP.hvdCategory, field(pkg, 'hvd_category'));

  addContactPoints(g, dataset, pkg);
  addPublisher(g, dataset, pkg, site);
  addCreators(g, dataset, pkg);
  addTemporal(g, dataset, pkg);
  addSpatial(g, dataset, pkg);
  addStatement(g, dataset, DCT.accessRights, field(pkg, 'access_rights'), DCT.RightsStatement);
  addStatement(g, dataset, DCT.provenance, field(pkg, 'provenance'), DCT.ProvenanceStatement);
  addResolutions(g, dataset, pkg);
  addQualifiedRelations(g, dataset, pkg);
  addProvenanceActivities(g, dataset, pkg);
  addQualifiedAttributions(g, dataset, pkg);
  addSeries(g, dataset, pkg, options, series);

  const ctx = { siteUrl: site, datasetId: text(pkg.id) ?? name, licence: licenceOf(pkg) };
  for (const resource of Array.isArray(pkg.resources) ? pkg.resources : []) {
    if (isObject(resource)) addDistribution(g, dataset, resource, ctx);
  }
  return g.quads;
}
