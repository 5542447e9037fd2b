// Elasticsearch 8 backend. One index per generation ("<prefix>-records-<timestamp>") behind the alias
// "<prefix>-records", so that a reindex can build a new generation and swap the alias without downtime.
//
// Texts are indexed per language with that language's analyzer (stemming, stop words) and, as a
// sub-field, with the standard analyzer (names and codes as written), like the Postgres backend's
// per-language configurations plus "simple". A query is parsed by simple_query_string, which accepts
// the websearch syntax researchers type ("quoted phrases", -exclusions, a | b) and never fails on a
// stray quote or bracket, so no query DSL or Lucene syntax from a user ever reaches the cluster.
// Facets are multi-select: each facet is counted under every selected filter but its own (a second,
// size-0 request that the shard request cache keeps), while the hits carry every filter.
import { readFileSync } from 'node:fs';
import { Client, errors, type estypes } from '@elastic/elasticsearch';
import type { Logger } from 'pino';
import type { ElasticsearchConfig } from '../config.js';
import type { Queryable } from '../store/db.js';
import { FACET_FIELDS, SearchUnavailableError, emptyFacets, type Suggestion, type FacetField, type SearchBackend, type SearchQuery, type SearchResult } from './backend.js';
import { LANGUAGES, facetLanguage, type SearchDocument } from './document.js';
import { labelFacets, storeLabels } from './labels.js';
import { SEARCHABLE_KINDS } from './indexer.js';

/** Bumped when the mapping changes: an index of an older version asks for `vindbaar reindex`. */
export const MAPPING_VERSION = 10;
const FACET_LIMIT = 50;
/** Elasticsearch's default index.max_result_window: deeper pages need a cursor. */
export const MAX_WINDOW = 10_000;
/** How long the cluster is left alone after it could not be reached. */
const DOWN_MS = 3_000;
/** Sort values for a missing date (epoch milliseconds of 0001-01-01 and 9999-12-31), safe in JSON. */
const FIRST_DATE = -62135596800000;
const LAST_DATE = 253402300799999;
/** How long a cursor walk's snapshot stays open between two pages. */
const PIT_KEEP_ALIVE = '2m';

const TEXT_FIELDS = ['title', 'keywords', 'description'] as const;
const BOOST: Record<(typeof TEXT_FIELDS)[number], number> = { title: 3, keywords: 2, description: 1 };
const ANALYZER: Record<(typeof LANGUAGES)[number], string> = { nl: 'text_nl', en: 'text_en', fr: 'text_fr', de: 'text_de' };

/**
 * Per-language analysis with the Snowball stemmers Postgres's dutch, english, french and german
 * configurations use (Elasticsearch's built-in english analyzer stems with the older Porter algorithm,
 * which makes "employed" match "emploi"), so that both backends find the same records.
 */
const ANALYSIS: estypes.IndicesIndexSettingsAnalysis = {
  normalizer: { sort: { type: 'custom', filter: ['lowercase'] } },
  filter: {
    stop_nl: { type: 'stop', stopwords: '_dutch_' },
    stop_en: { type: 'stop', stopwords: '_english_' },
    stop_fr: { type: 'stop', stopwords: '_french_' },
    stop_de: { type: 'stop', stopwords: '_german_' },
    stem_nl: { type: 'stemmer', language: 'dutch' },
    stem_en: { type: 'stemmer', language: 'porter2' },
    stem_fr: { type: 'stemmer', language: 'french' },
    stem_de: { type: 'stemmer', language: 'german' },
    // "l'emploi" -> "emploi", as Postgres's parser splits at the apostrophe.
    elision_fr: { type: 'elision', articles_case: true, articles: ['l', 'm', 't', 'qu', 'n', 's', 'j', 'd', 'c', 'jusqu', 'quoiqu', 'lorsqu', 'puisqu'] },
  },
  // Accents are folded before the stop words and the stemmer, as Postgres's configurations strip them
  // (migration 024): "donnees" finds "données" on both backends.
  analyzer: {
    text_nl: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'stop_nl', 'stem_nl'] },
    text_en: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'stop_en', 'stem_en'] },
    text_fr: { type: 'custom', tokenizer: 'standard', filter: ['elision_fr', 'lowercase', 'asciifolding', 'stop_fr', 'stem_fr'] },
    text_de: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'stop_de', 'stem_de'] },
    // Names and codes, unstemmed (Postgres's "simple").
    text_plain: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
  },
};

/** Document field of each facet. */
const FACET_FIELD: Record<FacetField, string> = {
  theme: 'theme',
  keyword: 'keyword',
  publisher: 'publisher',
  format: 'format',
  mediaType: 'mediaType',
  license: 'license',
  accessRights: 'accessRights',
  hvdCategory: 'hvdCategory',
  language: 'language',
  spatial: 'spatial',
  catalog: 'catalog',
  validation: 'validation',
  quality: 'quality',
};

