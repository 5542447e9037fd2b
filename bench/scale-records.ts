// The records of the search benchmarks: the 1,999 data.gov.be datasets of the LDES pages ingested
// through the real pipeline, copied in SQL to any number with rewritten IRIs and varied titles,
// keywords, themes, publishers and dates; and the query mix researchers' searches are modelled by.
import { createReadStream, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Services } from '../src/app.js';
import type { Db } from '../src/store/db.js';
import type { SearchQuery } from '../src/search/backend.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = process.env.VINDBAAR_CORPUS ?? join(here, '../../shared/corpus');
const ldesRoot = join(corpus, 'real/datagovbe-ldes/docs/https_3A_2F_2Fw3id.org_2Fsds_23Stream/root');
const pages = readdirSync(ldesRoot).filter((d) => d.includes('_123187500_')).map((d) => join(ldesRoot, d, 'index.trig')).sort();
const say = (m: string) => console.error(`[bench records ${new Date().toISOString().slice(11, 19)}] ${m}`);

export const THEMES = ['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI', 'GOVE', 'HEAL', 'INTR', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'].map(
  (t) => `http://publications.europa.eu/resource/authority/data-theme/${t}`,
);

export async function ingestPages(services: Services): Promise<void> {
  for (const page of pages)
    await services.ingest(createReadStream(page), {
      catalogId: 'datagovbe',
      source: { id: 'bench:ldes', kind: 'file', location: null },
      format: 'trig',
      baseIRI: pathToFileURL(page).href,
      profile: null,
    });
}

/** The real datasets (ids of 16 characters; copies have longer ones) and the pools copies draw from. */
export async function makePools(db: Db): Promise<void> {
  // Plain tables, not temporary ones: the pool's other connections read them too.
  await db.exec(`
    DROP TABLE IF EXISTS bench_base; DROP TABLE IF EXISTS bench_pools;
    CREATE TABLE bench_base AS
      SELECT row_number() OVER (ORDER BY id)::int AS ord, * FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL AND length(id) = 16;
    CREATE TABLE bench_pools AS SELECT
      (SELECT array_agg(DISTINCT w) FROM bench_base b, jsonb_each(CASE jsonb_typeof(b.json::jsonb -> 'keyword') WHEN 'object' THEN b.json::jsonb -> 'keyword' ELSE '{}' END) kv,
         jsonb_array_elements_text(CASE jsonb_typeof(kv.value) WHEN 'array' THEN kv.value ELSE jsonb_build_array(kv.value) END) w WHERE length(w) BETWEEN 4 AND 30) AS words,
      (SELECT array_agg(DISTINCT b.json ->> 'publisher') FROM bench_base b WHERE json_typeof(b.json -> 'publisher') = 'string') AS publishers,
      ARRAY[${THEMES.map((t) => `'${t}'`).join(',')}] AS themes`);
}

/** Copies the real datasets until there are `n`, varying what researchers search and filter by. */
export async function cloneTo(db: Db, n: number): Promise<number> {
  await makePools(db);
  const base = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_base')).rows[0].n;
  const copies = Math.ceil((n - base) / base);
  const step = Math.max(1, Math.floor(100_000 / base));
  for (let from = 1; from <= copies; from += step) {
    const to = Math.min(copies, from + step - 1);
    await db.query(
      `INSERT INTO records (id, iri, kind, catalog_id, source_id, parent_iri, hash, json, nquads, version, first_seen, last_modified)
       SELECT b.id || 'c' || c, b.iri || '/c' || c, b.kind, b.catalog_id, b.source_id, b.parent_iri, md5(b.hash || c),
         (b.json::jsonb || jsonb_build_object(
           'iri', b.iri || '/c' || c,
           'title', CASE WHEN jsonb_typeof(b.json::jsonb -> 'title') = 'object'
             THEN (SELECT jsonb_object_agg(k, to_jsonb(v || ' ' || p.words[1 + (c * 7 + b.ord) % cardinality(p.words)])) FROM jsonb_each_text(b.json::jsonb -> 'title') AS t(k, v))
             ELSE to_jsonb(coalesce(b.json ->> 'title', '') || ' ' || p.words[1 + (c * 7 + b.ord) % cardinality(p.words)]) END,
           'keyword', jsonb_build_object('nl', jsonb_build_array(p.words[1 + (c * 13 + b.ord) % cardinality(p.words)], p.words[1 + (c * 29 + b.ord * 3) % cardinality(p.words)])),
           'theme', jsonb_build_array(p.themes[1 + (c + b.ord) % 13]),
           'publisher', p.publishers[1 + (c * 3 + b.ord) % cardinality(p.publishers)],
           'modified', (timestamp '2014-01-01' + ((c * 37 + b.ord * 11) % 4000) * interval '1 day')::text
         ))::json,
         '', 1, now(), now()
       FROM bench_base b, bench_pools p, generate_series($1::int, $2::int) c
       WHERE (c - 1) * $3::int + b.ord <= $4::int`,
      [from, to, base, n - base],
    );
    say(`records: ${Math.min(n, base + to * base)} / ${n}`);
  }
  return (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL")).rows[0].n;
}

/** The query mix: free text in four languages, facets, date and box filters, sorting and paging. */
export function queryMix(words: string[], publishers: string[]): SearchQuery[] {
  const q = (extra: Partial<SearchQuery>): SearchQuery => ({ filters: {}, kinds: ['Dataset', 'DatasetSeries'], sort: 'relevance', offset: 0, limit: 20, lang: 'nl', ...extra });
  const texts = ['biodiversity', 'water', 'bevolking', 'Noordzee', 'mobiliteit', 'données', 'Daten', 'statistics', 'energie', ...words.slice(0, 11)];
  return [
    ...texts.map((t) => q({ q: t })),
    ...THEMES.slice(0, 6).map((t, i) => q({ filters: { theme: [t] }, sort: '-modified', offset: (i % 3) * 20 })),
    ...publishers.slice(0, 4).map((p, i) => q({ q: texts[i], filters: { publisher: [p] } })),
    q({ q: 'water', filters: { theme: [THEMES[4], THEMES[12]] } }),
    q({ ranges: { modified: { from: '2020-01-01' } }, sort: '-modified' }),
    q({ q: 'biodiversity', ranges: { modified: { from: '2018-01-01', to: '2022-12-31' } } }),
    q({ sort: 'title', offset: 100 }),
    q({ q: 'bevolking statistiek' }),
  ];
}

