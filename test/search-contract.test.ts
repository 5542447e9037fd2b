// One contract for every search backend: the same suite runs unchanged against Postgres full text and
// Elasticsearch, on the same data (the sample catalogue, stored once in Postgres and indexed into
// both), and the two must give the same hits and the same facet counts for the same queries.
import { mkdtempSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServices, type Services } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loadSamplesIfEmpty } from '../src/samples.js';
import { FACET_FIELDS, type FacetField, type SearchBackend, type SearchQuery, type SearchResult } from '../src/search/backend.js';
import { ElasticsearchSearch } from '../src/search/elasticsearch.js';
import { indexAll } from '../src/search/indexer.js';
import { searchDocument } from '../src/search/document.js';
import { compoundSplits, searchAnyWords } from '../src/search/any-words.js';

const esUrl = inject('esUrl');
if (!esUrl) console.warn(`[vindbaar tests] no Elasticsearch (${inject('esProblem') || 'not started'}): its half of the search contract is skipped`);

const DATASETS = ['Dataset', 'DatasetSeries'];

// Records with a spatial extent (WKT, GeoJSON, GML) and a temporal coverage, beside the samples.
const PLACES = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
@prefix gsp: <http://www.opengis.net/ont/geosparql#>. @prefix xsd: <http://www.w3.org/2001/XMLSchema#>.
<http://example.org/ds/gent> a dcat:Dataset; dct:title "Parkeerzones Gent"@nl;
  dct:spatial [ a dct:Location; dcat:bbox "POLYGON((3.6 51.0, 3.8 51.0, 3.8 51.1, 3.6 51.1, 3.6 51.0))"^^gsp:wktLiteral ];
  dct:temporal [ a dct:PeriodOfTime; dcat:startDate "2019-01-01"^^xsd:date; dcat:endDate "2020-12-31"^^xsd:date ].
<http://example.org/ds/antwerpen> a dcat:Dataset; dct:title "Parkeerzones Antwerpen"@nl;
  dct:spatial [ a dct:Location; dcat:bbox "{\\"type\\":\\"Polygon\\",\\"coordinates\\":[[[4.3,51.15],[4.5,51.15],[4.5,51.3],[4.3,51.3],[4.3,51.15]]]}"^^gsp:geoJSONLiteral ];
  dct:temporal [ a dct:PeriodOfTime; dcat:startDate "2022-06-01"^^xsd:date ].
<http://example.org/ds/vlaanderen> a dcat:Dataset; dct:title "Parkeerzones Vlaanderen"@nl;
  dct:spatial [ a dct:Location; dcat:bbox "<gml:Envelope srsName=\\"http://www.opengis.net/def/crs/OGC/1.3/CRS84\\"><gml:lowerCorner>2.54 50.68</gml:lowerCorner><gml:upperCorner>5.92 51.51</gml:upperCorner></gml:Envelope>"^^gsp:gmlLiteral ].
<http://example.org/ds/fietspaden-titel> a dcat:Dataset; dct:title "Fietspaden in Brugge"@nl; dct:description "Ligging van de paden."@nl.
<http://example.org/ds/fietspaden-tekst> a dcat:Dataset; dct:title "Wegenregister Brugge"@nl;
  dct:description "Alle wegen van de stad, ook fietspaden, voetwegen en fietspaden langs kanalen."@nl.
<http://example.org/ds/titel-a> a dcat:Dataset; dct:title "Qqzeta registratie"@nl, "Qqalpha register"@en.
<http://example.org/ds/titel-b> a dcat:Dataset; dct:title "Qqalpha meting"@nl, "Qqzulu measurement"@en.
<http://example.org/ds/titel-c> a dcat:Dataset; dct:title "Qqmike"@nl.
<http://example.org/ds/van-een-bureau> a dcat:Dataset; dct:title "Wachttijden"@nl;
  dct:publisher [ a <http://xmlns.com/foaf/0.1/Agent>; <http://xmlns.com/foaf/0.1/name> "Qqbureau voor Statistiek"@nl, "Qqoffice of Statistics"@en ];
  dcat:contactPoint [ a <http://www.w3.org/2006/vcard/ns#Kind>; <http://www.w3.org/2006/vcard/ns#fn> "Qqloket Wachttijden" ].
<http://example.org/ds/over-een-bureau> a dcat:Dataset; dct:title "Jaarverslag Qqbureau"@nl.`;
const query = (q: Partial<SearchQuery> = {}): SearchQuery => ({ filters: {}, kinds: DATASETS, sort: '-modified', offset: 0, limit: 1000, ...q });

let dir: string;
let services: Services;
let es: ElasticsearchSearch | undefined;
let liveDatasets = 0;
const backends: Record<string, () => SearchBackend> = {
  postgres: () => services.search,
  elasticsearch: () => es!,
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vindbaar-contract-'));
  services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));
  await loadSamplesIfEmpty(services);
  await services.ingest(Readable.from([PLACES]), { catalogId: 'plaatsen', source: { id: 'plaatsen', kind: 'file', location: null }, format: 'turtle', baseIRI: 'http://example.org/' });
  const n = await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE deleted_at IS NULL AND kind = ANY($1::text[])", [DATASETS]);
  liveDatasets = n.rows[0].n;
  if (esUrl) {
    es = new ElasticsearchSearch({ url: esUrl, db: services.db, indexPrefix: `contract-${process.pid}-${Date.now()}` });
    await es.init();
    await indexAll(services.db, es);
    await es.refresh();
  }
}, 120_000);

