// Filter values as people write them: theme=ECON, format=CSV, accessRights=public, language=nl,
// mediaType=text/csv, hvdCategory=c_ac64a52d, license=CC_BY_4_0. Records name these by the IRIs of
// the EU's authority tables and IANA's register (which the facets list); a code alone used to find
// nothing, silently. The value as given is kept beside its IRIs: some sources put a plain "CSV" where
// an IRI belongs, and the facets list that text as it is.
import type { FacetField } from '../search/backend.js';
import { keywordValue } from '../search/document.js';

const EU = 'http://publications.europa.eu/resource/authority/';
const IANA = ['https://www.iana.org/assignments/media-types/', 'http://www.iana.org/assignments/media-types/'];
/** ISO 639-1 codes of the languages EU records use most, to the EU table's ISO 639-3 codes. */
const LANGUAGES: Record<string, string> = {
  nl: 'NLD', en: 'ENG', fr: 'FRA', de: 'DEU', it: 'ITA', es: 'SPA', pt: 'POR', da: 'DAN', sv: 'SWE', fi: 'FIN', pl: 'POL', cs: 'CES',
  sk: 'SLK', sl: 'SLV', hu: 'HUN', ro: 'RON', bg: 'BUL', el: 'ELL', et: 'EST', lv: 'LAV', lt: 'LIT', hr: 'HRV', ga: 'GLE', mt: 'MLT', lb: 'LTZ',
};
const IRI = /^[a-z][a-z0-9+.-]*:/i;
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9][\w.+-]*$/i;

function expansions(field: FacetField, v: string): string[] {
  switch (field) {
    case 'theme':
      return /^[a-z]{4}$/i.test(v) ? [`${EU}data-theme/${v.toUpperCase()}`] : [];
    case 'format':
      if (MEDIA_TYPE.test(v)) return IANA.map((base) => base + v.toLowerCase());
      return /^[a-z0-9_]{1,30}$/i.test(v) ? [`${EU}file-type/${v.toUpperCase()}`] : [];
    case 'mediaType':
      return MEDIA_TYPE.test(v) ? IANA.map((base) => base + v.toLowerCase()) : [];
    case 'accessRights': {
      const code = v.toUpperCase().replace(/[-\s]/g, '_');
      return ['PUBLIC', 'RESTRICTED', 'NON_PUBLIC'].includes(code) ? [`${EU}access-right/${code}`] : code === 'NONPUBLIC' ? [`${EU}access-right/NON_PUBLIC`] : [];
    }
    case 'language': {
      const code = LANGUAGES[v.toLowerCase()] ?? (/^[a-z]{3}$/i.test(v) ? v.toUpperCase() : undefined);
      return code ? [`${EU}language/${code}`] : [];
    }
    case 'hvdCategory':
      return /^c_[0-9a-f]{8}$/i.test(v) ? [`http://data.europa.eu/bna/${v.toLowerCase()}`] : [];
    case 'license':
      return /^[a-z0-9][a-z0-9_.-]{0,40}$/i.test(v) ? [`${EU}licence/${v.toUpperCase()}`] : [];
    default:
      return [];
  }
}

/** The values a filter matches for what was asked: an IRI as it is; a code also as its IRIs; a
 * keyword as the facet keeps it. A blank value (a form's empty choice, `theme=`) is no value: a
 * filter of blanks alone filters nothing. */
export function filterValues(field: FacetField, values: string[]): string[] {
  const out = new Set<string>();
  if (field === 'keyword') {
    for (const value of values) {
      const v = keywordValue(value);
      if (v !== undefined) out.add(v);
    }
    return [...out];
  }
  for (const value of values) {
    if (value.trim() === '') continue;
    out.add(value);
    const v = value.trim();
    if (!IRI.test(v)) for (const iri of expansions(field, v)) out.add(iri);
  }
  return [...out];
}
