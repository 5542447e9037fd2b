// gmd:extent → dct:spatial and dct:temporal. A bounding box is written three ways (WKT, GML,
// GeoJSON), all in CRS84 longitude/latitude order, with each coordinate at the precision the record
// gave it: a catalogue must not round coordinates on the way through.
import { literal, namedNode } from '../../rdf/terms.js';
import type { MappingContext } from './context.js';
import { dateLiteral, mapCitationDates } from './dates.js';
import { isHttp, lang, toIri, typed } from './graph.js';
import { all, attr, first, norm, text } from './select.js';
import { CRS, DCAT, DCT, GSP, RDF, SKOS } from './vocab.js';
import type { XmlElement } from './xml.js';

export function mapSpatialExtent(ctx: MappingContext): void {
  const identification = all(ctx.md, 'gmd:identificationInfo/*')[0];
  const extents = [...all(identification, 'gmd:extent/*'), ...all(identification, 'srv:extent/*')];
  for (const element of extents.flatMap((e) => all(e, 'gmd:geographicElement'))) {
    for (const id of all(element, 'gmd:EX_GeographicDescription/gmd:geographicIdentifier/*')) mapGeographicIdentifier(ctx, id);
    for (const box of all(element, 'gmd:EX_GeographicBoundingBox')) mapBoundingBox(ctx, box);
  }
}

function mapGeographicIdentifier(ctx: MappingContext, id: XmlElement): void {
  const { g } = ctx;
  const characterString = first(id, 'gmd:code/gco:CharacterString');
  const code = characterString ? norm(text(characterString)) : norm(attr(first(id, 'gmd:code/gmx:Anchor'), 'xlink:href'));
  if (!code) return;
  const location = isHttp(code) ? toIri(code) : null;
  if (location) {
    g.add(ctx.resource, DCT.spatial, location);
    g.add(location, RDF.type, DCT.Location);
    return;
  }
  const place = g.blank();
  g.add(ctx.resource, DCT.spatial, place);
  g.add(place, RDF.type, DCT.Location);
  if (code.startsWith('urn:')) g.add(place, DCT.identifier, typed(code, 'anyURI'));
  else g.add(place, SKOS.prefLabel, lang(code, ctx.lang));
  for (const authority of all(id, 'gmd:authority/gmd:CI_Citation')) {
    const scheme = g.blank();
    g.add(place, SKOS.inScheme, scheme);
    g.add(scheme, RDF.type, SKOS.ConceptScheme);
    const title = norm(text(first(authority, 'gmd:title/gco:CharacterString') ?? first(authority, 'gmd:title/gmx:Anchor')));
    if (title) g.add(scheme, DCT.title, lang(title, ctx.lang));
    mapCitationDates(ctx, scheme, authority);
  }
}

/**
 * A coordinate as written, made a valid decimal without changing its precision: leading zeros of the
 * integer part go ('-054.75' → '-54.75'), fraction digits all stay ('8.00').
 */
export function coordinate(raw: string): string | null {
  const match = /^([+-]?)(\d*)(?:\.(\d+))?$/.exec(raw.trim());
  if (!match || (match[2] === '' && match[3] === undefined)) return null;
  const whole = match[2].replace(/^0+(?=\d)/, '') || '0';
  const sign = match[1] === '-' ? '-' : '';
  return match[3] === undefined ? `${sign}${whole}` : `${sign}${whole}.${match[3]}`;
}

function mapBoundingBox(ctx: MappingContext, box: XmlElement): void {
  const read = (name: string) => coordinate(text(first(box, `gmd:${name}/gco:Decimal`)));
  const west = read('westBoundLongitude');
  const east = read('eastBoundLongitude');
  const south = read('southBoundLatitude');
  const north = read('northBoundLatitude');
  if (west === null || east === null || south === null || north === null) return;
  const { g } = ctx;
  const place = g.blank();
  g.add(ctx.resource, DCT.spatial, place);
  g.add(place, RDF.type, DCT.Location);
  const ring = [
    [west, north],
    [east, north],
    [east, south],
    [west, south],
    [west, north],
  ];
  const wkt = `POLYGON((${ring.map(([x, y]) => `${x} ${y}`).join(',')}))`;
  const gml = `<gml:Envelope srsName="${CRS.crs84}"><gml:lowerCorner>${west} ${south}</gml:lowerCorner><gml:upperCorner>${east} ${north}</gml:upperCorner></gml:Envelope>`;
  const geojson = `{"type":"Polygon","coordinates":[[${ring.map(([x, y]) => `[${x},${y}]`).join(',')}]]}`;
  g.add(place, DCAT.bbox, literal(wkt, namedNode(GSP.wktLiteral)));
  g.add(place, DCAT.bbox, literal(gml, namedNode(GSP.gmlLiteral)));
  g.add(place, DCAT.bbox, literal(geojson, namedNode(GSP.geoJSONLiteral)));
}

/**
 * Temporal extents of the identification's gmd:extent (a service's srv:extent is spatial only here,
 * as in the reference mapping). Open ends (indeterminatePosition) are left out.
 */
export function mapTemporalExtent(ctx: MappingContext): void {
  const { g } = ctx;
  const extents = all(ctx.md, 'gmd:identificationInfo/*/gmd:extent/gmd:EX_Extent/gmd:temporalElement/gmd:EX_TemporalExtent/gmd:extent/*');
  for (const time of extents) {
    let start: string;
    let end: string;
    if (time.local === 'TimeInstant') {
      start = end = norm(text(first(time, 'gml:timePosition')));
    } else if (time.local === 'TimePeriod') {
      const begin = first(time, 'gml:beginPosition') ?? first(time, 'gml:begin/gml:TimeInstant/gml:timePosition');
      const finish = first(time, 'gml:endPosition') ?? first(time, 'gml:end/gml:TimeInstant/gml:timePosition');
      if (!begin || !finish) continue;
      start = norm(text(begin));
      end = norm(text(finish));
    } else continue;
    if (!start && !end) continue;
    const period = g.blank();
    g.add(ctx.resource, DCT.temporal, period);
    g.add(period, RDF.type, DCT.PeriodOfTime);
    if (start) g.add(period, DCAT.startDate, dateLiteral(start));
    if (end) g.add(period, DCAT.endDate, dateLiteral(end));
  }
}
