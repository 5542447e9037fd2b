// The bounding box (west, south, east, north in degrees) of a geometry literal as DCAT-AP and GeoDCAT-AP
// carry them in dcat:bbox, locn:geometry and dcat:centroid: WKT (optionally with a leading CRS IRI, as
// GeoSPARQL writes it), GeoJSON, or a GML envelope/polygon. Search filters by intersecting boxes, which
// both backends can answer the same way.

export type Envelope = [west: number, south: number, east: number, north: number];

/** Geographic CRSs whose EPSG axis order is latitude first, as GeoSPARQL and GML use them: WGS 84
 * (4326, 3D 4979), ETRS89 (4258, 3D 4937: the INSPIRE reference system), NAD83 (4269), ED50 (4230)
 * and Belge 1972 (4313). CRS84 and a WKT without CRS are longitude first. */
const LAT_FIRST = /EPSG(\/0\/|::?|\.xml#)(4326|4979|4258|4937|4269|4230|4313)\b/i;

function envelopeOfPairs(pairs: [number, number][], latFirst: boolean): Envelope | undefined {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [a, b] of pairs) {
    const [x, y] = latFirst ? [b, a] : [a, b];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
    w = Math.min(w, x);
    e = Math.max(e, x);
    s = Math.min(s, y);
    n = Math.max(n, y);
  }
  if (w === Infinity || w < -180 || e > 180 || s < -90 || n > 90) return undefined;
  return [w, s, e, n];
}

function numbers(text: string): number[] {
  return (text.match(/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g) ?? []).map(Number);
}

function pairsOf(values: number[], dimensions = 2): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < values.length; i += dimensions) out.push([values[i], values[i + 1]]);
  return out;
}

function fromGeoJson(value: unknown): [number, number][] {
  if (!value || typeof value !== 'object') return [];
  const o = value as { type?: string; coordinates?: unknown; geometries?: unknown[]; bbox?: number[] };
  if (Array.isArray(o.geometries)) return o.geometries.flatMap(fromGeoJson);
  const out: [number, number][] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') out.push([c[0], c[1]]);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(o.coordinates);
  return out;
}

export function envelopeOf(literal: string): Envelope | undefined {
  const text = literal.trim();
  if (text.length === 0 || text.length > 1_000_000) return undefined;
  if (text.startsWith('{')) {
    try {
      return envelopeOfPairs(fromGeoJson(JSON.parse(text)), false);
    } catch {
      return undefined;
    }
  }
  if (text.startsWith('<') && /<(gml:)?(Envelope|Polygon|Point|MultiSurface|LinearRing|Box)\b/i.test(text)) {
    const latFirst = LAT_FIRST.test(text);
    const lower = /<(?:gml:)?lowerCorner>([^<]*)</i.exec(text);
    const upper = /<(?:gml:)?upperCorner>([^<]*)</i.exec(text);
    if (lower && upper) return envelopeOfPairs(pairsOf([...numbers(lower[1]), ...numbers(upper[1])]), latFirst);
    const lists = [...text.matchAll(/<(?:gml:)?(?:posList|pos|coordinates)[^>]*>([^<]*)</gi)].flatMap((m) => numbers(m[1].replace(/,/g, ' ')));
    return envelopeOfPairs(pairsOf(lists), latFirst);
  }
  // WKT, perhaps after a CRS IRI: "<http://www.opengis.net/def/crs/EPSG/0/4326> POLYGON((...))".
  const crs = /^<([^>]*)>\s*/.exec(text);
  const wkt = crs ? text.slice(crs[0].length) : text;
  if (!/^(SRID=\d+;\s*)?(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION|ENVELOPE|BOX)\b/i.test(wkt)) return undefined;
  const latFirst = !!crs && LAT_FIRST.test(crs[1]);
  const body = wkt.replace(/^SRID=\d+;\s*/i, '');
  // ENVELOPE(minX, maxX, maxY, minY), as in CQL and Solr.
  if (/^ENVELOPE/i.test(body)) {
    const [minX, maxX, maxY, minY] = numbers(body);
    return envelopeOfPairs([[minX, minY], [maxX, maxY]], false);
  }
  const dims = /\bZM?\b|\bM\b/i.test(body.split('(')[0]) ? (/\bZM\b/i.test(body.split('(')[0]) ? 4 : 3) : 2;
  // Coordinates are separated by commas, numbers within one by spaces.
  const pairs = body
    .replace(/^[A-Z ]+/i, '')
    .split(/[(),]+/)
    .map((p) => numbers(p))
    .filter((n) => n.length >= 2)
    .map((n) => (dims === 2 ? [n[0], n[1]] : [n[0], n[1]]) as [number, number]);
  return envelopeOfPairs(pairs, latFirst);
}
