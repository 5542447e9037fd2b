// Bounding boxes of the geometry literals DCAT-AP and GeoDCAT-AP records carry, and the dates of a
// search document.
import { describe, expect, it } from 'vitest';
import { envelopeOf } from '../src/search/geometry.js';
import { searchDocument } from '../src/search/document.js';

describe('envelopeOf', () => {
  it('reads WKT polygons, points and multipolygons (longitude first)', () => {
    expect(envelopeOf('POLYGON((3.6 51.0, 3.8 51.0, 3.8 51.1, 3.6 51.1, 3.6 51.0))')).toEqual([3.6, 51.0, 3.8, 51.1]);
    expect(envelopeOf('POINT(4.35 50.85)')).toEqual([4.35, 50.85, 4.35, 50.85]);
    expect(envelopeOf('MULTIPOLYGON(((2.5 50.6,3 50.6,3 51,2.5 50.6)),((5 50.7,5.9 50.7,5.9 51.4,5 50.7)))')).toEqual([2.5, 50.6, 5.9, 51.4]);
    expect(envelopeOf('POINT Z (4.35 50.85 12)')).toEqual([4.35, 50.85, 4.35, 50.85]);
  });
  it('swaps axes for EPSG:4326 as GeoSPARQL writes it (latitude first), not for CRS84', () => {
    expect(envelopeOf('<http://www.opengis.net/def/crs/EPSG/0/4326> POLYGON((51.0 3.6, 51.0 3.8, 51.1 3.8, 51.1 3.6, 51.0 3.6))')).toEqual([3.6, 51.0, 3.8, 51.1]);
    expect(envelopeOf('<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(4.35 50.85)')).toEqual([4.35, 50.85, 4.35, 50.85]);
  });
  it('swaps axes for ETRS89 (EPSG:4258, the INSPIRE reference system) and the other latitude-first geographic CRSs', () => {
    expect(envelopeOf('<http://www.opengis.net/def/crs/EPSG/0/4258> POLYGON((50.68 2.54,50.68 5.92,51.51 5.92,51.51 2.54,50.68 2.54))')).toEqual([2.54, 50.68, 5.92, 51.51]);
    expect(envelopeOf('<gml:Envelope srsName="urn:ogc:def:crs:EPSG::4258"><gml:lowerCorner>50.68 2.54</gml:lowerCorner><gml:upperCorner>51.51 5.92</gml:upperCorner></gml:Envelope>')).toEqual([2.54, 50.68, 5.92, 51.51]);
    expect(envelopeOf('<http://www.opengis.net/def/crs/EPSG/0/4937> POINT(50.85 4.35 12)')).toEqual([4.35, 50.85, 4.35, 50.85]);
  });
  it('reads GeoJSON and GML envelopes and polygons', () => {
    expect(envelopeOf('{"type":"Polygon","coordinates":[[[2.54,50.68],[5.92,50.68],[5.92,51.51],[2.54,51.51],[2.54,50.68]]]}')).toEqual([2.54, 50.68, 5.92, 51.51]);
    expect(envelopeOf('<gml:Envelope srsName="http://www.opengis.net/def/crs/OGC/1.3/CRS84"><gml:lowerCorner>2.54 50.68</gml:lowerCorner><gml:upperCorner>5.92 51.51</gml:upperCorner></gml:Envelope>')).toEqual([2.54, 50.68, 5.92, 51.51]);
    expect(envelopeOf('<gml:Polygon srsName="EPSG:4326"><gml:exterior><gml:LinearRing><gml:posList>50.68 2.54 50.68 5.92 51.51 5.92 50.68 2.54</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>')).toEqual([2.54, 50.68, 5.92, 51.51]);
    expect(envelopeOf('ENVELOPE(2.54, 5.92, 51.51, 50.68)')).toEqual([2.54, 50.68, 5.92, 51.51]);
  });
  it('gives nothing for text that is not a geometry or lies outside the globe', () => {
    for (const bad of ['', 'Vlaanderen', 'POLYGON((a b, c d))', 'POINT(200 95)', '{"type":"Point"', '<gml:Point><gml:pos>x</gml:pos></gml:Point>'])
      expect(envelopeOf(bad), bad).toBeUndefined();
  });
});

describe('search documents', () => {
  it('leave out dates both backends cannot store (years outside 1-9999) instead of failing the batch', () => {
    const doc = searchDocument('x', 'Dataset', 'c', { issued: '+010000-01-01', modified: '0000-06-01', temporal: [{ startDate: '-000001-01-01', endDate: '2020-12-31' }] });
    expect(doc.issued).toBeUndefined();
    expect(doc.modified).toBeUndefined();
    expect(doc.temporalStart).toBeUndefined();
    expect(doc.temporalEnd).toBe('2020-12-31T00:00:00.000Z');
  });
});
