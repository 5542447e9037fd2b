// A schema.org Dataset (or WebAPI for a data service) derived from a record's DCAT JSON, for the
// <script type="application/ld+json"> of its web page: what dataset search engines read. It follows the
// W3C DCAT-to-schema.org mapping (DCAT 3, section "schema.org") for the properties search engines use:
// name, description, identifier, keywords, license, creator/publisher, dates, coverage, distributions.
import type { JsonNode, JsonValue } from './json.js';
import { bcp47Of } from './languages.js';

const ACCESS_PUBLIC = 'http://publications.europa.eu/resource/authority/access-right/PUBLIC';

const asArray = (v: JsonValue | undefined): JsonValue[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The IRI of a value: a string, or a node's "iri" (blank nodes have none worth showing). */
function iriOf(v: JsonValue | undefined): string | undefined {
  if (typeof v === 'string') return v.startsWith('_:') ? undefined : v;
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof v.iri === 'string' && !v.iri.startsWith('_:')) return v.iri;
  return undefined;
}

/** Whether a language tag is `lang` or one of its regional variants (BCP 47 tags are case-insensitive). */
export function sameLanguage(tag: string, lang: string): boolean {
  const t = tag.toLowerCase();
  return t === lang || (t.startsWith(`${lang}-`) && !t.startsWith(`${lang}-t-`));
}

/** Plain text of a literal or a language map, in the preferred languages' order. */
export function pickText(v: JsonValue | undefined, languages: readonly string[] = ['nl', 'en', 'fr', 'de']): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => pickText(x, languages)).find((x) => x !== undefined);
  if (typeof v['@value'] === 'string') return v['@value'];
  // A language map: {"nl": "...", "en": [...], "@none": "..."}. A preferred language matches its regional
  // tags too ("nl-BE", "FR"), not a machine translation into it ("nl-t-fr").
  const keys = Object.keys(v);
  for (const l of languages) {
    const key = l in v ? l : keys.find((k) => sameLanguage(k, l));
    if (key !== undefined) return pickText(v[key], languages);
  }
  for (const l of ['@none', ...keys]) {
    const text = v[l];
    if (text !== undefined) return pickText(text, languages);
  }
  return undefined;
}

/**
 * The key of a machine translation into `lang` ("nl-t-fr": Dutch, transformed from French, as
 * data.gov.be publishes them) in a language map that has no text written in that language.
 */
export function translationKey(v: JsonValue | undefined, lang: string): string | undefined {
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v) || v['@value'] !== undefined) return undefined;
  const keys = Object.keys(v);
  if (keys.some((k) => sameLanguage(k, lang))) return undefined;
  return keys.find((k) => k.toLowerCase().startsWith(`${lang.toLowerCase()}-t-`) && (pickText(v[k])?.trim() ?? '') !== '');
}

/**
 * The text a reader of `languages[0]` is shown: written in that language, else translated into it by
 * the source (marked as such where it is shown), else as pickText chooses. A French-only dataset then
 * reads in Dutch on a Dutch page, as data.europa.eu shows its translations.
 */
export function readerText(v: JsonValue | undefined, languages: readonly string[]): string | undefined {
  const key = languages.length > 0 ? translationKey(v, languages[0]) : undefined;
  return key !== undefined ? pickText((v as JsonNode)[key], languages) : pickText(v, languages);
}

/** Every text of a language map or literal list, each once. */
function allTexts(v: JsonValue | undefined, languages: readonly string[]): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap((x) => allTexts(x, languages));
  if (typeof v === 'object' && typeof v['@value'] === 'string') return [v['@value']];
  if (typeof v === 'object') {
    const preferred = languages.find((l) => v[l] !== undefined);
    return allTexts(preferred ? v[preferred] : Object.values(v), languages);
  }
  return [];
}

function agent(v: JsonValue | undefined, languages: readonly string[]): JsonNode | undefined {
  if (v === undefined || v === null) return undefined;
  const iri = iriOf(v);
  const node = typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  const name = node ? pickText(node.name ?? node.fn ?? node.prefLabel, languages) : undefined;
  if (!iri && !name) return undefined;
  return { '@type': 'Organization', ...(iri ? { '@id': iri } : {}), ...(name ? { name } : {}) };
}

function dateOf(v: JsonValue | undefined): string | undefined {
  const t = pickText(v);
  return t && /^\d{4}(-\d{2}(-\d{2})?)?/.test(t) ? t : undefined;
}

function temporalCoverage(record: JsonNode): string | undefined {
  for (const t of asArray(record.temporal)) {
    if (!t || typeof t !== 'object' || Array.isArray(t)) continue;
    const start = dateOf(t.startDate);
    const end = dateOf(t.endDate);
    if (start || end) return `${start ?? '..'}/${end ?? '..'}`;
  }
  return undefined;
}

