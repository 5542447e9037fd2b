// What the KPIs count, per record: its publisher, whether it is open (access rights and licence),
// whether it is a high-value dataset, its quality score and validation verdict, and when it last
// changed against how often it says it changes. Computed from the record's JSON when it changes (and
// again when its links' state changes), stored in record_quality, aggregated by kpis.ts.
import type { JsonNode } from '../dcat/json.js';
import { accessCodeOf, iriOf, iris, isNode, list, publisherOf } from '../dcat/values.js';
import { storedScore, type QualityScore } from './mqa.js';

export type Access = 'public' | 'restricted' | 'non-public' | 'unknown';

export interface RecordFacts {
  publisher: string;
  access: Access;
  openLicence: boolean;
  hvd: boolean;
  score: QualityScore;
  verdict: string | null;
  modified: string | null;
  periodicity: string | null;
}

const FREQUENCY = 'http://publications.europa.eu/resource/authority/frequency/';

/**
 * Licences that let anyone reuse the data for any purpose (the Open Definition's sense): the EU licence
 * codes of the Creative Commons, Open Data Commons and national open data licences, the Creative
 * Commons IRIs themselves, and the Flemish model licence for free reuse and Flemish CC0 declaration.
 */
const OPEN_EU_LICENCES = new Set([
  'CC0', 'PDM', 'CC_BY_4_0', 'CC_BY_3_0', 'CC_BY_2_5', 'CC_BY_2_0', 'CC_BY_1_0', 'CC_BYSA_4_0', 'CC_BYSA_3_0', 'CC_BYSA_2_5', 'CC_BYSA_2_0', 'CC_BYSA_1_0',
  'ODC_BY', 'ODC_ODBL', 'ODC_PDDL', 'ETALAB_2_0', 'LO_FR_2_0', 'DL_DE_BY_2_0', 'DL_DE_ZERO_2_0', 'NLOD_2_0', 'NLOD_1_0', 'OGL_3_0', 'OGL_2_0', 'IODL_2_0', 'EUPL_1_2', 'EUPL_1_1',
]);

export function isOpenLicence(iri: string): boolean {
  const eu = iri.match(/^https?:\/\/publications\.europa\.eu\/resource\/authority\/licence\/([A-Z0-9_]+)$/);
  if (eu) return OPEN_EU_LICENCES.has(eu[1]);
  if (/^https?:\/\/creativecommons\.org\/(licenses\/by(-sa)?\/|publicdomain\/(zero|mark)\/)/.test(iri)) return true;
  if (/^https?:\/\/opendatacommons\.org\/licenses\/(by|odbl|pddl)\b/.test(iri)) return true;
  return /^https?:\/\/data\.vlaanderen\.be\/id\/licentie\/(modellicentie-gratis-hergebruik|creative-commons-zero-verklaring)\//.test(iri);
}

function accessOf(record: JsonNode): Access {
  const code = accessCodeOf(record);
  return code === 'PUBLIC' ? 'public' : code === 'RESTRICTED' ? 'restricted' : code === 'NON_PUBLIC' ? 'non-public' : 'unknown';
}

function dateOf(v: unknown): string | null {
  const s = typeof v === 'string' ? v : isNode(v as never) && typeof (v as JsonNode)['@value'] === 'string' ? ((v as JsonNode)['@value'] as string) : undefined;
  if (!s || !/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function recordFacts(record: JsonNode, verdict: string | null | undefined, links: { url: string; state: string }[]): RecordFacts {
  const dists = list(record.distribution).filter(isNode);
  const licences = [...iris(record.license), ...dists.flatMap((d) => iris(d.license))];
  const periodicity = iriOf(list(record.accrualPeriodicity)[0]);
  const modified = list(record.modified).map(dateOf).find((d) => d) ?? list(record.issued).map(dateOf).find((d) => d) ?? null;
  return {
    publisher: publisherOf(record),
    access: accessOf(record),
    openLicence: licences.length > 0 && licences.some(isOpenLicence),
    hvd: list(record.hvdCategory).length > 0,
    score: storedScore(record, verdict, links),
    verdict: verdict ?? null,
    modified,
    periodicity: periodicity?.startsWith(FREQUENCY) ? periodicity.slice(FREQUENCY.length) : null,
  };
}

/**
 * How long a record may go unchanged and still be up to date, by its declared frequency (Postgres
 * intervals): the period plus half of it. Frequencies that promise no rhythm (irregular, unknown,
 * never, as needed) are not judged.
 */
export const FREQUENCY_GRACE: Record<string, string> = {
  CONT: '2 days', UPDATE_CONT: '2 days', HOURLY: '2 days', DAILY: '2 days', BIDAILY: '2 days', DAILY_2: '2 days', WEEKLY_2: '11 days', WEEKLY_3: '11 days',
  WEEKLY: '11 days', BIWEEKLY: '21 days', MONTHLY_2: '23 days', MONTHLY_3: '16 days', MONTHLY: '45 days', BIMONTHLY: '3 months', QUARTERLY: '135 days',
  ANNUAL_2: '9 months', ANNUAL_3: '6 months', SEMIANNUAL: '9 months', ANNUAL: '18 months', BIENNIAL: '3 years', TRIENNIAL: '54 months', QUADRENNIAL: '6 years',
  QUINQUENNIAL: '90 months', DECENNIAL: '15 years',
};
