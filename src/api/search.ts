// Search: /api/v1/search (datasets, series and data services), /api/v1/datasets, /api/v1/dataservices,
// autocomplete at /api/v1/suggest, an Atom feed of a search and an OpenSearch description, all answered
// by the configured SearchBackend (routes know nothing of Postgres or Elasticsearch).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { FACET_FIELDS, lastNumberedPage, type SearchCursor, type SearchQuery } from '../search/backend.js';
import { firstText } from '../search/document.js';
import { searchAnyWords } from '../search/any-words.js';
import { filterValues } from './filter-codes.js';
import { problem } from './problem.js';
import { BBOX_PATTERN, DATE_PATTERN, LANGUAGE_PATTERN, VIEW_ID_PATTERN } from './patterns.js';
import { withView } from './view-scope.js';
import { choose, offeredTypes, type Offer } from './negotiate.js';
import { loadRecords, type RecordSummary } from './records.js';
import { jsonPage, loadRecordTexts, recordJsonText } from './record-text.js';

const recordSchema = { type: 'object', additionalProperties: true, description: 'A DCAT record as JSON-LD (keys from /context.jsonld)' };

/** What a search answers with: its JSON, which is JSON-LD (JSON first, for a client that says nothing). */
const COLLECTION_OFFERS: Offer[] = [
  { type: 'application/json', format: 'json' },
  { type: 'application/ld+json', format: 'jsonld' },
];

/** Record kinds by the names the API uses. */
const TYPES: Record<string, string[]> = { dataset: ['Dataset'], series: ['DatasetSeries'], dataservice: ['DataService'] };

/** The record kinds a `type` parameter names: all three when it names none. */
export const kindsOf = (types: string[] | undefined): string[] => (types?.length ? types : Object.keys(TYPES)).flatMap((t) => TYPES[t]);

export const searchQuerySchema = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 500, description: 'Full-text query (web search syntax: "exact phrase", -exclude, or; AND and NOT in capitals as in Lucene: NOT x is -x)' },
    theme: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Theme IRI(s), or EU data theme codes (ECON, ENVI)' },
    keyword: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 50, description: 'Keyword(s), as the facet lists them; case, spacing and accents as written do not matter (Werkloosheid finds werkloosheid)' },
    publisher: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Publisher IRI(s)' },
    format: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Distribution format IRI(s), or EU file type codes (CSV, JSON) or media types (text/csv)' },
    license: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Licence IRI(s), or EU licence codes (CC_BY_4_0)' },
    accessRights: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Access rights IRI(s), or PUBLIC, RESTRICTED, NON_PUBLIC' },
    mediaType: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Media type IRI(s) of a distribution (IANA), or media types (text/csv)' },
    hvdCategory: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'High-value dataset category IRI(s), or their codes (c_ac64a52d)' },
    language: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Language IRI(s) of the data, or EU language codes (NLD) or two-letter codes (nl)' },
    spatial: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Place IRI(s) the data covers' },
    ...Object.fromEntries(
      ['issued', 'modified', 'temporal'].flatMap((f) => [
        [`${f}From`, { type: 'string', pattern: DATE_PATTERN, description: f === 'temporal' ? 'Temporal coverage overlaps from this date' : `${f} on or after (date or date-time)` }],
        [`${f}To`, { type: 'string', pattern: DATE_PATTERN, description: f === 'temporal' ? 'Temporal coverage overlaps until this date' : `${f} on or before (date or date-time)` }],
      ]),
    ),
    bbox: { type: 'string', pattern: BBOX_PATTERN, description: 'Spatial coverage intersects west,south,east,north (degrees, WGS 84)' },
    catalog: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'Local catalogue id(s)' },
    view: { type: 'string', pattern: VIEW_ID_PATTERN, description: 'A thematic view (GET /api/v1/views): its filters bound the search, the other filters narrow it further' },
    validation: {
      type: 'array',
      items: { type: 'string', enum: ['conforms', 'warnings', 'violations'] },
      maxItems: 3,
      description: "Validation verdict against the source's profile",
    },
    quality: {
      type: 'array',
      items: { type: 'string', enum: ['bad', 'sufficient', 'good', 'excellent'] },
      maxItems: 4,
      description: 'Metadata quality band (MQA-compatible score: bad < 120, sufficient to 220, good to 350, excellent above)',
    },
    sort: { type: 'string', enum: ['relevance', 'modified', '-modified', 'title', 'issued', '-issued'], default: 'relevance' },
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1, description: 'Page by number. With Elasticsearch, numbered pages reach the first 10,000 results (the view\'s "last" and "next" stop there; a deeper page is refused with 400): walk deeper with cursor.' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 20 },
    lang: { type: 'string', pattern: LANGUAGE_PATTERN, default: 'nl', description: 'Language of facet labels, and of the titles that sort=title orders by (en: English titles where records have them)' },
    cursor: {
      type: 'string',
      maxLength: 4000,
      description:
        'Deep paging: "*" starts a walk through all results (any depth); each page gives the cursor of the next. Pages after the first carry no facets. With Elasticsearch the walk reads one snapshot; on Postgres it continues after the last hit\'s sort key, so records written meanwhile are neither skipped nor repeated unless their sort key moved (sorted by relevance, the walk goes by position).',
    },
  },
  additionalProperties: false,
} as const;

