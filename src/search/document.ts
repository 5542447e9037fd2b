// What the search backends index, taken from a record's JSON: texts per language, facet values
// (IRIs, or the literal text where a source put a string instead of an IRI), dates and labels.
import type { JsonValue, JsonNode } from '../dcat/json.js';
import { detach } from '../strings.js';
import { readerText } from '../dcat/schema-org.js';
import { accessCodeOf, accessRightsOf, EU_ACCESS_RIGHT } from '../dcat/values.js';
import { envelopeOf, type Envelope } from './geometry.js';

export const LANGUAGES = ['nl', 'en', 'fr', 'de'] as const;
export type Lang = (typeof LANGUAGES)[number];

export interface TextFields {
  title: string;
  keywords: string;
  description: string;
}

export interface SearchDocument {
  id: string;
  kind: string;
  catalogId: string;
  /** Display title: Dutch, then English, then any. */
  title: string;
  /** The title English pages show (English, then Dutch, then any), when it is not `title`: what they
   * sort, suggest and mark by. */
  titleEn?: string;
  text: Record<Lang | 'other', TextFields>;
  themes: string[];
  /** The keywords as filter values (see keywordValue): every language's, the same word once. */
  keywordValues: string[];
  /** The keywords a reader of each page language counts in the facet: those in that language, else
   * in the record's first language, and the untagged ones. A record in four languages would
   * otherwise list each keyword four times over ("biodiversiteit", "biodiversity", …). */
  readerKeywords: Record<FacetLanguage, string[]>;
  publishers: string[];
  formats: string[];
  licenses: string[];
  accessRights: string[];
  /** Media types of the distributions (IANA), beside their formats. */
  mediaTypes: string[];
  /** High-value dataset categories (DCAT-AP HVD). */
  hvdCategories: string[];
  /** Languages of the data (dct:language IRIs). */
  languages: string[];
  /** Places the data covers (dct:spatial IRIs, e.g. a municipality or the Flemish Region). */
  spatial: string[];
  /** The union of the bounding boxes of its spatial coverage: west, south, east, north (degrees). */
  bbox?: Envelope;
  /** Temporal coverage: the earliest start and the latest end of its periods. */
  temporalStart?: string;
  temporalEnd?: string;
  issued?: string;
  modified?: string;
  /** Validation verdict against the source's profile: conforms, warnings or violations. */
  validation?: string[];
  /** Metadata quality band (MQA-compatible score, see quality/mqa.ts): bad, sufficient, good, excellent. */
  quality?: string[];
  /** The record's content hash: lets a check compare the index with Postgres record by record. */
  hash?: string;
  /** The record's version (records.version): the index keeps the highest it was given. */
  version?: number;
  /** Labels for facet values found in the record itself, e.g. a publisher's name: iri -> lang -> label. */
  labels: Record<string, Record<string, string>>;
}

function asArray(v: JsonValue | undefined): JsonValue[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function isNode(v: JsonValue): v is JsonNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The EU's authority tables and code lists: their own labels (kept in vocabularies/ and by migration
 * 023) name their concepts, not whatever a record calls them. */
const OFFICIAL_NAMES = /^https?:\/\/(publications\.europa\.eu\/resource\/authority\/|data\.europa\.eu\/)/;

/** The IRI or literal text a value stands for. */
function valueOf(v: JsonValue): string | undefined {
  if (typeof v === 'string') return v;
  if (isNode(v)) {
    if (typeof v.iri === 'string' && !v.iri.startsWith('_:')) return v.iri;
    if (typeof v['@value'] === 'string') return v['@value'];
    const label = v.prefLabel ?? v.label ?? v.name;
    if (label) return firstText(label);
  }
  return undefined;
}

/** Language tags seen so far and their base language: a catalogue uses a handful ("nl", "nl-t-en", …),
 * and every text of every record asks. */
const BASE_LANG = new Map<string, Lang | 'other'>();

