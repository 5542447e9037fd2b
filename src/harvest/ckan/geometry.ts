// GeoJSON (how CKAN stores a dataset's extent: the ckanext-spatial `spatial` extra, scheming
// spatial_coverage) as WKT, the geometry encoding GeoDCAT-AP and DCAT-AP recommend for locn:geometry,
// dcat:bbox and dcat:centroid. GeoJSON coordinates are longitude, latitude in WGS 84, which is what a
// gsp:wktLiteral without a CRS IRI means (CRS84), so the numbers carry over unchanged.
import { formatNumber } from './values.js';
import { isObject } from './fields.js';

type Position = number[];

function position(p: unknown): string | undefined {
  if (!Array.isArray(p) || p.length < 2) return undefined;
  const [x, y] = p as unknown[];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  // Two dimensions: DCAT-AP consumers index extents, and a height would need a "Z" geometry type.
  return `${formatNumber(x)} ${formatNumber(y)}`;
}

function sequence(ps: unknown, min: number): string | undefined {
  if (!Array.isArray(ps) || ps.length < min) return undefined;
  const out: string[] = [];
  for (const p of ps as Position[]) {
    const s = position(p);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return `(${out.join(', ')})`;
}

function rings(rs: unknown): string | undefined {
  if (!Array.isArray(rs) || rs.length === 0) return undefined;
  const out: string[] = [];
  for (const r of rs) {
    const s = sequence(r, 4);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return `(${out.join(', ')})`;
}

function many(items: unknown, one: (item: unknown) => string | undefined): string | undefined {
  if (!Array.isArray(items) || items.length === 0) return undefined;
  const out: string[] = [];
  for (const item of items) {
    const s = one(item);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return `(${out.join(', ')})`;
}

/** A GeoJSON object given as an object or as its JSON text; undefined when it is neither. */
function geoJsonObject(value: unknown): Record<string, unknown> | undefined {
  let g = value;
  if (typeof g === 'string') {
    try {
      g = JSON.parse(g);
    } catch {
      return undefined;
    }
  }
  return isObject(g) ? g : undefined;
}

/** WKT of a GeoJSON geometry, feature or feature collection (an object or its JSON text); undefined
 * when it is none or is malformed. */
export function geoJsonToWkt(value: unknown): string | undefined {
  const g = geoJsonObject(value);
  if (!g) return undefined;
  const c = g.coordinates;
  switch (g.type) {
    case 'Point': {
      const p = position(c);
      return p && `POINT (${p})`;
    }
    case 'LineString': {
      const s = sequence(c, 2);
      return s && `LINESTRING ${s}`;
    }
    case 'Polygon': {
      const r = rings(c);
      return r && `POLYGON ${r}`;
    }
    case 'MultiPoint': {
      const m = many(c, (p) => {
        const s = position(p);
        return s && `(${s})`;
      });
      return m && `MULTIPOINT ${m}`;
    }
    case 'MultiLineString': {
      const m = many(c, (l) => sequence(l, 2));
      return m && `MULTILINESTRING ${m}`;
    }
    case 'MultiPolygon': {
      const m = many(c, rings);
      return m && `MULTIPOLYGON ${m}`;
    }
    case 'GeometryCollection': {
      const m = many(g.geometries, geoJsonToWkt);
      return m && `GEOMETRYCOLLECTION ${m}`;
    }
    case 'Feature':
      return geoJsonToWkt(g.geometry);
    case 'FeatureCollection': {
      const features = Array.isArray(g.features) ? g.features : [];
      if (features.length === 1) return geoJsonToWkt(features[0]);
      const m = many(features, geoJsonToWkt);
      return m && `GEOMETRYCOLLECTION ${m}`;
    }
    default:
      return undefined;
  }
}

/** The positions of a GeoJSON geometry, feature or collection, at any depth. */
function positions(g: unknown, out: [number, number][]): void {
  if (Array.isArray(g)) {
    if (g.length >= 2 && typeof g[0] === 'number' && typeof g[1] === 'number') out.push([g[0], g[1]]);
    else for (const item of g) positions(item, out);
    return;
  }
  if (!isObject(g)) return;
  positions(g.coordinates, out);
  positions(g.geometries, out);
  positions(g.geometry, out);
  positions(g.features, out);
}

/** The envelope of a GeoJSON geometry as a WKT polygon, when it has an area (a point has none). */
export function geoJsonEnvelope(value: unknown): string | undefined {
  const g = geoJsonObject(value);
  if (!g) return undefined;
  const ps: [number, number][] = [];
  positions(g, ps);
  if (ps.length === 0) return undefined;
  const xs = ps.map((p) => p[0]);
  const ys = ps.map((p) => p[1]);
  const [w, s, e, n] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  return w < e && s < n ? boxToWkt(w, s, e, n) : undefined;
}

/** WKT of a west/south/east/north box (the bbox-* extras ckanext-spatial's ISO harvester writes). */
export function boxToWkt(west: number, south: number, east: number, north: number): string | undefined {
  if (![west, south, east, north].every(Number.isFinite) || west > east || south > north) return undefined;
  const [w, s, e, n] = [west, south, east, north].map(formatNumber);
  return `POLYGON ((${w} ${s}, ${e} ${s}, ${e} ${n}, ${w} ${n}, ${w} ${s}))`;
}
