// robots.txt and sitemaps (sitemaps.org 0.9), so that search engines find every dataset and data
// service page, each in Dutch and English; Google Dataset Search then reads the schema.org Dataset the
// page carries. Copies of a dataset held in another catalogue are left out: their primary stands for
// them, as in search. Faceted search pages and the API are closed to crawlers (endless combinations of
// filters, and requests that cost); the catalogue's machine endpoints (/catalog, /feed, /dumps) stay
// open to the harvesters that read robots.txt.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { notModified } from '../api/representation.js';
import { problem } from '../api/problem.js';
import { publisherHref, recordHref } from './search-page.js';
import { listViews } from '../store/thematic-views.js';
import { viewPagePath } from '../api/thematic-views.js';
import { localePath, PAGE_LANGS, type PageLang } from './i18n.js';

/** Records per sitemap file: the protocol allows 50,000 addresses a file, and each record has one
 * page per language. */
export const PER_SITEMAP = Math.floor(50_000 / PAGE_LANGS.length);
const KINDS = ['Dataset', 'DatasetSeries', 'DataService'];
const LIVE_PRIMARIES = `kind = ANY($1::text[]) AND deleted_at IS NULL AND duplicate_of IS NULL`;
/** Pages that are not records: the start page and the overviews. */
const PAGES = ['/', '/publishers', '/quality', '/register', '/views'];

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function robotsTxt(baseUrl: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    'Disallow: /api/',
    // The embeddable lists are search pages made for frames on other sites; a view's page is one
    // address, its filtered and paged variants endless.
    ...PAGE_LANGS.flatMap((lang) => [`Disallow: ${localePath(lang, '/search')}`, `Disallow: ${localePath(lang, '/embed/')}`, `Disallow: ${localePath(lang, '/views/')}*?`]),
    'Disallow: /sparql',
    '',
    `Sitemap: ${baseUrl}/sitemap.xml`,
    '',
  ].join('\n');
}

/** One address in every page language, each naming the others (hreflang), as search engines ask. */
function urlEntry(baseUrl: string, path: (lang: PageLang) => string, lastmod?: Date): string {
  const alternates = PAGE_LANGS.map((l) => `<xhtml:link rel="alternate" hreflang="${l}" href="${xml(baseUrl + path(l))}"/>`).join('');
  return PAGE_LANGS.map((l) => `<url><loc>${xml(baseUrl + path(l))}</loc>${lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : ''}${alternates}</url>`).join('\n');
}

const URLSET_OPEN = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n';

export async function sitemapRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { db } = services;
  const baseUrl = services.config.baseUrl;

  /** The latest change among the records listed: what every sitemap's validators are made of. */
  const state = async () =>
    (
      await db.query<{ n: number; changed: Date | null }>(
        `SELECT count(*)::int AS n, (SELECT max(last_modified) FROM records) AS changed FROM records WHERE ${LIVE_PRIMARIES}`,
        [KINDS],
      )
    ).rows[0];
  const validated = (req: FastifyRequest, reply: FastifyReply, tag: string, changed: Date | null): boolean => {
    const etag = `"${tag}.${changed?.getTime().toString(36) ?? '0'}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=3600');
    if (changed) reply.header('last-modified', changed.toUTCString());
    return notModified(req, etag, changed);
  };

  app.get('/robots.txt', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(robotsTxt(baseUrl)),
  );

  app.get('/sitemap.xml', { schema: { hide: true } }, async (req, reply) => {
    const { n, changed } = await state();
    if (validated(req, reply, `index.${n}`, changed)) return reply.code(304).send();
    const files = ['pages', ...Array.from({ length: Math.ceil(n / PER_SITEMAP) }, (_, i) => `records-${i + 1}`)];
    const entries = files.map((f) => `<sitemap><loc>${xml(`${baseUrl}/sitemaps/${f}.xml`)}</loc>${changed ? `<lastmod>${changed.toISOString()}</lastmod>` : ''}</sitemap>`);
    return reply
      .type('application/xml; charset=utf-8')
      .send(`<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</sitemapindex>\n`);
  });

  // The overviews and every organisation's page (who holds which data is what many come to find).
  app.get('/sitemaps/pages.xml', { schema: { hide: true } }, async (_req, reply) => {
    const all = await services.search.search({ filters: {}, offset: 0, limit: 1, kinds: KINDS, sort: '-modified', facetLimit: 10_000 });
    const entries = [
      ...PAGES.map((p) => urlEntry(baseUrl, (l) => localePath(l, p))),
      ...all.facets.publisher.map((p) => urlEntry(baseUrl, (l) => publisherHref(l, p.value))),
      // Each thematic view's page as its own landing page (never the embeddable lists, made for frames).
      ...(await listViews(db)).map((v) => urlEntry(baseUrl, (l) => localePath(l, viewPagePath(v.id)))),
    ];
    return reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(`${URLSET_OPEN}${entries.join('\n')}\n</urlset>\n`);
  });

  app.get<{ Params: { n: string } }>(
    '/sitemaps/records-:n.xml',
    { schema: { hide: true, params: { type: 'object', properties: { n: { type: 'string', pattern: '^[1-9][0-9]{0,6}$' } }, required: ['n'] } } },
    async (req, reply) => {
      const n = Number(req.params.n);
      const { n: total, changed } = await state();
      if ((n - 1) * PER_SITEMAP >= total) throw problem(404, 'Not Found', `There are ${Math.ceil(total / PER_SITEMAP)} sitemaps of records; see ${baseUrl}/sitemap.xml.`);
      if (validated(req, reply, `records-${n}.${total}`, changed)) return reply.code(304).send();
      // In id order, so that a record keeps its file while others come and go after it.
      const rows = await db.query<{ id: string; kind: string; last_modified: Date }>(
        `SELECT id, kind, last_modified FROM records WHERE ${LIVE_PRIMARIES} ORDER BY id OFFSET $2 LIMIT $3`,
        [KINDS, (n - 1) * PER_SITEMAP, PER_SITEMAP],
      );
      const body = rows.rows.map((r) => urlEntry(baseUrl, (l) => recordHref(l, r), r.last_modified)).join('\n');
      return reply.type('application/xml; charset=utf-8').send(`${URLSET_OPEN}${body}\n</urlset>\n`);
    },
  );
}