afterAll(async () => {
  if (es) {
    await es.client.indices.delete({ index: `${es.alias}-*` }).catch(() => undefined);
    await es.close();
  }
  await services?.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const facetCounts = (r: SearchResult, f: FacetField) => r.facets[f].map((v) => [v.value, v.count]);

describe.each(Object.keys(backends))('search contract: %s', (name) => {
  const skip = name === 'elasticsearch' && !esUrl;
  const backend = () => backends[name]();

  it.skipIf(skip)('an empty query finds every live dataset, newest first, with facets over all of them', async () => {
    const r = await backend().search(query());
    expect(liveDatasets).toBeGreaterThan(300);
    expect(r.total).toBe(liveDatasets);
    expect(r.hits).toHaveLength(liveDatasets);
    const catalogs = r.facets.catalog.reduce((n, v) => n + v.count, 0);
    expect(catalogs).toBe(liveDatasets); // each record is in exactly one catalogue
    expect(r.facets.catalog.map((v) => v.label)).toContain('data.gov.be (selectie)');
  });

  it.skipIf(skip)('keeps a search within its scope: every hit and every facet count inside it, a facet narrowing it', async () => {
    const SOCI = 'http://publications.europa.eu/resource/authority/data-theme/SOCI';
    const ECON = 'http://publications.europa.eu/resource/authority/data-theme/ECON';
    const filtered = await backend().search(query({ filters: { theme: [SOCI] } }));
    const scoped = await backend().search(query({ scope: { theme: [SOCI] } }));
    expect(scoped.total).toBeGreaterThan(0);
    expect(new Set(scoped.hits.map((h) => h.id))).toEqual(new Set(filtered.hits.map((h) => h.id)));
    // Unlike a filter, the scope bounds its own facet too: no theme counts more than the scope holds.
    expect(scoped.facets.theme.find((v) => v.value === SOCI)?.count).toBe(scoped.total);
    expect(Math.max(...scoped.facets.theme.map((v) => v.count))).toBe(scoped.total);
    // A theme chosen within the scope: records of both, fewer than either alone.
    const both = await backend().search(query({ scope: { theme: [SOCI] }, filters: { theme: [ECON] } }));
    const econ = await backend().search(query({ filters: { theme: [ECON] } }));
    expect(both.total).toBeLessThan(Math.min(scoped.total, econ.total));
    expect(both.hits.every((h) => scoped.hits.some((s) => s.id === h.id) && econ.hits.some((e) => e.id === h.id))).toBe(true);
  });

  it.skipIf(skip)('counts keywords in the reader\'s language, filters by them in any, whatever their case', async () => {
    const all = await backend().search(query({ facetLimit: 10_000 }));
    const keywords = new Map(all.facets.keyword.map((v) => [v.value, v.count]));
    // The data.gov.be sample gives each keyword in four languages: Dutch pages count the Dutch one.
    expect(keywords.get('biodiversiteit')).toBeGreaterThan(0);
    for (const other of ['biodiversity', 'biodiversité', 'biodiversität']) expect(keywords.has(other), other).toBe(false);
    expect([...keywords.keys()].every((k) => k === k.toLowerCase().trim())).toBe(true);
    // English pages count the English one, in lower case.
    const en = new Map((await backend().search(query({ facetLimit: 10_000, lang: 'en' }))).facets.keyword.map((v) => [v.value, v.count]));
    expect(en.get('biodiversity')).toBe(keywords.get('biodiversiteit'));
    expect(en.has('biodiversiteit')).toBe(false);
    // A filter finds the keyword in any language: the German one finds the same records.
    expect((await backend().search(query({ filters: { keyword: ['biodiversität'] } }))).total).toBe(keywords.get('biodiversiteit'));
    // Records in Dutch alone count in English pages by their Dutch keywords.
    expect(en.get('deeltijdarbeid')).toBe(keywords.get('deeltijdarbeid'));
    const one = await backend().search(query({ filters: { keyword: ['deeltijdarbeid'] }, facetLimit: 10_000 }));
    expect(one.total).toBe(keywords.get('deeltijdarbeid'));
    // Two keywords: records with either, as two values of any facet.
    const either = await backend().search(query({ filters: { keyword: ['deeltijdarbeid', 'biodiversiteit'] } }));
    expect(either.total).toBe(one.total + keywords.get('biodiversiteit')!);
    // The facet of a filtered search still offers the other keywords (multi-select).
    expect(one.facets.keyword.find((v) => v.value === 'biodiversiteit')?.count).toBe(keywords.get('biodiversiteit'));
  });

  it.skipIf(skip)('keeps a search within the words of its scope: every hit holds them, and q narrows within', async () => {
    const scoped = await backend().search(query({ scopeQuery: 'werkzoekenden' }));
    const plain = await backend().search(query({ q: 'werkzoekenden' }));
    expect(scoped.total).toBeGreaterThan(0);
    expect(new Set(scoped.hits.map((h) => h.id))).toEqual(new Set(plain.hits.map((h) => h.id)));
    expect(scoped.facets.catalog.reduce((n, v) => n + v.count, 0)).toBe(scoped.total);
    const within = await backend().search(query({ scopeQuery: 'werkzoekenden', q: 'geslacht' }));
    const both = await backend().search(query({ q: 'werkzoekenden geslacht' }));
    expect(within.total).toBe(both.total);
    expect(within.total).toBeLessThan(scoped.total);
  });

  it.skipIf(skip)('takes a compound that finds nothing apart into words the records hold: waterkwaliteit as water kwaliteit', async () => {
    const asTyped = await backend().search(query({ q: 'waterkwaliteit' }));
    expect(asTyped.total).toBe(0);
    const apart = await backend().search(query({ q: 'water kwaliteit' }));
    expect(apart.total).toBeGreaterThan(0);
    const r = await searchAnyWords(backend(), query({ q: 'waterkwaliteit' }));
    expect(r.searchedFor).toBe('water kwaliteit');
    expect(r.total).toBe(apart.total);
    expect(r.hits.map((h) => h.id)).toEqual(apart.hits.map((h) => h.id));
    expect(r.facets.theme.length).toBeGreaterThan(0);
    // A word whose parts no record holds together stays unanswered, and so does a word found as typed.
    expect((await searchAnyWords(backend(), query({ q: 'xylofoonorkest' }))).total).toBe(0);
    expect((await searchAnyWords(backend(), query({ q: 'arbeidsmarkt' }))).searchedFor).toBeUndefined();
  });

  it.skipIf(skip)('finds records by their words in Dutch, English and French, stemmed per language', async () => {
    // "werkzoekende" (singular) finds "werkzoekenden"; "jobseekers" the English title.
    for (const q of ['werkzoekende', 'werkzoekenden', 'jobseekers', 'arbeidsmarkt', 'population', 'emploi']) {
      const r = await backend().search(query({ q }));
      expect(r.total, q).toBeGreaterThan(0);
    }
    const none = await backend().search(query({ q: 'xylofoonorkest' }));
    expect(none.total).toBe(0);
    expect(none.hits).toEqual([]);
  });

  it.skipIf(skip)('finds words whatever their accents: typed with or without them, in text and in suggestions', async () => {
    // The sample's data.gov.be records are in French too ("données", "chômage", "Liège").
    for (const [plain, accented] of [
      ['donnees', 'données'],
      ['chomage', 'chômage'],
      ['liege', 'Liège'],
    ]) {
      const a = await backend().search(query({ q: plain, limit: 1 }));
      const b = await backend().search(query({ q: accented, limit: 1 }));
      expect(b.total, accented).toBeGreaterThan(0);
      expect(a.total, plain).toBe(b.total);
    }
    const typed = await backend().suggest('riviere', DATASETS, 10);
    expect(typed.length).toBeGreaterThan(0);
    expect(typed).toEqual(await backend().suggest('rivière', DATASETS, 10));
  });

  it.skipIf(skip)('sorts, suggests and marks by the title of the asking language: English pages by English titles', async () => {
    const ids = Object.fromEntries(
      await Promise.all(['a', 'b', 'c'].map(async (k) => [k, (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [`http://example.org/ds/titel-${k}`])).rows[0].id])),
    );
    const order = async (lang: string) =>
      (await backend().search(query({ q: 'qqzeta OR qqalpha OR qqzulu OR qqmike', sort: 'title', lang }))).hits.map((h) => h.id).filter((id) => Object.values(ids).includes(id));
    expect(await order('nl')).toEqual([ids.b, ids.c, ids.a]); // Qqalpha meting, Qqmike, Qqzeta registratie
    expect(await order('en')).toEqual([ids.a, ids.c, ids.b]); // Qqalpha register, Qqmike, Qqzulu measurement
    expect((await backend().suggest('qqalp', DATASETS, 10, 'en')).map((s) => s.title)).toEqual(['Qqalpha register']);
    expect((await backend().suggest('qqalp', DATASETS, 10, 'nl')).map((s) => s.title)).toEqual(['Qqalpha meting']);
    expect((await backend().suggest('qqzul', DATASETS, 10, 'en')).map((s) => s.title)).toEqual(['Qqzulu measurement']);
    expect(await backend().suggest('qqzul', DATASETS, 10)).toEqual([]);
    const marked = await backend().search(query({ q: 'qqzulu', lang: 'en' }));
    expect(marked.hits.map((h) => h.highlight)).toEqual(['<mark>Qqzulu</mark> measurement']);
  });

  it.skipIf(skip)("finds datasets by the name of their publisher, below a title that says the same words, and not by a contact point's", async () => {
    const iriOf = async (id: string) => (await services.db.query<{ iri: string }>('SELECT iri FROM records WHERE id = $1', [id])).rows[0].iri;
    for (const q of ['qqbureau statistiek', 'qqoffice statistics']) {
      const r = await backend().search(query({ q, sort: 'relevance' }));
      expect(await Promise.all(r.hits.map((h) => iriOf(h.id))), q).toContain('http://example.org/ds/van-een-bureau');
    }
    expect((await backend().search(query({ q: 'qqloket' }))).total).toBe(0);
    const both = await backend().search(query({ q: 'qqbureau', sort: 'relevance' }));
    expect(await Promise.all(both.hits.map((h) => iriOf(h.id)))).toEqual(['http://example.org/ds/over-een-bureau', 'http://example.org/ds/van-een-bureau']);
  });

  it.skipIf(skip)('ranks a match in the title above a match in the description alone', async () => {
    const r = await backend().search(query({ q: 'fietspaden', sort: 'relevance' }));
    const ids = r.hits.map((h) => h.id);
    const [title, text] = await Promise.all(
      ['http://example.org/ds/fietspaden-titel', 'http://example.org/ds/fietspaden-tekst'].map(async (iri) => (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [iri])).rows[0].id),
    );
    expect(ids).toContain(text);
    expect(ids.indexOf(title)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(title)).toBeLessThan(ids.indexOf(text));
  });

  it.skipIf(skip)('pages of a text search by relevance visit every match once', async () => {
    const all = await backend().search(query({ q: 'werk', sort: 'relevance' }));
    expect(all.total).toBeGreaterThan(20);
    const seen: string[] = [];
    for (let offset = 0; offset < all.total; offset += 7) {
      const page = await backend().search(query({ q: 'werk', sort: 'relevance', offset, limit: 7 }));
      expect(page.total).toBe(all.total);
      seen.push(...page.hits.map((h) => h.id));
    }
    expect(seen).toHaveLength(all.total);
    expect(new Set(seen)).toEqual(new Set(all.hits.map((h) => h.id)));
  });

  it.skipIf(skip)('a facet value selected as filter gives exactly as many hits as the facet counted', async () => {
    const all = await backend().search(query({ q: 'werk' }));
    for (const field of FACET_FIELDS)
      for (const v of all.facets[field].slice(0, 3)) {
        const r = await backend().search(query({ q: 'werk', filters: { [field]: [v.value] } }));
        expect(r.total, `${field}=${v.value}`).toBe(v.count);
      }
  });

  it.skipIf(skip)('facets are multi-select: a field is counted under every filter but its own', async () => {
    const all = await backend().search(query());
    const [a, b] = all.facets.theme;
    const one = await backend().search(query({ filters: { theme: [a.value] } }));
    // The theme facet still lists the other themes, with the counts they have without the theme filter.
    expect(facetCounts(one, 'theme')).toEqual(facetCounts(all, 'theme'));
    const two = await backend().search(query({ filters: { theme: [a.value, b.value] } }));
    expect(two.total).toBeGreaterThanOrEqual(Math.max(a.count, b.count));
    expect(two.total).toBeLessThanOrEqual(a.count + b.count);
    // Other facets follow the theme filter.
    expect(one.facets.catalog.reduce((n, v) => n + v.count, 0)).toBe(one.total);
  });

  it.skipIf(skip)('pages are stable and do not overlap', async () => {
    const whole = await backend().search(query({ limit: 40 }));
    const p1 = await backend().search(query({ limit: 20 }));
    const p2 = await backend().search(query({ limit: 20, offset: 20 }));
    expect([...p1.hits, ...p2.hits].map((h) => h.id)).toEqual(whole.hits.map((h) => h.id));
    const beyond = await backend().search(query({ offset: liveDatasets + 10, limit: 10 }));
    expect(beyond.hits).toEqual([]);
    expect(beyond.total).toBe(liveDatasets);
  });

  it.skipIf(skip)('filters by spatial extent: boxes that intersect the one asked for', async () => {
    const titles = async (bbox: [number, number, number, number]) => {
      const r = await backend().search(query({ bbox, q: 'parkeerzones' }));
      const rows = await services.db.query<{ id: string; iri: string }>('SELECT id, iri FROM records WHERE id = ANY($1::text[])', [r.hits.map((h) => h.id)]);
      return rows.rows.map((x) => x.iri.split('/').pop()).sort();
    };
    expect(await titles([3.7, 51.05, 3.75, 51.06])).toEqual(['gent', 'vlaanderen']); // inside Gent
    expect(await titles([4.0, 50.9, 4.1, 51.0])).toEqual(['vlaanderen']); // between the cities
    expect(await titles([3.79, 51.09, 4.31, 51.16])).toEqual(['antwerpen', 'gent', 'vlaanderen']); // touching both corners
    expect(await titles([-10, 30, -5, 35])).toEqual([]);
  });

  it.skipIf(skip)('filters by dates: issued and modified within a range, temporal coverage overlapping it', async () => {
    const ids = async (ranges: SearchQuery['ranges']) => (await backend().search(query({ q: 'parkeerzones', ranges }))).total;
    expect(await ids({ temporal: { from: '2020-06-01', to: '2020-07-01' } })).toBe(1); // Gent 2019-2020
    expect(await ids({ temporal: { from: '2021-01-01' } })).toBe(1); // Antwerpen, open-ended since 2022
    expect(await ids({ temporal: { to: '2030-01-01' } })).toBe(2); // every record with a coverage
    const all = await backend().search(query());
    const recent = await backend().search(query({ ranges: { modified: { from: '2024-01-01T00:00:00Z' } } }));
    expect(recent.total).toBeGreaterThan(0);
    expect(recent.total).toBeLessThan(all.total);
    const older = await backend().search(query({ ranges: { modified: { to: '2024-01-01T00:00:00Z' } } }));
    expect(older.total + recent.total).toBeLessThanOrEqual(all.total);
  });

  it.skipIf(skip)('counts follow every write at once, even for a search asked before', async () => {
    const q = query({ q: 'zeppelinhangar' });
    expect((await backend().search(q)).total).toBe(0);
    const doc = searchDocument(`contract-${name}`, 'Dataset', 'plaatsen', { title: { nl: 'Zeppelinhangar van Sint-Agatha-Berchem' }, theme: ['http://publications.europa.eu/resource/authority/data-theme/TRAN'] });
    await services.db.query("INSERT INTO records (id, iri, kind, catalog_id, hash, json, nquads) VALUES ($1, $2, 'Dataset', 'plaatsen', 'x', $3, '') ON CONFLICT DO NOTHING", [doc.id, `http://example.org/${doc.id}`, '{}']);
    await backend().index([doc]);
    await backend().refresh?.();
    const after = await backend().search(q);
    expect(after.total).toBe(1);
    expect(after.facets.theme).toEqual([expect.objectContaining({ value: 'http://publications.europa.eu/resource/authority/data-theme/TRAN', count: 1 })]);
    await backend().remove([doc.id]);
    await backend().refresh?.();
    expect((await backend().search(q)).total).toBe(0);
    await services.db.query('DELETE FROM records WHERE id = $1', [doc.id]);
  });

  it.skipIf(skip)('query syntax from users is text, never an error', async () => {
    for (const q of ['"unbalanced', 'title:(werk) AND data~2 {', 'a || b && !c', '\\', '*', '((((', 'werk' + ' werk'.repeat(400), '🙂 données', '-', 'or', '"" -- ""'])
      await expect(backend().search(query({ q })), q.slice(0, 30)).resolves.toHaveProperty('total');
  });
});

