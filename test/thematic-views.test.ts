// Thematic views: an operator defines a named filter set (PUT /api/v1/views/{id}), and the view is served
// as a page, as a DCAT sub-catalogue that portals harvest, through the search API (?view=) and as an
// embeddable list other sites frame. On the embedded store with the sample catalogue, and the API part
// again on a real Postgres server (the migration and the SQL on both). The embeddable list is checked
// in Chromium inside an iframe of a page from another loopback origin: the browser enforces
// frame-ancestors, so only a policy that allows the frame shows the list.
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Parser, type Quad } from 'n3';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { loadSamplesIfEmpty } from '../src/samples.js';
import { STORES } from './support/stores.js';
import { createDatabase } from './support/postgres-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const KEY = 'test-admin-key-views-0123456789';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const THEME = 'http://publications.europa.eu/resource/authority/data-theme/';
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

const LABOUR = {
  title: { nl: 'Arbeidsmarkt <en> onderzoek', en: 'Labour market research' },
  description: { nl: 'Data over werk, werkzoekenden en sociale bescherming.', en: 'Data on work, jobseekers and social protection.' },
  filters: { theme: ['SOCI'], type: ['dataset', 'series'] },
};

async function start(env: Record<string, string>): Promise<{ services: Services; app: FastifyInstance; dir?: string }> {
  const dir = env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'vindbaar-views-'));
  const services = await createServices(
    loadConfig({ ...(dir ? { VINDBAAR_DATA_DIR: dir } : {}), VINDBAAR_ADMIN_KEY: KEY, VINDBAAR_BASE_URL: 'http://127.0.0.1:1', VINDBAAR_SAMPLE_DATA: 'true', ...env }),
    pino({ level: 'silent' }),
  );
  await loadSamplesIfEmpty(services);
  await services.reindexPending();
  return { services, app: await buildServer(services), dir };
}

const put = (app: FastifyInstance, id: string, body: unknown, key: string | null = KEY) =>
  app.inject({ method: 'PUT', url: `/api/v1/views/${id}`, headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, payload: JSON.stringify(body) });

/** Every record a search lists, page after page. */
async function searchIds(app: FastifyInstance, query: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const r = await app.inject({ url: `/api/v1/search?${query}&limit=100&page=${page}` });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { member: { id: string }[]; totalItems: number };
    ids.push(...body.member.map((m) => m.id));
    if (ids.length >= body.totalItems || body.member.length === 0) return ids;
  }
}

/** Every page of a DCAT catalogue, following hydra:next. */
async function harvest(app: FastifyInstance, base: string, path: string): Promise<{ pages: Quad[][]; catalog: string }> {
  const pages: Quad[][] = [];
  let next: string | undefined = `${base}${path}`;
  while (next) {
    const r = await app.inject({ url: next.slice(base.length), headers: { accept: 'text/turtle' } });
    expect(r.statusCode, r.body).toBe(200);
    const quads: Quad[] = new Parser({ baseIRI: next }).parse(r.body);
    pages.push(quads);
    next = quads.find((q) => q.predicate.value === `${HYDRA}next`)?.object.value;
    expect(pages.length).toBeLessThan(50);
  }
  return { pages, catalog: `${base}${path.split('?')[0]}` };
}