export type SearchParams = {
  q?: string;
  bbox?: string;
  issuedFrom?: string;
  issuedTo?: string;
  modifiedFrom?: string;
  modifiedTo?: string;
  temporalFrom?: string;
  temporalTo?: string;
  sort: SearchQuery['sort'];
  page: number;
  limit: number;
  lang: string;
  cursor?: string;
  view?: string;
} & Partial<Record<(typeof FACET_FIELDS)[number], string[]>>;

const facetValue = { type: 'object', properties: { value: { type: 'string' }, count: { type: 'integer' }, label: { type: 'string' } } };

const collectionSchema = {
  type: 'object',
  properties: {
    '@context': { type: 'string' },
    '@id': { type: 'string' },
    '@type': { type: 'string' },
    totalItems: { type: 'integer' },
    member: { type: 'array', items: recordSchema },
    facets: { type: 'object', additionalProperties: { type: 'array', items: facetValue } },
    nextCursor: { type: 'string', description: 'Cursor of the next page (cursor paging only)' },
    fuzzy: { type: 'boolean', description: 'The words as typed found nothing: these results are for similar words (Elasticsearch only)' },
    anyWords: { type: 'boolean', description: 'No record holds all the words of q (without operators): these results hold some of them, those with most first' },
    searchedFor: { type: 'string', description: 'q, one long word, found nothing: these results are for it taken apart as a compound ("water kwaliteit" for "waterkwaliteit"), the query given here' },
    view: {
      type: 'object',
      properties: {
        '@id': { type: 'string' },
        '@type': { type: 'string' },
        first: { type: 'string' },
        next: { type: 'string' },
        previous: { type: 'string' },
        last: { type: 'string' },
      },
    },
  },
} as const;

/** The collection a page belongs to: the search itself, without page, page size or cursor, so that
 * its views (first, next, last) are views of one collection and not of themselves. */
function collectionUrl(req: FastifyRequest, baseUrl: string): string {
  const u = new URL(req.url, baseUrl);
  for (const k of ['page', 'limit', 'cursor']) u.searchParams.delete(k);
  return `${baseUrl}${u.pathname}${u.search}`;
}

function pageUrl(req: FastifyRequest, baseUrl: string, page: number): string {
  const u = new URL(req.url, baseUrl);
  u.searchParams.set('page', String(page));
  return `${baseUrl}${u.pathname}${u.search}`;
}

/**
 * A date or date-time of a range filter, checked strictly (no 30 February) and made a UTC instant: a
 * date alone means its whole day, so that "to 2020-12-31" includes that day, on both backends.
 */