export function recordsMapping(replicas: number): Pick<estypes.IndicesCreateRequest, 'settings' | 'mappings'> {
  // Each text is analysed once per language into the catch-all all.<lang>, which every query matches
  // against; titles (with a standard-analysed .plain sub-field for names and codes, like Postgres's
  // "simple") and keywords are also indexed on their own so that a hit there scores higher.
  // Descriptions, the bulk of the text, are only in the catch-all: analysing them twice would halve
  // the indexing rate.
  const analysed = (analyzer: string, copyTo: string, plain: boolean): estypes.MappingProperty =>
    ({ type: 'text', analyzer, copy_to: [copyTo], ...(plain ? { fields: { plain: { type: 'text', analyzer: 'text_plain' } } } : {}) }) as const;
  const unindexed = (copyTo: string): estypes.MappingProperty => ({ type: 'text', index: false, copy_to: [copyTo] });
  const texts = (kind: 'title' | 'keywords' | 'description'): estypes.MappingProperty => ({
    properties: {
      ...Object.fromEntries(
        LANGUAGES.map((l) => [l, kind === 'description' ? unindexed(`all.${l}`) : analysed(ANALYZER[l], `all.${l}`, kind === 'title')]),
      ),
      other: kind === 'description' ? unindexed('all.other') : analysed('text_plain', 'all.other', false),
    },
  });
  const keyword = { type: 'keyword' } as const;
  return {
    settings: {
      number_of_shards: 1,
      number_of_replicas: replicas,
      analysis: ANALYSIS,
    },
    mappings: {
      dynamic: 'strict',
      _meta: { vindbaar: MAPPING_VERSION },
      // Descriptions are searched through the catch-alls and shown from Postgres: not kept in _source.
      _source: { excludes: ['description.*'] },
      properties: {
        id: keyword,
        // The record's content hash, kept to compare the index with Postgres (not searchable).
        hash: { type: 'keyword', index: false },
        kind: keyword,
        catalog: keyword,
        // The title the pages show; its words (folded, unstemmed) are what suggestions complete, as on
        // Postgres, so that a suggestion always shows the words that were typed.
        display_title: { type: 'keyword', index: false, doc_values: false, fields: { words: { type: 'text', analyzer: 'text_plain' } } },
        title_sort: { type: 'keyword', normalizer: 'sort' },
        // The same for English pages: the English title, else the one above.
        display_title_en: { type: 'keyword', index: false, doc_values: false, fields: { words: { type: 'text', analyzer: 'text_plain' } } },
        title_sort_en: { type: 'keyword', normalizer: 'sort' },
        title: texts('title'),
        keywords: texts('keywords'),
        description: texts('description'),
        // The catch-all per language: everything of a record in that language, for one-field queries.
        all: { properties: { ...Object.fromEntries(LANGUAGES.map((l) => [l, { type: 'text', analyzer: ANALYZER[l] }])), other: { type: 'text', analyzer: 'text_plain' } } },
        theme: keyword,
        // Keywords as filter values (lower case, see keywordValue), and as each page language's reader
        // counts them in the facet; their words are searched in "keywords".
        keyword,
        keyword_nl: keyword,
        keyword_en: keyword,
        publisher: keyword,
        format: keyword,
        license: keyword,
        accessRights: keyword,
        validation: keyword,
        quality: keyword,
        mediaType: keyword,
        hvdCategory: keyword,
        language: keyword,
        spatial: keyword,
        // The bounding box as four numbers: "intersects" is four range conditions, answered exactly as
        // the Postgres backend does, on any distribution (geo_shape needs the spatial module).
        bbox: { properties: { west: { type: 'double' }, south: { type: 'double' }, east: { type: 'double' }, north: { type: 'double' } } },
        temporal_start: { type: 'date' },
        temporal_end: { type: 'date' },
        issued: { type: 'date' },
        modified: { type: 'date' },
      },
    },
  };
}

/** The document as Elasticsearch stores it. */
export function esDocument(d: SearchDocument): Record<string, unknown> {
  const texts = Object.fromEntries(
    TEXT_FIELDS.map((f) => [f, Object.fromEntries([...LANGUAGES, 'other' as const].map((l) => [l, d.text[l][f]]).filter(([, v]) => v))]),
  );
  return {
    id: d.id,
    hash: d.hash,
    kind: d.kind,
    catalog: d.catalogId,
    display_title: d.title,
    title_sort: d.title,
    display_title_en: d.titleEn ?? d.title,
    title_sort_en: d.titleEn ?? d.title,
    ...texts,
    theme: d.themes,
    keyword: d.keywordValues ?? [],
    keyword_nl: d.readerKeywords?.nl ?? [],
    keyword_en: d.readerKeywords?.en ?? [],
    publisher: d.publishers,
    format: d.formats,
    license: d.licenses,
    accessRights: d.accessRights,
    validation: d.validation ?? [],
    quality: d.quality ?? [],
    mediaType: d.mediaTypes,
    hvdCategory: d.hvdCategories,
    language: d.languages,
    spatial: d.spatial,
    bbox: d.bbox ? { west: d.bbox[0], south: d.bbox[1], east: d.bbox[2], north: d.bbox[3] } : undefined,
    temporal_start: safeDate(d.temporalStart),
    temporal_end: safeDate(d.temporalEnd),
    issued: safeDate(d.issued),
    modified: safeDate(d.modified),
  };
}

