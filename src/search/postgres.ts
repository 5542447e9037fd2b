// Postgres full-text search: one tsvector per record built from per-language configurations
// (dutch, english, french, german, plus simple for everything), weighted title > keywords > description;
// facets as text arrays with GIN indexes. Facet counts for a field apply every filter but that
// field's own, so a researcher sees how many hits each further choice would give (multi-select).
import type { Queryable } from '../store/db.js';
import { FACET_FIELDS, emptyFacets, type Suggestion, type FacetField, type FacetValue, type SearchBackend, type SearchQuery, type SearchResult } from './backend.js';
import { facetLanguage, type SearchDocument, type Lang } from './document.js';
import { labelFacets, storeLabels } from './labels.js';

// Copies of Postgres's configurations that strip accents before stemming (migration 024).
const CONFIGS: Record<Lang, string> = { nl: 'vindbaar_dutch', en: 'vindbaar_english', fr: 'vindbaar_french', de: 'vindbaar_german' };
const SIMPLE = 'vindbaar_simple';

const COLUMN: Record<FacetField, string> = {
  theme: 'themes',
  keyword: 'keywords',
  publisher: 'publishers',
  format: 'formats',
  mediaType: 'media_types',
  license: 'licenses',
  accessRights: 'access_rights',
  hvdCategory: 'hvd_categories',
  language: 'languages',
  spatial: 'spatial',
  catalog: 'catalog_id',
  validation: 'validation',
  quality: 'quality',
};

const FACET_LIMIT = 50;
/** Facets of many values per record (keywords: up to 50), counted by a query of their own. The others
 * are counted in one pass that unnests every facet's array side by side, as many rows per record as
 * its longest array: keywords there would multiply the rows that every other facet counts (an
 * unfiltered search over 2,000 records took 30 ms instead of 13). */
const COUNTED_ALONE: readonly FacetField[] = ['keyword'];
const LIST_SEPARATOR = '\u001f';
const LIST_SEPARATOR_ALL = new RegExp(LIST_SEPARATOR, 'g');

/**
 * How long facet counts and totals of a search are reused on a Postgres server. Within this process
 * any write to the index drops them at once; the limit bounds how long a write by another process (a
 * second service on the same database) can go unseen. The embedded store has one process only, so
 * there the counts last until the next write (see app.ts).
 */
export const COUNTS_TTL_MS = 30_000;
const COUNTS_KEPT = 500;

export class PostgresSearch implements SearchBackend {
  readonly name = 'postgres';
  /** Facet counts and totals of recent searches (popular ones, such as the start page, repeat). */
  private readonly counts = new Map<string, { generation: number; at: number; total: number; titleTotal?: number; facets: Record<FacetField, FacetValue[]> }>();
  /** Bumped by every write to the index: counts of an older generation are not used. */
  private generation = 0;
  /** Documents written since the table's statistics were last gathered, and its size then. */
  private writtenSinceAnalyze = 0;
  private sizeAtAnalyze = 0;
  constructor(
    private readonly db: Queryable,
    private readonly countsTtlMs = COUNTS_TTL_MS,
    /** Also VACUUM when gathering statistics: the embedded store has no autovacuum, and the rows that
     * updates leave behind would otherwise stay in every scan for good. */
    private readonly vacuum = false,
  ) {}

  private remember(key: string, generation: number, total: number, titleTotal: number | undefined, facets: Record<FacetField, FacetValue[]>): void {
    this.counts.delete(key);
    this.counts.set(key, { generation, at: Date.now(), total, titleTotal, facets: structuredClone(facets) });
    if (this.counts.size > COUNTS_KEPT) this.counts.delete(this.counts.keys().next().value!);
  }

