// gmd:descriptiveKeywords → keywords, themes, HVD categories and applicable legislation. A keyword
// from a thesaurus, or one anchored to an IRI, names a concept (dcat:theme); a free keyword is a
// dcat:keyword. Two EU vocabularies get their own properties: the HVD implementing regulation
// (dcatap:applicableLegislation) and the HVD category thesaurus (dcatap:hvdCategory).
import type { MappingContext } from './context.js';
import { isHttp, toIri, type Node } from './graph.js';
import { all, attr, first, norm, text } from './select.js';
import { literals, mainText } from './text.js';
import { citationDates, mapCitationDates } from './dates.js';
import { DCAT, DCATAP, DCT, EU, INSPIRE, RDF, SKOS } from './vocab.js';
import type { XmlElement } from './xml.js';

export function mapKeywords(ctx: MappingContext, keywords: XmlElement): void {
  const { g } = ctx;
  const subject = ctx.resource;
  const thesaurus = first(keywords, 'gmd:thesaurusName/gmd:CI_Citation');
  const thesaurusIri = toIri(norm(attr(first(thesaurus, 'gmd:title/gmx:Anchor'), 'xlink:href')));
  const thesaurusTitles = all(keywords, 'gmd:thesaurusName/gmd:CI_Citation/gmd:title');
  // A thesaurus citation with neither title nor date says nothing: its keywords count as free.
  const hasThesaurus =
    thesaurusTitles.some((t) => mainText(t) !== '' || literals(ctx, t).length > 0) ||
    (ctx.extended && all(keywords, 'gmd:thesaurusName/gmd:CI_Citation').some((c) => citationDates(ctx, c).length > 0));

  let scheme: Node | undefined;
  const inScheme = (): Node => {
    if (thesaurusIri) return thesaurusIri;
    if (!scheme) {
      scheme = g.blank();
      g.add(scheme, RDF.type, SKOS.ConceptScheme);
      for (const citation of all(keywords, 'gmd:thesaurusName/gmd:CI_Citation')) {
        for (const title of all(citation, 'gmd:title')) for (const l of literals(ctx, title)) g.add(scheme, DCT.title, l);
        if (ctx.extended) mapCitationDates(ctx, scheme, citation);
      }
    }
    return scheme;
  };

  for (const keyword of all(keywords, 'gmd:keyword')) {
    const characterString = first(keyword, 'gco:CharacterString');
    const href = norm(attr(first(keyword, 'gmx:Anchor'), 'xlink:href'));
    if (!norm(text(characterString)) && !href) continue;

    if (!hasThesaurus && !isHttp(href)) {
      for (const l of literals(ctx, keyword)) g.add(subject, DCAT.keyword, l);
    } else if (characterString) {
      const concept = g.blank();
      g.add(subject, DCAT.theme, concept);
      g.add(concept, RDF.type, SKOS.Concept);
      for (const l of literals(ctx, keyword)) g.add(concept, SKOS.prefLabel, l);
      g.add(concept, SKOS.inScheme, inScheme());
    } else if (href === EU.hvdLegislation) {
      g.add(subject, DCATAP.applicableLegislation, toIri(href));
    } else if (thesaurusIri?.value === EU.hvdCategories) {
      g.add(subject, DCATAP.hvdCategory, toIri(href));
    } else if (!href.startsWith(INSPIRE.serviceCategory)) {
      // Service categories are not themes: they become geodcatap:serviceCategory of a service.
      g.add(subject, DCAT.theme, toIri(href));
    }
  }
}
