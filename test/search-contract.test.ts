// One contract for every search backend: the same suite runs unchanged against Postgres full text and
// Elasticsearch, on the same data (the sample catalogue, stored once in Postgres and indexed into
// both), and the two must give the same hits and the same facet counts for the same queries.
import { mkdtempSync, rmSync } from 'node:fs';
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

const esUrl = inject('esUrl');
if (!esUrl) console.warn(`[vindbaar tests] no Elasticsearch (${inject('esProblem') || 'not started'}): its half of the search contract is skipped`);

const DATASETS = ['Dataset', 'DatasetSeries'];
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
  ];
  it.each(QUERIES.map((q) => [JSON.stringify(q), q] as const))('%s', async (_, q) => {
    const [a, b] = await Promise.all([services.search.search(query(q)), es!.search(query(q))]);
    expect(b.total).toBe(a.total);
    expect(new Set(b.hits.map((h) => h.id))).toEqual(new Set(a.hits.map((h) => h.id)));
    for (const f of FACET_FIELDS) expect(facetCounts(b, f), f).toEqual(facetCounts(a, f));
    if (!q.q) expect(b.hits.map((h) => h.id)).toEqual(a.hits.map((h) => h.id)); // same order when sorted by date
  });
});
