// Codes CKAN portals write as text, turned into the IRIs of the vocabularies DCAT-AP 3 asks for. A
// portal writes "en", "monthly" or "CSV"; DCAT-AP wants a dct:LinguisticSystem, a dct:Frequency and a
// dct:MediaTypeOrExtent, which a literal can never be, so a literal fails validation however right it
// is. Only codes that name one concept unambiguously are mapped; anything else stays as the portal
// wrote it (and a validator says so).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotIndex, VOCABULARIES_DIR, type VocabularySnapshot } from '../../validation/vocabularies.js';
import { LANGUAGES } from '../../dcat/languages.js';

const AUTHORITY = 'http://publications.europa.eu/resource/authority';
const IANA_MEDIA_TYPES = 'http://www.iana.org/assignments/media-types';

/** ISO 639-2/B codes that differ from the terminology codes the EU table uses. */
const BIBLIOGRAPHIC: Record<string, string> = {
  DUT: 'NLD', GER: 'DEU', FRE: 'FRA', GRE: 'ELL', CZE: 'CES', SLO: 'SLK', RUM: 'RON', ALB: 'SQI', ARM: 'HYE',
  BAQ: 'EUS', CHI: 'ZHO', PER: 'FAS', WEL: 'CYM', GEO: 'KAT', ICE: 'ISL', MAC: 'MKD', MAY: 'MSA', BUR: 'MYA',
};

const EU_LANGUAGE_CODES = new Set(Object.values(LANGUAGES));

/** The EU language authority IRI of a language code ("en", "en-GB", "eng", "ENG", "dut"), if known. */
export function languageIri(code: string): string | undefined {
  const c = code.trim();
  const two = /^([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*$/.exec(c);
  if (two) {
    const eu = LANGUAGES[two[1].toLowerCase()];
    return eu ? `${AUTHORITY}/language/${eu}` : undefined;
  }
  if (/^[A-Za-z]{3}$/.test(c)) {
    const upper = c.toUpperCase();
    const eu = BIBLIOGRAPHIC[upper] ?? (EU_LANGUAGE_CODES.has(upper) ? upper : undefined);
    return eu ? `${AUTHORITY}/language/${eu}` : undefined;
  }
  return undefined;
}

/** EU frequency codes by their English label, their code, and the words portals use for them. */
const FREQUENCIES: Record<string, string> = {
  annual: 'ANNUAL', yearly: 'ANNUAL', annually: 'ANNUAL',
  semiannual: 'ANNUAL_2', biannually: 'ANNUAL_2', halfyearly: 'ANNUAL_2',
  threetimesayear: 'ANNUAL_3', biennial: 'BIENNIAL', bimonthly: 'BIMONTHLY',
  biweekly: 'BIWEEKLY', fortnightly: 'BIWEEKLY',
  continuous: 'CONT', continual: 'CONT', cont: 'CONT',
  daily: 'DAILY', twiceaday: 'DAILY_2', irregular: 'IRREG', irreg: 'IRREG',
  monthly: 'MONTHLY', semimonthly: 'MONTHLY_2', threetimesamonth: 'MONTHLY_3',
  never: 'NEVER', other: 'OTHER', quarterly: 'QUARTERLY', triennial: 'TRIENNIAL', unknown: 'UNKNOWN',
  continuouslyupdated: 'UPDATE_CONT', updatecont: 'UPDATE_CONT',
  weekly: 'WEEKLY', semiweekly: 'WEEKLY_2', threetimesaweek: 'WEEKLY_3',
};

const FREQUENCY_CODES = new Set(Object.values(FREQUENCIES));

/** The EU frequency IRI of a word such as "monthly" or a code such as "ANNUAL_2", if it names one. */
export function frequencyIri(value: string): string | undefined {
  const upper = value.trim().toUpperCase();
  const code = FREQUENCY_CODES.has(upper) ? upper : FREQUENCIES[value.toLowerCase().replace(/[^a-z0-9]/g, '')];
  return code ? `${AUTHORITY}/frequency/${code}` : undefined;
}

const FILE_TYPE_SCHEME = `${AUTHORITY}/file-type`;
let fileTypes: Map<string, string> | undefined;

const fileTypeKey = (s: string) => s.trim().replace(/^\./, '').toUpperCase().replace(/[^A-Z0-9]/g, '');

/** File type concepts by code and English label, from the project's snapshot of the EU table (the
 * table the validator checks dct:format against), read once. Codes win over labels. */
function fileTypeTable(): Map<string, string> {
  if (fileTypes) return fileTypes;
  const table = new Map<string, string>();
  const file = snapshotIndex()[FILE_TYPE_SCHEME];
  if (file) {
    const snap = JSON.parse(readFileSync(join(VOCABULARIES_DIR, file), 'utf8')) as VocabularySnapshot;
    const concepts = Object.entries(snap.concepts).filter(([iri]) => iri.startsWith(`${FILE_TYPE_SCHEME}/`));
    for (const [iri, c] of concepts) {
      if (c.l?.en && !table.has(fileTypeKey(c.l.en))) table.set(fileTypeKey(c.l.en), iri);
    }
    for (const [iri] of concepts) table.set(fileTypeKey(iri.slice(FILE_TYPE_SCHEME.length + 1)), iri);
  }
  fileTypes = table;
  return table;
}

/** The EU file type IRI of a format name ("CSV", "csv", ".csv", "GeoJSON", "RDF/XML"), if it names one. */
export function fileTypeIri(format: string): string | undefined {
  const key = fileTypeKey(format);
  return key === '' ? undefined : fileTypeTable().get(key);
}

const MEDIA_TYPE = /^(application|audio|font|example|haptics|image|message|model|multipart|text|video)\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** The IANA IRI of a media type ("text/csv", "text/csv; charset=utf-8"), if the text is one. */
export function mediaTypeIri(value: string): string | undefined {
  const type = value.split(';')[0].trim().toLowerCase();
  return MEDIA_TYPE.test(type) ? `${IANA_MEDIA_TYPES}/${type}` : undefined;
}

/** Whether text looks like a media type rather than a format name, as ckanext-dcat decides it. */
export function looksLikeMediaType(value: string): boolean {
  return value.includes('iana.org/assignments/media-types') || (!/^http/i.test(value) && value.includes('/'));
}