function instant(name: string, d: string, end: boolean): string {
  const day = d.slice(0, 10);
  const midnight = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(midnight) || new Date(midnight).toISOString().slice(0, 10) !== day || day < '0001-01-01')
    throw problem(400, 'Bad Request', `${name} "${d}" is not a date.`);
  if (d.length === 10) return end ? `${day}T23:59:59.999Z` : `${day}T00:00:00.000Z`;
  const t = Date.parse(d);
  if (Number.isNaN(t)) throw problem(400, 'Bad Request', `${name} "${d}" is not a date-time.`);
  return new Date(t).toISOString();
}

function ranges(p: SearchParams): SearchQuery['ranges'] {
  const out: NonNullable<SearchQuery['ranges']> = {};
  for (const f of ['issued', 'modified', 'temporal'] as const) {
    const from = p[`${f}From`] === undefined ? undefined : instant(`${f}From`, p[`${f}From`]!, false);
    const to = p[`${f}To`] === undefined ? undefined : instant(`${f}To`, p[`${f}To`]!, true);
    if (from && to && from > to) throw problem(400, 'Bad Request', `${f}From ${p[`${f}From`]} is after ${f}To ${p[`${f}To`]}.`);
    if (from || to) out[f] = { from, to };
  }
  return out;
}

function bbox(text: string | undefined): SearchQuery['bbox'] {
  if (!text) return undefined;
  const [w, s, e, n] = text.split(',').map(Number);
  if ([w, s, e, n].some((v) => !Number.isFinite(v)) || w < -180 || e > 180 || s < -90 || n > 90 || w > e || s > n)
    throw problem(400, 'Bad Request', `bbox "${text}" must be west,south,east,north in degrees (west <= east, south <= north).`);
  return [w, s, e, n];
}


export function encodeCursor(c: SearchCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(text: string): SearchCursor {
  if (text === '*' || text === '') return {};
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as SearchCursor;
    const okTotal = c.total === undefined || (Number.isInteger(c.total) && c.total >= 0);
    const okAfter = c.after === undefined || (Array.isArray(c.after) && c.after.length <= 8 && c.after.every((v) => v === null || ['string', 'number'].includes(typeof v)));
    if (typeof c !== 'object' || c === null || !okAfter || !okTotal || (c.pit !== undefined && typeof c.pit !== 'string')) throw new Error('shape');
    return c;
  } catch {
    throw problem(400, 'Bad Request', 'cursor is not one this API gave out: start a walk with cursor=* and follow nextCursor.');
  }
}

function cursorUrl(req: FastifyRequest, baseUrl: string, cursor: string): string {
  const u = new URL(req.url, baseUrl);
  u.searchParams.set('cursor', cursor);
  u.searchParams.delete('page');
  return `${baseUrl}${u.pathname}${u.search}`;
}

/** Words in one query: each is looked up in every language's index, so a query of hundreds of words
 * costs hundreds of times one of a few; people search with a handful. */
export const MAX_QUERY_WORDS = 32;

/** The words as the backends read them. Only a dash stuck to a word excludes it ("-vlaanderen"): a dash
 * standing alone, as in the title "Werkzaamheidsgraad - geslacht" pasted or picked from the
 * suggestions, is punctuation (Postgres's web search syntax would read it as "not geslacht").
 * The operators of Lucene and Solr catalogues (CKAN, data.europa.eu), in capitals outside quotes, mean
 * what they mean there: "water AND bodem" is "water bodem" (every word is required anyway) and
 * "water NOT zee" is "water -zee"; in lower case they are words. */
export function queryText(q: string | undefined): string | undefined {
  // Invisible characters (zero-width spaces and joiners, a byte-order mark) pasted along with words
  // are not words: a query of nothing else is no query, as one of blanks is.
  const parts = q?.replace(/[\u200B-\u200D\u2060\uFEFF]/g, '').split('"');
  const text = parts
    ?.map((part, i) => {
      if (i % 2 === 1) return part; // a quoted phrase
      const beforePhrase = i < parts.length - 1;
      return part
        .replace(/(^|\s)AND(?=\s|$)/g, '$1')
        .replace(/(^|\s)NOT\s+(?=[\p{L}\p{N}])/gu, '$1-')
        .replace(/(^|\s)NOT\s*$/, beforePhrase ? '$1-' : '$1')
        .replace(/(^|\s)NOT(?=\s)/g, '$1');
    })
    .join('"')
    .replace(/(^|\s)-+(?=\s|$)/g, '$1')
    .trim();
  return text ? text : undefined;
}

