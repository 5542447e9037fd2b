// OGC CSW 2.0.2 GetRecords: the KVP request a harvester pages with, and the response it gets back,
// either a csw:GetRecordsResponse holding ISO 19139 records or an ows:ExceptionReport.
import { NS, attr, elements, first, is, norm, text } from './iso19139/select.js';
import { parseXml, type XmlElement } from './iso19139/xml.js';

export interface GetRecordsPage {
  matched: number;
  returned: number;
  /** Position of the next record to ask for; 0 when this page is the last. */
  nextRecord: number;
  /** The gmd:MD_Metadata (or gmi:MI_Metadata) elements, in the order the server sent them. */
  records: XmlElement[];
}

/** The server answered with an ows:ExceptionReport. */
export class CswExceptionError extends Error {
  override readonly name = 'CswExceptionError';
  constructor(
    readonly code: string,
    readonly locator: string | undefined,
    readonly text: string,
  ) {
    super(`CSW exception ${code}${locator ? ` (${locator})` : ''}: ${text || 'no explanation given'}`);
  }
}

/** The response is XML but not a GetRecords response. */
export class CswResponseError extends Error {
  override readonly name = 'CswResponseError';
}

const OWS = new Set(['http://www.opengis.net/ows', 'http://www.opengis.net/ows/1.1', 'http://www.opengis.net/ows/2.0']);

export function parseGetRecordsResponse(xml: string | XmlElement): GetRecordsPage {
  const root = typeof xml === 'string' ? parseXml(xml) : xml;
  if (root.local === 'ExceptionReport' && OWS.has(root.ns)) throw exceptionOf(root);
  if (!is(root, 'csw:GetRecordsResponse')) throw new CswResponseError(`expected csw:GetRecordsResponse, got ${root.name} (line ${root.line})`);
  const results = first(root, 'csw:SearchResults');
  if (!results) throw new CswResponseError(`csw:GetRecordsResponse without csw:SearchResults (line ${root.line})`);
  const count = (name: string, fallback?: number): number => {
    const raw = attr(results, name);
    if (raw === undefined && fallback !== undefined) return fallback;
    const n = Number(raw);
    if (raw === undefined || !/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n)) {
      throw new CswResponseError(`csw:SearchResults/@${name} is ${raw === undefined ? 'missing' : `"${raw}", not a count`} (line ${results.line})`);
    }
    return n;
  };
  const children = elements(results);
  const records = children.filter((el) => is(el, 'gmd:MD_Metadata') || is(el, 'gmi:MI_Metadata'));
  if (records.length === 0 && children.length > 0) {
    // Servers that do not support the ISO output schema fall back to Dublin Core without saying so.
    throw new CswResponseError(`the response holds ${children[0].name} records, not ISO 19139 (gmd:MD_Metadata); the server may not support outputSchema=${NS.gmd} (line ${children[0].line})`);
  }
  return {
    matched: count('numberOfRecordsMatched'),
    returned: count('numberOfRecordsReturned'),
    nextRecord: count('nextRecord', 0),
    records,
  };
}

function exceptionOf(report: XmlElement): CswExceptionError {
  const exception = elements(report).find((el) => el.local === 'Exception' && OWS.has(el.ns));
  const messages = elements(exception)
    .filter((el) => el.local === 'ExceptionText')
    .map((el) => norm(text(el)))
    .filter((t) => t !== '');
  return new CswExceptionError(attr(exception, 'exceptionCode') ?? 'NoApplicableCode', attr(exception, 'locator'), messages.join(' '));
}

/** Names of the KVP parameters getRecordsUrl sets; OGC KVP names are case-insensitive. */
const PARAMETERS = ['service', 'version', 'request', 'typenames', 'resulttype', 'elementsetname', 'outputschema', 'startposition', 'maxrecords', 'namespace'];

/**
 * A GetRecords KVP request for full ISO 19139 records, `maxRecords` of them from `startPosition` (1-based).
 * Parameters already in the endpoint's query are kept unless this request sets them.
 */
export function getRecordsUrl(endpoint: string, startPosition: number, maxRecords: number): string {
  if (!Number.isSafeInteger(startPosition) || startPosition < 1) throw new RangeError(`startPosition must be a whole number from 1, not ${startPosition}`);
  if (!Number.isSafeInteger(maxRecords) || maxRecords < 1) throw new RangeError(`maxRecords must be a whole number from 1, not ${maxRecords}`);
  const hash = endpoint.indexOf('#');
  const base = hash === -1 ? endpoint : endpoint.slice(0, hash);
  const q = base.indexOf('?');
  const path = q === -1 ? base : base.slice(0, q);
  const kept = (q === -1 ? '' : base.slice(q + 1))
    .split('&')
    .filter((p) => p !== '' && !PARAMETERS.includes(parameterName(p)));
  const ours: Array<[string, string]> = [
    ['service', 'CSW'],
    ['version', '2.0.2'],
    ['request', 'GetRecords'],
    ['typeNames', 'gmd:MD_Metadata'],
    ['resultType', 'results'],
    ['elementSetName', 'full'],
    ['outputSchema', NS.gmd],
    ['startPosition', String(startPosition)],
    ['maxRecords', String(maxRecords)],
    // pycsw resolves the gmd prefix of typeNames only through this parameter.
    ['namespace', `xmlns(gmd=${NS.gmd})`],
  ];
  return `${path}?${[...kept, ...ours.map(([k, v]) => `${k}=${encodeValue(v)}`)].join('&')}`;
}

function parameterName(pair: string): string {
  const name = pair.split('=')[0].replace(/\+/g, ' ');
  try {
    return decodeURIComponent(name).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

/** Percent-encodes what a query value may not hold, leaving ':', '/', '(', ')' and '=' readable (RFC 3986 allows them). */
function encodeValue(v: string): string {
  return encodeURIComponent(v).replace(/%3A/gi, ':').replace(/%2F/gi, '/').replace(/%3D/gi, '=');
}
