// Distribution formats as the quality score and the link checker see them: EU file-type codes, the
// IANA media types that name the same formats, and which of them are open or machine-readable.
import type { JsonNode } from '../dcat/json.js';
import { iriOf, list } from '../dcat/values.js';

export const FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';
export const IANA = /^https?:\/\/www\.iana\.org\/assignments\/media-types\//;

/**
 * Formats open to anyone without a licence to a program (EU file-type codes). MQA keeps its own list;
 * these are the open, documented formats of the EU vocabulary that catalogues use.
 */
export const NON_PROPRIETARY = new Set([
  'CSV', 'TSV', 'TXT', 'JSON', 'JSON_LD', 'GEOJSON', 'XML', 'XHTML', 'HTML', 'RDF', 'RDF_XML', 'RDF_TURTLE', 'RDF_N_TRIPLES', 'RDF_N_QUADS', 'RDF_TRIG', 'N3', 'NT', 'RDFA',
  'ODS', 'ODT', 'ODP', 'ODG', 'ODF', 'GML', 'KML', 'KMZ', 'GPKG', 'PNG', 'TIFF', 'GEOTIFF', 'SVG', 'PDF', 'PDFA1A', 'PDFA1B', 'PDFA2A', 'PDFA2B', 'EPUB', 'ATOM', 'RSS', 'ZIP', 'GZIP', 'TAR',
  'NETCDF', 'HDF5', 'PARQUET', 'YAML', 'SPARQLQ', 'WMS_SRVC', 'WFS_SRVC', 'WCS_SRVC', 'WMTS_SRVC', 'GRID_ASCII', 'SHP',
]);

/** Formats a program can read field by field (EU file-type codes). */
export const MACHINE_READABLE = new Set([
  'CSV', 'TSV', 'JSON', 'JSON_LD', 'GEOJSON', 'XML', 'RDF', 'RDF_XML', 'RDF_TURTLE', 'RDF_N_TRIPLES', 'RDF_N_QUADS', 'RDF_TRIG', 'N3', 'NT', 'RDFA', 'ODS', 'XLS', 'XLSX', 'GML', 'KML', 'KMZ',
  'GPKG', 'SHP', 'NETCDF', 'HDF5', 'PARQUET', 'YAML', 'ATOM', 'RSS', 'DBF', 'MDB', 'SQL', 'GRID_ASCII', 'WFS_SRVC', 'WMS_SRVC', 'WCS_SRVC', 'WMTS_SRVC', 'SPARQLQ',
]);

/** Media types of those formats (IANA), for distributions that give a media type only. */
export const MEDIA_TO_CODE: Record<string, string> = {
  'text/csv': 'CSV', 'text/tab-separated-values': 'TSV', 'application/json': 'JSON', 'application/ld+json': 'JSON_LD', 'application/geo+json': 'GEOJSON', 'application/xml': 'XML', 'text/xml': 'XML',
  'application/rdf+xml': 'RDF_XML', 'text/turtle': 'RDF_TURTLE', 'application/n-triples': 'RDF_N_TRIPLES', 'application/n-quads': 'RDF_N_QUADS', 'application/trig': 'RDF_TRIG',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS', 'application/vnd.ms-excel': 'XLS', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/gml+xml': 'GML', 'application/vnd.google-earth.kml+xml': 'KML', 'application/geopackage+sqlite3': 'GPKG', 'application/pdf': 'PDF', 'text/html': 'HTML', 'text/plain': 'TXT',
  'image/png': 'PNG', 'image/tiff': 'TIFF', 'application/zip': 'ZIP', 'application/x-netcdf': 'NETCDF', 'application/vnd.apache.parquet': 'PARQUET',
};

/** The EU file-type code of a distribution's format, or of its media type. */
export function formatCode(d: JsonNode): string | undefined {
  const format = iriOf(list(d.format)[0]);
  if (format?.startsWith(FILE_TYPE)) return format.slice(FILE_TYPE.length);
  const media = iriOf(list(d.mediaType)[0]);
  const type = media?.replace(IANA, '').toLowerCase();
  return type ? MEDIA_TO_CODE[type] : undefined;
}

/** The EU file-type code of a served Content-Type ("text/csv; charset=utf-8" → CSV), if known. */
export function contentTypeCode(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type ? MEDIA_TO_CODE[type] : undefined;
}
