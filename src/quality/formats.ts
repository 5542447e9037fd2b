// Distribution formats as the quality score and the link checker see them: EU file-type codes, the
// IANA media types that name the same formats, and which of them are open or machine-readable.
import type { JsonNode } from '../dcat/json.js';
import { iriOf, list } from '../dcat/values.js';

export const FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';
export const IANA = /^https?:\/\/www\.iana\.org\/assignments\/media-types\//;

/**
 * The formats data.europa.eu's MQA counts as non-proprietary and as machine-readable (EU file-type codes):
 * the curated lists of the European data portal (edp-vocabularies: edp-non-proprietary-format.rdf and
 * edp-machine-readable-format.rdf), not part of the EU file-type vocabulary itself. Taken as they are so
 * that our scores compare with MQA's, even where a list surprises (PDF counts as neither).
 */
export const NON_PROPRIETARY = new Set([
  'BMP', 'CSV', 'DBF', 'GEOJSON', 'GZIP', 'HTML', 'ICS', 'JPEG2000', 'JSON', 'JSON_LD', 'KML', 'KMZ', 'NETCDF', 'ODS', 'PNG', 'RDF_N_QUADS',
  'RDF_N_TRIPLES', 'RDF_TRIG', 'RDF_TURTLE', 'RDF_XML', 'RSS', 'RTF', 'TAR', 'TIFF', 'TSV', 'TXT', 'WMS_SRVC', 'XML', 'ZIP',
]);

export const MACHINE_READABLE = new Set([
  'CSV', 'GEOJSON', 'ICS', 'JSON', 'JSON_LD', 'KML', 'KMZ', 'NETCDF', 'ODS', 'RDFA', 'RDF_N_QUADS', 'RDF_N_TRIPLES', 'RDF_TRIG', 'RDF_TURTLE',
  'RDF_XML', 'RSS', 'SHP', 'XLS', 'XLSX', 'XML',
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
