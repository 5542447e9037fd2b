// What the resource is: its type, title, abstract, purpose, update frequency, topic categories,
// languages, and for a service its INSPIRE service type and category.
import type { MappingContext, ResourceType } from './context.js';
import { FREQUENCIES, languageIri } from './codelists.js';
import { toIri } from './graph.js';
import { all, attr, codeValue, first, norm, text, value } from './select.js';
import { literals, mainProse } from './text.js';
import { DCAT, DCT, EU, GEODCAT, INSPIRE, RDF } from './vocab.js';
import type { XmlElement } from './xml.js';

/** The record's scope code, as gmd:hierarchyLevel gives it. */
export function scopeCode(md: XmlElement): string {
  return codeValue(first(md, 'gmd:hierarchyLevel/gmd:MD_ScopeCode'));
}

/**
 * Services and series are what they say; everything else, including records without a hierarchy
 * level (ISO 19115 defaults it to dataset), is catalogued as a dataset.
 */
export function resourceTypeOf(md: XmlElement): ResourceType {
  const scope = scopeCode(md);
  if (scope === 'service' || (!scope && first(md, 'gmd:identificationInfo/srv:SV_ServiceIdentification'))) return 'service';
  return scope === 'series' ? 'series' : 'dataset';
}

export function mapResource(ctx: MappingContext): void {
  const { g, md, resource } = ctx;
  const type = ctx.resourceType === 'service' ? DCAT.DataService : ctx.resourceType === 'series' ? DCAT.DatasetSeries : DCAT.Dataset;
  g.add(resource, RDF.type, type);
  const scope = scopeCode(md);
  if (scope === 'dataset' || scope === 'series' || scope === 'service') g.add(resource, GEODCAT.resourceType, toIri(`${INSPIRE.resourceType}${scope}`));

  const identification = all(md, 'gmd:identificationInfo/*')[0];
  for (const title of all(identification, 'gmd:citation/*/gmd:title')) for (const l of literals(ctx, title)) g.add(resource, DCT.title, l);
  for (const abstract of all(identification, 'gmd:abstract')) for (const l of literals(ctx, abstract, mainProse(abstract))) g.add(resource, DCT.description, l);
  for (const purpose of all(identification, 'gmd:purpose')) for (const l of literals(ctx, purpose)) g.add(resource, GEODCAT.purpose, l);

  for (const code of all(md, 'gmd:identificationInfo/*/gmd:resourceMaintenance/gmd:MD_MaintenanceInformation/gmd:maintenanceAndUpdateFrequency/gmd:MD_MaintenanceFrequencyCode')) {
    const frequency = FREQUENCIES[norm(attr(code, 'codeListValue'))];
    const iri = frequency ? toIri(`${EU.frequency}${frequency}`) : null;
    if (iri) {
      g.add(resource, DCT.accrualPeriodicity, iri);
      g.add(iri, RDF.type, DCT.Frequency);
    }
  }

  if (ctx.extended) {
    for (const topic of all(md, 'gmd:identificationInfo/*/gmd:topicCategory/gmd:MD_TopicCategoryCode')) {
      const code = norm(text(topic));
      if (code) g.add(resource, GEODCAT.topicCategory, toIri(`${INSPIRE.topicCategory}${code}`));
    }
  }

  if (ctx.resourceType !== 'service') {
    for (const code of resourceLanguages(md)) {
      const iri = toIri(languageIri(code));
      if (!iri) continue;
      g.add(resource, DCT.language, iri);
      g.add(iri, RDF.type, DCT.LinguisticSystem);
    }
  } else {
    for (const anchor of all(md, 'gmd:identificationInfo/*/gmd:descriptiveKeywords/gmd:MD_Keywords/gmd:keyword/gmx:Anchor')) {
      const href = norm(attr(anchor, 'xlink:href'));
      if (href.startsWith(INSPIRE.serviceCategory)) g.add(resource, GEODCAT.serviceCategory, toIri(href));
    }
    const serviceType = value(md, 'gmd:identificationInfo/*/srv:serviceType/gco:LocalName');
    if (serviceType) g.add(resource, GEODCAT.serviceType, toIri(`${INSPIRE.serviceType}${serviceType}`));
  }
}

function resourceLanguages(md: XmlElement): string[] {
  return all(md, 'gmd:identificationInfo/*/gmd:language')
    .map((l) => codeValue(first(l, 'gmd:LanguageCode')) || value(l, 'gco:CharacterString'))
    .filter((c) => c !== '');
}
