// Labels of facet values (publisher names, catalogue titles) live in Postgres whatever the search
// backend: they come from the records themselves, and Postgres is where records are canonical.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../store/db.js';
import { catalogTitleSql } from '../store/records.js';
import { snapshotIndex, VOCABULARIES_DIR, type VocabularySnapshot } from '../validation/vocabularies.js';
import type { FacetField, FacetValue } from './backend.js';
import type { SearchDocument } from './document.js';

/** Remembers the labels the documents carry (e.g. a publisher's foaf:name), per language. */
export async function storeLabels(db: Queryable, docs: SearchDocument[]): Promise<void> {
  const rows = docs.flatMap((d) => Object.entries(d.labels).flatMap(([iri, byLang]) => Object.entries(byLang).map(([lang, label]) => [iri, lang, label])));
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO term_labels (iri, lang, label) SELECT DISTINCT ON (a, b) a, b, c FROM unnest($1::text[], $2::text[], $3::text[]) AS u(a, b, c)
     ON CONFLICT (iri, lang) DO UPDATE SET label = EXCLUDED.label WHERE term_labels.label IS DISTINCT FROM EXCLUDED.label`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
  // After the write: a lookup made meanwhile would otherwise keep "no label" for a minute.
  forgetLabels();
}

/** Names of the reference systems Flemish and European geodata use. */
const CRS_NAMES: Record<string, string> = {
  '4326': 'WGS 84', '4258': 'ETRS89', '31370': 'Belge 1972 / Belgian Lambert 72', '3812': 'ETRS89 / Belgian Lambert 2008',
  '3035': 'ETRS89-extended / LAEA Europe', '3857': 'WGS 84 / Pseudo-Mercator', '25831': 'ETRS89 / UTM zone 31N', '32631': 'WGS 84 / UTM zone 31N',
  '4937': 'ETRS89 (3D)', '4979': 'WGS 84 (3D)', '5710': 'Ostend height', '3034': 'ETRS89-extended / LCC Europe',
};

/** Names of Belgium's NUTS regions and provinces (NUTS 2021), which Belgian records give as their
 * coverage (http://data.europa.eu/nuts/code/BE2) without a label: nl, en, fr, de. */
const NUTS_BE: Record<string, [string, string, string, string]> = {
  BE: ['België', 'Belgium', 'Belgique', 'Belgien'],
  BE1: ['Brussels Hoofdstedelijk Gewest', 'Brussels-Capital Region', 'Région de Bruxelles-Capitale', 'Region Brüssel-Hauptstadt'],
  BE10: ['Brussels Hoofdstedelijk Gewest', 'Brussels-Capital Region', 'Région de Bruxelles-Capitale', 'Region Brüssel-Hauptstadt'],
  BE2: ['Vlaams Gewest', 'Flemish Region', 'Région flamande', 'Flämische Region'],
  BE21: ['Antwerpen (provincie)', 'Antwerp (province)', 'Anvers (province)', 'Antwerpen (Provinz)'],
  BE22: ['Limburg (provincie)', 'Limburg (province)', 'Limbourg (province)', 'Limburg (Provinz)'],
  BE23: ['Oost-Vlaanderen', 'East Flanders', 'Flandre-Orientale', 'Ostflandern'],
  BE24: ['Vlaams-Brabant', 'Flemish Brabant', 'Brabant flamand', 'Flämisch-Brabant'],
  BE25: ['West-Vlaanderen', 'West Flanders', 'Flandre-Occidentale', 'Westflandern'],
  BE3: ['Waals Gewest', 'Walloon Region', 'Région wallonne', 'Wallonische Region'],
  BE31: ['Waals-Brabant', 'Walloon Brabant', 'Brabant wallon', 'Wallonisch-Brabant'],
  BE32: ['Henegouwen', 'Hainaut', 'Hainaut', 'Hennegau'],
  BE33: ['Luik (provincie)', 'Liège (province)', 'Liège (province)', 'Lüttich (Provinz)'],
  BE34: ['Luxemburg (provincie)', 'Luxembourg (province)', 'Luxembourg (province)', 'Luxemburg (Provinz)'],
  BE35: ['Namen (provincie)', 'Namur (province)', 'Namur (province)', 'Namur (Provinz)'],
};
const LANG_INDEX: Record<string, number> = { nl: 0, en: 1, fr: 2, de: 3 };

/** What the Crossroads Bank for Enterprises is called, for the enterprise numbers Belgian records use
 * as their publishers' IRIs (https://org.belgif.be/id/CbeRegisteredEntity/0236916956). */
const ENTERPRISE: Record<string, string> = { nl: 'KBO-nummer', en: 'CBE number', fr: 'Numéro BCE', de: 'ZDU-Nummer' };
const ESTABLISHMENT: Record<string, string> = { nl: 'Vestigingsnummer', en: 'Establishment unit', fr: "Unité d'établissement", de: 'Niederlassungseinheit' };

/**
 * The label of last resort, from the IRI alone: its last path segment. A segment that is only a
 * version (".../modellicentie-gratis-hergebruik/v1.0") says nothing alone: the one before it comes
 * along. An address that names its value in its query (a portal's theme page,
 * ".../explore/?refine.theme=Marktwerking") is named by that value; a Belgian enterprise number is
 * written as the register writes it, in the language asked for.
 */
export function lastSegment(iri: string, lang?: string): string {
  const cbe = /^https?:\/\/org\.belgif\.be\/id\/CbeRegisteredEntity\/(\d{4})(\d{3})(\d{3})\/?$/.exec(iri);
  if (cbe) return `${ENTERPRISE[lang ?? ''] ?? 'KBO/BCE'} ${cbe[1]}.${cbe[2]}.${cbe[3]}`;
  const unit = /^https?:\/\/org\.belgif\.be\/id\/CbeEstablishmentUnit\/(\d)(\d{3})(\d{3})(\d{3})\/?$/.exec(iri);
  if (unit) return `${ESTABLISHMENT[lang ?? ''] ?? ESTABLISHMENT.nl} ${unit[1]}.${unit[2]}.${unit[3]}.${unit[4]}`;
  const nuts = /^https?:\/\/data\.europa\.eu\/nuts\/code\/([A-Z]{2}[0-9A-Z]{0,3})$/.exec(iri);
  if (nuts) return NUTS_BE[nuts[1]]?.[LANG_INDEX[lang ?? ''] ?? 0] ?? `NUTS ${nuts[1]}`;
  // A GeoNames feature ("https://sws.geonames.org/2802361/"): its number alone says nothing to a
  // reader; the gazetteer's name for it is not at hand offline, but Belgium's is well known.
  const geonames = /^https?:\/\/sws\.geonames\.org\/(\d+)\/?$/.exec(iri);
  if (geonames) return geonames[1] === '2802361' ? NUTS_BE.BE[LANG_INDEX[lang ?? ''] ?? 0] : `GeoNames ${geonames[1]}`;
  const query = /^[^?#]*\?([^#]+)/.exec(iri);
  if (query) {
    const value = [...new URLSearchParams(query[1]).values()].at(-1);
    if (value && /\p{L}/u.test(value)) return value.trim();
    // A number or code in the query names one of many under the path: both, without the query's syntax.
    const path = lastSegment(iri.slice(0, iri.indexOf('?')), lang);
    return value?.trim() ? `${path} ${value.trim()}` : path;
  }
  // ".../def/crs/EPSG/0/31370": the code, not "0 31370"; CRS84 is WGS 84 longitude first.
  const crs = /^https?:\/\/www\.opengis\.net\/def\/crs\/(EPSG|OGC)\/[^/]+\/([^/]+)$/.exec(iri);
  if (crs) return crs[1] === 'EPSG' ? `EPSG:${crs[2]}${CRS_NAMES[crs[2]] ? ` (${CRS_NAMES[crs[2]]})` : ''}` : crs[2] === 'CRS84' ? 'WGS 84 (CRS84)' : crs[2];
  const m = /([^/#]+)[/#]([^/#]+)\/?$/.exec(iri) ?? /[/#]([^/#]+)\/?$/.exec(iri);
  if (!m) return iri;
  const decode = (t: string) => {
    try {
      return decodeURIComponent(t);
    } catch {
      return t;
    }
  };
  if (m.length === 3 && /^v?\d+(\.\d+)*$/i.test(m[2]) && !/[:.]/.test(m[1])) return `${decode(m[1])} ${decode(m[2])}`;
  // Coordinates with "_" for the decimal point (".../geo/bmdc/51_84-3_37-51_09-2_24", a box): the
  // numbers, with what they are of.
  if (m.length === 3 && /^-?\d+_\d+(--?\d+_\d+)+$/.test(m[2]) && !/[:.]/.test(m[1]))
    return `${decode(m[1])} ${m[2].replace(/(\d)-/g, '$1 ').replace(/_/g, '.').split(' ').join(', ')}`;
  return decode(m[m.length - 1]);
}

/**
 * Labels looked up lately, per language: every search page labels the same few hundred facet values.
 * A label this process stores drops them; another process's new labels show within LABELS_TTL_MS.
 */
const LABELS_TTL_MS = 60_000;
const cache = new Map<string, { at: number; labels: Map<string, string | null> }>();

async function labelsFor(db: Queryable, values: string[], catalogIds: string[], lang: string): Promise<{ labels: Map<string, string | null>; titles: Map<string, string | null> }> {
  const entry = cache.get(lang);
  const known = entry && Date.now() - entry.at < LABELS_TTL_MS ? entry.labels : new Map<string, string | null>();
  if (known !== entry?.labels) cache.set(lang, { at: Date.now(), labels: known });
  const missing = values.filter((v) => !known.has(v));
  if (missing.length > 0) {
    const found = await db.query<{ iri: string; label: string; exact: boolean }>(
      `SELECT DISTINCT ON (iri) iri, label, lang = $2 AS exact FROM term_labels WHERE iri = ANY($1::text[])
       ORDER BY iri, (lang = $2) DESC, (lang = 'en') DESC, lang`,
      [missing, lang],
    );
    for (const v of missing) known.set(v, null);
    // A stored label in another language gives way to a vocabulary's label in the one asked for
    // ("Environnement" for French rather than the stored English "Environment").
    for (const r of found.rows) if (r.exact || !vocabularyLabels().get(r.iri)?.[lang]) known.set(r.iri, r.label);
  }
  const catalogKeys = catalogIds.map((id) => `catalog:${id}`);
  const missingCatalogs = catalogIds.filter((_, i) => !known.has(catalogKeys[i]));
  if (missingCatalogs.length > 0) {
    const catalogs = await db.query<{ id: string; title: string | null }>(`SELECT c.id, ${catalogTitleSql([lang])} AS title FROM catalogs c WHERE c.id = ANY($1::text[])`, [missingCatalogs]);
    for (const id of missingCatalogs) known.set(`catalog:${id}`, null);
    for (const r of catalogs.rows) known.set(`catalog:${r.id}`, r.title);
  }
  return { labels: known, titles: new Map(catalogIds.map((id) => [id, known.get(`catalog:${id}`) ?? null])) };
}

/** Forgets the labels looked up so far (after new labels or catalogue titles were stored). */
export function forgetLabels(): void {
  cache.clear();
}

let vocabulary: Map<string, Record<string, string>> | undefined;

/** Labels of the concepts of the controlled vocabularies the project keeps (EU authority tables, ADMS,
 * IANA, Flemish code lists): most facet values are such concepts, and most records name them by IRI
 * alone. Read once, on first use. */
function vocabularyLabels(): Map<string, Record<string, string>> {
  if (vocabulary) return vocabulary;
  vocabulary = new Map();
  for (const file of new Set(Object.values(snapshotIndex()))) {
    try {
      const snapshot = JSON.parse(readFileSync(join(VOCABULARIES_DIR, file), 'utf8')) as VocabularySnapshot;
      for (const [iri, c] of Object.entries(snapshot.concepts)) if (c.l && !vocabulary.has(iri)) vocabulary.set(iri, c.l);
    } catch {
      // A snapshot that cannot be read leaves its values with their last path segment as label.
    }
  }
  return vocabulary;
}

/** A concept's label from the kept vocabularies: in `lang`, else English, else Dutch, else any. */
export function vocabularyLabel(iri: string, lang: string): string | undefined {
  const l = vocabularyLabels().get(iri) ?? vocabularyLabels().get(iri.replace(/^https:/, 'http:'));
  if (!l) return undefined;
  return l[lang] ?? l.en ?? l.nl ?? Object.values(l)[0];
}

/** Facet labels as shown, per language and field: every page of a search labels the same values, and
 * working each out again (vocabulary lookups, IRI segments) was most of the labelling's time. Kept as
 * long as the labels they were made from. */
const shown = new WeakMap<Map<string, string | null>, Map<string, string>>();

/** Adds labels to facet values: in `lang` if known, else English, else any; catalogues by title. */
export async function labelFacets(db: Queryable, facets: Record<FacetField, FacetValue[]>, lang: string): Promise<void> {
  const values: string[] = [];
  const catalogIds: string[] = [];
  for (const [field, list] of Object.entries(facets) as [FacetField, FacetValue[]][]) for (const v of list) (field === 'catalog' ? catalogIds : values).push(v.value);
  if (values.length === 0 && catalogIds.length === 0) return;
  const { labels, titles } = await labelsFor(db, [...new Set([...values, ...catalogIds])], catalogIds, lang);
  let made = shown.get(labels);
  if (!made) shown.set(labels, (made = new Map()));
  for (const [field, list] of Object.entries(facets) as [FacetField, FacetValue[]][])
    for (const v of list) {
      const key = field === 'catalog' ? `catalog\u0000${v.value}` : v.value;
      let label = made.get(key);
      if (label === undefined) {
        label = (field === 'catalog' ? titles.get(v.value) : labels.get(v.value)) ?? labels.get(v.value) ?? vocabularyLabel(v.value, lang) ?? lastSegment(v.value, lang);
        made.set(key, label);
      }
      v.label = label;
    }
}

/** Labels of IRIs (publishers, places, concepts) for a page: what the records said, else the vocabularies,
 * else the last path segment. */
export async function labelIris(db: Queryable, iris: string[], lang: string): Promise<Map<string, string>> {
  const unique = [...new Set(iris)];
  const { labels } = await labelsFor(db, unique, [], lang);
  return new Map(unique.map((iri) => [iri, labels.get(iri) ?? vocabularyLabel(iri, lang) ?? lastSegment(iri, lang)]));
}
