// The pages for people: home, search, dataset and data service pages, publishers; Dutch at /, English
// under /en. Each page reads through the same code paths as the API (the search backend, the record
// loader, the stored validation and history), so the page and the JSON never disagree.
import { linksOfRecord } from '../quality/link-checking.js';
import { CATALOGUE, kpiHistory } from '../quality/kpis.js';
import { commonFindings } from '../quality/findings.js';
import { dashboardBody } from './quality-page.js';
import { contactEmails, listFeedback } from '../feedback/feedback.js';
import type { FeedbackView } from './feedback-form.js';
import { searchRegister } from '../register/register.js';
import { entryInLanguage, registerBody } from './register-page.js';
import { acceptFeedback, feedbackRateLimit, FEEDBACK_BODY_LIMIT } from '../api/feedback.js';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { loadRecords, type RecordSummary } from '../api/records.js';
import { alternates, embedCsp, loadServedRecord, notModified, type ServedRecord } from '../api/representation.js';
import { scopedBy, viewOrNotFound } from '../api/view-scope.js';
import { viewCatalogPath, viewPagePath } from '../api/thematic-views.js';
import { listViews, type LangText, type ThematicView } from '../store/thematic-views.js';
import { VIEW_ID_PATTERN } from '../api/patterns.js';
import { EMBED_PATH, embedPage } from './embed-page.js';
import { kindsOf, searchQuery, searchQuerySchema, type SearchParams } from '../api/search.js';
import { HttpProblem, setProblemPage, problem, type Problem } from '../api/problem.js';
import type { JsonNode } from '../dcat/json.js';
import { labelIris } from '../search/labels.js';
import type { FacetValue } from '../search/backend.js';
import { catalogTitleSql, recentVersions, versionSince } from '../store/records.js';
import { mostViewed, ViewCounter } from '../store/views.js';
import type { RecordValidation } from '../validation/summary.js';
import { externalLink, html, trimText } from './html.js';
import { versionChanges } from '../dcat/history.js';
import { homeBody, type HomeView } from './home-page.js';
import { formatDate, localePath, MESSAGES, PAGE_LANGS, type PageLang } from './i18n.js';
import { ASSETS, layout, PAGE_CSP, searchForm, sendPage } from './layout.js';
import { answerRoutes } from './answer-page.js';
import { publisherBody, publishersBody } from './publisher-page.js';
import { recordBody, type LinkedRecord } from './record-page.js';
import { kindsTitle, lastPageOf, MAX_PAGE, shortenQuery, PAGE_FACETS, PAGE_SIZE, recordHref, searchBody, searchHref, searchQueryString, type PageSearch, type SearchPlace } from './search-page.js';

/** Facet values a search page lists at most, per facet. */
const PAGE_FACET_LIMIT = 300;
import { iriOf, iris, isNode, nameOf, nodes, text } from './values.js';
import { searchAnyWords } from '../search/any-words.js';
import { publicUrl } from '../public-url.js';

const DATASET_KINDS = ['Dataset', 'DatasetSeries'];
const ALL_KINDS = ['Dataset', 'DatasetSeries', 'DataService'];

/** The language of a page by its path. */
export const langOfPath = (url: string): PageLang => (url === '/en' || url.startsWith('/en/') || url.startsWith('/en?') ? 'en' : 'nl');

/** Path and query of a request without the language prefix (for the language switch). */
const pagePath = (req: FastifyRequest): string => req.url.replace(/^\/en(?=\/|\?|$)/, '') || '/';

/** A view's text in the page's language, else in the other. */
const langText = (text: LangText, lang: PageLang): string | undefined => text[lang] ?? text[lang === 'nl' ? 'en' : 'nl'];
/** The language of the text langText gives, when it is not the page's: a lang attribute for it
 * (WCAG 3.1.2), so that a screen reader reads a Dutch-only title on an English page as Dutch. */
const otherLang = (text: LangText, lang: PageLang): string | undefined => (text[lang] === undefined && text[lang === 'nl' ? 'en' : 'nl'] !== undefined ? (lang === 'nl' ? 'en' : 'nl') : undefined);
const langAttr = (other: string | undefined) => (other ? html` lang="${other}"` : '');

