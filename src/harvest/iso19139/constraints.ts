// gmd:resourceConstraints → licences, access rights and rights statements, following the 2017 INSPIRE
// metadata guidelines: gmd:otherConstraints next to gmd:useConstraints state conditions for use
// (an anchor there is a licence), next to gmd:accessConstraints limitations on public access (an
// anchor there is an access-rights statement); free text becomes a rights statement. Datasets carry
// these on each distribution, services on themselves. gmd:useLimitation is left out: the guidelines
// retired it for this purpose.
import type { MappingContext } from './context.js';
import { toIri, typed, type Node } from './graph.js';
import { all, attr, codeValue, first, norm, text } from './select.js';
import { literals } from './text.js';
import { DCT, RDF } from './vocab.js';
import type { XmlElement } from './xml.js';

/** Adds the record's access and use constraints to `subject`. */
export function mapConstraints(ctx: MappingContext, subject: Node): void {
  for (const constraints of all(ctx.md, 'gmd:identificationInfo/*/gmd:resourceConstraints/*').filter(onFirstIdentification(ctx))) {
    if (first(constraints, 'gmd:useConstraints')) {
      for (const other of all(constraints, 'gmd:otherConstraints')) mapOther(ctx, subject, other, 'use');
    }
    if (first(constraints, 'gmd:accessConstraints')) {
      for (const other of all(constraints, 'gmd:otherConstraints')) mapOther(ctx, subject, other, 'access');
    }
  }
}

/** Constraints are read from the first identification only, as the reference mapping does. */
function onFirstIdentification(ctx: MappingContext): (el: XmlElement) => boolean {
  const firstIdentification = all(ctx.md, 'gmd:identificationInfo/*')[0];
  const own = new Set(all(firstIdentification, 'gmd:resourceConstraints/*'));
  return (el) => own.has(el);
}

function mapOther(ctx: MappingContext, subject: Node, other: XmlElement, kind: 'use' | 'access'): void {
  const { g } = ctx;
  const characterString = norm(text(first(other, 'gco:CharacterString')));
  const restriction = first(other, 'gmd:MD_RestrictionCode');
  const href = toIri(attr(first(other, 'gmx:Anchor'), 'xlink:href'));
  if (characterString) {
    const statement = g.blank();
    g.add(subject, DCT.rights, statement);
    g.add(statement, RDF.type, DCT.RightsStatement);
    for (const l of literals(ctx, other, characterString)) g.add(statement, DCT.description, l);
  } else if (restriction) {
    const code = codeValue(restriction);
    const statement = g.blank();
    g.add(subject, DCT.rights, statement);
    g.add(statement, RDF.type, DCT.RightsStatement);
    if (code) g.add(statement, DCT.identifier, typed(code, 'string'));
    for (const l of literals(ctx, other, norm(text(restriction)) || code)) g.add(statement, DCT.description, l);
  } else if (href) {
    if (kind === 'use') {
      g.add(subject, DCT.license, href);
      g.add(href, RDF.type, DCT.LicenseDocument);
    } else {
      g.add(subject, DCT.accessRights, href);
      g.add(href, RDF.type, DCT.RightsStatement);
    }
  }
}