/**
 * External versioning: Elasticsearch keeps a document only if its version is at least the stored one,
 * so an indexer that read a record before it changed cannot overwrite the newer document another wrote.
 */
/**
 * A page where Elasticsearch gives a JSON error: its status and type, not the page, for the log and
 * /ready. Below 500 the server is another kind of server (a web server, the wrong port): that is said.
 * A 5xx page comes from a proxy in front of a cluster that is down, an outage like any other.
 */
function pageAnswer(e: unknown): { outage: boolean; message: string } | undefined {
  if (e instanceof errors.ProductNotSupportedError) return { outage: false, message: 'the server at ELASTICSEARCH_URL does not answer as Elasticsearch does: check its address and port' };
  if (!(e instanceof errors.ResponseError) || typeof e.body !== 'string' || e.body.trim() === '') return undefined;
  const status = e.statusCode ?? 0;
  const type = e.headers?.['content-type'] ? `, ${String(e.headers['content-type']).split(';')[0]}` : '';
  return status >= 500 || status === 429
    ? { outage: true, message: `HTTP ${status}${type} from ELASTICSEARCH_URL` }
    : { outage: false, message: `the server at ELASTICSEARCH_URL does not answer as Elasticsearch does (HTTP ${status}${type}): check its address and port` };
}

function versioned(d: SearchDocument): { version?: number; version_type?: 'external_gte' } {
  return d.version !== undefined ? { version: d.version, version_type: 'external_gte' } : {};
}

/** A refusal by Elasticsearch of a request Vindbaar built is Vindbaar's fault: a 500, logged, not a 4xx. */
function internal(e: unknown): unknown {
  return e instanceof errors.ResponseError ? new Error(`Elasticsearch refused a search request (${e.statusCode}): ${e.message}`) : e;
}

function totalOf(r: estypes.SearchResponse): number {
  return typeof r.hits.total === 'number' ? r.hits.total : (r.hits.total?.value ?? 0);
}

/** Dates Elasticsearch accepts (years 0000-9999); anything else is left out rather than failing the document. */
function safeDate(iso: string | undefined): string | undefined {
  return iso && /^\d{4}-/.test(iso) ? iso : undefined;
}

/** The query string as simple_query_string reads it: websearch's "or" becomes "|". */
function queryText(q: string): string {
  return q.replace(/\s+or\s+/gi, ' | ');
}

/** "werk zaamheid" -> "werk* zaamheid*", as the Postgres backend's prefix matching for compounds. */
function prefixQuery(q: string): string | undefined {
  if (/(^|\s)(-|or\s)/i.test(q) || q.includes('"')) return undefined;
  const words = q.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu);
  return words && words.length <= 8 ? words.map((w) => `${w}*`).join(' ') : undefined;
}

/** Where a query's words are looked for: the catch-alls, plus titles and keywords for their weight. */
/** What matching the words of a query means: all of them in the record's text (or, `fuzzy`, each within
 * one or two edits), or the last one as the start of a title or keyword word, as Postgres reads them. */
function wordsClause(q: string, fuzzy: boolean): estypes.QueryDslQueryContainer {
  const should: estypes.QueryDslQueryContainer[] = [
    fuzzy
      ? // Each word within one or two edits (by its length) of a word of the record, first letter kept.
        { multi_match: { query: q, fields: textFields(), fuzziness: 'AUTO', prefix_length: 1, max_expansions: 20, operator: 'and' } }
      : { simple_query_string: { query: queryText(q), fields: textFields(), default_operator: 'and' } },
  ];
  const prefix = fuzzy ? undefined : prefixQuery(q);
  if (prefix)
    should.push({
      constant_score: {
        filter: { simple_query_string: { query: prefix, fields: ['title.*', 'keywords.*'], default_operator: 'and', analyze_wildcard: true } },
        boost: 0.1,
      },
    });
  return { bool: { should, minimum_should_match: 1 } };
}

function textFields(): string[] {
  return [
    ...LANGUAGES.flatMap((l) => [`title.${l}^${BOOST.title}`, `title.${l}.plain^${BOOST.title}`, `keywords.${l}^${BOOST.keywords}`, `all.${l}^${BOOST.description}`]),
    `title.other^${BOOST.title}`,
    `keywords.other^${BOOST.keywords}`,
    `all.other^${BOOST.description}`,
  ];
}

export interface ElasticsearchSearchOptions extends Partial<ElasticsearchConfig> {
  url: string;
  db: Queryable;
  log?: Logger;
  /** Per request; search answers are expected in milliseconds. */
  requestTimeoutMs?: number;
}

