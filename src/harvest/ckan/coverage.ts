// Where and when: dct:spatial locations and dct:temporal periods, from the legacy extras (spatial,
// spatial_text, spatial_uri, spatial_bbox, spatial_centroid, temporal_start, temporal_end), from the
// extras ckanext-spatial's ISO harvester leaves (bbox-west-long..., temporal_coverage-from/-to), and
// from scheming's spatial_coverage and temporal_coverage lists.
import { literal, namedNode, type NamedNode } from '../../rdf/terms.js';
import type { Node, TripleSet } from './graph.js';
import { field, firstText, list, objects, text, type Dict } from './fields.js';
import { anyIri, dateLiteral, plain } from './values.js';
import { boxToWkt, geoJsonEnvelope, geoJsonToWkt } from './geometry.js';
import { DCAT, DCT, GSP, LOCN, SKOS, WKT_LITERAL } from './terms.js';

const wktType = namedNode(WKT_LITERAL);

function addPeriod(g: TripleSet, dataset: Node, start: string | undefined, end: string | undefined): void {
  if (start === undefined && end === undefined) return;
  const period = g.node(undefined);
  g.add(dataset, DCT.temporal, period);
  g.type(period, DCT.PeriodOfTime);
  if (start !== undefined) g.add(period, DCAT.startDate, dateLiteral(start));
  if (end !== undefined) g.add(period, DCAT.endDate, dateLiteral(end));
}

export function addTemporal(g: TripleSet, dataset: Node, pkg: Dict): void {
  const start = firstText(pkg, 'temporal_start');
  const end = firstText(pkg, 'temporal_end');
  addPeriod(g, dataset, start, end);
  const periods = objects(pkg.temporal_coverage);
  for (const p of periods) addPeriod(g, dataset, text(p.start), text(p.end));
  if (start === undefined && end === undefined && periods.length === 0) {
    addPeriod(g, dataset, list(field(pkg, 'temporal_coverage-from'))[0], list(field(pkg, 'temporal_coverage-to'))[0]);
  }
}

function addLiteralGeometry(g: TripleSet, location: Node, predicate: NamedNode, geoJson: unknown): boolean {
  const wkt = geoJsonToWkt(geoJson);
  if (wkt !== undefined) g.add(location, predicate, literal(wkt, wktType));
  return wkt !== undefined;
}

/** A location's geometry, its bounding box, and its centroid. DCAT-AP 3 wants locn:geometry to point
 * at a locn:Geometry node (the WKT is its gsp:asWKT; ckanext-dcat writes the literal directly), and
 * reads extents from dcat:bbox, so a geometry without a given box also yields its envelope as one. */
function addGeometries(g: TripleSet, location: Node, geometry: unknown, bbox: unknown, centroid: unknown, hasBox = false): void {
  const wkt = geoJsonToWkt(geometry);
  if (wkt !== undefined) {
    const node = g.node(undefined);
    g.add(location, LOCN.geometry, node);
    g.type(node, LOCN.Geometry);
    g.add(node, GSP.asWKT, literal(wkt, wktType));
  }
  // DCAT-AP allows one box per location.
  if (!hasBox && !addLiteralGeometry(g, location, DCAT.bbox, bbox) && wkt !== undefined) {
    const box = geoJsonEnvelope(geometry);
    if (box) g.add(location, DCAT.bbox, literal(box, wktType));
  }
  addLiteralGeometry(g, location, DCAT.centroid, centroid);
}

/** The box of the ISO harvester's bbox-* extras, when all four are numbers. */
function isoBox(pkg: Dict): string | undefined {
  const n = (key: string) => Number(text(field(pkg, key)) ?? NaN);
  return boxToWkt(n('bbox-west-long'), n('bbox-south-lat'), n('bbox-east-long'), n('bbox-north-lat'));
}

export function addSpatial(g: TripleSet, dataset: Node, pkg: Dict): void {
  const uri = anyIri(field(pkg, 'spatial_uri'));
  const label = firstText(pkg, 'spatial_text');
  const geometry = field(pkg, 'spatial');
  const bbox = field(pkg, 'spatial_bbox');
  const centroid = field(pkg, 'spatial_centroid');
  const box = bbox === undefined ? isoBox(pkg) : undefined;
  if (uri || label !== undefined || geometry !== undefined || bbox !== undefined || centroid !== undefined || box !== undefined) {
    const location = g.node(uri);
    g.add(dataset, DCT.spatial, location);
    g.type(location, DCT.Location);
    if (label !== undefined) g.add(location, SKOS.prefLabel, plain(label));
    if (box !== undefined) g.add(location, DCAT.bbox, literal(box, wktType));
    addGeometries(g, location, geometry, bbox, centroid, box !== undefined);
  }
  for (const item of objects(pkg.spatial_coverage)) {
    const location = g.node(anyIri(item.uri));
    g.add(dataset, DCT.spatial, location);
    g.type(location, DCT.Location);
    const name = text(item.text);
    if (name !== undefined) g.add(location, SKOS.prefLabel, plain(name));
    // (ckanext-dcat's scheming profile writes the class locn:Geometry as the predicate here.)
    addGeometries(g, location, item.geom, item.bbox, item.centroid);
  }
}
