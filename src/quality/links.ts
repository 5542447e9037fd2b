// The links of a record that the link checker looks at: each distribution's access and download URLs
// (with the format the distribution declares, to compare with what the server sends), and a data
// service's endpoint URLs.
import type { JsonNode } from '../dcat/json.js';
import { iris, isNode, list } from '../dcat/values.js';
import { contentTypeCode, formatCode } from './formats.js';

export type LinkRole = 'access' | 'download' | 'endpoint';

export interface RecordLink {
  url: string;
  role: LinkRole;
  /** EU file-type code of the distribution's declared format or media type. */
  declaredFormat?: string;
}

/** Longer addresses are not links anyone can follow (and not worth a row). */
const MAX_URL = 2048;

export function recordLinks(record: JsonNode): RecordLink[] {
  const seen = new Set<string>();
  const out: RecordLink[] = [];
  const add = (url: string, role: LinkRole, declaredFormat?: string) => {
    const u = url.trim();
    if (!/^https?:\/\//i.test(u) || u.length > MAX_URL || seen.has(`${role} ${u}`)) return;
    seen.add(`${role} ${u}`);
    out.push({ url: u, role, ...(declaredFormat ? { declaredFormat } : {}) });
  };
  for (const d of list(record.distribution).filter(isNode)) {
    const declared = formatCode(d);
    for (const u of iris(d.accessURL)) add(u, 'access', declared);
    for (const u of iris(d.downloadURL)) add(u, 'download', declared);
  }
  for (const u of iris(record.endpointURL)) add(u, 'endpoint');
  return out;
}

/** Formats that arrive packed or under another name and are no mismatch (a shapefile in a ZIP). */
const SAME_FORMAT: Record<string, string[]> = {
  SHP: ['ZIP'],
  GML: ['XML'],
  KML: ['XML'],
  RDF_XML: ['XML'],
  GEOJSON: ['JSON'],
  JSON_LD: ['JSON'],
  XLSX: ['ZIP'],
  ODS: ['ZIP'],
  GZIP: ['TAR'],
};

/**
 * Whether what a server sent matches the format a record declares for it: true, false (a CSV that
 * comes back as an HTML page), or null when either side is unknown (no declared format, or a content
 * type such as application/octet-stream that says nothing).
 */
export function formatMatches(declared: string | undefined | null, contentType: string | undefined | null): boolean | null {
  const served = contentTypeCode(contentType ?? undefined);
  if (!declared || !served) return null;
  return served === declared || (SAME_FORMAT[declared] ?? []).includes(served);
}