function baseLang(tag: string): Lang | 'other' {
  let lang = BASE_LANG.get(tag);
  if (lang === undefined) {
    const base = tag.toLowerCase().split('-')[0];
    lang = (LANGUAGES as readonly string[]).includes(base) ? (base as Lang) : 'other';
    // Bounded: a source that invents a tag per text must not grow the map without end.
    if (BASE_LANG.size < 10_000) BASE_LANG.set(detach(tag), lang);
  }
  return lang;
}

function put(out: Map<Lang | 'other', string[]>, lang: Lang | 'other', text: string): void {
  const list = out.get(lang);
  if (list) list.push(text);
  else out.set(lang, [text]);
}

/** Keywords a record may bring to the facet: a record with thousands would crowd out every other. */
const KEYWORDS_PER_RECORD = 50;
/** Longer keywords are sentences, not terms; they are cut. */
const KEYWORD_MAX = 100;

/**
 * A keyword as a facet and filter value: what readers take for the same word is one value, whatever
 * its case, spacing, apostrophes or Unicode form ("Werkloosheid", "werkloosheid " and the decomposed
 * é of "sécurité" are each one). Undefined for a keyword of blanks only.
 */
export function keywordValue(text: string): string | undefined {
  // Typographic apostrophes are the typed one ("natuurrisico’s" is "natuurrisico's").
  const v = text.normalize('NFC').replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
  if (v === '') return undefined;
  const chars = [...v];
  return chars.length > KEYWORD_MAX ? chars.slice(0, KEYWORD_MAX).join('').trimEnd() : v;
}

/** The languages a keyword facet is counted for: the pages' languages. */
export const FACET_LANGUAGES = ['nl', 'en'] as const;
export type FacetLanguage = (typeof FACET_LANGUAGES)[number];

/** The facet language a query's `lang` counts keywords in: the pages' own, else Dutch. */
export const facetLanguage = (lang: string | undefined): FacetLanguage => (lang === 'en' ? 'en' : 'nl');

function keywordValues(byLang: Map<Lang | 'other', string[]>, only?: (Lang | 'other')[]): string[] {
  const out = new Set<string>();
  for (const [lang, texts] of byLang)
    for (const t of only && !only.includes(lang) ? [] : texts) {
      const v = keywordValue(t);
      if (v !== undefined) out.add(detach(v));
      if (out.size >= KEYWORDS_PER_RECORD) return [...out];
    }
  return [...out];
}

/** The languages whose keywords a reader of `lang` counts: that one, else the first the record has
 * (in the order of LANGUAGES, the reader's own first), and always the untagged ones. */
function readerKeywordLanguages(byLang: Map<Lang | 'other', string[]>, lang: FacetLanguage): (Lang | 'other')[] {
  const first = [lang, ...LANGUAGES.filter((l) => l !== lang)].find((l) => (byLang.get(l)?.length ?? 0) > 0);
  return first ? [first, 'other'] : ['other'];
}

/** Texts of a language map (or plain strings) grouped by language. */
function textsByLang(v: JsonValue | undefined): Map<Lang | 'other', string[]> {
  const out = new Map<Lang | 'other', string[]>();
  for (const item of asArray(v)) {
    if (typeof item === 'string') put(out, 'other', item);
    else if (isNode(item)) {
      if (typeof item['@value'] === 'string') put(out, typeof item['@language'] === 'string' ? baseLang(item['@language']) : 'other', item['@value']);
      else
        for (const [lang, texts] of Object.entries(item))
          for (const t of asArray(texts)) if (typeof t === 'string') put(out, lang === '@none' ? 'other' : baseLang(lang), t);
    }
  }
  return out;
}

export function firstText(v: JsonValue | undefined, prefer: string[] = ['nl', 'en']): string {
  const by = textsByLang(v);
  for (const l of [...prefer, 'fr', 'de', 'other']) {
    const t = by.get(l as Lang)?.[0];
    if (t) return t;
  }
  return '';
}