for (const store of STORES) {
  describe.skipIf(!store.available)(`thematic views API (${store.name})`, () => {
    let services: Services;
    let app: FastifyInstance;
    let dir: string | undefined;
    let publisherKey: string;

    beforeAll(async () => {
      let env: Record<string, string> = {};
      if (store.name === 'postgres') {
        // A database of its own on the test server, migrated by the service itself.
        env = { DATABASE_URL: await createDatabase(inject('pgUrl'), `views_${Date.now().toString(36)}`) };
      }
      ({ services, app, dir } = await start(env));
      const k = await app.inject({
        method: 'POST',
        url: '/api/v1/keys',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ role: 'publisher', label: 'portal', organisation: 'https://voorbeeld.vindbaar.example/id/organisatie/wse' }),
      });
      expect(k.statusCode, k.body).toBe(201);
      publisherKey = (k.json() as { key: string }).key;
    }, 300_000);

    afterAll(async () => {
      await app?.close();
      await services?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('creates, reads, lists, replaces and deletes a view', async () => {
      const created = await put(app, 'arbeidsmarkt', LABOUR);
      expect(created.statusCode, created.body).toBe(201);
      expect(created.headers.location).toBe('/api/v1/views/arbeidsmarkt');
      const v = created.json() as Record<string, unknown>;
      expect(v).toMatchObject({ id: 'arbeidsmarkt', title: LABOUR.title, filters: LABOUR.filters, catalog: 'http://127.0.0.1:1/catalog/views/arbeidsmarkt' });

      const one = await app.inject({ url: '/api/v1/views/arbeidsmarkt' });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ id: 'arbeidsmarkt', description: LABOUR.description, embed: 'http://127.0.0.1:1/embed/search?view=arbeidsmarkt' });

      expect((await put(app, 'economie', { title: { en: 'Economy' }, filters: { theme: [`${THEME}ECON`] } })).statusCode).toBe(201);
      const list = (await app.inject({ url: '/api/v1/views' })).json() as { totalItems: number; member: { id: string }[] };
      expect(list.member.map((m) => m.id)).toEqual(['arbeidsmarkt', 'economie']);

      const replaced = await put(app, 'economie', { title: { nl: 'Economie', en: 'Economy' }, filters: { theme: ['ECON'], accessRights: ['public'] } });
      expect(replaced.statusCode).toBe(200);
      expect(replaced.json()).toMatchObject({ title: { nl: 'Economie' }, filters: { theme: ['ECON'], accessRights: ['public'] } });

      expect((await app.inject({ method: 'DELETE', url: '/api/v1/views/economie', headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(204);
      const gone = await app.inject({ url: '/api/v1/views/economie' });
      expect(gone.statusCode).toBe(404);
      expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/views/economie', headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(404);
    });

    it('refuses bad input with a problem that says what: unknown filters, bad values, a bad id, no filters', async () => {
      const unknown = await put(app, 'fout', { title: { nl: 'Fout' }, filters: { theme: ['ECON'], keywords: ['werk'], themes: ['SOCI'] } });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(unknown.json()).toMatchObject({ status: 400, unknownFilters: ['keywords', 'themes'] });
      expect((unknown.json() as { detail: string }).detail).toMatch(/"keywords", "themes".*theme, keyword, publisher/);

      const bad = [
        await put(app, 'fout', { title: { nl: 'Fout' }, filters: { quality: ['great'] } }),
        await put(app, 'fout', { title: { nl: 'Fout' }, filters: { type: ['catalog'] } }),
        await put(app, 'fout', { title: { nl: 'Fout' }, filters: { theme: ['  '] } }),
        await put(app, 'fout', { title: { nl: 'Fout' }, filters: {} }),
        await put(app, 'fout', { title: {}, filters: { theme: ['ECON'] } }),
        await put(app, 'fout', { title: { fr: 'Faux' }, filters: { theme: ['ECON'] } }),
        await put(app, 'fout', { filters: { theme: ['ECON'] } }),
        await put(app, 'Fout_Id', { title: { nl: 'Fout' }, filters: { theme: ['ECON'] } }),
        await put(app, '-fout', { title: { nl: 'Fout' }, filters: { theme: ['ECON'] } }),
        // Words: one query, not a list of them, and no longer than the search API's.
        await put(app, 'fout', { title: { nl: 'Fout' }, filters: { q: ['werk', 'zorg'] } }),
        await put(app, 'fout', { title: { nl: 'Fout' }, filters: { q: ['werk '.repeat(120)] } }),
      ];
      for (const r of bad) {
        expect(r.statusCode, r.body).toBe(400);
        expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      expect((await app.inject({ url: '/api/v1/views/Bad_Slug' })).statusCode).toBe(400);
      expect((await app.inject({ url: '/api/v1/views/fout' })).statusCode).toBe(404);
      // The search API names an unknown view rather than searching the whole catalogue.
      const search = await app.inject({ url: '/api/v1/search?view=nergens' });
      expect(search.statusCode).toBe(404);
      expect((search.json() as { detail: string }).detail).toMatch(/nergens/);
    });

    it('lets only administrators write: 401 without a key, 403 with a publisher key', async () => {
      const none = await put(app, 'portaal', LABOUR, null);
      expect(none.statusCode).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      expect((await put(app, 'portaal', LABOUR, 'vb_nothing_wrongkey')).statusCode).toBe(401);
      expect((await put(app, 'portaal', LABOUR, publisherKey)).statusCode).toBe(403);
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/views/arbeidsmarkt' })).statusCode).toBe(401);
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/views/arbeidsmarkt', headers: { authorization: `Bearer ${publisherKey}` } })).statusCode).toBe(403);
      expect((await app.inject({ url: '/api/v1/views/portaal' })).statusCode).toBe(404);
    });

    it('bounds the search by a view\'s words as by its filters, on every way it is served', async () => {
      const put1 = await put(app, 'werkzoekenden', { title: { nl: 'Werkzoekenden' }, filters: { q: ['werkzoekenden'], keyword: ['Geslacht'] } });
      expect(put1.statusCode, put1.body).toBe(201);
      const inView = await searchIds(app, 'view=werkzoekenden');
      const same = await searchIds(app, 'q=werkzoekenden&keyword=geslacht&type=dataset&type=series&type=dataservice');
      expect(inView.length).toBeGreaterThan(0);
      expect(inView.sort()).toEqual(same.sort());
      // Words searched within the view narrow it; the view's words do not count as the visitor's.
      const within = await searchIds(app, 'view=werkzoekenden&q=vlaanderen');
      expect(within.every((id) => inView.includes(id))).toBe(true);
      const page = (await app.inject({ url: '/views/werkzoekenden' })).body;
      expect(page).not.toContain('Resultaten voor “werkzoekenden”');
      // Its DCAT catalogue lists the same records.
      const catalog = await app.inject({ url: '/catalog/views/werkzoekenden?limit=100', headers: { accept: 'application/n-triples' } });
      expect(catalog.statusCode).toBe(200);
      expect(catalog.body.match(/<http:\/\/www\.w3\.org\/ns\/dcat#dataset>/g)).toHaveLength(inView.length);
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/views/werkzoekenden', headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(204);
    });

    it('bounds the search API by the view: the same records as the same filters, and facets narrow within it', async () => {
      await put(app, 'arbeidsmarkt', LABOUR);
      const inView = await searchIds(app, 'view=arbeidsmarkt');
      const same = await searchIds(app, 'theme=SOCI&type=dataset&type=series');
      expect(inView.length).toBeGreaterThan(5);
      expect(inView.sort()).toEqual(same.sort());
      // A theme chosen within the view narrows it (records of both themes), never widens it.
      const both = await searchIds(app, 'view=arbeidsmarkt&theme=ECON');
      const widened = await searchIds(app, 'theme=SOCI&theme=ECON&type=dataset&type=series');
      expect(both.length).toBeLessThan(inView.length);
      expect(both.every((id) => inView.includes(id))).toBe(true);
      expect(widened.length).toBeGreaterThan(inView.length);
      // The view's kinds: no data services in a view of datasets.
      expect((await app.inject({ url: '/api/v1/dataservices?view=arbeidsmarkt' })).json()).toMatchObject({ totalItems: 0 });
      // Facet counts are counts within the view.
      const facets = (await app.inject({ url: '/api/v1/search?view=arbeidsmarkt&limit=1' })).json() as { facets: { theme: { value: string; count: number }[] } };
      expect(facets.facets.theme.find((f) => f.value === `${THEME}SOCI`)?.count).toBe(inView.length);
      // The exports follow the view too.
      const csv = await app.inject({ url: '/api/v1/search.csv?view=arbeidsmarkt' });
      expect(csv.headers['x-total-count']).toBe(String(inView.length));
    });

    it('serves the view as a DCAT catalogue that holds exactly the view\'s records, and the catalogue names it', async () => {
      await put(app, 'arbeidsmarkt', LABOUR);
      const base = 'http://127.0.0.1:1';
      const { pages, catalog } = await harvest(app, base, '/catalog/views/arbeidsmarkt?limit=7');
      expect(pages.length).toBeGreaterThan(1);
      const all = pages.flat();
      const has = (s: string, p: string, o?: string) => all.some((q) => q.subject.value === s && q.predicate.value === p && (o === undefined || q.object.value === o));
      expect(has(catalog, RDF_TYPE, `${DCAT}Catalog`)).toBe(true);
      expect([...new Set(all.filter((q) => q.subject.value === catalog && q.predicate.value === `${DCT}title`).map((q) => `${q.object.value}@${(q.object as { language?: string }).language}`))].sort()).toEqual([
        'Arbeidsmarkt <en> onderzoek@nl',
        'Labour market research@en',
      ]);
      expect(has(catalog, `${DCT}description`)).toBe(true);
      expect(has(catalog, `${DCT}publisher`)).toBe(true);
      expect(has(catalog, `${DCT}isPartOf`, `${base}/catalog`)).toBe(true);
      expect(has(catalog, `${HYDRA}totalItems`)).toBe(true);
      // The records it lists, across pages, are exactly those of a search with the view's filters.
      const listed = new Set(all.filter((q) => q.subject.value === catalog && q.predicate.value === `${DCAT}dataset`).map((q) => q.object.value));
      const ids = await searchIds(app, 'theme=SOCI&type=dataset&type=series');
      const iris = (await services.db.query<{ iri: string }>('SELECT iri FROM records WHERE id = ANY($1::text[])', [ids])).rows.map((r) => r.iri);
      expect([...listed].sort()).toEqual(iris.sort());
      expect(Number(all.find((q) => q.subject.value === catalog && q.predicate.value === `${HYDRA}totalItems`)!.object.value)).toBe(ids.length);
      // Each record's own triples travel with it.
      for (const iri of iris) expect(has(iri, RDF_TYPE)).toBe(true);

      // The whole catalogue names the view, as DCAT-AP 3 has a catalogue name its parts.
      const main = new Parser().parse((await app.inject({ url: '/catalog?limit=1', headers: { accept: 'text/turtle' } })).body);
      const mainHas = (p: string) => main.some((q) => q.subject.value === `${base}/catalog` && q.predicate.value === p && q.object.value === catalog);
      expect(mainHas(`${DCAT}catalog`)).toBe(true);
      expect(mainHas(`${DCT}hasPart`)).toBe(true);
      expect(main.some((q) => q.subject.value === catalog && q.predicate.value === RDF_TYPE && q.object.value === `${DCAT}Catalog`)).toBe(true);

      // Every syntax, a 304 for a harvester that comes back, and a 404 for a view that is not there.
      const jsonld = await app.inject({ url: '/catalog/views/arbeidsmarkt', headers: { accept: 'application/ld+json' } });
      expect(jsonld.headers['content-type']).toMatch(/^application\/ld\+json/);
      const again = await app.inject({ url: '/catalog/views/arbeidsmarkt', headers: { accept: 'text/turtle', 'if-none-match': String((await app.inject({ url: '/catalog/views/arbeidsmarkt', headers: { accept: 'text/turtle' } })).headers.etag) } });
      expect(again.statusCode).toBe(304);
      expect((await app.inject({ url: '/catalog/views/nergens' })).statusCode).toBe(404);
    });

    it('describes its routes in the OpenAPI document', async () => {
      const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      expect(Object.keys(doc.paths['/api/v1/views/{id}'] ?? {}).sort()).toEqual(expect.arrayContaining(['delete', 'get', 'put']));
      expect(doc.paths['/api/v1/views']?.get).toBeDefined();
      expect(doc.paths['/catalog/views/{id}']?.get).toBeDefined();
    });
  });
}

describe('thematic views on pages', () => {
  let services: Services;
  let app: FastifyInstance;
  let dir: string | undefined;
  let base: string;
  let browser: Browser | undefined;
  let portal: Server;
  let portalBase: string;

  beforeAll(async () => {
    ({ services, app, dir } = await start({}));
    expect((await put(app, 'arbeidsmarkt', LABOUR)).statusCode).toBe(201);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    // A thematic portal on another origin (another loopback address and port) framing the list.
    portal = createServer((req, res) => {
      const src = `${base}${decodeURIComponent(new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '/embed/search?view=arbeidsmarkt')}`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><title>Portal</title></head><body><main><h1>Portal</h1><iframe id="list" title="Datasets" src="${src}" width="800" height="900"></iframe></main></body></html>`);
    });
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.2', resolve));
    portalBase = `http://127.0.0.2:${(portal.address() as AddressInfo).port}`;
    if (haveBrowser) browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'] });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => portal?.close(resolve));
    await app?.close();
    await services?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets other sites frame the embeddable list, and no other page', async () => {
    const embed = await app.inject({ url: '/embed/search?view=arbeidsmarkt' });
    const page = await app.inject({ url: '/search?theme=SOCI' });
    expect(embed.statusCode).toBe(200);
    expect(String(embed.headers['content-security-policy'])).toMatch(/frame-ancestors \*(;|$)/);
    expect(String(page.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
    expect(String((await app.inject({ url: '/views/arbeidsmarkt' })).headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
    // Otherwise the same strict policy: no inline script, nothing from other sites.
    expect(String(embed.headers['content-security-policy']).replace(/frame-ancestors [^;]*/, '')).toBe(String(page.headers['content-security-policy']).replace(/frame-ancestors [^;]*/, ''));
    expect(embed.headers['x-robots-tag']).toBe('noindex');
    // Nor does the older header forbid it, which every other page still sends.
    expect(embed.headers['x-frame-options']).toBeUndefined();
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    // An embeddable list that fails still shows in its frame.
    expect(String((await app.inject({ url: '/embed/search?view=nergens', headers: { accept: 'text/html' } })).headers['content-security-policy'])).toMatch(/frame-ancestors \*/);

    // The operator may name the sites that may frame it.
    const named = await start({ VINDBAAR_EMBED_ANCESTORS: 'https://werk.vlaanderen.be, https://*.example.org' });
    try {
      const r = await named.app.inject({ url: '/en/embed/search?theme=ECON' });
      expect(String(r.headers['content-security-policy'])).toMatch(/frame-ancestors https:\/\/werk\.vlaanderen\.be https:\/\/\*\.example\.org$/);
    } finally {
      await named.app.close();
      await named.services.close();
      if (named.dir) rmSync(named.dir, { recursive: true, force: true });
    }
    expect(() => loadConfig({ VINDBAAR_EMBED_ANCESTORS: "https://a.example; script-src 'unsafe-inline'" })).toThrow(/VINDBAAR_EMBED_ANCESTORS/);
  }, 120_000);

  it('gives the embeddable list the view\'s records, links that open in the whole window, no site chrome, escaped text', async () => {
    const body = (await app.inject({ url: '/embed/search?view=arbeidsmarkt&q=werk' })).body;
    expect(body).toContain('Arbeidsmarkt &lt;en&gt; onderzoek');
    expect(body).not.toContain('<en>');
    expect(body).not.toMatch(/<header|<footer|<nav aria-label="Hoofdmenu"|<script/);
    const links = [...body.matchAll(/<a href="(\/datasets\/[^"]+)"([^>]*)>/g)];
    expect(links.length).toBeGreaterThan(0);
    for (const [, , attrs] of links) expect(attrs).toContain('target="_top"');
    // Its search box keeps the view (and any filter) as hidden fields; the query goes in the box.
    expect(body).toMatch(/<input type="hidden" name="view" value="arbeidsmarkt">/);
    expect(body).toMatch(/<input type="search" id="embed-q" name="q" value="werk"/);
    // The same results as the search API for the view.
    const api = (await app.inject({ url: '/api/v1/search?view=arbeidsmarkt&q=werk&limit=20&lang=nl' })).json() as { totalItems: number; member: { id: string }[] };
    expect(links.map(([, href]) => decodeURIComponent(href.slice('/datasets/'.length)))).toEqual(api.member.map((m) => m.id));
    // In English under /en.
    const en = (await app.inject({ url: '/en/embed/search?view=arbeidsmarkt' })).body;
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Labour market research');
  });

  it('offers the iframe snippet for the current search on the search page, in both languages', async () => {
    const nl = (await app.inject({ url: '/search?theme=SOCI&q=werk' })).body;
    expect(nl).toContain('Deze zoekopdracht insluiten');
    expect(nl).toContain('&lt;iframe src=&quot;http://127.0.0.1:1/embed/search?q=werk&amp;amp;theme=SOCI&quot;');
    const en = (await app.inject({ url: '/en/search?theme=SOCI' })).body;
    expect(en).toContain('Embed this search');
    expect(en).toContain('http://127.0.0.1:1/en/embed/search?theme=SOCI');
    // A view's page: its title and description, the search within it, its snippet and its DCAT.
    const view = (await app.inject({ url: '/views/arbeidsmarkt' })).body;
    expect(view).toContain('<h1>Arbeidsmarkt &lt;en&gt; onderzoek');
    expect(view).toContain('Data over werk, werkzoekenden en sociale bescherming.');
    expect(view).toContain('/embed/search?view=arbeidsmarkt');
    expect(view).toContain('href="/catalog/views/arbeidsmarkt"');
    expect((await app.inject({ url: '/views/nergens' })).statusCode).toBe(404);
  });

  it('marks a view\'s title and description in the language they are written in when the page is in another', async () => {
    expect((await put(app, 'milieu', { title: { nl: 'Milieu' }, description: { nl: 'Alles over het milieu.' }, filters: { theme: ['ENVI'] } })).statusCode).toBe(201);
    const list = (await app.inject({ url: '/en/views' })).body;
    expect(list).toMatch(/<h2 lang="nl"><a href="\/en\/views\/milieu">Milieu<\/a><\/h2>/);
    expect(list).toContain('<p lang="nl">Alles over het milieu.</p>');
    const page = (await app.inject({ url: '/en/views/milieu' })).body;
    expect(page).toMatch(/<h1><span lang="nl">Milieu<\/span>/);
    expect(page).toContain('<p class="lead" lang="nl">Alles over het milieu.</p>');
    // On a Dutch page the Dutch text needs no mark.
    const nl = (await app.inject({ url: '/views/milieu' })).body;
    expect(nl).toMatch(/<h1>Milieu/);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/views/milieu', headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(204);
  });

  it('keeps the embeddable lists out of the sitemap and closed to crawlers, the views\' pages in', async () => {
    const robots = (await app.inject({ url: '/robots.txt' })).body;
    expect(robots).toContain('Disallow: /embed/');
    expect(robots).toContain('Disallow: /en/embed/');
    const pages = (await app.inject({ url: '/sitemaps/pages.xml' })).body;
    expect(pages).toContain('http://127.0.0.1:1/views/arbeidsmarkt');
    expect(pages).not.toContain('/embed/');
  });

  it.skipIf(!haveBrowser)('shows the embeddable list inside a frame on another origin, passes axe-core, opens records in the whole window', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${portalBase}/`);
    const frame = page.frameLocator('#list');
    await expect.poll(async () => frame.locator('h1').textContent(), { timeout: 10_000 }).toBe('Arbeidsmarkt <en> onderzoek');
    expect(await frame.locator('ol.results > li').count()).toBeGreaterThan(3);
    // A search from the box inside the frame stays in the frame and within the view.
    await frame.locator('#embed-q').fill('werk');
    await frame.locator('button[type=submit]').click();
    await expect.poll(async () => page.frames().find((f) => f.url().includes('/embed/search'))?.url() ?? '', { timeout: 10_000 }).toContain('q=werk');
    expect(page.url()).toBe(`${portalBase}/`);
    expect(page.frames().find((f) => f.url().includes('/embed/search'))!.url()).toContain('view=arbeidsmarkt');

    // axe-core on the list itself (in its own window: the same document the frame shows).
    const own = await browser!.newPage();
    for (const path of ['/embed/search?view=arbeidsmarkt', '/en/embed/search?theme=ECON&q=werk', '/views/arbeidsmarkt', '/en/search?theme=SOCI', '/views']) {
      await own.goto(`${base}${path}`);
      await own.evaluate(axeSource);
      const result = (await own.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`)) as { violations: { id: string; impact: string }[]; passes: unknown[] };
      expect(result.passes.length).toBeGreaterThan(10);
      expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${path}: ${v.id}`)).toEqual([]);
    }
    await own.close();

    // A record opens in the whole window, leaving the portal.
    await frame.locator('ol.results a[target=_top]').first().click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(new RegExp(`^${base}/datasets/`));
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it.skipIf(!haveBrowser)('the browser refuses to frame any other page', async () => {
    const page = await browser!.newPage();
    await page.goto(`${portalBase}/?src=${encodeURIComponent('/views/arbeidsmarkt')}`);
    await page.waitForTimeout(1000);
    const framed = page.frames().find((f) => f !== page.mainFrame());
    // Chromium shows its own error in the refused frame, never our page.
    const shown = framed ? await framed.locator('body').innerText().catch(() => '') : '';
    expect(shown).not.toContain('Arbeidsmarkt');
    // The same portal frames the embeddable list of that view.
    await page.goto(`${portalBase}/?src=${encodeURIComponent('/embed/search?view=arbeidsmarkt')}`);
    await expect.poll(async () => page.frameLocator('#list').locator('h1').textContent(), { timeout: 10_000 }).toBe('Arbeidsmarkt <en> onderzoek');
    await page.close();
  }, 60_000);
});