const viewParams = { type: 'object', properties: { id: { type: 'string', pattern: VIEW_ID_PATTERN } }, required: ['id'] } as const;

/** Crawlers do not count as views. */
const BOTS = /bot|crawl|spider|slurp|facebookexternalhit|preview/i;

/** IRIs of a record whose labels a page shows. */
function labelledIris(json: JsonNode): string[] {
  const dists = nodes(json.distribution);
  return [
    ...[json.publisher, json.license, json.accessRights, json.accrualPeriodicity].map((v) => iriOf(v)).filter((x): x is string => !!x),
    ...iris(json.theme),
    ...iris(json.language),
    ...iris(json.spatial),
    ...iris(json.hvdCategory),
    ...iris(json.conformsTo),
    ...dists.flatMap((d) => [...iris(d.format), ...iris(d.mediaType), ...iris(d.license)]),
  ];
}

/** Labels for the records of a result list: publishers without a name in the record, formats. */
function summaryIris(records: Iterable<RecordSummary>): string[] {
  const out: string[] = [];
  for (const r of records) {
    const json = r.json as JsonNode;
    const p = iriOf(json.publisher);
    if (p && !nameOf(json.publisher, 'nl')) out.push(p);
    for (const d of nodes(json.distribution)) out.push(...iris(d.format));
  }
  return out;
}

/** The page of a record, for the web route and for the API's text/html representation alike. */
export async function recordPageHtml(
  services: Services,
  r: ServedRecord,
  lang: PageLang,
  path: string,
  options: { feedbackSent?: boolean; feedbackError?: string; feedbackErrorField?: FeedbackView['errorField']; feedbackValues?: FeedbackView['values'] } = {},
): Promise<string> {
  const { db, config } = services;
  const json = r.json as JsonNode;
  const [extra, earlier, labels, linked, links, token, feedback, register] = await Promise.all([
    db.query<{ validation: RecordValidation | null; nquads: string; catalog_title: string | null }>(
      'SELECT r.validation, r.nquads, c.title AS catalog_title FROM records r JOIN catalogs c ON c.id = r.catalog_id WHERE r.id = $1',
      [r.id],
      { prepare: 'web-record-extra' },
    ),
    recentVersions(db, r.id, 9),
    labelIris(db, labelledIris(json), lang),
    linkedRecords(services, [...iris(json.servesDataset), ...nodes(json.distribution).flatMap((d) => iris(d.accessService))], lang),
    linksOfRecord(db, r.id),
    services.feedback.tokens.issue(r.id),
    listFeedback(db, { recordId: r.id, publicOnly: true, limit: 50, offset: 0 }),
    searchRegister(db, { recordId: r.id, limit: 50, offset: 0 }),
  ]);
  const row = extra.rows[0];
  const primaryId = r.duplicate_of ?? undefined;
  // The primary is named on its own (copyOf), not among the copies.
  const others = (r.copies ?? []).filter((c) => c.id !== r.id && c.id !== primaryId);
  const copyIds = others.map((c) => c.id);
  const copyRecords = await loadRecords(services, [...copyIds, ...(primaryId ? [primaryId] : [])]);
  // Each copy is named with its catalogue's title, which says more to a reader than its id.
  const copyCatalogs = [...new Set([...others.map((c) => c.catalogId), ...[...copyRecords.values()].map((c) => c.catalog_id)])];
  const catalogTitles = new Map(
    copyCatalogs.length > 0
      ? (await db.query<{ id: string; title: string | null }>(`SELECT c.id, ${catalogTitleSql([lang, ...(lang === 'nl' ? ['en'] : ['nl'])])} AS title FROM catalogs c WHERE c.id = ANY($1::text[])`, [copyCatalogs])).rows.map((c) => [c.id, c.title || undefined])
      : [],
  );
  const asLinked = (id: string, catalogId: string): LinkedRecord => {
    const c = copyRecords.get(id);
    return { id, kind: c?.kind ?? r.kind, catalogId, catalogTitle: catalogTitles.get(catalogId), title: c ? text((c.json as JsonNode).title, lang) : undefined };
  };
  const body = recordBody({
    lang,
    id: r.id,
    iri: r.iri,
    kind: r.kind,
    json,
    catalogId: r.catalog_id,
    catalogTitle: row?.catalog_title ?? undefined,
    sourceUrl: publicUrl(r.source_url),
    fetchedAt: r.fetched_at,
    firstSeen: r.first_seen,
    // What a reader means by "last changed": the record's content, not a report made anew.
    lastModified: versionSince(r),
    url: `${config.baseUrl}${recordHref('nl', r)}`,
    alternates: alternates(config.baseUrl, r.id),
    validation: row?.validation ?? null,
    links,
    register: register.items.map((e) => entryInLanguage(lang, e, json, labels)),
    feedback: { lang, action: `${recordHref(lang, r)}/feedback`, token, items: feedback.items, sent: !!options.feedbackSent, error: options.feedbackError, errorField: options.feedbackErrorField, values: options.feedbackValues, mailed: contactEmails(json).length > 0 || !!config.catalog.contactEmail },
    history: versionChanges({ version: r.version, nquads: row?.nquads ?? '', since: versionSince(r) }, earlier),
    labels,
    linked,
    copies: others.map((c) => asLinked(c.id, c.catalogId)),
    copyOf: primaryId ? asLinked(primaryId, copyRecords.get(primaryId)?.catalog_id ?? '') : undefined,
  });
  const title = text(json.title, lang) ?? r.iri;
  const head = alternates(config.baseUrl, r.id)
    .filter((a) => a.type !== 'text/html')
    .map((a) => html`<link rel="alternate" type="${a.type}" href="${a.href}">`);
  return layout({ lang, title: title.slice(0, 200), path, body, head, bandSearch: true, description: (text(json.description, lang) ?? '').slice(0, 300) });
}

