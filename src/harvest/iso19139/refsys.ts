// gmd:referenceSystemInfo → geodcatap:referenceSystem. An HTTP identifier is used as it is; EPSG codes
// in URN, "EPSG:n" or code-plus-codespace form are turned into the OGC EPSG IRIs; ETRS89 and CRS84 by
// name likewise; anything else is described by its code.
import type { MappingContext } from './context.js';
import { isHttp, lang, toIri, typed, type Node } from './graph.js';
import { all, attr, first, norm, text } from './select.js';
import { CRS, DCT, GEODCAT, INSPIRE, OWL, RDF, SKOS } from './vocab.js';
import type { XmlElement } from './xml.js';

export function mapReferenceSystems(ctx: MappingContext): void {
  for (const id of all(ctx.md, 'gmd:referenceSystemInfo/gmd:MD_ReferenceSystem/gmd:referenceSystemIdentifier/gmd:RS_Identifier')) mapReferenceSystem(ctx, id);
}

function mapReferenceSystem(ctx: MappingContext, id: XmlElement): void {
  const { g } = ctx;
  const anchor = first(id, 'gmd:code/gmx:Anchor');
  const link = norm(attr(anchor, 'xlink:href'));
  const code = norm(text(first(id, 'gmd:code/gco:CharacterString'))) || (link.startsWith('urn:') ? link : norm(text(anchor)));
  const codespace = norm(text(first(id, 'gmd:codeSpace/gco:CharacterString')));
  const version = norm(text(first(id, 'gmd:version/gco:CharacterString')));

  const described = (node: Node): Node => {
    g.add(ctx.resource, GEODCAT.referenceSystem, node);
    g.add(node, RDF.type, DCT.Standard);
    g.add(node, DCT.type, toIri(INSPIRE.spatialReferenceSystem));
    return node;
  };
  const registered = (iri: string, urn: string, scheme: 'epsg' | 'ogc', title?: string): void => {
    const node = described(toIri(iri)!);
    g.add(node, RDF.type, SKOS.Concept);
    g.add(node, DCT.identifier, typed(urn, 'anyURI'));
    g.add(node, SKOS.notation, typed(urn, 'anyURI'));
    if (title) {
      g.add(node, DCT.title, lang(title, 'en'));
      g.add(node, SKOS.prefLabel, lang(title, 'en'));
    }
    const register = toIri(scheme === 'epsg' ? CRS.epsgBase : CRS.ogcBase)!;
    g.add(node, SKOS.inScheme, register);
    g.add(register, RDF.type, SKOS.ConceptScheme);
    g.add(register, DCT.title, lang(scheme === 'epsg' ? CRS.epsgName : CRS.ogcName, 'en'));
    versioned(node);
  };
  const versioned = (node: Node): void => {
    if (ctx.extended && version) g.add(node, OWL.versionInfo, lang(version, ctx.lang));
  };
  const inCodespace = (node: Node): void => {
    if (!codespace) return;
    const scheme = g.blank();
    g.add(node, SKOS.inScheme, scheme);
    g.add(scheme, RDF.type, SKOS.ConceptScheme);
    g.add(scheme, DCT.title, lang(codespace, ctx.lang));
  };

  if (isHttp(link) || isHttp(code)) {
    const iri = toIri(isHttp(link) ? link : code);
    if (iri) described(iri);
    return;
  }
  const squashed = code.toLowerCase().replace(/[: ]/g, '');
  const epsgCode = /^urn:ogc:def:crs:epsg:[^:]*:(\d+)$/i.exec(code)?.[1] ?? /^epsg:(\d+)$/i.exec(code)?.[1];
  if (epsgCode) {
    registered(`${CRS.epsgBase}/${epsgCode}`, code.startsWith('urn:') ? code : `${CRS.epsgUrn}::${epsgCode}`, 'epsg');
  } else if (code.startsWith('urn:')) {
    const node = described(g.blank());
    g.add(node, DCT.identifier, typed(code, 'anyURI'));
    if (codespace) {
      g.add(node, RDF.type, SKOS.Concept);
      g.add(node, SKOS.notation, typed(code, 'anyURI'));
      inCodespace(node);
    }
    versioned(node);
  } else if (/^\d+$/.test(code) && (codespace.toLowerCase() === 'epsg' || codespace.toLowerCase().startsWith(CRS.epsgUrn.toLowerCase()))) {
    registered(`${CRS.epsgBase}/${code}`, `${CRS.epsgUrn}:${version}:${code}`, 'epsg');
  } else if (squashed === 'etrs89') {
    registered(CRS.etrs89, CRS.etrs89Urn, 'epsg', 'ETRS89 - European Terrestrial Reference System 1989');
  } else if (squashed === 'crs84') {
    registered(CRS.crs84, CRS.crs84Urn, 'ogc', 'CRS84');
  } else if (code) {
    const node = described(g.blank());
    g.add(node, RDF.type, SKOS.Concept);
    g.add(node, DCT.title, lang(code, ctx.lang));
    if (codespace) {
      g.add(node, SKOS.prefLabel, lang(code, ctx.lang));
      inCodespace(node);
    }
    versioned(node);
  }
}
