// The ISO record itself → dcat:CatalogRecord (foaf:isPrimaryTopicOf of the resource): the profile it
// conforms to, its language, date stamp, file identifier and contact, and, as dct:source, the
// original record's date, character encoding and metadata standard.
import type { MappingContext } from './context.js';
import { mapResponsibleParty } from './agents.js';
import { CHARACTER_SETS, languageIri } from './codelists.js';
import { dateLiteral } from './dates.js';
import { lang, toIri, typed, type Node } from './graph.js';
import { all, attr, codeValue, first, norm, text, value } from './select.js';
import { literals } from './text.js';
import { CNT, DCAT, DCT, FOAF, OWL, PROFILE_IRI, RDF } from './vocab.js';

export function mapRecord(ctx: MappingContext, recordNode: Node): void {
  const { g, md } = ctx;
  g.add(ctx.resource, FOAF.isPrimaryTopicOf, recordNode);
  g.add(recordNode, RDF.type, DCAT.CatalogRecord);
  if (ctx.resourceIri) g.add(recordNode, FOAF.primaryTopic, ctx.resourceIri);
  const profile = toIri(PROFILE_IRI[ctx.profile])!;
  g.add(recordNode, DCT.conformsTo, profile);
  g.add(profile, RDF.type, DCT.Standard);

  const language = metadataLanguageCode(ctx);
  if (language) {
    const iri = toIri(languageIri(language));
    g.add(recordNode, DCT.language, iri);
    if (iri) g.add(iri, RDF.type, DCT.LinguisticSystem);
  }

  const stamp = value(md, 'gmd:dateStamp/gco:Date') || value(md, 'gmd:dateStamp/gco:DateTime');
  if (stamp) g.add(recordNode, DCT.modified, dateLiteral(stamp));

  if (ctx.extended) {
    for (const contact of all(md, 'gmd:contact/gmd:CI_ResponsibleParty')) mapResponsibleParty(ctx, recordNode, contact);
    for (const id of all(md, 'gmd:fileIdentifier/gco:CharacterString')) {
      const fileId = text(id).trim();
      if (fileId) g.add(recordNode, DCT.identifier, typed(fileId, 'string'));
    }
  }

  const encoding = all(md, 'gmd:characterSet/gmd:MD_CharacterSetCode').flatMap((c) => CHARACTER_SETS[norm(attr(c, 'codeListValue'))] ?? []);
  const standardIri = toIri(norm(attr(first(md, 'gmd:metadataStandardName/gmx:Anchor'), 'xlink:href')));
  const standardNames = all(md, 'gmd:metadataStandardName').flatMap((n) => literals(ctx, n));
  if (encoding.length === 0 && !standardIri && standardNames.length === 0) return;
  const source = g.blank();
  g.add(recordNode, DCT.source, source);
  g.add(source, RDF.type, DCAT.CatalogRecord);
  // The date of the original record; a date-time stamp gives its day, which is what xsd:date can hold.
  if (stamp) g.add(source, DCT.modified, stamp.length > 10 ? typed(stamp.slice(0, 10), 'date') : dateLiteral(stamp));
  for (const e of encoding) g.add(source, CNT.characterEncoding, typed(e, 'string'));
  if (standardIri) {
    g.add(source, DCT.conformsTo, standardIri);
    g.add(standardIri, RDF.type, DCT.Standard);
  } else if (standardNames.length > 0) {
    const standard = g.blank();
    g.add(source, DCT.conformsTo, standard);
    g.add(standard, RDF.type, DCT.Standard);
    for (const l of standardNames) g.add(standard, DCT.title, l);
    const version = value(md, 'gmd:metadataStandardVersion/gco:CharacterString');
    if (version) g.add(standard, OWL.versionInfo, lang(version, ctx.lang));
  }
}

/** The metadata language as written (an ISO 639-2 code), '' when absent. */
export function metadataLanguageCode(ctx: Pick<MappingContext, 'md'>): string {
  const code = first(ctx.md, 'gmd:language/gmd:LanguageCode');
  return codeValue(code) || value(ctx.md, 'gmd:language/gco:CharacterString');
}
