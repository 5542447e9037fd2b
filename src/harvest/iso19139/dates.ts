// Dates: gco:Date / gco:DateTime values typed by their precision, and CI_Date citation dates mapped
// by their type (publication → dct:issued, revision → dct:modified, creation → dct:created).
import type { Literal, NamedNode } from '../../rdf/terms.js';
import type { MappingContext } from './context.js';
import { typed, type Node } from './graph.js';
import { all, codeValue, first, norm, text } from './select.js';
import { DCT } from './vocab.js';
import type { XmlElement } from './xml.js';

/** A date or date-time as written, typed by its length as ISO 8601 precision implies. */
export function dateLiteral(value: string): Literal {
  const type = value.length === 4 ? 'gYear' : value.length > 10 ? 'dateTime' : 'date';
  return typed(value, type);
}

/** The dated properties a citation's CI_Date elements give. */
export function citationDates(ctx: MappingContext, citation: XmlElement): Array<[NamedNode, Literal]> {
  const out: Array<[NamedNode, Literal]> = [];
  for (const ciDate of all(citation, 'gmd:date/gmd:CI_Date')) {
    const date = norm(text(first(ciDate, 'gmd:date/gco:Date') ?? first(ciDate, 'gmd:date/gco:DateTime')));
    if (!date) continue;
    const type = codeValue(first(ciDate, 'gmd:dateType/gmd:CI_DateTypeCode'));
    if (type === 'publication') out.push([DCT.issued, dateLiteral(date)]);
    else if (type === 'revision') out.push([DCT.modified, dateLiteral(date)]);
    else if (type === 'creation' && ctx.extended) out.push([DCT.created, dateLiteral(date)]);
  }
  return out;
}

export function mapCitationDates(ctx: MappingContext, subject: Node, citation: XmlElement): void {
  for (const [p, o] of citationDates(ctx, citation)) ctx.g.add(subject, p, o);
}
