// Code list tables: ISO 639-2 language codes, ISO 19139 character sets and maintenance frequencies,
// and the distribution format labels most often met in European portals, with the lookups over them.
import { EU } from './vocab.js';

/** ISO 639-2 (bibliographic and terminology codes) of the EU languages and a few neighbours → BCP 47. */
const LANGUAGE_TAGS: Record<string, string> = {
  bul: 'bg', cze: 'cs', ces: 'cs', dan: 'da', ger: 'de', deu: 'de', gre: 'el', ell: 'el', eng: 'en', spa: 'es',
  est: 'et', fin: 'fi', fre: 'fr', fra: 'fr', gle: 'ga', hrv: 'hr', ita: 'it', lav: 'lv', lit: 'lt', hun: 'hu',
  mlt: 'mt', dut: 'nl', nld: 'nl', pol: 'pl', por: 'pt', rum: 'ro', ron: 'ro', slo: 'sk', slk: 'sk', slv: 'sl',
  swe: 'sv', nor: 'no', nob: 'nb', nno: 'nn', ice: 'is', isl: 'is', ltz: 'lb', cat: 'ca', eus: 'eu', baq: 'eu',
  glg: 'gl', wel: 'cy', cym: 'cy', gla: 'gd', roh: 'rm', tur: 'tr', ukr: 'uk', rus: 'ru', srp: 'sr', mkd: 'mk',
  mac: 'mk', alb: 'sq', sqi: 'sq', bos: 'bs', fry: 'fy',
};

/**
 * A language tag from an ISO 639-2 code (as gmd:LanguageCode carries it); other codes pass through
 * lower-cased if they are well-formed tags, and anything else gives '' (an untagged literal) rather
 * than a tag no RDF writer accepts.
 */
export function languageTag(code: string): string {
  const c = code.trim().toLowerCase();
  return LANGUAGE_TAGS[c] ?? (/^[a-z]{1,8}(-[a-z0-9]{1,8})*$/.test(c) ? c : '');
}

/** The EU language authority table IRI for an ISO 639-2 code, as the reference mapping forms it. */
export function languageIri(code: string): string | undefined {
  const c = code.trim();
  return /^[A-Za-z]{3}$/.test(c) ? `${EU.language}${c.toUpperCase()}` : undefined;
}

/** ISO 19139 MD_CharacterSetCode → IANA charset name. */
export const CHARACTER_SETS: Record<string, string> = {
  ucs2: 'ISO-10646-UCS-2', ucs4: 'ISO-10646-UCS-4', utf7: 'UTF-7', utf8: 'UTF-8', utf16: 'UTF-16',
  '8859part1': 'ISO-8859-1', '8859part2': 'ISO-8859-2', '8859part3': 'ISO-8859-3', '8859part4': 'ISO-8859-4',
  '8859part5': 'ISO-8859-5', '8859part6': 'ISO-8859-6', '8859part7': 'ISO-8859-7', '8859part8': 'ISO-8859-8',
  '8859part9': 'ISO-8859-9', '8859part10': 'ISO-8859-10', '8859part11': 'ISO-8859-11', '8859part12': 'ISO-8859-12',
  '8859part13': 'ISO-8859-13', '8859part14': 'ISO-8859-14', '8859part15': 'ISO-8859-15', '8859part16': 'ISO-8859-16',
  jis: 'JIS_Encoding', shiftJIS: 'Shift_JIS', eucJP: 'EUC-JP', usAscii: 'US-ASCII', ebcdic: 'IBM037', eucKR: 'EUC-KR',
  big5: 'Big5', GB2312: 'GB2312',
};

/** ISO 19139 MD_MaintenanceFrequencyCode → EU frequency authority table code. */
export const FREQUENCIES: Record<string, string> = {
  continual: 'CONT', daily: 'DAILY', weekly: 'WEEKLY', fortnightly: 'BIWEEKLY', semimonthly: 'MONTHLY_2',
  monthly: 'MONTHLY', quarterly: 'QUARTERLY', biannually: 'ANNUAL_2', annually: 'ANNUAL', biennially: 'BIENNIAL',
  periodic: 'OTHER', asNeeded: 'AS_NEEDED', irregular: 'IRREG', notPlanned: 'NOT_PLANNED', unknown: 'UNKNOWN',
};

