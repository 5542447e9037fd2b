// How a CKAN package is named in RDF, and the errors of naming it.
import { namedNode, type NamedNode } from '../../rdf/terms.js';
import { field, text, type Dict } from './fields.js';
import { anyIri } from './values.js';

export interface CkanMapOptions {
  /** The portal's root URL (CKAN's ckan.site_url), under which datasets, resources, organisations
   * and groups have their pages. */
  siteUrl: string;
  /** The dataset IRI for packages without a `uri`, with {id} and {name} replaced; by default
   * `<siteUrl>/dataset/{id}`, as ckanext-dcat names them. */
  datasetUriTemplate?: string;
}

/** A package the mapping cannot name, or options it cannot use. */
export class CkanMappingError extends Error {
  constructor(
    message: string,
    /** The field of the package (or option) at fault. */
    readonly where: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'CkanMappingError';
  }
}

/** The site URL without a trailing slash; an error when it is no http(s) URL. */
export function normaliseSiteUrl(siteUrl: string): string {
  if (!/^https?:\/\/[^\s/?#]+/i.test(siteUrl.trim())) throw new CkanMappingError(`not an http(s) URL: ${JSON.stringify(siteUrl)}`, 'siteUrl');
  return siteUrl.trim().replace(/\/+$/, '');
}

/** The IRI of a dataset (or of a dataset referred to by a series link): its `uri` field or extra,
 * else the template, else the dataset's page by id on the portal. */
export function ckanDatasetIri(pkg: Dict, options: CkanMapOptions): NamedNode {
  const uri = anyIri(field(pkg, 'uri'));
  if (uri) return uri;
  const id = text(pkg.id);
  const name = text(pkg.name);
  if (id === undefined && name === undefined) throw new CkanMappingError('the package has neither an id nor a name to name it by', 'id');
  const site = normaliseSiteUrl(options.siteUrl);
  if (options.datasetUriTemplate) {
    const iri = options.datasetUriTemplate
      .replaceAll('{id}', encodeURIComponent((id ?? name)!))
      .replaceAll('{name}', encodeURIComponent((name ?? id)!));
    const node = anyIri(iri);
    if (!node) throw new CkanMappingError(`the template does not make an IRI: ${JSON.stringify(iri)}`, 'datasetUriTemplate');
    return node;
  }
  return namedNode(`${site}/dataset/${encodeURIComponent((id ?? name)!)}`);
}