  async index(docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    this.generation++;
    const col = (f: (d: SearchDocument) => unknown) => docs.map(f);
    const langs = Object.keys(CONFIGS) as Lang[];
    // Texts go in as parallel arrays: 3 per language, 3 for untagged text.
    const first = 10;
    const tsvParts: string[] = [];
    langs.forEach((l, i) => {
      const [t, k, d] = [first + i * 3, first + i * 3 + 1, first + i * 3 + 2].map((n) => `u.c${n}`);
      const cfg = `'${CONFIGS[l]}'::regconfig`;
      tsvParts.push(`setweight(to_tsvector(${cfg}, ${t}), 'A')`, `setweight(to_tsvector(${cfg}, ${k}), 'B')`, `setweight(to_tsvector(${cfg}, ${d}), 'C')`);
    });
    const o = first + langs.length * 3;
    // "simple" keeps names and codes findable in any language, without stemming.
    tsvParts.push(
      `setweight(to_tsvector('${SIMPLE}', u.c${o} || ' ' || ${langs.map((_, i) => `u.c${first + i * 3}`).join(" || ' ' || ")}), 'A')`,
      `setweight(to_tsvector('${SIMPLE}', u.c${o + 1}), 'B')`,
      `setweight(to_tsvector('${SIMPLE}', u.c${o + 2}), 'D')`,
    );
    // Facet lists go in as one text per document, values joined by a control character that IRIs and
    // codes never hold (string_to_array in SQL: far cheaper than parsing a JSON document per row).
    const list = (values: string[] | undefined) => (values ?? []).map((v) => v.replace(LIST_SEPARATOR_ALL, ' ')).join(LIST_SEPARATOR);
    const lists: ((d: SearchDocument) => string[] | undefined)[] = [
      (d) => d.themes, (d) => d.publishers, (d) => d.formats, (d) => d.licenses, (d) => d.accessRights, (d) => d.validation, (d) => d.quality,
      (d) => d.mediaTypes, (d) => d.hvdCategories, (d) => d.languages, (d) => d.spatial, (d) => d.keywordValues,
      (d) => d.readerKeywords.nl, (d) => d.readerKeywords.en,
    ];
    const bbox = (i: number) => col((d) => (d.bbox ? String(d.bbox[i]) : null));
    const params: unknown[] = [
      col((d) => d.id),
      col((d) => d.kind),
      col((d) => d.catalogId),
      col((d) => d.title),
      col((d) => d.issued ?? null),
      col((d) => d.modified ?? null),
      col((d) => JSON.stringify(d.labels)),
      col((d) => String(d.version ?? 0)),
      col((d) => d.titleEn ?? null),
      ...langs.flatMap((l) => [col((d) => d.text[l].title), col((d) => d.text[l].keywords), col((d) => d.text[l].description)]),
      col((d) => d.text.other.title),
      col((d) => d.text.other.keywords),
      col((d) => d.text.other.description),
      ...lists.map((f) => col((d) => list(f(d)))),
      bbox(0), bbox(1), bbox(2), bbox(3),
      col((d) => d.temporalStart ?? null),
      col((d) => d.temporalEnd ?? null),
    ];
    const l = o + 3;
    const arr = (i: number) => `string_to_array(u.c${l + i}, E'\\x1f')`;
    const b = l + lists.length;
    const unnestArgs = params.map((_, i) => `$${i + 1}::text[]`).join(', ');
    const aliases = params.map((_, i) => `c${i + 1}`).join(', ');
    await this.db.query(
      `INSERT INTO search_docs AS s (record_id, kind, catalog_id, title, tsv, themes, publishers, formats, licenses, access_rights, validation, quality,
         media_types, hvd_categories, languages, spatial, keywords, keywords_nl, keywords_en, bbox_west, bbox_south, bbox_east, bbox_north, temporal_start, temporal_end,
         labels, issued, modified, version, title_en, indexed_at)
       SELECT u.c1, u.c2, u.c3, u.c4, ${tsvParts.join(' || ')},
              ${lists.map((_, i) => arr(i)).join(', ')},
              u.c${b}::float8, u.c${b + 1}::float8, u.c${b + 2}::float8, u.c${b + 3}::float8,
              u.c${b + 4}::timestamptz, u.c${b + 5}::timestamptz,
              u.c7::jsonb, u.c5::timestamptz, u.c6::timestamptz, u.c8::int, u.c9, now()
       FROM unnest(${unnestArgs}) AS u(${aliases})
       ON CONFLICT (record_id) DO UPDATE SET kind = EXCLUDED.kind, catalog_id = EXCLUDED.catalog_id, title = EXCLUDED.title,
         tsv = EXCLUDED.tsv, themes = EXCLUDED.themes, publishers = EXCLUDED.publishers, formats = EXCLUDED.formats,
         licenses = EXCLUDED.licenses, access_rights = EXCLUDED.access_rights, validation = EXCLUDED.validation, quality = EXCLUDED.quality,
         media_types = EXCLUDED.media_types, hvd_categories = EXCLUDED.hvd_categories, languages = EXCLUDED.languages, spatial = EXCLUDED.spatial, keywords = EXCLUDED.keywords, keywords_nl = EXCLUDED.keywords_nl, keywords_en = EXCLUDED.keywords_en,
         bbox_west = EXCLUDED.bbox_west, bbox_south = EXCLUDED.bbox_south, bbox_east = EXCLUDED.bbox_east, bbox_north = EXCLUDED.bbox_north,
         temporal_start = EXCLUDED.temporal_start, temporal_end = EXCLUDED.temporal_end, labels = EXCLUDED.labels,
         issued = EXCLUDED.issued, modified = EXCLUDED.modified, version = EXCLUDED.version, title_en = EXCLUDED.title_en, indexed_at = now()
       WHERE s.version <= EXCLUDED.version`,
      params,
    );
    // Publisher names found in records become facet labels.
    await storeLabels(this.db, docs);
    await this.analyzeIfDue(docs.length);
    // Again after the write: counts a search made while it was under way are older than it.
    this.generation++;
  }