/**
 * Free-text format names → a file type (code in the EU file-type table) or an IANA media type
 * (`iana:` + type). Service protocol names stand for the format such services usually return.
 */
export const FORMAT_LABELS: Record<string, string> = {
  aaigrid: 'GRID_ASCII', aig: 'GRID', atom: 'ATOM', csv: 'CSV', csw: 'XML', dbf: 'DBF', dgn: 'BIN',
  djvu: 'iana:image/vn.djvu', doc: 'DOC', docx: 'DOCX', dxf: 'iana:image/vn.dxf', dwg: 'iana:image/vn.dwg', ecw: 'ECW',
  ecwp: 'ECW', elp: 'EXE', epub: 'EPUB', fgeo: 'GDB', gdb: 'GDB', geojson: 'GEOJSON', geopackage: 'GPKG',
  georss: 'RSS', geotiff: 'TIFF', gif: 'GIF', gml: 'GML', gmz: 'GMZ', gpkg: 'GPKG', gpx: 'XML', grid: 'GRID',
  grid_ascii: 'GRID_ASCII', gtfs: 'CSV', gtiff: 'TIFF', gzip: 'GZIP', html: 'HTML', jpeg: 'JPEG', jpg: 'JPEG',
  json: 'JSON', 'json-ld': 'JSON_LD', json_ld: 'JSON_LD', jsonld: 'JSON_LD', kml: 'KML', kmz: 'KMZ', las: 'LAS',
  laz: 'LAZ', marc: 'iana:application/marc', mdb: 'MDB', mxd: 'MXD', 'n-triples': 'RDF_N_TRIPLES', n3: 'N3',
  netcdf: 'NETCDF', ods: 'ODS', odt: 'ODT', 'ogc:csw': 'XML', 'ogc:sos': 'XML', 'ogc:wcs': 'TIFF', 'ogc:wfs': 'GML',
  'ogc:wfs-g': 'GML', 'ogc:wmc': 'XML', 'ogc:wms': 'PNG', 'ogc:wmts': 'PNG', 'ogc:wps': 'GML',
  oracledump: 'inspire:application/x-oracledump', 'pc-axis': 'TXT', pdf: 'PDF', pgeo: 'MDB', png: 'PNG', rar: 'RAR',
  'rdf/xml': 'RDF_XML', 'rdf-n3': 'N3', 'rdf-turtle': 'RDF_TURTLE', 'rdf-xml': 'RDF_XML', rdf_n_triples: 'RDF_N_TRIPLES',
  rdf_n3: 'N3', rdf_turtle: 'RDF_TURTLE', rdf_xml: 'RDF_XML', rss: 'RSS', rtf: 'RTF', scorm: 'ZIP', shp: 'SHP',
  sos: 'XML', spatialite: 'iana:application/vnd.sqlite3', sqlite: 'iana:application/vnd.sqlite3',
  sqlite3: 'iana:application/vnd.sqlite3', svg: 'SVG', text: 'TXT', tiff: 'TIFF', tmx: 'TMX', tsv: 'TSV',
  ttl: 'RDF_TURTLE', turtle: 'RDF_TURTLE', txt: 'TXT', 'vcard-json': 'JSON', 'vcard-xml': 'XML', xbrl: 'XML',
  xhtml: 'XHTML', xls: 'XLS', xlsx: 'XLSX', xml: 'XML', wcs: 'TIFF', wfs: 'GML', 'wfs-g': 'GML', wmc: 'XML',
  wms: 'PNG', wmts: 'PNG', wps: 'GML', zip: 'ZIP',
};

/** OGC service types recognised from a URL's `service=` parameter or a protocol name, and their standards. */
export const SERVICE_PROTOCOLS: ReadonlyArray<[code: string, standard: string]> = [
  ['csw', 'http://www.opengeospatial.org/standards/cat'],
  ['sos', 'http://www.opengeospatial.org/standards/sos'],
  ['sps', 'http://www.opengeospatial.org/standards/sps'],
  ['wcs', 'http://www.opengeospatial.org/standards/wcs'],
  ['wfs', 'http://www.opengeospatial.org/standards/wfs'],
  ['wms', 'http://www.opengeospatial.org/standards/wms'],
  ['wmts', 'http://www.opengeospatial.org/standards/wmts'],
  ['wps', 'http://www.opengeospatial.org/standards/wps'],
];
