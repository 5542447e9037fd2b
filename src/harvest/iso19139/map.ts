// ISO 19139 (gmd:MD_Metadata) → GeoDCAT-AP. The mapping follows the GeoDCAT-AP specification as the
// SEMIC reference transformation (iso-19139-to-dcat-ap) implements it for its "extended" profile,
// without the mappings it keeps only for GeoDCAT-AP 1.x compatibility ("include-deprecated"), and
// without looking coupled resources up over the network. Where that transformation writes malformed
// data (empty literals, text of several elements run together, the same activities repeated), this
// one writes the value the record actually holds; dcat-profiles/iso19139-geodcat-differences.json lists
// where the two differ on the official test cases, and why.
import { namedNode, type BlankNode, type NamedNode, type Quad } from '../../rdf/terms.js';
import { mapResponsibleParty } from './agents.js';
import { languageTag } from './codelists.js';
import { mapConstraints } from './constraints.js';
import type { MappingContext, Profile } from './context.js';
import { mapCitationDates } from './dates.js';
import { mapDistributions } from './distributions.js';
import { mapSpatialExtent, mapTemporalExtent } from './extent.js';
import { GraphBuilder, isHttp, toIri } from './graph.js';
import { mapCoupledResources, mapIdentifiers, resourceIri } from './identifiers.js';
import { mapKeywords } from './keywords.js';
import { mapConformity, mapLineage, mapSpatialResolution } from './quality.js';
import { mapRecord, metadataLanguageCode } from './record.js';
import { mapReferenceSystems } from './refsys.js';
import { mapResource, resourceTypeOf } from './resource.js';
import { all, attr, codeValue, elements, first, is, norm, text } from './select.js';
import { parseXml, type XmlElement } from './xml.js';

export interface IsoMappingOptions {
  /**
   * Namespace for IRIs minted from the file identifier when the record gives none of its own:
   * `<baseIRI><fileIdentifier>` for the resource and `<baseIRI><fileIdentifier>/record` for the
   * catalogue record. Without it such nodes are blank, as in the reference mapping.
   */
  baseIRI?: string;
  /** GeoDCAT-AP profile; 'extended' (the default) maps every ISO element GeoDCAT-AP covers. */
  profile?: Profile;
  /**
   * ISO 639-2 code of the language preferred where a single text must be picked among translations
   * (address parts, service names); 'eng' by default.
   */
  preferredLanguage?: string;
}

/** The document holds no ISO 19139 record. */
export class IsoMappingError extends Error {
  override readonly name = 'IsoMappingError';
}

/** Maps every gmd:MD_Metadata (or gmi:MI_Metadata) record in the document. */
export function isoToGeoDcat(xml: string | XmlElement, options: IsoMappingOptions = {}): Quad[] {
  const root = typeof xml === 'string' ? parseXml(xml) : xml;
  const records = metadataElements(root);
  if (records.length === 0) throw new IsoMappingError(`no gmd:MD_Metadata record in the document (its root element is ${root.name})`);
  const g = new GraphBuilder();
  for (const md of records) mapMetadata(g, md, options);
  return g.quads;
}

function metadataElements(el: XmlElement): XmlElement[] {
  if (is(el, 'gmd:MD_Metadata') || is(el, 'gmi:MI_Metadata')) return [el];
  return elements(el).flatMap(metadataElements);
}

function mapMetadata(g: GraphBuilder, md: XmlElement, options: IsoMappingOptions): void {
  const profile = options.profile ?? 'extended';
  const locales = new Map<string, string>();
  let preferredLocale: string | undefined;
  const preferred = (options.preferredLanguage ?? 'eng').toLowerCase();
  for (const locale of all(md, 'gmd:locale/gmd:PT_Locale')) {
    const id = norm(attr(locale, 'id'));
    const code = codeValue(first(locale, 'gmd:languageCode/gmd:LanguageCode'));
    if (!id) continue;
    locales.set(id, languageTag(code));
    if (preferredLocale === undefined && code.toLowerCase() === preferred) preferredLocale = id;
  }

  const fileId = norm(text(first(md, 'gmd:fileIdentifier/gco:CharacterString')));
  const minted = (suffix: string): NamedNode | undefined =>
    options.baseIRI && fileId ? namedNode(`${options.baseIRI}${encodeURIComponent(fileId)}${suffix}`) : undefined;
  const ownIri = resourceIri(md);
  const resourceNode: NamedNode | undefined = ownIri ? namedNode(ownIri) : minted('');
  const resource: NamedNode | BlankNode = resourceNode ?? g.blank();
  const recordNode = (isHttp(fileId) ? toIri(fileId) : null) ?? minted('/record') ?? g.blank();

  const ctx: MappingContext = {
    g,
    md,
    profile,
    extended: profile === 'extended',
    lang: languageTag(metadataLanguageCode({ md })),
    locales,
    preferredLocale,
    resourceType: resourceTypeOf(md),
    resource,
    resourceIri: resourceNode,
  };

  mapRecord(ctx, recordNode);
  mapResource(ctx);
  for (const keywords of all(md, 'gmd:identificationInfo/*/gmd:descriptiveKeywords/gmd:MD_Keywords')) mapKeywords(ctx, keywords);
  mapIdentifiers(ctx);
  mapCoupledResources(ctx);
  mapSpatialExtent(ctx);
  mapTemporalExtent(ctx);
  for (const citation of all(md, 'gmd:identificationInfo/*/gmd:citation/gmd:CI_Citation')) mapCitationDates(ctx, resource, citation);
  if (ctx.resourceType !== 'service') mapLineage(ctx);
  mapReferenceSystems(ctx);
  mapSpatialResolution(ctx);
  if (ctx.resourceType === 'service') mapConstraints(ctx, resource);
  mapConformity(ctx);
  mapDistributions(ctx);
  for (const party of all(md, 'gmd:identificationInfo/*/gmd:pointOfContact/gmd:CI_ResponsibleParty')) mapResponsibleParty(ctx, resource, party);
}
