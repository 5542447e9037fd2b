// Reading values out of a record's JSON, where any property may hold one value or many, an IRI string
// or a node with an "iri", and blank nodes have labels not worth showing.
import type { JsonNode, JsonValue } from './json.js';
import { pickText } from './schema-org.js';

export const list = (v: JsonValue | undefined): JsonValue[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

export const isNode = (v: JsonValue | undefined): v is JsonNode => !!v && typeof v === 'object' && !Array.isArray(v);

/** The IRI a value names (blank nodes name none worth showing). */
export function iriOf(v: JsonValue | undefined): string | undefined {
  if (typeof v === 'string') return v.startsWith('_:') ? undefined : v;
  if (isNode(v) && typeof v.iri === 'string' && !v.iri.startsWith('_:')) return v.iri;
  return undefined;
}

export const iris = (v: JsonValue | undefined): string[] => list(v).map(iriOf).filter((x): x is string => !!x);

/** The EU access-right codes (publications.europa.eu/resource/authority/access-right). */
export type AccessCode = 'PUBLIC' | 'RESTRICTED' | 'NON_PUBLIC';
export const EU_ACCESS_RIGHT = 'http://publications.europa.eu/resource/authority/access-right/';
const EU_ACCESS = /^https?:\/\/publications\.europa\.eu\/resource\/authority\/access-right\/(PUBLIC|RESTRICTED|NON_PUBLIC)$/;
/** INSPIRE's limitations on public access, as GeoDCAT-AP and harvested ISO 19139 records state them:
 * none is public; a limitation on one of the grounds of Article 13(1) of the directive is access under
 * conditions the holder sets, which the EU list calls restricted. */
const INSPIRE_ACCESS = /^https?:\/\/inspire\.ec\.europa\.eu\/metadata-codelist\/LimitationsOnPublicAccess\/(noLimitations|INSPIRE_Directive_Article13_1[a-h])$/;

/** The EU access-right code an IRI stands for, if any. */
export function accessCode(iri: string | undefined): AccessCode | undefined {
  if (!iri) return undefined;
  const eu = EU_ACCESS.exec(iri);
  if (eu) return eu[1] as AccessCode;
  const inspire = INSPIRE_ACCESS.exec(iri);
  if (inspire) return inspire[1] === 'noLimitations' ? 'PUBLIC' : 'RESTRICTED';
  return undefined;
}

/** The access rights that apply to a dataset: its own, else the ones its distributions state (GeoDCAT-AP
 * puts INSPIRE's limitations on public access there, and so do records harvested from CSW). */
export function accessRightsOf(record: JsonNode): JsonValue[] {
  const own = list(record.accessRights);
  if (own.some((r) => accessCode(iriOf(r)))) return own;
  const out = [...own];
  const seen = new Set(own.map((r) => iriOf(r) ?? JSON.stringify(r)));
  for (const d of list(record.distribution))
    if (isNode(d))
      for (const r of list(d.accessRights)) {
        const key = iriOf(r) ?? JSON.stringify(r);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(r);
        }
      }
  return out;
}

/** The access that applies to a dataset as one EU code: the one its rights (see accessRightsOf) agree
 * on, or RESTRICTED when they differ (part of the data is not open to all). */
export function accessCodeOf(record: JsonNode): AccessCode | undefined {
  const codes = new Set(accessRightsOf(record).map((r) => accessCode(iriOf(r))).filter((c): c is AccessCode => !!c));
  if (codes.size === 0) return undefined;
  return codes.size === 1 ? [...codes][0] : 'RESTRICTED';
}

/** The publisher as search's facet names it: its IRI, else its name (metadata.vlaanderen.be and other
 * sources give organisations by name only), so that its figures and its facet agree. */
export function publisherOf(record: JsonNode): string {
  return iriOf(list(record.publisher)[0]) ?? publisherName(record) ?? '';
}

/** The publisher's name as the record gives it (its node's name or label, or a plain string value). */
export function publisherName(record: JsonNode): string | undefined {
  const p = list(record.publisher)[0];
  if (typeof p === 'string') return /^(https?:|_:)/.test(p) ? undefined : p;
  return (isNode(p) ? pickText(p.name ?? p.prefLabel ?? p.fn ?? p.label)?.trim() : undefined) || undefined;
}

/** The version the publisher gives: dcat:version (DCAT-AP 3), else owl:versionInfo, which DCAT-AP 2, the
 * Flemish DCAT-AP VL 2.0 and GeoDCAT-AP records (data.gov.be's Flemish geodata among them) use instead. */
export function versionOf(record: JsonNode): string | undefined {
  for (const v of [record.versionInfo, record['owl:versionInfo']]) {
    const version = pickText(v)?.trim();
    if (version) return version;
  }
  return undefined;
}