/** The outbox op of the rows that fill a new index: "index this record as it is now", no change of its own. */
export const FILL_OP = 'fill';

export class ElasticsearchSearch implements SearchBackend {
  readonly name = 'elasticsearch';
  readonly maxOffset = MAX_WINDOW;
  readonly client: Client;
  readonly alias: string;
  private readonly db: Queryable;
  private readonly log?: Logger;
  private readonly prefix: string;
  private readonly replicas: number;
  /** The alias exists (init succeeded): writes may go to it. */
  private initialised = false;
  /** Until when requests are not tried (after a failure to reach the cluster). */
  private downUntil = 0;

  constructor(options: ElasticsearchSearchOptions) {
    this.db = options.db;
    this.log = options.log;
    this.prefix = options.indexPrefix ?? 'vindbaar';
    this.alias = `${this.prefix}-records`;
    this.replicas = options.replicas ?? 0;
    const auth = options.apiKey ? { apiKey: options.apiKey } : options.username ? { username: options.username, password: options.password ?? '' } : undefined;
    this.client = new Client({
      node: options.url,
      auth,
      tls: options.caFile || options.verifyTls === false ? { ca: options.caFile ? readFileSync(options.caFile) : undefined, rejectUnauthorized: options.verifyTls !== false } : undefined,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      maxRetries: 1,
    });
  }

  /**
   * A new, empty generation of the records index (not yet behind the alias). For a bulk load it starts
   * without refreshes and replicas, which finishGeneration() restores.
   */
  async createGeneration(options: { bulk?: boolean } = {}): Promise<string> {
    const name = `${this.alias}-${new Date().toISOString().replace(/[-:TZ.]/g, '').slice(0, 17)}`;
    const mapping = recordsMapping(this.replicas);
    // Not live yet: no refreshes, no replicas, and no fsync per request (a crash means a new reindex).
    if (options.bulk) mapping.settings = { ...mapping.settings, refresh_interval: '-1', number_of_replicas: 0, 'translog.durability': 'async' };
    await this.call(() => this.client.indices.create({ index: name, ...mapping }));
    return name;
  }

  async finishGeneration(index: string): Promise<void> {
    await this.call(() => this.client.indices.putSettings({ index, settings: { refresh_interval: '1s', number_of_replicas: this.replicas, 'translog.durability': 'request' } }));
    // What was written with the asynchronous translog may still be only in memory: a crash of the node
    // soon after the alias swap would bring the live index back empty. A flush commits it to disk first.
    await this.call(() => this.client.indices.flush({ index, wait_if_ongoing: true }));
    await this.call(() => this.client.indices.refresh({ index }));
  }

  /** The concrete indices behind the alias now. */
  async generations(): Promise<string[]> {
    const exists = await this.call(() => this.client.indices.existsAlias({ name: this.alias }));
    if (!exists) return [];
    return Object.keys(await this.call(() => this.client.indices.getAlias({ name: this.alias })));
  }

  /**
   * Generations older than `newest` that the alias does not name: left by a reindex cut off before its
   * swap. A generation another reindex is building now is newer than the live one, so never among them.
   */
  async abandonedGenerations(newest: string): Promise<string[]> {
    const all = await this.call(() => this.client.indices.get({ index: `${this.alias}-*`, features: ['aliases'], expand_wildcards: 'all' }));
    const name = new RegExp(`^${this.alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{17}$`);
    return Object.entries(all)
      .filter(([index, info]) => name.test(index) && index < newest && !(this.alias in (info.aliases ?? {})))
      .map(([index]) => index);
  }

  /** A writer into one concrete index (a generation being built), for indexAll and catch-up. */
  writerFor(index: string): Pick<SearchBackend, 'index' | 'remove'> {
    return { index: (docs) => this.bulkIndex(index, docs, false), remove: (ids) => this.bulkRemove(index, ids, false) };
  }

  /** Indexes documents into `target` (an alias, which must then exist, or a concrete index). */
  private async bulkIndex(target: string, docs: SearchDocument[], requireAlias: boolean): Promise<void> {
    if (docs.length === 0) return;
    const operations = docs.flatMap((d) => [{ index: { _index: target, _id: d.id, ...versioned(d) } }, esDocument(d)]);
    const r = await this.call(() => this.client.bulk({ operations, require_alias: requireAlias }));
    if (r.errors) this.checkItems(r.items);
  }

  /** Deletes documents from `target`; one that is not there is no error. */
  private async bulkRemove(target: string, ids: string[], requireAlias: boolean): Promise<void> {
    if (ids.length === 0) return;
    const r = await this.call(() => this.client.bulk({ operations: ids.map((id) => ({ delete: { _index: target, _id: id } })), require_alias: requireAlias }));
    if (r.errors) this.checkItems(r.items.filter((i) => i.delete?.status !== 404));
  }