describe.skipIf(!esUrl)('search contract: Postgres and Elasticsearch agree', () => {
  const QUERIES: Partial<SearchQuery>[] = [
    {},
    { q: 'werk' },
    { q: 'werkzoekenden' },
    { q: 'arbeidsmarkt vlaanderen' },
    { q: 'population' },
    { q: 'emploi' },
    { q: '"open data"' },
    { q: 'werk -vacatures' },
    { q: 'werk', filters: { theme: ['http://publications.europa.eu/resource/authority/data-theme/ECON'] } },
    { filters: { theme: ['http://publications.europa.eu/resource/authority/data-theme/ECON', 'http://publications.europa.eu/resource/authority/data-theme/SOCI'] } },
    { filters: { catalog: ['vlaanderen-werk'], validation: ['conforms'] } },
    { kinds: ['DataService'] },
    { filters: { keyword: ['deeltijdarbeid', 'biodiversiteit'] } },
    { q: 'arbeid', filters: { keyword: ['combinatie arbeid en gezin'] } },
    { lang: 'en', filters: { keyword: ['biodiversité'] } },
    // A view defined by words, searched within for other words, a theme chosen in it.
    { scopeQuery: 'werk', q: 'vlaanderen', filters: { theme: ['http://publications.europa.eu/resource/authority/data-theme/ECON'] } },
    { scopeQuery: 'arbeidsmarkt or biodiversiteit' },
    { filters: { hvdCategory: ['http://data.europa.eu/bna/c_ac64a52d'] } },
    { filters: { language: ['http://publications.europa.eu/resource/authority/language/NLD'], spatial: ['http://data.europa.eu/nuts/code/BE2'] } },
    { q: 'parkeerzones', bbox: [3.7, 51.05, 3.75, 51.06] },
    { ranges: { issued: { from: '2020-01-01', to: '2023-12-31' }, temporal: { from: '2016-01-01' } } },
    // A thematic view's scope, with a facet chosen within it.
    { scope: { theme: ['http://publications.europa.eu/resource/authority/data-theme/SOCI'] }, filters: { theme: ['http://publications.europa.eu/resource/authority/data-theme/ECON'] } },
  ];
  it.each(QUERIES.map((q) => [JSON.stringify(q), q] as const))('%s', async (_, q) => {
    const [a, b] = await Promise.all([services.search.search(query(q)), es!.search(query(q))]);
    expect(b.total).toBe(a.total);
    expect(new Set(b.hits.map((h) => h.id))).toEqual(new Set(a.hits.map((h) => h.id)));
    for (const f of FACET_FIELDS) expect(facetCounts(b, f), f).toEqual(facetCounts(a, f));
    if (!q.q) expect(b.hits.map((h) => h.id)).toEqual(a.hits.map((h) => h.id)); // same order when sorted by date
  });
});

