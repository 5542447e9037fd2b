// Identifiers: the resource's IRI (its first HTTP(S) identifier), its dct:identifier values, and the
// datasets a service operates on (srv:operatesOn).
import type { MappingContext } from './context.js';
import { isHttp, toIri, typed } from './graph.js';
import { all, attr, first, norm, text } from './select.js';
import { DCAT, DCT, FOAF, RDF } from './vocab.js';
import type { XmlElement } from './xml.js';

function codeOrHref(el: XmlElement | undefined): string {
  const cs = first(el, 'gco:CharacterString');
  return cs ? text(cs).trim() : norm(attr(first(el, 'gmx:Anchor'), 'xlink:href'));
}

/** The first identifier that is an HTTP(S) IRI, code space prepended when there is one. */
export function resourceIri(md: XmlElement): string | undefined {
  for (const id of all(md, 'gmd:identificationInfo/*/gmd:citation/*/gmd:identifier/*')) {
    const codeSpace = first(id, 'gmd:codeSpace');
    const candidate = (codeSpace ? codeOrHref(codeSpace) : '') + codeOrHref(first(id, 'gmd:code'));
    if (isHttp(candidate) && toIri(candidate)) return toIri(candidate)!.value;
  }
  return undefined;
}

/** Each identifier as a dct:identifier literal: the anchor's text, or code space and code joined by '/'. */
export function mapIdentifiers(ctx: MappingContext): void {
  for (const id of all(ctx.md, 'gmd:identificationInfo/*/gmd:citation/*/gmd:identifier/*')) {
    const anchor = norm(text(first(id, 'gmd:code/gmx:Anchor')));
    const code = norm(text(first(id, 'gmd:code/gco:CharacterString')));
    const ns = norm(text(first(id, 'gmd:codeSpace/gco:CharacterString')));
    const value = anchor || (ns && code ? (ns.endsWith('/') ? `${ns}${code}` : `${ns}/${code}`) : code);
    if (value) ctx.g.add(ctx.resource, DCT.identifier, identifierLiteral(value));
  }
}

function identifierLiteral(value: string) {
  return typed(value, /^(https?:\/\/|urn:)/.test(value) ? 'anyURI' : 'string');
}

/**
 * srv:operatesOn → dcat:servesDataset. A coupled resource is known by @uriref, by the identifier of an
 * inline citation, or by @uuidref; a bare xlink:href to another record is not fetched, so it gives
 * nothing.
 */
export function mapCoupledResources(ctx: MappingContext): void {
  const { g } = ctx;
  const identification = all(ctx.md, 'gmd:identificationInfo/*')[0];
  for (const on of all(identification, 'srv:operatesOn')) {
    const uriref = toIri(attr(on, 'uriref'));
    const inline = first(on, '*/gmd:citation/*/gmd:identifier/*');
    const code = norm(text(first(inline, 'gmd:code/gco:CharacterString'))) || norm(attr(on, 'uuidref'));
    const codeSpace = norm(text(first(inline, 'gmd:codeSpace/gco:CharacterString')));
    const href = norm(attr(on, 'xlink:href'));
    if (uriref) {
      g.add(ctx.resource, DCAT.servesDataset, uriref);
      g.add(uriref, RDF.type, DCAT.Dataset);
    } else if (isHttp(code) && toIri(code)) {
      const dataset = toIri(code)!;
      g.add(ctx.resource, DCAT.servesDataset, dataset);
      g.add(dataset, RDF.type, DCAT.Dataset);
    } else if (code) {
      const dataset = g.blank();
      g.add(ctx.resource, DCAT.servesDataset, dataset);
      g.add(dataset, RDF.type, DCAT.Dataset);
      g.add(dataset, DCT.identifier, identifierLiteral(`${codeSpace}${code}`));
      const record = isHttp(href) ? toIri(href) : null;
      if (record) {
        g.add(dataset, FOAF.isPrimaryTopicOf, record);
        g.add(record, RDF.type, DCAT.CatalogRecord);
      }
    }
  }
}