  /** Points the alias at `index` alone, in one atomic step: searches see the old index, then the new. */
  async swapAlias(index: string): Promise<string[]> {
    const old = (await this.generations()).filter((i) => i !== index);
    await this.call(() =>
      this.client.indices.updateAliases({
        actions: [...old.map((i) => ({ remove: { index: i, alias: this.alias } })), { add: { index, alias: this.alias, is_write_index: true } }],
      }),
    );
    return old;
  }

  async init(): Promise<void> {
    if (this.initialised) return;
    await this.initialise();
    this.initialised = true;
  }

  private async initialise(): Promise<void> {
    const exists = await this.call(() => this.client.indices.existsAlias({ name: this.alias }));
    if (exists) {
      const mapping = await this.call(() => this.client.indices.getMapping({ index: this.alias }));
      for (const [index, m] of Object.entries(mapping)) {
        const version = (m.mappings._meta as { vindbaar?: number } | undefined)?.vindbaar;
        if (version === MAPPING_VERSION) continue;
        // Fields this version adds are added to the index in place (a mapping only grows), or documents
        // that carry them would be refused by the strict mapping until the reindex; what changed in
        // fields already there, and the new fields of records indexed before, need the reindex.
        const added = await this.call(() => this.client.indices.putMapping({ index, properties: recordsMapping(0).mappings!.properties })).then(
          () => true,
          (e: unknown) => {
            this.log?.warn({ index, err: (e as Error).message }, 'could not add the fields of this version to the search index');
            return false;
          },
        );
        this.log?.warn({ index, version, expected: MAPPING_VERSION, fieldsAdded: added }, 'the search index was made by another version of Vindbaar: run `vindbaar reindex`');
      }
      return;
    }
    let index: string;
    try {
      index = await this.createGeneration();
    } catch (e) {
      // Another process starting in the same millisecond made an index of the same name: it puts the
      // alias on it, and this one uses it.
      if (!(e instanceof errors.ResponseError && /resource_already_exists/.test(e.message))) throw e;
      for (let i = 0; i < 50; i++) {
        if (await this.call(() => this.client.indices.existsAlias({ name: this.alias }))) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw e;
    }
    try {
      await this.client.indices.putAlias({ index, name: this.alias, is_write_index: true });
    } catch (e) {
      // serve and workers started together on a new cluster each find no alias and each make an index;
      // the alias takes the first (it has one write index) and refuses the others. Such a process uses
      // that one and removes its own, which nothing has written to. Any other failure is what it was.
      if (!(await this.client.indices.existsAlias({ name: this.alias }).catch(() => false))) return this.call(() => Promise.reject(e));
      await this.client.indices.delete({ index }).catch(() => undefined);
      // The process whose index the alias took fills it.
      return;
    }
    // A new index beside a store that already holds records (Elasticsearch added to a running
    // catalogue, a new cluster, a restored database) would answer every search empty until someone ran
    // `vindbaar reindex`: the stored records are queued for the indexer instead, which serve and worker
    // drain in the background (/ready shows the backlog meanwhile). Their op, FILL_OP, lets a reindex
    // that copies every record anyway retire them (see reindex.ts).
    const queued = await this.db.query(
      `INSERT INTO outbox (record_id, op) SELECT id, $2 FROM records WHERE deleted_at IS NULL AND duplicate_of IS NULL AND kind = ANY($1::text[])`,
      [SEARCHABLE_KINDS, FILL_OP],
    );
    if (queued.rowCount > 0) this.log?.info({ index, records: queued.rowCount }, 'new search index: the stored records are queued for indexing');
  }

  async index(docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    // Never let a write create an index by itself (it would get a guessed mapping): the alias must exist.
    await this.init();
    await this.bulkIndex(this.alias, docs, true);
    await storeLabels(this.db, docs);
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.init();
    await this.bulkRemove(this.alias, ids, true);
  }

  async refresh(): Promise<void> {
    await this.call(() => this.client.indices.refresh({ index: this.alias }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * Throws when an item failed for a reason that may pass (overload, a node away): the outbox keeps
   * the change and the indexer retries. A document the index refuses for good is logged and skipped,
   * so that one bad record never blocks the others.
   */
  private checkItems(items: Partial<Record<estypes.BulkOperationType, estypes.BulkResponseItem>>[]): void {
    let transient = 0;
    for (const item of items) {
      const r = Object.values(item)[0];
      if (!r?.error) continue;
      // The index already has this version of the record or a newer one: this write came late.
      if (r.status === 409 && r.error.type === 'version_conflict_engine_exception') continue;
      // A missing alias (deleted by hand, a reindex gone wrong) is not the document's fault either.
      if (r.status === 429 || r.status >= 500 || r.error.type === 'index_not_found_exception') {
        transient++;
        if (r.error.type === 'index_not_found_exception') this.initialised = false;
      }
      else this.log?.error({ id: r._id, status: r.status, error: r.error.reason }, 'Elasticsearch refused a search document');
    }
    if (transient > 0) throw new SearchUnavailableError(`Elasticsearch could not take ${transient} documents now`);
  }

  /**
   * Runs a request; connection failures, timeouts and overload become SearchUnavailableError. After
   * one, requests fail at once for a few seconds instead of each waiting on retries, so that a push
   * or a search page is not slowed down by an outage (the background drain retries the indexing).
   */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    const wait = this.downUntil - Date.now();
    if (wait > 0) throw new SearchUnavailableError('Elasticsearch is not available', Math.ceil(wait / 1000));
    try {
      return await request();
    } catch (e) {
      const page = pageAnswer(e);
      if (page) {
        this.downUntil = Date.now() + DOWN_MS;
        throw new SearchUnavailableError(`Elasticsearch is not available: ${page.message}`, Math.ceil(DOWN_MS / 1000));
      }
      if (
        e instanceof errors.ConnectionError ||
        e instanceof errors.NoLivingConnectionsError ||
        e instanceof errors.TimeoutError ||
        (e instanceof errors.ResponseError && ((e.statusCode ?? 0) === 429 || (e.statusCode ?? 0) >= 500))
      ) {
        this.downUntil = Date.now() + DOWN_MS;
        throw new SearchUnavailableError(`Elasticsearch is not available: ${e.message}`, Math.ceil(DOWN_MS / 1000));
      }
      // The alias is gone (deleted by hand): make it again on the next request.
      if (e instanceof errors.ResponseError && e.statusCode === 404 && /index_not_found/.test(e.message)) this.initialised = false;
      throw e;
    }
  }

  private filterClauses(query: SearchQuery, except?: FacetField): estypes.QueryDslQueryContainer[] {
    const out: estypes.QueryDslQueryContainer[] = [];
    for (const field of FACET_FIELDS) {
      const values = query.filters[field];
      if (field !== except && values && values.length > 0) out.push({ terms: { [FACET_FIELD[field]]: values } });
    }
    return out;
  }

  /**
   * The query: words, kinds, date and box filters, and (`withFacetFilters`) the facet filters too.
   * `scored` adds recency to relevance; without it the query has no "now" in it, so that the shard
   * request cache can keep its facet counts.
   */
  private mainQuery(query: SearchQuery, options: { fuzzy?: boolean; scored?: boolean; withFacetFilters?: boolean } = {}): estypes.QueryDslQueryContainer {
    const fuzzy = options.fuzzy ?? false;
    const must: estypes.QueryDslQueryContainer[] = [];
    const q = query.q?.trim();
    if (q) must.push(wordsClause(q, fuzzy));
    const filter: estypes.QueryDslQueryContainer[] = [{ terms: { kind: query.kinds } }];
    // A scope's words bound the search as its facet values do: matched as q is (no typos), not scored.
    const scopeWords = query.scopeQuery?.trim();
    if (scopeWords) filter.push(wordsClause(scopeWords, false));
    for (const field of FACET_FIELDS) {
      const values = query.scope?.[field];
      if (values) filter.push({ terms: { [FACET_FIELD[field]]: values } });
    }
    for (const [field, range] of Object.entries(query.ranges ?? {}) as [string, { from?: string; to?: string }][]) {
      if (field === 'temporal') {
        // Coverage overlapping the range: ends after its start and starts before its end (open ends unbounded).
        filter.push({ bool: { should: [{ exists: { field: 'temporal_start' } }, { exists: { field: 'temporal_end' } }], minimum_should_match: 1 } });
        if (range.from) filter.push({ bool: { should: [{ bool: { must_not: { exists: { field: 'temporal_end' } } } }, { range: { temporal_end: { gte: range.from } } }], minimum_should_match: 1 } });
        if (range.to) filter.push({ bool: { should: [{ bool: { must_not: { exists: { field: 'temporal_start' } } } }, { range: { temporal_start: { lte: range.to } } }], minimum_should_match: 1 } });
      } else filter.push({ range: { [field]: { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lte: range.to } : {}) } } });
    }
    if (query.bbox) {
      const [w, s, e, n] = query.bbox;
      filter.push({ range: { 'bbox.west': { lte: e } } }, { range: { 'bbox.east': { gte: w } } }, { range: { 'bbox.south': { lte: n } } }, { range: { 'bbox.north': { gte: s } } });
    }
    if (options.withFacetFilters) filter.push(...this.filterClauses(query));
    const base: estypes.QueryDslQueryContainer = { bool: { must, filter } };
    if (!q || !options.scored) return base;
    // Relevance, nudged by recency: a dataset changed lately ranks a little above an old one. A
    // distance_feature clause (rather than a function_score over every match) lets Lucene skip
    // blocks of documents that cannot reach the top of the page.
    return {
      bool: {
        must: [base],
        should: [{ distance_feature: { field: 'modified', origin: 'now', pivot: '730d', boost: 0.5 } }],
      },
    };
  }

  private sort(query: SearchQuery): estypes.SortCombinations[] {
    const tie: estypes.SortCombinations = { id: 'asc' };
    // Records without the date sort last. Explicit values, not '_last': Elasticsearch would give the
    // cursor a 64-bit extreme that JSON numbers cannot carry back as search_after.
    const date = (field: string, order: 'asc' | 'desc'): estypes.SortCombinations => ({ [field]: { order, missing: order === 'asc' ? LAST_DATE : FIRST_DATE } });
    switch (query.sort) {
      case 'relevance':
        return query.q?.trim() ? ['_score', date('modified', 'desc'), tie] : [date('modified', 'desc'), tie];
      case 'title':
        // Records indexed before mapping 9 lack the English key: they come last until `vindbaar reindex`.
        return query.lang === 'en' ? [{ title_sort_en: { order: 'asc', missing: '_last' } }, tie] : [{ title_sort: 'asc' }, tie];
      case 'issued':
        return [date('issued', 'asc'), tie];
      case '-issued':
        return [date('issued', 'desc'), tie];
      case 'modified':
        return [date('modified', 'asc'), tie];
      default:
        return [date('modified', 'desc'), tie];
    }
  }

  /**
   * The requests a query becomes (also sent directly by the benchmark, as the peer): the page of hits,
   * with every filter in the query and no count beyond what paging needs, and, when facets are wanted,
   * a size-0 request for the facet counts and the exact total, which the shard request cache keeps
   * until the index changes (popular searches, such as the start page, then cost almost nothing).
   */
  searchRequests(query: SearchQuery, fuzzy = false): { hits: estypes.SearchRequest; facets?: estypes.SearchRequest } {
    const withFacets = !query.cursor?.after && query.facets !== false;
    const hits: estypes.SearchRequest = {
      query: this.mainQuery(query, { fuzzy, scored: true, withFacetFilters: true }),
      sort: this.sort(query),
      ...(query.cursor ? {} : { from: query.offset }),
      size: query.limit,
      // With facets, the exact total comes from the facet request.
      // Titles with the matched words marked, from whichever language field matched.
      ...(query.q?.trim()
        ? {
            highlight: {
              encoder: 'html',
              pre_tags: ['<mark>'],
              post_tags: ['</mark>'],
              require_field_match: false,
              fields: Object.fromEntries([...LANGUAGES.map((l) => `title.${l}`), 'title.other'].map((f) => [f, { number_of_fragments: 0 }])),
            },
          }
        : {}),
      // With facets, the exact total comes from the facet request; a later page of a cursor walk has
      // it in the cursor (one snapshot throughout). Only a cursor without it counts here.
      track_total_hits: !withFacets && query.cursor?.total === undefined,
      _source: false,
    };
    if (!withFacets) return { hits };
    const aggs: Record<string, estypes.AggregationsAggregationContainer> = {
      total: { filter: { bool: { filter: this.filterClauses(query) } } },
    };
    for (const field of FACET_FIELDS)
      aggs[field] = {
        filter: { bool: { filter: this.filterClauses(query, field) } },
        aggs: { values: { terms: { field: field === 'keyword' ? `keyword_${facetLanguage(query.lang)}` : FACET_FIELD[field], size: Math.max(1, Math.min(query.facetLimit ?? FACET_LIMIT, 10_000)), order: [{ _count: 'desc' }, { _key: 'asc' }] } } },
      };
    return { hits, facets: { query: this.mainQuery(query, { fuzzy }), aggs, size: 0, track_total_hits: false } };
  }

  /** Both requests in one round trip (_msearch); a failed part fails the search. */
  private async run(query: SearchQuery, fuzzy: boolean, pit?: string): Promise<{ hits: estypes.SearchResponse; facets?: estypes.SearchResponse }> {
    const { hits, facets } = this.searchRequests(query, fuzzy);
    const after = query.cursor?.after ? { search_after: query.cursor.after as estypes.SortResults } : {};
    const searches: estypes.MsearchRequestItem[] = [
      pit ? {} : { index: this.alias },
      { ...hits, ...after, ...(pit ? { pit: { id: pit, keep_alive: PIT_KEEP_ALIVE } } : {}) } as estypes.MsearchMultisearchBody,
      ...(facets ? [{ index: this.alias, request_cache: true }, facets as estypes.MsearchMultisearchBody] : []),
    ];
    const r = await this.call(() => this.client.msearch({ searches }));
    const parts = r.responses.map((x) => {
      if ('error' in x) {
        const status = x.status ?? 500;
        if (status === 429 || status >= 500) {
          this.downUntil = Date.now() + DOWN_MS;
          throw new SearchUnavailableError(`Elasticsearch could not answer (${status})`, Math.ceil(DOWN_MS / 1000));
        }
        throw new errors.ResponseError({ body: x, statusCode: status, headers: {}, warnings: null, meta: {} as never });
      }
      return x as estypes.SearchResponse;
    });
    return { hits: parts[0], facets: parts[1] };
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    // The alias may be missing if Elasticsearch was down when the service started.
    await this.init();
    const cursor = query.cursor;
    if (!cursor && query.offset + query.limit > MAX_WINDOW) throw new RangeError(`results beyond the first ${MAX_WINDOW} need a cursor`);
    // A cursor walk reads one point-in-time snapshot with search_after; its first page opens the snapshot.
    const pit = cursor ? (cursor.pit ?? (await this.call(() => this.client.openPointInTime({ index: this.alias, keep_alive: PIT_KEEP_ALIVE }))).id) : undefined;
    let r: { hits: estypes.SearchResponse; facets?: estypes.SearchResponse };
    try {
      r = await this.run(query, false, pit);
    } catch (e) {
      // A snapshot this request opened is of no use to anyone now.
      if (pit && !cursor?.pit) await this.client.closePointInTime({ id: pit }).catch(() => undefined);
      // An expired or foreign snapshot is the client's (stale) cursor, not a server fault.
      if (cursor && e instanceof errors.ResponseError && (e.statusCode === 404 || e.statusCode === 400)) throw new RangeError('the cursor has expired or is not valid; start again');
      throw internal(e);
    }
    const totalOfAll = (x: typeof r) =>
      x.facets ? ((x.facets.aggregations?.total as { doc_count?: number } | undefined)?.doc_count ?? 0) : (cursor?.total ?? totalOf(x.hits));
    // Nothing found for the words as typed: try again allowing a typo or two per word ("biodiversiteit"
    // for "biodiverstieit"), and say so.
    let fuzzy = false;
    const q = query.q?.trim();
    if (!cursor && q && totalOfAll(r) === 0 && !/["*~|+-]/.test(q) && q.length <= 200) {
      const again = await this.run(query, true);
      if (totalOfAll(again) > 0) {
        r = again;
        fuzzy = true;
      }
    }
    const facets = emptyFacets();
    if (r.facets) {
      for (const field of FACET_FIELDS) {
        const agg = r.facets.aggregations?.[field] as { values?: { buckets: { key: string; doc_count: number }[] } } | undefined;
        facets[field] = (agg?.values?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
      }
      await labelFacets(this.db, facets, query.lang ?? 'nl');
    }
    const total = totalOfAll(r);
    const hits = r.hits.hits.hits;
    let next: SearchResult['next'];
    if (cursor) {
      const pitId = r.hits.pit_id ?? pit!;
      if (hits.length === query.limit && hits.length > 0) next = { pit: pitId, after: hits[hits.length - 1].sort as (string | number | null)[], total };
      else await this.client.closePointInTime({ id: pitId }).catch(() => undefined); // the walk is over
    }
    const marked = (h: (typeof hits)[number]) => {
      const fields = h.highlight ?? {};
      for (const f of [...(query.lang ? [`title.${query.lang}`] : []), ...LANGUAGES.map((l) => `title.${l}`), 'title.other']) if (fields[f]?.[0]) return fields[f][0];
      return undefined;
    };
    return {
      total,
      hits: hits.map((h) => ({ id: h._id!, score: h._score ?? undefined, ...(marked(h) ? { highlight: marked(h) } : {}) })),
      facets,
      ...(next ? { next } : {}),
      ...(fuzzy ? { fuzzy } : {}),
    };
  }

  async health(): Promise<{ up: boolean; detail: string }> {
    try {
      const h = await this.client.cluster.health({ timeout: '2s' }, { requestTimeout: 3_000, maxRetries: 0 });
      // Yellow is a single node's normal state (no replica to place); red means shards are missing.
      return { up: h.status !== 'red', detail: `cluster ${h.status}` };
    } catch (e) {
      return { up: false, detail: pageAnswer(e)?.message ?? (e as Error).message };
    }
  }

  async suggest(prefix: string, kinds: string[], limit: number, lang?: string): Promise<Suggestion[]> {
    const text = prefix.trim().slice(0, 100);
    if (text.length < 2) return [];
    await this.init();
    // Titles that contain every word typed, the last one as a prefix ("arbeidsm" finds "Arbeidsmarkt
    // in cijfers"): answered from the title fields at query time, which costs nothing at indexing time
    // (a completion field slowed indexing by a fifth). One suggestion per distinct title, in the titles
    // the asking page shows.
    const [shown, sortKey] = lang === 'en' ? ['display_title_en', 'title_sort_en'] : ['display_title', 'title_sort'];
    const r = await this.call(() =>
      this.client.search({
        index: this.alias,
        size: limit,
        _source: [shown],
        query: {
          bool: {
            filter: [{ terms: { kind: kinds } }],
            must: [{ multi_match: { query: text, type: 'bool_prefix', operator: 'and', fields: [`${shown}.words`] } }],
          },
        },
        collapse: { field: sortKey },
        sort: ['_score', { [sortKey]: 'asc' }],
      }),
    ).catch((e: unknown) => {
      throw internal(e);
    });
    return r.hits.hits.map((h) => ({ id: h._id!, title: String((h._source as Record<string, unknown> | undefined)?.[shown] ?? '') }));
  }
}
