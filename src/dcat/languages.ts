// Languages as DCAT-AP names them (the EU language authority table, ISO 639-3 based: NLD, ENG) and as
// the web and schema.org name them (ISO 639-1 / BCP 47: nl, en).

/** ISO 639-1 codes and the EU language authority codes (ISO 639-3 based) they correspond to. */
export const LANGUAGES: Record<string, string> = {
  bg: 'BUL', cs: 'CES', da: 'DAN', de: 'DEU', el: 'ELL', en: 'ENG', es: 'SPA', et: 'EST', fi: 'FIN', fr: 'FRA',
  ga: 'GLE', hr: 'HRV', hu: 'HUN', it: 'ITA', lt: 'LIT', lv: 'LAV', mt: 'MLT', nl: 'NLD', pl: 'POL', pt: 'POR',
  ro: 'RON', sk: 'SLK', sl: 'SLV', sv: 'SWE',
  ca: 'CAT', eu: 'EUS', gl: 'GLG', cy: 'CYM', gd: 'GLA', is: 'ISL', lb: 'LTZ', no: 'NOR', nb: 'NOB', nn: 'NNO',
  sq: 'SQI', sr: 'SRP', bs: 'BOS', mk: 'MKD', uk: 'UKR', ru: 'RUS', be: 'BEL', tr: 'TUR', fy: 'FRY', oc: 'OCI',
  rm: 'ROH', fo: 'FAO', kl: 'KAL', se: 'SME', la: 'LAT', eo: 'EPO', co: 'COS', br: 'BRE', hy: 'HYE', ka: 'KAT',
  az: 'AZE', kk: 'KAZ', ar: 'ARA', zh: 'ZHO', ja: 'JPN', ko: 'KOR', hi: 'HIN', he: 'HEB', fa: 'FAS', ur: 'URD',
  bn: 'BEN', id: 'IND', ms: 'MSA', th: 'THA', vi: 'VIE', sw: 'SWA', af: 'AFR', am: 'AMH', ta: 'TAM', pa: 'PAN',
  ne: 'NEP', mn: 'MON', my: 'MYA', km: 'KHM', lo: 'LAO', yi: 'YID', zu: 'ZUL', xh: 'XHO', so: 'SOM', ps: 'PUS',
  ku: 'KUR', tk: 'TUK', uz: 'UZB', ky: 'KIR',
};

const TWO_LETTER = new Map(Object.entries(LANGUAGES).map(([two, eu]) => [eu, two]));

/** The BCP 47 tag ("nl") of an EU language authority IRI or code (".../language/NLD", "NLD"), if known. */
export function bcp47Of(euIriOrCode: string): string | undefined {
  return TWO_LETTER.get(euIriOrCode.replace(/^.*\/language\//, '').toUpperCase());
}