/** The first value that is a date of years 1 to 9999 (what both backends can store), as ISO 8601. */
function dateOf(v: JsonValue | undefined): string | undefined {
  for (const item of asArray(v)) {
    const text = valueOf(item);
    const t = text ? Date.parse(text) : NaN;
    if (Number.isNaN(t)) continue;
    const iso = new Date(t).toISOString();
    // toISOString writes years outside 0000-9999 with a sign ("+010000-", "-000001-").
    if (/^\d{4}-/.test(iso) && !iso.startsWith('0000')) return iso;
  }
  return undefined;
}

function uniq(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))].map(detach);
}

/** The union of the bounding boxes of a record's spatial coverage (its places' bbox, geometry or
 * centroid, in WKT, GeoJSON or GML): west, south, east, north. */
export function spatialEnvelope(json: JsonNode): Envelope | undefined {
  const boxes = asArray(json.spatial)
    .filter(isNode)
    .flatMap((p) => [...asArray(p.bbox), ...asArray(p.geometry), ...asArray(p.centroid)])
    .map((g) => valueOf(g))
    .map((g) => (g ? envelopeOf(g) : undefined))
    .filter((b): b is Envelope => !!b);
  if (!boxes.length) return undefined;
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

/** The names (in every language given) of the organisations a record names as publisher or creator. */
function agentNames(json: JsonNode): string[] {
  const out = new Set<string>();
  for (const a of [...asArray(json.publisher), ...asArray(json.creator)])
    if (isNode(a)) for (const list of textsByLang(a.name).values()) for (const t of list) if (t.trim()) out.add(t.trim());
  return [...out];
}

export function searchDocument(id: string, kind: string, catalogId: string, json: JsonNode): SearchDocument {
  const text = {} as Record<Lang | 'other', TextFields>;
  const titles = textsByLang(json.title);
  const keywords = textsByLang(json.keyword);
  const descriptions = textsByLang(json.description);
  // Who holds the data, by name: researchers search for "Statistiek Vlaanderen" or "Departement Werk"
  // as often as for a subject. The names of the publisher and creator the record gives go with the
  // untagged text, unstemmed (names are not words of a language) and weighed as the description is, so
  // that a title that says the words still ranks first. Contact points are left out: "Open Data Team"
  // or "Helpdesk" would make their common words match every dataset they answer for.
  const agents = agentNames(json);
  for (const lang of [...LANGUAGES, 'other'] as const)
    text[lang] = {
      title: detach((titles.get(lang) ?? []).join(' ')),
      keywords: detach((keywords.get(lang) ?? []).join(' ')),
      description: detach([...(descriptions.get(lang) ?? []), ...(lang === 'other' ? agents : [])].join(' ')),
    };
  const labels: SearchDocument['labels'] = {};
  /** Facet values by IRI; the names a record gives them (a publisher's foaf:name, a portal's own
   * theme's skos:prefLabel, a licence document's dct:title) become their labels. */
  const named = (values: JsonValue[], name: (n: JsonNode) => JsonValue | undefined, concepts = true): (string | undefined)[] =>
    values.map((v) => {
      const value = valueOf(v);
      // Publishers keep the names records give them, EU bodies' (corporate-body/…) included: no table
      // kept here names those.
      const n = isNode(v) && typeof v.iri === 'string' && !(concepts && OFFICIAL_NAMES.test(v.iri)) ? name(v) : undefined;
      if (value && n && !labels[value]) {
        const names: Record<string, string> = {};
        for (const [lang, list] of textsByLang(n)) names[lang === 'other' ? '@none' : lang] = detach(list[0]);
        if (Object.keys(names).length > 0) labels[detach(value)] = names;
      }
      return value;
    });
  const conceptName = (n: JsonNode) => n.prefLabel ?? n.title ?? n.label ?? n.name;
  const publishers = named(asArray(json.publisher), (n) => n.name ?? n.prefLabel ?? n.label, false);
  // A publisher the source gave as a blank node, skolemised (".../.well-known/genid/…", as data.gov.be's
  // feed does), has neither a name nor an IRI that means anything: pages would name the organisation by
  // a hash. Such an IRI belongs to this record alone, and the record's contact point names whom it is
  // from: that name is its label.
  for (const p of publishers) {
    if (!p || labels[detach(p)] || !/\/\.well-known\/genid\//.test(p)) continue;
    const contact = asArray(json.contactPoint).find(isNode);
    const names: Record<string, string> = {};
    for (const [lang, list] of textsByLang(contact?.fn ?? contact?.name)) names[lang === 'other' ? '@none' : lang] = detach(list[0]);
    if (Object.keys(names).length > 0) labels[detach(p)] = names;
  }
  const distributions = asArray(json.distribution).filter(isNode);
  const places = asArray(json.spatial);
  named([...asArray(json.theme), ...asArray(json.license), ...accessRightsOf(json), ...asArray(json.hvdCategory), ...asArray(json.language), ...places], conceptName);
  named(distributions.flatMap((d) => [...asArray(d.format), ...asArray(d.mediaType), ...asArray(d.license)]), conceptName);
  const periods = asArray(json.temporal).filter(isNode);
  const starts = periods.map((p) => dateOf(p.startDate)).filter((d): d is string => !!d).sort();
  const ends = periods.map((p) => dateOf(p.endDate)).filter((d): d is string => !!d).sort();
  const issued = dateOf(json.issued);
  const access = accessCodeOf(json);
  // The title the pages show, to sort, suggest and mark by: Dutch (written, else translated by the
  // source: "nl-t-fr"), then English, then any; English pages the same way from English.
  const title = detach(readerText(json.title, ['nl', 'en', 'fr', 'de'])?.trim() || firstText(json.title) || (typeof json.iri === 'string' ? json.iri : id));
  const titleEn = readerText(json.title, ['en', 'nl', 'fr', 'de'])?.trim() || undefined;
  return {
    id,
    kind,
    catalogId,
    title,
    titleEn: titleEn !== undefined && titleEn !== title ? detach(titleEn) : undefined,
    text,
    themes: uniq(asArray(json.theme).map(valueOf)),
    keywordValues: keywordValues(keywords),
    readerKeywords: Object.fromEntries(FACET_LANGUAGES.map((l) => [l, keywordValues(keywords, readerKeywordLanguages(keywords, l))])) as Record<FacetLanguage, string[]>,
    publishers: uniq(publishers),
    // A distribution's format, or its media type when it names no format.
    formats: uniq(distributions.flatMap((d) => (d.format !== undefined ? asArray(d.format) : asArray(d.mediaType)).map(valueOf))),
    licenses: uniq([...asArray(json.license), ...distributions.flatMap((d) => asArray(d.license))].map(valueOf)),
    // The rights that apply (the distributions' when the dataset states none), and the EU code they
    // come to, so that INSPIRE's limitations count under the EU list's facet values.
    accessRights: uniq([...accessRightsOf(json).map(valueOf), access ? `${EU_ACCESS_RIGHT}${access}` : undefined]),
    mediaTypes: uniq(distributions.flatMap((d) => asArray(d.mediaType).map(valueOf))),
    hvdCategories: uniq(asArray(json.hvdCategory).map(valueOf)),
    languages: uniq(asArray(json.language).map(valueOf)),
    spatial: uniq(places.map((p) => (isNode(p) && typeof p.iri === 'string' && p.iri.startsWith('_:') ? undefined : valueOf(p)))),
    bbox: spatialEnvelope(json),
    temporalStart: starts[0],
    temporalEnd: ends[ends.length - 1],
    issued,
    modified: dateOf(json.modified) ?? issued,
    // Everything kept here is detached from the parser's input: documents wait in batches.
    labels,
  };
}