/** The backend query a request asks for. */
export function searchQuery(p: SearchParams, kinds: string[]): SearchQuery {
  const q = queryText(p.q);
  const words = p.q?.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length ?? 0;
  if (words > MAX_QUERY_WORDS) throw problem(400, 'Bad Request', `The query has ${words} words; at most ${MAX_QUERY_WORDS} are searched for. Use filters to narrow the results.`);
  const filters: SearchQuery['filters'] = {};
  for (const f of FACET_FIELDS) if (p[f]) filters[f] = filterValues(f, p[f]);
  return {
    q,
    filters,
    ranges: ranges(p),
    bbox: bbox(p.bbox),
    kinds,
    sort: p.sort === 'relevance' && !q ? '-modified' : p.sort,
    offset: (p.page - 1) * p.limit,
    limit: p.limit,
    lang: p.lang,
    cursor: p.cursor !== undefined ? decodeCursor(p.cursor) : undefined,
  };
}

export async function searchRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const baseUrl = services.config.baseUrl;

  /** A page of results as JSON: the records' stored JSON goes in as it is (see record-text.ts). */
  const collection = async (req: FastifyRequest<{ Querystring: SearchParams }>, kinds: string[]): Promise<Buffer> => {
    const { page, limit } = req.query;
    const result = await searchAnyWords(services.search, await withView(services, searchQuery(req.query, kinds), req.query.view));
    const records = await loadRecordTexts(services, result.hits.map((h) => h.id));
    const lastPage = lastNumberedPage(result.total, limit, services.search.maxOffset);
    const cursorMode = req.query.cursor !== undefined;
    const next = result.next ? encodeCursor(result.next) : undefined;
    const head = {
      '@context': `${baseUrl}/context.jsonld`,
      '@id': collectionUrl(req, baseUrl),
      '@type': 'Collection',
      totalItems: result.total,
    };
    const members: string[] = [];
    for (const h of result.hits) {
      const r = records.get(h.id);
      if (r) members.push(recordJsonText(r, baseUrl, h.highlight ? `"highlight":{"title":${JSON.stringify(h.highlight)}}` : undefined));
    }
    const tail = {
      ...(cursorMode && req.query.cursor && req.query.cursor !== '*' ? {} : { facets: result.facets }),
      ...(next ? { nextCursor: next } : {}),
      ...(result.fuzzy ? { fuzzy: true } : {}),
      ...(result.anyWords ? { anyWords: true } : {}),
      ...(result.searchedFor ? { searchedFor: result.searchedFor } : {}),
      view: cursorMode
        ? {
            '@id': cursorUrl(req, baseUrl, req.query.cursor || '*'),
            '@type': 'PartialCollectionView',
            first: cursorUrl(req, baseUrl, '*'),
            ...(next ? { next: cursorUrl(req, baseUrl, next) } : {}),
          }
        : {
            '@id': pageUrl(req, baseUrl, page),
            '@type': 'PartialCollectionView',
            first: pageUrl(req, baseUrl, 1),
            ...(page > 1 ? { previous: pageUrl(req, baseUrl, Math.min(page - 1, lastPage)) } : {}),
            ...(page < lastPage ? { next: pageUrl(req, baseUrl, page + 1) } : {}),
            last: pageUrl(req, baseUrl, lastPage),
          },
    };
    return jsonPage(`${JSON.stringify(head).slice(0, -1)},"member":[`, members, `],${JSON.stringify(tail).slice(1)}`);
  };
  // Already JSON: sent as it is (Fastify serializes only objects). The collection is JSON-LD by its
  // context, so it is given as JSON or as JSON-LD; a client that takes neither (Turtle, an image) is
  // told so before any search runs, rather than handed JSON it did not ask for.
  const sendCollection = async (req: FastifyRequest, reply: FastifyReply, page: () => Promise<Buffer>) => {
    const chosen = choose(req.headers.accept, COLLECTION_OFFERS);
    reply.header('vary', 'Accept');
    if (!chosen) {
      const available = offeredTypes(COLLECTION_OFFERS);
      throw problem(406, 'Not Acceptable', `Search results are available as ${available.join(', ')}; the records themselves in every RDF syntax at ${baseUrl}/api/v1/records/{id}, a search's results as Turtle at ${baseUrl}/api/v1/search.ttl.`, { available });
    }
    return reply.type(chosen.format === 'jsonld' ? 'application/ld+json' : 'application/json; charset=utf-8').send(await page());
  };

  const searchRoute = (path: string, kinds: string[], summary: string) =>
    app.get<{ Querystring: SearchParams }>(
      path,
      { schema: { summary, tags: ['search'], produces: offeredTypes(COLLECTION_OFFERS), querystring: searchQuerySchema, response: { 200: collectionSchema, 400: { $ref: 'Problem#' }, 406: { $ref: 'Problem#' }, 503: { $ref: 'Problem#' } } } },
      (req, reply) => sendCollection(req, reply, () => collection(req, kinds)),
    );
  searchRoute('/api/v1/datasets', ['Dataset', 'DatasetSeries'], 'Search datasets and dataset series');
  searchRoute('/api/v1/dataservices', ['DataService'], 'Search data services');

  app.get<{ Querystring: SearchParams & { type?: string[] } }>(
    '/api/v1/search',
    {
      schema: {
        summary: 'Search datasets, dataset series and data services together',
        tags: ['search'],
        produces: offeredTypes(COLLECTION_OFFERS),
        querystring: {
          ...searchQuerySchema,
          properties: {
            ...searchQuerySchema.properties,
            type: { type: 'array', items: { type: 'string', enum: Object.keys(TYPES) }, maxItems: 3, description: 'Kinds of record (default: all three)' },
          },
        },
        response: { 200: collectionSchema, 400: { $ref: 'Problem#' }, 406: { $ref: 'Problem#' }, 503: { $ref: 'Problem#' } },
      },
    },
    (req, reply) => sendCollection(req, reply, () => collection(req, kindsOf(req.query.type))),
  );

  app.get<{ Querystring: { q: string; type?: string[]; limit: number; lang: string } }>(
    '/api/v1/suggest',
    {
      schema: {
        summary: 'Autocomplete: titles that complete what is typed',
        tags: ['search'],
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', minLength: 1, maxLength: 100 },
            type: { type: 'array', items: { type: 'string', enum: Object.keys(TYPES) }, maxItems: 3 },
            limit: { type: 'integer', minimum: 1, maximum: 20, default: 8 },
            lang: { type: 'string', pattern: LANGUAGE_PATTERN, default: 'nl', description: 'Language of the titles: en completes and shows English titles where records have them' },
          },
          required: ['q'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              query: { type: 'string' },
              suggestions: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' }, url: { type: 'string' } } } },
            },
          },
          400: { $ref: 'Problem#' },
          503: { $ref: 'Problem#' },
        },
      },
    },
    async (req) => {
      const kinds = kindsOf(req.query.type);
      const found = await services.search.suggest(req.query.q, kinds, req.query.limit, req.query.lang);
      return { query: req.query.q, suggestions: found.map((s) => ({ ...s, url: `${baseUrl}/api/v1/records/${s.id}` })) };
    },
  );

  // An Atom feed of a saved search: the newest changes first, for feed readers and portals that follow a query.
  app.get<{ Querystring: SearchParams & { type?: string[] } }>(
    '/api/v1/search.atom',
    {
      schema: {
        summary: 'Atom feed of a search: new and changed records, newest first',
        tags: ['search'],
        produces: ['application/atom+xml'],
        querystring: {
          ...searchQuerySchema,
          properties: { ...searchQuerySchema.properties, type: { type: 'array', items: { type: 'string', enum: Object.keys(TYPES) }, maxItems: 3 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        },
      },
    },
    async (req, reply) => {
      const kinds = kindsOf(req.query.type);
      const result = await services.search.search({ ...(await withView(services, searchQuery({ ...req.query, page: 1, cursor: undefined }, kinds), req.query.view)), sort: '-modified' });
      const records = await loadRecords(services, result.hits.map((h) => h.id));
      const entries = result.hits.map((h) => records.get(h.id)).filter((r): r is RecordSummary => !!r);
      const self = `${baseUrl}${req.url}`;
      const updated = entries.reduce((max, r) => (updatedOf(r) > max ? updatedOf(r) : max), '');
      const xml = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        `<title>${esc(`Vindbaar: ${req.query.q ? `"${req.query.q}"` : 'all records'}`)}</title>`,
        `<id>${esc(self)}</id>`,
        `<link rel="self" href="${esc(self)}"/>`,
        // RFC 4287 wants an author for every entry; the feed's stands for entries that have none.
        `<author><name>${esc(services.config.catalog.title)}</name><uri>${esc(baseUrl)}/</uri></author>`,
        `<updated>${updated || new Date().toISOString()}</updated>`,
        ...entries.map((r) => {
          const json = r.json as Record<string, unknown>;
          const url = `${baseUrl}/api/v1/records/${r.id}`;
          return [
            '<entry>',
            `<id>${esc(r.iri)}</id>`,
            `<title>${esc(firstText(json.title as never) || r.iri)}</title>`,
            `<link rel="alternate" type="application/ld+json" href="${esc(url)}"/>`,
            `<updated>${updatedOf(r)}</updated>`,
            `<summary>${esc(firstText(json.description as never).slice(0, 1000))}</summary>`,
            '</entry>',
          ].join('');
        }),
        '</feed>',
      ].join('\n');
      return reply.type('application/atom+xml; charset=utf-8').send(xml);
    },
  );

  // OpenSearch description: lets browsers and portals add Vindbaar as a search engine.
  app.get('/opensearch.xml', { schema: { summary: 'OpenSearch description document', tags: ['search'], produces: ['application/opensearchdescription+xml'] } }, async (_req, reply) =>
    reply.type('application/opensearchdescription+xml; charset=utf-8').send(
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">',
        '<ShortName>Vindbaar</ShortName>',
        '<Description>Datasets and data services of the catalogue</Description>',
        '<InputEncoding>UTF-8</InputEncoding>',
        // Browsers add a search engine by its text/html template. Pages are numbered from 1 (pageOffset):
        // an optional {startPage?} left empty by a client gave "page=", which the API refuses.
        `<Url type="text/html" template="${esc(baseUrl)}/search?q={searchTerms}"/>`,
        `<Url type="application/ld+json" pageOffset="1" template="${esc(baseUrl)}/api/v1/search?q={searchTerms}&amp;page={startPage}"/>`,
        `<Url type="application/json" pageOffset="1" template="${esc(baseUrl)}/api/v1/search?q={searchTerms}&amp;page={startPage}"/>`,
        `<Url type="application/atom+xml" template="${esc(baseUrl)}/api/v1/search.atom?q={searchTerms}"/>`,
        '</OpenSearchDescription>',
      ].join('\n'),
    ),
  );
}

/** When a record last changed, as the feed is sorted: its dct:modified, else when Vindbaar last saw it change. */
function updatedOf(r: RecordSummary): string {
  const m = (r.json as { modified?: unknown }).modified;
  const text = typeof m === 'string' ? m : m && typeof m === 'object' && '@value' in m ? String((m as { '@value': unknown })['@value']) : undefined;
  const t = text ? Date.parse(text) : NaN;
  return Number.isNaN(t) ? r.last_modified.toISOString() : new Date(t).toISOString();
}

/** XML text: markup escaped, and the control characters XML 1.0 forbids dropped. */
function esc(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd) continue;
    out += ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : ch === '"' ? '&quot;' : ch === "'" ? '&apos;' : ch;
  }
  return out;
}
