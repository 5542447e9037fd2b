// The portal itself as a dcat:Catalog, for a harvest that republishes a CKAN portal's datasets as one
// catalogue (ckanext-dcat names the catalogue by the site URL too).
import { namedNode, type NamedNode, type Quad } from '../../rdf/terms.js';
import { TripleSet } from './graph.js';
import { plain } from './values.js';
import { addLanguages } from './distribution.js';
import { addAgent } from './agents.js';
import type { CkanAgent } from './types.js';
import { DCAT, DCT, FOAF } from './terms.js';
import { normaliseSiteUrl } from './naming.js';

export interface CkanCatalogOptions {
  /** The portal's description (CKAN's ckan.site_description). DCAT-AP requires one. */
  description?: string;
  /** Language codes or IRIs of the portal's metadata (CKAN's ckan.locale_default). */
  languages?: string[];
  /** Who publishes the portal (DCAT-AP requires a catalogue publisher), as a scheming agent object. */
  publisher?: CkanAgent;
  /** The IRIs of the datasets the catalogue lists. */
  datasets?: Iterable<string | NamedNode>;
}

/** The catalogue node of a CKAN portal: `<siteUrl> a dcat:Catalog`, its title (the host name when
 * none is given), homepage, and a dcat:dataset link per dataset IRI. */
export function ckanCatalogQuads(siteUrl: string, title?: string, options: CkanCatalogOptions = {}): Quad[] {
  const site = normaliseSiteUrl(siteUrl);
  const catalog = namedNode(site);
  const g = new TripleSet();
  g.type(catalog, DCAT.Catalog);
  g.add(catalog, DCT.title, plain(title?.trim() || new URL(site).host));
  if (options.description?.trim()) g.add(catalog, DCT.description, plain(options.description));
  g.link(catalog, FOAF.homepage, namedNode(`${site}/`), FOAF.Document);
  addLanguages(g, catalog, options.languages ?? []);
  if (options.publisher) addAgent(g, catalog, DCT.publisher, options.publisher);
  for (const d of options.datasets ?? []) g.add(catalog, DCAT.dataset, typeof d === 'string' ? namedNode(d) : d);
  return g.quads;
}