function distribution(d: JsonValue, languages: readonly string[]): JsonNode | undefined {
  if (!d || typeof d !== 'object' || Array.isArray(d)) return undefined;
  const url = iriOf(asArray(d.downloadURL)[0]) ?? iriOf(asArray(d.accessURL)[0]);
  if (!url) return undefined;
  const format = iriOf(d.mediaType) ?? iriOf(d.format) ?? pickText(d.format, languages);
  const name = pickText(d.title, languages);
  return {
    '@type': 'DataDownload',
    contentUrl: url,
    ...(format ? { encodingFormat: format.replace(/^.*\/(media-types|file-type)\//, '') } : {}),
    ...(name ? { name } : {}),
    ...(iriOf(d.license) ? { license: iriOf(d.license) } : {}),
  };
}

/**
 * schema.org markup for a record. `url` is the record's page here. Returns undefined for records that
 * are neither datasets nor services (a catalogue page is not a dataset).
 */
export function schemaOrg(record: JsonNode, kind: string, url: string, languages: readonly string[] = ['nl', 'en', 'fr', 'de']): JsonNode | undefined {
  if (kind !== 'Dataset' && kind !== 'DatasetSeries' && kind !== 'DataService') return undefined;
  const name = pickText(record.title, languages);
  const description = pickText(record.description, languages);
  const out: JsonNode = {
    '@context': 'https://schema.org/',
    '@type': kind === 'DataService' ? 'WebAPI' : 'Dataset',
    ...(typeof record.iri === 'string' && !record.iri.startsWith('_:') ? { '@id': record.iri } : {}),
    url,
    ...(name ? { name } : {}),
    // Search engines ask for a description of at least 50 characters; the title stands in when there is none.
    ...(description || name ? { description: description ?? name ?? '' } : {}),
  };
  const identifiers = [...asArray(record.identifier).map((v) => pickText(v)), typeof record.iri === 'string' && !record.iri.startsWith('_:') ? record.iri : undefined].filter(
    (x): x is string => !!x,
  );
  if (identifiers.length > 0) out.identifier = [...new Set(identifiers)];
  const keywords = allTexts(record.keyword, languages);
  if (keywords.length > 0) out.keywords = keywords;
  const license = iriOf(record.license) ?? asArray(record.distribution).map((d) => (d && typeof d === 'object' && !Array.isArray(d) ? iriOf(d.license) : undefined)).find((x) => x);
  if (license) out.license = license;
  const publisher = agent(record.publisher, languages);
  if (publisher) out.publisher = publisher;
  const creators = asArray(record.creator)
    .map((c) => agent(c, languages))
    .filter((c): c is JsonNode => !!c);
  if (creators.length > 0) out.creator = creators;
  else if (publisher) out.creator = publisher;
  const issued = dateOf(record.issued);
  const modified = dateOf(record.modified);
  if (issued) out.datePublished = issued;
  if (modified) out.dateModified = modified;
  const temporal = temporalCoverage(record);
  if (temporal) out.temporalCoverage = temporal;
  const places = asArray(record.spatial)
    .map((s) => iriOf(s))
    .filter((s): s is string => !!s);
  if (places.length > 0) out.spatialCoverage = places.map((p) => ({ '@type': 'Place', '@id': p }));
  const landing = iriOf(asArray(record.landingPage)[0]);
  if (landing) out.sameAs = landing;
  // schema.org names languages by their BCP 47 tag ("nl"), not by the EU table's code ("NLD").
  const languagesOf = asArray(record.language)
    .map((l) => iriOf(l))
    // A code of the EU table without a BCP 47 tag (MUL, ZXX) stays the code, as before; other IRIs stay whole.
    .map((l) => (l ? (bcp47Of(l) ?? (/\/authority\/language\/[^/]+$/.test(l) ? l.replace(/^.*\/language\//, '') : l)) : undefined))
    .filter((l): l is string => !!l);
  if (languagesOf.length > 0) out.inLanguage = languagesOf;
  const access = iriOf(record.accessRights);
  if (access) out.isAccessibleForFree = access === ACCESS_PUBLIC;
  const themes = asArray(record.theme)
    .map((t) => iriOf(t))
    .filter((t): t is string => !!t);
  if (themes.length > 0) out.about = themes.map((t) => ({ '@id': t }));
  if (kind !== 'DataService') {
    const downloads = asArray(record.distribution)
      .map((d) => distribution(d, languages))
      .filter((d): d is JsonNode => !!d);
    if (downloads.length > 0) out.distribution = downloads;
  } else {
    const endpoint = iriOf(asArray(record.endpointURL)[0]);
    if (endpoint) out.documentation = iriOf(asArray(record.endpointDescription)[0]) ?? endpoint;
  }
  return out;
}