/** Records of this catalogue with the given IRIs (the live primary of each). */
async function linkedRecords(services: Services, iriList: string[], lang: PageLang): Promise<Map<string, LinkedRecord>> {
  const wanted = [...new Set(iriList)].slice(0, 500);
  if (!wanted.length) return new Map();
  const found = await services.db.query<{ id: string; iri: string; kind: string; catalog_id: string; title: JsonNode['title'] }>(
    `SELECT DISTINCT ON (iri) id, iri, kind, catalog_id, json->'title' AS title FROM records
     WHERE iri = ANY($1::text[]) AND deleted_at IS NULL AND kind <> 'Resource' ORDER BY iri, (duplicate_of IS NULL) DESC, first_seen`,
    [wanted],
  );
  return new Map(found.rows.map((f) => [f.iri, { id: f.id, kind: f.kind, catalogId: f.catalog_id, title: text(f.title, lang) }]));
}

/** The language a client reading the API's HTML prefers, of the two the pages speak. */
export function acceptLanguage(header: string | undefined): PageLang {
  const first = (header ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'nl';
}

export async function webRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { db } = services;
  // The feedback form posts application/x-www-form-urlencoded (no script needed).
  await app.register(formbody, { bodyLimit: FEEDBACK_BODY_LIMIT });
  const views = new ViewCounter(db);
  views.start(10_000, (e) => services.log.warn({ err: e.message }, 'page views not saved'));
  app.addHook('onClose', async () => views.stop());

  setProblemPage((p: Problem, req: FastifyRequest) => {
    const lang = langOfPath(req.url);
    const t = MESSAGES[lang];
    const notFound = p.status === 404 || p.status === 410;
    // A withdrawn record (from the page or the API's HTML): when, in the page's language, and what it was.
    const gone = p.status === 410 && typeof p.withdrawn === 'string' ? { when: p.withdrawn, iri: p.iri, name: p.name, versions: p.versions } : undefined;
    // A request's own parameters refused by its schema (or holding a NUL character, refused before any
    // route): said in the page's language, the technical words kept below as detail.
    const badAddress = p.status === 400 && /^(querystring|params)\b|NUL character/.test(p.detail ?? '');
    // The words of a refused search stay in the box, to be searched for again without the wrong part.
    const asked = (req.query as { q?: unknown } | undefined)?.q;
    const heading = gone ? t.withdrawnTitle : notFound ? t.notFoundTitle : `${p.status} ${t.status[p.status] ?? p.title}`;
    const body = html`<h1>${heading}</h1>
<p>${gone ? t.withdrawn(formatDate(gone.when, lang) ?? gone.when) : p.status === 410 ? p.detail : notFound ? t.notFound : badAddress ? t.badAddress : p.detail}</p>
${
  gone
    ? html`<dl class="facts">${typeof gone.name === 'string' ? html`<dt>${t.withdrawnWhat}</dt><dd>${trimText(gone.name, 500)}</dd>` : ''}${typeof gone.iri === 'string' && !gone.iri.startsWith('_:') ? html`<dt>IRI</dt><dd>${externalLink(gone.iri)}</dd>` : ''}</dl>
${typeof gone.versions === 'string' ? html`<p><a href="${new URL(gone.versions, 'http://x').pathname}">${t.withdrawnVersions}</a></p>` : ''}`
    : ''
}
${badAddress ? html`<p class="count">${t.technical}: ${p.detail}</p>` : ''}
${searchForm(lang, typeof asked === 'string' ? shortenQuery(asked.trim()) : undefined, 'q-error', true)}
<p><a href="${localePath(lang, '/')}">${t.home}</a></p>`;
    // An embeddable list that went wrong (a view removed, say) still shows in its frame, saying why.
    const embedded = pagePath(req).startsWith(`${EMBED_PATH}`);
    return { html: layout({ lang, title: gone ? t.withdrawnTitle : notFound ? t.notFoundTitle : t.errorTitle, path: pagePath(req), body }), csp: embedded ? embedCsp(services.config.embedAncestors) : PAGE_CSP };
  });

  // The embeddable lists answer (their errors too) without helmet's X-Frame-Options: SAMEORIGIN, which
  // browsers that know no frame-ancestors would obey; their policy says who may frame them.
  app.addHook('onSend', async (req, reply, payload) => {
    if (pagePath(req).startsWith(EMBED_PATH)) reply.removeHeader('x-frame-options');
    return payload;
  });

  for (const asset of Object.values(ASSETS))
    app.get(asset.path, { schema: { hide: true } }, async (req, reply) => {
      reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').header('etag', asset.etag);
      if (notModified(req, asset.etag)) return reply.code(304).send();
      return reply.compress(asset.body);
    });

  // "/en/" as people type it: the English home page, not "not found".
  app.get('/en/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/en', 301));

  // Browsers ask for /favicon.ico whatever the page says.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.redirect(ASSETS.icon.path, 301));

  // The home page's figures change when records do; a few seconds' reuse spares the search backend.
  const homeCache = new Map<PageLang, { at: number; view: HomeView }>();
  const homeView = async (lang: PageLang): Promise<HomeView> => {
    const cached = homeCache.get(lang);
    if (cached && Date.now() - cached.at < 10_000) return cached.view;
    const base = { filters: {}, offset: 0, lang, sort: '-modified' as const };
    const [datasets, services_, viewed] = await Promise.all([
      services.search.search({ ...base, kinds: DATASET_KINDS, limit: 5 }),
      services.search.search({ ...base, kinds: ['DataService'], limit: 1 }),
      mostViewed(db, ALL_KINDS, 5),
    ]);
    const records = await loadRecords(services, [...datasets.hits.map((h) => h.id), ...viewed.map((v) => v.id)]);
    const pick = (ids: string[]) => ids.map((id) => records.get(id)).filter((r): r is RecordSummary => !!r);
    const access = (re: RegExp) => datasets.facets.accessRights.filter((a) => re.test(a.value)).reduce((s, a) => s + a.count, 0);
    const view: HomeView = {
      lang,
      datasets: datasets.total,
      services: services_.total,
      open: access(/\/PUBLIC$/),
      closed: access(/\/(RESTRICTED|NON_PUBLIC)$/),
      themes: datasets.facets.theme,
      newest: pick(datasets.hits.map((h) => h.id)),
      mostViewed: viewed.map((v) => ({ record: records.get(v.id)!, views: v.views })).filter((x) => !!x.record),
      labels: await labelIris(db, summaryIris(records.values()), lang),
    };
    homeCache.set(lang, { at: Date.now(), view });
    return view;
  };

  const pageSchema = {
    type: 'object',
    properties: {
      ...Object.fromEntries(Object.entries(searchQuerySchema.properties).filter(([k]) => !['limit', 'lang', 'cursor'].includes(k))),
      type: { type: 'array', items: { type: 'string', enum: ['dataset', 'series', 'dataservice'] }, maxItems: 3 },
      page: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 },
      // Longer than a search takes: the page searches for its beginning and says so (see shortenQuery).
      q: { type: 'string', maxLength: 8_000 },
    },
    // Pages ignore parameters they do not know (campaign tags, old links) rather than refuse.
    additionalProperties: true,
  };

  for (const lang of PAGE_LANGS) {
    const at = (path: string) => localePath(lang, path);
    answerRoutes(app, services, lang, pagePath);
    const t = MESSAGES[lang];

    app.get(at('/'), { schema: { hide: true } }, async (req, reply) => sendPage(reply, layout({ lang, title: t.tagline, path: pagePath(req), body: homeBody(await homeView(lang)) })));

    /** A search as the pages run it (the search page, a view's page, the embeddable list): the query
     * cut to what a search takes, the view's bounds, the records and their labels. */
    const pageSearch = async (params: PageSearch & SearchParams, view: ThematicView | undefined, facets = true) => {
      // A query of blanks alone is no query: the page is "all results", not results for "  ".
      params.q = params.q?.trim() || undefined;
      const asked = params.q;
      if (asked) params.q = shortenQuery(asked);
      const shortened = asked !== params.q;
      // Every value of a facet up to a few hundred (the rest under "more"): an organisation or a format
      // that is not among the commonest must still be one click away.
      const plain = searchQuery({ ...params, limit: PAGE_SIZE, lang, cursor: undefined }, kindsOf(params.type));
      const query = { ...(view ? scopedBy(plain, view) : plain), facetLimit: facets ? PAGE_FACET_LIMIT : 1 };
      const result = await searchAnyWords(services.search, query);
      const records = await loadRecords(services, result.hits.map((h) => h.id));
      // A chosen value that counts nothing under the other filters is in no facet list: its chip and
      // box still say its name ("Niet-publiek"), not its IRI.
      const unlisted = PAGE_FACETS.flatMap((f) => (params[f] ?? []).filter((v) => !result.facets[f]?.some((x) => x.value === v)));
      const labels = await labelIris(db, [...summaryIris(records.values()), ...(facets ? unlisted : [])], lang);
      return { query, result, records, labels, shortened, lastPage: lastPageOf(result.total) };
    };

    const searchPage = async (req: FastifyRequest<{ Querystring: PageSearch & SearchParams }>, reply: FastifyReply, view: ThematicView | undefined, place: SearchPlace) => {
      const params = req.query;
      const { query, result, records, labels, shortened, lastPage } = await pageSearch(params, view);
      // Past the last page (an old link, a hand-edited address): the last page, rather than a page that
      // says both "327 results" and "no results".
      if (result.hits.length === 0 && result.total > 0 && (params.page ?? 1) > lastPage) return reply.redirect(searchHref(lang, { ...params, page: lastPage }, place), 303);
      // Nothing found for words that name an organisation: records that point at their publisher by IRI
      // alone do not carry its name (known from other records), so the page offers the organisations
      // whose name holds every word.
      let organisations: FacetValue[] | undefined;
      if ((result.total === 0 || result.anyWords) && params.q) {
        const fold = (x: string) => x.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
        const words = fold(params.q).match(/[\p{L}\p{N}]+/gu) ?? [];
        if (words.length) {
          const all = await services.search.search({ filters: {}, scope: query.scope, offset: 0, limit: 1, kinds: query.kinds, sort: '-modified', lang, facetLimit: 10_000 });
          organisations = all.facets.publisher.filter((p) => words.every((w) => fold(p.label ?? '').includes(w))).slice(0, 10);
        }
      }
      const heading = view
        ? { title: langText(view.title, lang) ?? view.id, titleLang: otherLang(view.title, lang), description: langText(view.description, lang), descriptionLang: otherLang(view.description, lang), catalog: viewCatalogPath(view.id) }
        : undefined;
      const body = searchBody({ lang, params, result, records, labels, organisations, shortened, place, heading, baseUrl: services.config.baseUrl });
      const head = html`<link rel="alternate" type="application/atom+xml" href="/api/v1/search.atom${searchQueryString({ ...params, page: 1 })}">${
        view ? html`<link rel="alternate" type="text/turtle" href="${viewCatalogPath(view.id)}">` : ''
      }`;
      const only = kindsTitle(lang, params.type);
      // Each page of results its own title (history, tabs, bookmarks and screen readers tell them apart).
      // A long query is cut between words and says so (…), as the heading cuts it.
      const what = params.q ? `${t.resultsFor} “${trimText(params.q, 100)}”` : (only ?? t.allResults);
      const title = `${heading ? `${heading.title.slice(0, 100)}${params.q ? `: ${what}` : ''}` : what}${(params.page ?? 1) > 1 ? ` (${t.page(params.page!, lastPage)})` : ''}`;
      return sendPage(reply, layout({ lang, title, path: pagePath(req), body, head, bandSearch: true, query: params.q, description: heading?.description?.slice(0, 300) }));
    };

    app.get<{ Querystring: PageSearch & SearchParams }>(at('/search'), { schema: { hide: true, querystring: pageSchema } }, async (req, reply) =>
      searchPage(req, reply, req.query.view ? await viewOrNotFound(services, req.query.view) : undefined, { path: '/search' }),
    );

    // A thematic view's page: its title and description over the search within it.
    app.get<{ Params: { id: string }; Querystring: PageSearch & SearchParams }>(
      at('/views/:id'),
      { schema: { hide: true, params: viewParams, querystring: pageSchema } },
      async (req, reply) => {
        const view = await viewOrNotFound(services, req.params.id);
        req.query.view = view.id;
        return searchPage(req, reply, view, { path: viewPagePath(view.id), viewInPath: true });
      },
    );

    app.get(at('/views'), { schema: { hide: true } }, async (req, reply) => {
      const views = await listViews(db);
      const counts = await Promise.all(
        views.map(async (v) => (await services.search.search(scopedBy({ filters: {}, offset: 0, limit: 1, kinds: ALL_KINDS, sort: '-modified', facetLimit: 1 }, v))).total),
      );
      const tt = t.thematic;
      const body = html`<h1>${tt.title}</h1>
<p class="lead">${tt.intro}</p>
${
  views.length
    ? html`<ul class="views-list">${views.map((v, i) => {
        const description = langText(v.description, lang);
        return html`<li><h2${langAttr(otherLang(v.title, lang))}><a href="${localePath(lang, viewPagePath(v.id))}">${trimText(langText(v.title, lang) ?? v.id, 200)}</a></h2>
${description ? html`<p${langAttr(otherLang(v.description, lang))}>${trimText(description, 500)}</p>` : ''}<p class="count">${tt.records(counts[i])} · <a href="${viewCatalogPath(v.id)}">DCAT</a></p></li>`;
      })}</ul>`
    : html`<p>${tt.none}</p>`
}`;
      return sendPage(reply, layout({ lang, title: tt.title, path: pagePath(req), body, bandSearch: true }));
    });

    // The embeddable list: the search, framed on another site. Only here may other sites frame a page.
    app.get<{ Querystring: PageSearch & SearchParams }>(at(EMBED_PATH), { schema: { hide: true, querystring: pageSchema } }, async (req, reply) => {
      const params = req.query;
      const view = params.view ? await viewOrNotFound(services, params.view) : undefined;
      const { result, records, labels, lastPage } = await pageSearch(params, view, false);
      if (result.hits.length === 0 && result.total > 0 && (params.page ?? 1) > lastPage) return reply.redirect(searchHref(lang, { ...params, page: lastPage }, { path: EMBED_PATH }), 303);
      const title = view ? (langText(view.title, lang) ?? view.id) : (kindsTitle(lang, params.type) ?? t.allResults);
      const fullHref = view ? searchHref(lang, { ...params, page: 1 }, { path: viewPagePath(view.id), viewInPath: true }) : searchHref(lang, { ...params, page: 1 });
      reply.header('x-robots-tag', 'noindex');
      return sendPage(reply, embedPage({ lang, params, result, records, labels, title, fullHref }), 200, embedCsp(services.config.embedAncestors));
    });

    const recordRoute = (path: string, kinds: string[]) => {
      app.post<{ Params: { id: string }; Body: Record<string, string | undefined> }>(
        at(`${path}/feedback`),
        {
          bodyLimit: FEEDBACK_BODY_LIMIT,
          config: { rateLimit: feedbackRateLimit(services) },
          schema: { hide: true, params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] }, body: { type: 'object', additionalProperties: { type: 'string' } } },
        },
        async (req, reply) => {
          const body = req.body ?? {};
          const back = `${localePath(lang, path.replace(':id', encodeURIComponent(req.params.id)))}?feedback=sent#feedback`;
          // A filled honeypot is a robot: it is told all went well, and nothing is kept.
          if (body.website) return reply.redirect(back, 303);
          // A refused post comes back as the page with the form as it was sent and why, in the page's
          // language: the visitor's text is not lost to an error page.
          const again = async (reason: string, status = 400) => {
            const r = await loadServedRecord(db, req.params.id, { json: true, nquads: false });
            if (!r || r.deleted_at || !kinds.includes(r.kind)) throw problem(404, 'Not Found', `No dataset or data service with id "${req.params.id}".`);
            const values = { kind: body.kind, message: body.message, name: body.name, email: body.email };
            // The language switch leads to the record's page, not to this address that only takes posts.
            const pagePathOfRecord = path.replace(':id', encodeURIComponent(req.params.id));
            // The field the refusal is about, so that the form marks it and ties the reason to it.
            const field = reason === 'email' ? 'email' : reason === 'kind' ? 'kind' : ['short', 'long', 'links'].includes(reason) ? 'message' : undefined;
            return sendPage(reply, await recordPageHtml(services, r, lang, pagePathOfRecord, { feedbackError: MESSAGES[lang].feedback.refused[reason], feedbackErrorField: field, feedbackValues: values }), status);
          };
          const refusal = await services.feedback.tokens.refusal(req.params.id, body.token);
          if (refusal) return again(/too quickly/.test(refusal) ? 'quick' : 'reload');
          try {
            await acceptFeedback(services, req.params.id, { kind: body.kind, message: body.message, name: body.name, email: body.email, lang }, req.ip);
          } catch (e) {
            const p = e instanceof HttpProblem ? (e.problem as Problem & { field?: string }) : undefined;
            if (p?.status === 429) return again('limit', 429);
            if (p?.status !== 400) throw e;
            return again(p.field === 'email' ? 'email' : p.field === 'kind' ? 'kind' : /links/.test(p.detail ?? '') ? 'links' : /longer/.test(p.detail ?? '') ? 'long' : 'short');
          }
          return reply.redirect(back, 303);
        },
      );
      app.get<{ Params: { id: string }; Querystring: { feedback?: string } }>(
        at(path),
        {
          schema: {
            hide: true,
            params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
            querystring: { type: 'object', properties: { feedback: { type: 'string', maxLength: 10 } } },
          },
        },
        async (req, reply) => {
          const r = await loadServedRecord(db, req.params.id, { json: true, nquads: false });
          if (!r || r.kind === 'Resource' || r.kind === 'Catalog') throw problem(404, 'Not Found', `No dataset or data service with id "${req.params.id}".`);
          if (r.deleted_at)
            throw problem(410, 'Gone', MESSAGES[lang].withdrawn(r.deleted_at.toISOString().slice(0, 10)), {
              iri: r.iri,
              withdrawn: r.deleted_at.toISOString(),
              name: text((r.json as JsonNode | null)?.title, lang),
              versions: `/api/v1/records/${encodeURIComponent(r.id)}/versions`,
            });
          // One page per record: a service asked for under /datasets (or the reverse) moves to its own path.
          if (!kinds.includes(r.kind)) return reply.redirect(recordHref(lang, r), 301);
          if (!BOTS.test(req.headers['user-agent'] ?? '')) views.hit(r.id);
          return sendPage(reply, await recordPageHtml(services, r, lang, pagePath(req), { feedbackSent: req.query.feedback === 'sent' }));
        },
      );
    };
    recordRoute('/datasets/:id', DATASET_KINDS);
    recordRoute('/dataservices/:id', ['DataService']);
    // "/datasets?q=…" and "/dataservices" as people guess them from a record's address: the search,
    // of that kind, with what they asked (other portals list datasets there).
    for (const [path, types] of [['/datasets', ['dataset', 'series']], ['/dataservices', ['dataservice']]] as const)
      app.get(at(path), { schema: { hide: true } }, async (req, reply) => {
        const asked = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
        if (!asked.has('type')) for (const t of types) asked.append('type', t);
        return reply.redirect(`${localePath(lang, '/search')}?${asked}`, 301);
      });

    app.get(at('/publishers'), { schema: { hide: true } }, async (req, reply) => {
      // Every organisation, not the first 50 a search facet shows.
      const result = await services.search.search({ filters: {}, offset: 0, limit: 1, kinds: ALL_KINDS, sort: '-modified', lang, facetLimit: 10_000 });
      return sendPage(reply, layout({ lang, title: t.publishersTitle, path: pagePath(req), body: publishersBody(lang, result.facets.publisher), bandSearch: true }));
    });

    app.get<{ Querystring: { q?: string; access?: 'restricted' | 'non-public'; page?: number } }>(
      at('/register'),
      {
        schema: {
          hide: true,
          querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 200 }, access: { type: 'string', enum: ['restricted', 'non-public', ''] }, page: { type: 'integer', minimum: 1, maximum: 1000, default: 1 } } },
        },
      },
      async (req, reply) => {
        const { q, page = 1 } = req.query;
        const access = req.query.access || undefined;
        const r = await searchRegister(db, { q, access, limit: 100, offset: (page - 1) * 100, lang });
        const [records, labels] = await Promise.all([
          loadRecords(services, [...new Set(r.items.map((e) => e.recordId))]),
          labelIris(db, r.items.flatMap((e) => (e.publisher && !e.publisherName ? [e.publisher] : [])), lang),
        ]);
        const entries = r.items.map((e) => entryInLanguage(lang, e, records.get(e.recordId)?.json as JsonNode | undefined, labels));
        return sendPage(reply, layout({ lang, title: t.register.title, path: pagePath(req), body: registerBody({ lang, q, access, total: r.total, entries }), bandSearch: true }));
      },
    );

    app.get(at('/quality'), { schema: { hide: true } }, async (req, reply) => {
      const [rows, history] = await Promise.all([services.kpis.current(), kpiHistory(db)]);
      const publishers = rows.filter((r) => r.publisher !== CATALOGUE);
      const labels = await labelIris(db, publishers.map((p) => p.publisher).filter(Boolean), lang);
      const body = dashboardBody({
        lang,
        catalogue: rows.find((r) => r.publisher === CATALOGUE)?.figures,
        history,
        publishers: publishers.map((p) => ({ ...p, label: p.publisher ? (labels.get(p.publisher) ?? null) : null })),
      });
      return sendPage(reply, layout({ lang, title: t.kpi.title, path: pagePath(req), body, bandSearch: true }));
    });

    app.get<{ Querystring: { iri: string } }>(
      at('/publisher'),
      { schema: { hide: true, querystring: { type: 'object', properties: { iri: { type: 'string', minLength: 1, maxLength: 2000 } }, required: ['iri'] } } },
      async (req, reply) => {
        const iri = req.query.iri;
        const result = await services.search.search({ filters: { publisher: [iri] }, offset: 0, limit: PAGE_SIZE, kinds: ALL_KINDS, sort: '-modified', lang });
        if (result.total === 0) throw problem(404, 'Not Found', `No records of the organisation "${iri}".`);
        const records = await loadRecords(services, result.hits.map((h) => h.id));
        const list_ = result.hits.map((h) => records.get(h.id)).filter((r): r is RecordSummary => !!r);
        const labels = await labelIris(db, [iri, ...summaryIris(list_)], lang);
        const named = list_.map((r) => (r.json as JsonNode).publisher).find((p) => isNode(p) && iriOf(p) === iri && !!nameOf(p, lang));
        const name = nameOf(named, lang) ?? labels.get(iri) ?? iri;
        const [now, history, findings] = await Promise.all([services.kpis.current(iri), kpiHistory(db, iri), commonFindings(db, { publisher: iri }, 10)]);
        const kpis = now[0] ? { figures: now[0].figures, history, csvHref: `/api/v1/kpis.csv?publisher=${encodeURIComponent(iri)}&lang=${lang}` } : undefined;
        const body = publisherBody({ lang, iri, name, result, records: list_, labels, kpis, findings });
        return sendPage(reply, layout({ lang, title: name.slice(0, 200), path: pagePath(req), body, bandSearch: true }));
      },
    );
  }
}