describe('compound splits', () => {
  it('cuts a long word of letters into two parts of three letters or more, with and without a linking s', () => {
    const splits = compoundSplits('arbeidsmarkt');
    expect(splits).toContain('arbeids markt');
    expect(splits).toContain('arbeid markt');
    expect(splits[0]).toBe('arb eidsmarkt');
    expect(splits.at(-1)).toBe('arbeidsma rkt');
    expect(splits.every((s) => s.split(' ').every((p) => p.length >= 3))).toBe(true);
    expect(compoundSplits('werkloos')).toHaveLength(3);
    // Short words, and words with digits or signs, are not taken apart.
    for (const w of ['werk', 'kwaliteit2024', 'e-mailadres', 'covid19vaccin', 'a'.repeat(31)]) expect(compoundSplits(w), w).toEqual([]);
  });
});

describe('the check of the Postgres index against the store (reindex --check)', () => {
  it('finds nothing amiss after indexing, and names what is missing, extra or stale', async () => {
    const { checkPostgresIndex } = await import('../src/search/verify.js');
    const clean = await checkPostgresIndex(services.db);
    expect(clean).toMatchObject({ missing: [], extra: [], stale: [] });
    expect(clean.records).toBeGreaterThan(0);
    expect(clean.documents).toBe(clean.records);
    const ids = (await services.db.query<{ record_id: string }>('SELECT record_id FROM search_docs ORDER BY record_id LIMIT 3')).rows.map((r) => r.record_id);
    // Broken on purpose inside a transaction that is rolled back: the other tests keep their data.
    const broken = await services.db
      .transaction(async (tx) => {
        await tx.query('DELETE FROM search_docs WHERE record_id = $1', [ids[0]]);
        await tx.query('UPDATE records SET deleted_at = now() WHERE id = $1', [ids[1]]);
        await tx.query('UPDATE records SET version = version + 1 WHERE id = $1', [ids[2]]);
        const { checkPostgresIndex: check } = await import('../src/search/verify.js');
        const found = await check(tx);
        throw Object.assign(new Error('roll back'), { found });
      })
      .catch((e: { found?: unknown }) => e.found);
    expect(broken).toMatchObject({ missing: [ids[0]], extra: [ids[1]], stale: [ids[2]] });
    expect(await checkPostgresIndex(services.db)).toMatchObject({ missing: [], extra: [], stale: [] });
  });
});