  /**
   * Gathers the table's statistics once enough has changed since the last time (autovacuum's rule:
   * 10% of the table, at least 1,000 rows). The embedded store (PGlite) has no autovacuum, and without
   * statistics the planner scans every document for a text query instead of using the word indexes.
   */
  private async analyzeIfDue(written: number): Promise<void> {
    this.writtenSinceAnalyze += written;
    if (this.writtenSinceAnalyze < Math.max(1_000, this.sizeAtAnalyze * 0.1)) return;
    this.writtenSinceAnalyze = 0;
    if (this.vacuum)
      // VACUUM cannot run inside a transaction; a caller indexing inside one gets the statistics only.
      await this.db.query('VACUUM (ANALYZE) search_docs').catch(() => this.db.query('ANALYZE search_docs'));
    else await this.db.query('ANALYZE search_docs');
    const r = await this.db.query<{ n: number }>("SELECT reltuples::int AS n FROM pg_class WHERE relname = 'search_docs'");
    this.sizeAtAnalyze = Math.max(0, r.rows[0]?.n ?? 0);
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    this.generation++;
    await this.db.query('DELETE FROM search_docs WHERE record_id = ANY($1::text[])', [ids]);
    this.generation++;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const base: string[] = [`d.kind = ANY(${p(query.kinds)}::text[])`];
    let tsq: string | undefined;
    let markText: string | undefined;
    const q = query.q?.trim();
    if (q) {
      const terms = await this.queryTerms(q);
      tsq = `${p(terms.query)}::tsquery`;
      // ts_headline's work grows with the query: marks only for queries of a reasonable length.
      if (q.length <= 200) markText = terms.mark;
    }
    const scopeWords = query.scopeQuery?.trim();
    if (scopeWords) base.push(`d.tsv @@ ${p((await this.queryTerms(scopeWords)).query)}::tsquery`);
    for (const field of FACET_FIELDS) {
      const values = query.scope?.[field];
      if (!values) continue;
      const column = COLUMN[field];
      base.push(column === 'catalog_id' ? `d.catalog_id = ANY(${p(values)}::text[])` : `d.${column} && ${p(values)}::text[]`);
    }
    const filterSql = new Map<FacetField, string>();
    const filterParam = new Map<FacetField, string>();
    for (const field of FACET_FIELDS) {
      const values = query.filters[field];
      if (!values || values.length === 0) continue;
      const column = COLUMN[field];
      const ref = p(values);
      filterParam.set(field, ref);
      filterSql.set(field, column === 'catalog_id' ? `d.catalog_id = ANY(${ref}::text[])` : `d.${column} && ${ref}::text[]`);
    }
    for (const [field, range] of Object.entries(query.ranges ?? {}) as [string, { from?: string; to?: string }][]) {
      // issued and modified within the range; temporal coverage overlapping it (an open end is unbounded).
      if (field === 'temporal') {
        if (range.from) base.push(`(d.temporal_end IS NULL OR d.temporal_end >= ${p(range.from)}::timestamptz) AND (d.temporal_start IS NOT NULL OR d.temporal_end IS NOT NULL)`);
        if (range.to) base.push(`(d.temporal_start IS NULL OR d.temporal_start <= ${p(range.to)}::timestamptz) AND (d.temporal_start IS NOT NULL OR d.temporal_end IS NOT NULL)`);
      } else {
        if (range.from) base.push(`d.${field} >= ${p(range.from)}::timestamptz`);
        if (range.to) base.push(`d.${field} <= ${p(range.to)}::timestamptz`);
      }
    }
    if (query.bbox) {
      const [w, s, e, n] = query.bbox;
      base.push(`d.bbox_west <= ${p(e)}::float8 AND d.bbox_east >= ${p(w)}::float8 AND d.bbox_south <= ${p(n)}::float8 AND d.bbox_north >= ${p(s)}::float8`);
    }
    // Which matches of the words: all, those in a title or keyword (title_tsv holds the title and keyword
    // lexemes of tsv, ts_filter'ed to weights A and B), or those in the rest only. A match in title_tsv is a
    // match in tsv unless the query excludes a word ("-word"), which only the whole tsv can check.
    const negated = !!q && /(^|\s)-\S/.test(q);
    const text = (tier: 'all' | 'title' | 'rest'): string[] =>
      !tsq
        ? []
        : tier === 'all'
          ? [`d.tsv @@ (${tsq})`]
          : tier === 'title'
            ? [`d.title_tsv @@ (${tsq})`, ...(negated ? [`d.tsv @@ (${tsq})`] : [])]
            : [`d.tsv @@ (${tsq})`, `NOT d.title_tsv @@ (${tsq})`];
    const where = (except?: FacetField, tier: 'all' | 'title' | 'rest' = 'all') =>
      [...base, ...text(tier), ...[...filterSql].filter(([f]) => f !== except).map(([, sql]) => sql)].join(' AND ');

    // English pages sort and mark by the English title where there is one (migration 026).
    const shownTitle = query.lang === 'en' ? 'coalesce(d.title_en, d.title)' : 'd.title';
    const order =
      query.sort === 'relevance' && tsq
        ? `ts_rank_cd(d.tsv, ${tsq}, 1) DESC, d.modified DESC NULLS LAST, d.record_id`
        : query.sort === 'title'
          ? `lower(${shownTitle}), d.record_id`
          : query.sort === 'issued'
            ? 'd.issued ASC NULLS LAST, d.record_id'
            : query.sort === '-issued'
              ? 'd.issued DESC NULLS LAST, d.record_id'
              : query.sort === 'modified'
                ? 'd.modified ASC NULLS LAST, d.record_id'
                : 'd.modified DESC NULLS LAST, d.record_id';
    const n = params.length;
    const facetLimit = Math.max(1, Math.min(query.facetLimit ?? FACET_LIMIT, 100_000));
    const cacheKey = JSON.stringify([q ?? '', query.filters, query.scope ?? {}, scopeWords ?? '', query.ranges ?? {}, query.bbox ?? null, query.kinds, query.lang ?? 'nl', facetLimit]);
    // The generation these counts will belong to: if a write lands while they are made, they are not kept.
    const generation = this.generation;
    const cached = this.counts.get(cacheKey);
    const fresh = cached && cached.generation === this.generation && Date.now() - cached.at < this.countsTtlMs ? cached : undefined;
    // Counting every match is most of the work on a large catalogue: a page of hits alone is read from
    // the index in order and stops after the page.
    // The display title, HTML-escaped, with the matched words marked; Postgres evaluates an expensive
    // output column such as ts_headline after the sort and limit, so only for the page's rows.
    const escaped = `replace(replace(replace(${shownTitle}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;
    // The marking query is the last parameter of the statements that list hits (after limit and offset).
    const headline = markText !== undefined ? `, ts_headline('${SIMPLE}', ${escaped}, $${params.length + 3}::tsquery, 'StartSel=<mark>, StopSel=</mark>, HighlightAll=true') AS highlight` : '';
    const page = (limit: number, skip: number) => [...params, limit, skip, ...(markText !== undefined ? [markText] : [])];
    // A walk with a cursor continues after the last hit's sort key (keyset), so that records written
    // during the walk neither repeat a hit nor skip one; ranked walks (the rank is no column) go by offset.
    const keyset = !!query.cursor && !(query.sort === 'relevance' && tsq);
    const descending = query.sort === '-issued' || !['title', 'issued', 'modified', '-issued', 'relevance'].includes(query.sort ?? '') || (query.sort === 'relevance' && !tsq);
    const keyColumn = query.sort === 'title' ? `lower(${shownTitle})` : query.sort === 'issued' || query.sort === '-issued' ? 'd.issued' : 'd.modified';
    const after = keyset && query.cursor?.after?.[0] === 'k' ? { value: query.cursor.after[1], id: String(query.cursor.after[2] ?? '') } : undefined;
    let keysetSql = '';
    if (after) {
      const id = `$${n + 3 + (markText !== undefined ? 1 : 0)}`;
      const v = `$${n + 4 + (markText !== undefined ? 1 : 0)}`;
      const typed = query.sort === 'title' ? `${v}::text` : `${v}::timestamptz`;
      const beyond = descending ? `${keyColumn} < ${typed}` : `${keyColumn} > ${typed}`;
      // NULLS LAST either way: after a null key only nulls with a greater id follow.
      keysetSql =
        after.value === null || after.value === undefined
          ? ` AND ${keyColumn} IS NULL AND d.record_id > ${id} AND ${v}::text IS NULL`
          : ` AND (${beyond} OR (${keyColumn} = ${typed} AND d.record_id > ${id})${query.sort === 'title' ? '' : ` OR ${keyColumn} IS NULL`})`;
    }
    const keysetParams = after ? [after.id, after.value ?? null] : [];
    const hitsSql = `SELECT d.record_id AS id${fresh || after ? '' : ', count(*) OVER ()::int AS total'}${keyset ? `, ${keyColumn}::text AS sort_key` : ''}${headline} FROM search_docs d
      WHERE ${where()}${keysetSql} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`;
    // Facet counts in as few passes as possible: every field without a filter of its own is counted in
    // one scan (unnest of all its arrays side by side, one grouping set per field); a field with a
    // filter is counted in a scan of its own, under every filter but that one (multi-select).
    const shared = FACET_FIELDS.filter((f) => !filterSql.has(f) && !COUNTED_ALONE.includes(f));
    const alone = COUNTED_ALONE.filter((f) => !filterSql.has(f));
    // Keywords are counted as a reader of the asked language sees them (see SearchDocument.readerKeywords)
    // and filtered in every language.
    const arrayOf = (f: FacetField) => (COLUMN[f] === 'catalog_id' ? 'ARRAY[d.catalog_id]' : f === 'keyword' ? `d.keywords_${facetLanguage(query.lang)}` : `d.${COLUMN[f]}`);
    const facetQueries: string[] = [];
    if (shared.length > 0)
      facetQueries.push(
        `SELECT ${shared.map((f, i) => `u.c${i}`).join(', ')}, count(*)::int AS n
         FROM search_docs d, unnest(${shared.map(arrayOf).join(', ')}) AS u(${shared.map((_, i) => `c${i}`).join(', ')})
         WHERE ${where()} GROUP BY GROUPING SETS (${shared.map((_, i) => `(u.c${i})`).join(', ')})`,
      );
    const aloneQueries = alone.map(
      (f) => `SELECT v, count(*)::int AS n FROM search_docs d, unnest(${arrayOf(f)}) v WHERE ${where()} GROUP BY v ORDER BY n DESC, v LIMIT ${facetLimit}`,
    );
    const own = [...filterSql.keys()].map(
      // Every parameter must appear in a statement: the field's own filter values do, as a no-op.
      (f) =>
        `SELECT v, count(*)::int AS n FROM search_docs d, unnest(${arrayOf(f)}) v
         WHERE ${where(f)} AND (${filterParam.get(f)}::text[] IS NOT NULL OR true) GROUP BY v ORDER BY n DESC, v LIMIT ${facetLimit}`,
    );
    // Cursor walks page by offset here (the cursor holds it): exact for a store that is not written
    // meanwhile, which is the embedded case this backend serves.
    const cursorOffset = query.cursor && !keyset ? Number(query.cursor.after?.[0] ?? 0) : undefined;
    if (cursorOffset !== undefined && !(Number.isSafeInteger(cursorOffset) && cursorOffset >= 0 && cursorOffset <= 2 ** 31)) throw new RangeError('the cursor is not valid here; start again with cursor=*');
    if (keyset && query.cursor?.after !== undefined && !(query.cursor.after[0] === 'k' && query.cursor.after.length === 3 && typeof query.cursor.after[2] === 'string'))
      throw new RangeError('the cursor is not valid here; start again with cursor=*');
    // The key is the database's own text of the value (any date it can hold: BC, five-digit years, odd
    // offsets); one it cannot read back is a forged cursor (see the catch below).
    const afterValue = keyset ? query.cursor?.after?.[1] : undefined;
    if (afterValue !== undefined && afterValue !== null && (typeof afterValue !== 'string' || afterValue.length > 2000))
      throw new RangeError('the cursor is not valid here; start again with cursor=*');
    const offset = keyset ? 0 : (cursorOffset ?? query.offset);
    type Row = { id: string; total?: number; highlight?: string; sort_key?: string | null };
    let hits: { rows: Row[] };
    let titleTotal: number | undefined;
    if (query.sort === 'relevance' && tsq) {
      // Ranked in two tiers, as a title boost does: records whose title or keywords match come first,
      // ranked on those alone (a few hundred bytes a record, not the whole vector), then the records
      // that match in their description only. Ranking every match on its whole vector read and scored
      // tens of thousands of vectors for a common word (650 ms at 100,000 records); the first tier is
      // usually all a page needs (30 ms). Titles are short: plain ts_rank (frequency, shorter titles
      // first) orders them as well as cover density does, at half the cost (24 against 43 ms for
      // 9,600 title matches on Postgres 15).
      titleTotal = fresh?.titleTotal ?? (await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_docs d WHERE ${where(undefined, 'title')}`, params)).rows[0].n;
      const tierSql = (tier: 'title' | 'rest') =>
        `SELECT d.record_id AS id${headline} FROM search_docs d WHERE ${where(undefined, tier)}
         ORDER BY ${tier === 'title' ? `ts_rank(d.title_tsv, ${tsq}, 1)` : `ts_rank_cd(d.tsv, ${tsq}, 1)`} DESC, d.modified DESC NULLS LAST, d.record_id LIMIT $${n + 1} OFFSET $${n + 2}`;
      const rows: Row[] = offset < titleTotal ? (await this.db.query<Row>(tierSql('title'), page(query.limit, offset))).rows : [];
      if (rows.length < query.limit) rows.push(...(await this.db.query<Row>(tierSql('rest'), page(query.limit - rows.length, Math.max(0, offset - titleTotal)))).rows);
      hits = { rows };
      // The total of every match (the first tier alone is not it), once per search while counts are kept.
      if (!fresh && rows[0]) rows[0].total = (await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_docs d WHERE ${where()}`, params)).rows[0]?.n ?? 0;
    } else {
      // One more than the page in a keyset walk: whether a next page exists, whatever the total.
      hits = await this.db.query<Row>(hitsSql, [...page(keyset ? query.limit + 1 : query.limit, offset), ...keysetParams]).catch((e: { code?: string }) => {
        // A key that is not a date/time (22007, 22008): a cursor this API did not give out.
        if (after && (e.code === '22007' || e.code === '22008')) throw new RangeError('the cursor is not valid here; start again with cursor=*');
        throw e;
      });
    }
    const more = keyset && hits.rows.length > query.limit;
    if (more) hits.rows.length = query.limit;
    const withFacets = !query.cursor?.after && query.facets !== false;
    let total: number;
    let out = emptyFacets();
    if (fresh) {
      total = fresh.total;
      if (withFacets) {
        out = structuredClone(fresh.facets);
        // Counts are kept until the index changes; names can change without it (names loaded for
        // IRIs, a catalogue retitled), and the label cache is forgotten when they do.
        await labelFacets(this.db, out, query.lang ?? 'nl');
      }
    } else {
      total = hits.rows[0]?.total ?? 0;
      if (after) total = query.cursor?.total ?? (await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_docs d WHERE ${where()}`, params)).rows[0]?.n ?? 0;
      else if (hits.rows.length === 0 && offset > 0) {
        // Past the last page the window count is absent; count separately.
        const c = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_docs d WHERE ${where()}`, params);
        total = c.rows[0]?.n ?? 0;
      }
      if (withFacets) {
        if (facetQueries.length > 0) {
          const rows = await this.db.query<Record<string, string | number | null>>(facetQueries[0], params);
          for (const r of rows.rows)
            shared.forEach((f, i) => {
              const v = r[`c${i}`];
              if (v !== null && v !== undefined) out[f].push({ value: String(v), count: Number(r.n) });
            });
        }
        for (const [i, f] of alone.entries()) {
          const rows = await this.db.query<{ v: string; n: number }>(aloneQueries[i], params);
          out[f] = rows.rows.map((r) => ({ value: r.v, count: r.n }));
        }
        for (const [i, f] of [...filterSql.keys()].entries()) {
          const rows = await this.db.query<{ v: string; n: number }>(own[i], params);
          out[f] = rows.rows.map((r) => ({ value: r.v, count: r.n }));
        }
        // Most frequent first, then by value, as Elasticsearch's terms aggregation; the first 50.
        for (const f of FACET_FIELDS) out[f] = out[f].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).slice(0, facetLimit);
        await labelFacets(this.db, out, query.lang ?? 'nl');
        if (this.generation === generation) this.remember(cacheKey, generation, total, titleTotal, out);
      }
    }
    const last = hits.rows.at(-1);
    const next = !query.cursor
      ? undefined
      : keyset
        ? more && last
          ? { after: ['k', last.sort_key ?? null, last.id], total }
          : undefined
        : offset + hits.rows.length < total && hits.rows.length > 0
          ? { after: [offset + hits.rows.length], total }
          : undefined;
    const hitOf = (r: (typeof hits.rows)[number]) => ({ id: r.id, ...(r.highlight && r.highlight.includes('<mark>') ? { highlight: r.highlight } : {}) });
    return { total, hits: hits.rows.map(hitOf), facets: out, ...(next ? { next } : {}) };
  }

  /** Recent queries' search terms: the stemming is the same every time a query is asked. */
  private readonly terms = new Map<string, { query: string; mark: string }>();

  /**
   * The tsquery of a researcher's words: each word stemmed by every configuration (dutch, english,
   * french, german, simple), or'ed, plus the words as prefixes of title and keyword words, since Dutch
   * and German glue words together ("werkzaamheid" finds "werkzaamheidsgraad"; each configuration
   * stems before the prefix applies). The configurations mostly agree, and ranking costs grow with the
   * query's terms: identical alternatives are kept once ('water' | 'water' | 'wat' | ... becomes
   * 'water' | 'wat' | ...; 124 against 82 ms to rank 5,000 matches on Postgres 15). Also the query that
   * marks the words in titles.
   */
  private async queryTerms(q: string): Promise<{ query: string; mark: string }> {
    const known = this.terms.get(q);
    if (known) return known;
    const configs = [...Object.values(CONFIGS), SIMPLE];
    const words = prefixWords(q);
    const parts = [...configs.map((c) => `websearch_to_tsquery('${c}', $1)`), ...(words ? configs.map((c) => `to_tsquery('${c}', $2)`) : [])];
    const r = await this.db.query<{ query: string; mark: string }>(
      `SELECT (${parts.join(' || ')})::text AS query, websearch_to_tsquery('${SIMPLE}', $1)::text AS mark${words ? '' : ', $2::text IS NULL AS unused'}`,
      [q, words ?? null],
    );
    const terms = { query: distinctAlternatives(r.rows[0].query), mark: r.rows[0].mark };
    if (this.terms.size >= 1_000) this.terms.delete(this.terms.keys().next().value!);
    this.terms.set(q, terms);
    return terms;
  }

  async suggest(prefix: string, kinds: string[], limit: number, lang?: string): Promise<Suggestion[]> {
    const words = prefixWords(prefix.length >= 3 ? prefix : '', '');
    if (!words) return [];
    // Titles whose words start with what was typed, in the titles the asking page shows; shortest
    // titles first (the closest completions).
    const title = lang === 'en' ? 'coalesce(d.title_en, d.title)' : 'd.title';
    const r = await this.db.query<{ id: string; title: string }>(
      `SELECT d.record_id AS id, ${title} AS title FROM search_docs d
       WHERE d.kind = ANY($1::text[]) AND d.tsv @@ to_tsquery('${SIMPLE}', $2)
         AND to_tsvector('${SIMPLE}', ${title}) @@ to_tsquery('${SIMPLE}', $2)
       ORDER BY length(${title}), ${title}, d.record_id LIMIT $3`,
      [kinds, words, limit],
    );
    return r.rows;
  }
}

/**
 * A tsquery's top-level alternatives, each once. Only a plain or of and-ed terms is rewritten: a query
 * with groups, negation or phrases is left as it is.
 */
export function distinctAlternatives(tsquery: string): string {
  if (/[()!<]/.test(tsquery.replace(/'(?:[^']|'')*'/g, ''))) return tsquery;
  return [...new Set(tsquery.split(' | ').map((b) => b.trim()))].join(' | ');
}

/**
 * "werk zaamheid" -> "werk:*AB & zaamheid:*AB": each word of three letters or more as the start of a
 * word of a title (weight A) or keyword (B), as Elasticsearch's prefix clause on those fields.
 */
function prefixWords(q: string, weights = 'AB'): string | undefined {
  if (/(^|\s)(-|or\s)/i.test(q) || q.includes('"')) return undefined;
  const words = q.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu);
  return words && words.length <= 8 ? words.map((w) => `${w}:*${weights}`).join(' & ') : undefined;
}
