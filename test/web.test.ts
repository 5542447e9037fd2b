// The web pages in a real browser (Debian's chromium driven by playwright-core): search, two facets,
// a dataset page, the other language, the keyboard alone, no JavaScript at all, and an axe-core run on
// every page type with no serious violations. Hostile harvested text stays inert. Screenshots of each
// page type go to test-artifacts/screenshots (not in git).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { SaxesParser } from '@rubensworks/saxes';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Parser } from 'n3';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { loadSamplesIfEmpty } from '../src/samples.js';
import { forgetLabels } from '../src/search/labels.js';
import { csvField } from '../src/api/search-export.js';
import { bandOf } from '../src/quality/mqa.js';
import { loadRecords } from '../src/api/records.js';
import { PAGE_SIZE, searchBody } from '../src/web/search-page.js';
import { contactLine, contactPoints } from '../src/web/contact.js';
import { Readable } from 'node:stream';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) {
  if (process.env.VINDBAAR_REQUIRE_SERVICES === '1') throw new Error(`The browser tests need Chromium at ${CHROMIUM} (Debian package "chromium").`);
  console.warn(`[vindbaar tests] no Chromium at ${CHROMIUM}: browser suites are skipped (apt-get install chromium)`);
}
const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const KEY = 'test-admin-key-0123456789abcdef';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const ODD_THEME = 'https://example.org/thema/werk&inkomen?x=%C3%A9#één';
const LONG = 'Lange beschrijving zonder einde. '.repeat(60_000);

const RECORDS = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix foaf: <http://xmlns.com/foaf/0.1/>.
@prefix vcard: <http://www.w3.org/2006/vcard/ns#>. @prefix xsd: <http://www.w3.org/2001/XMLSchema#>. @prefix dcatap: <http://data.europa.eu/r5r/>.
@prefix gsp: <http://www.opengis.net/ont/geosparql#>.
<https://data.example.be/id/dataset/uitkeringen> a dcat:Dataset;
  dct:title "Uitkeringsgerechtigden per gemeente"@nl, "Benefit recipients by municipality"@en;
  dct:description "Microdata over uitkeringen; enkel voor erkende onderzoekers."@nl, "Microdata on benefits; for accredited researchers only."@en;
  dct:publisher <https://data.example.be/id/org/rsz>;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC>;
  dcatap:applicableLegislation <http://data.europa.eu/eli/reg/2016/679/oj>;
  dcat:contactPoint [ a vcard:Organization; vcard:fn "Dienst Privacy"@nl; vcard:hasEmail <mailto:privacy@example.be> ];
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/SOCI>, <${ODD_THEME}>;
  dct:spatial [ a dct:Location; dcat:bbox "POLYGON((2.54 50.68, 5.92 50.68, 5.92 51.51, 2.54 51.51, 2.54 50.68))"^^gsp:wktLiteral ];
  dct:temporal [ a dct:PeriodOfTime; dcat:startDate "2015-01-01"^^xsd:date; dcat:endDate "2024-12-31"^^xsd:date ];
  dct:modified "2026-10-01"^^xsd:date;
  dcat:distribution [ a dcat:Distribution; dct:title "Tabel per gemeente"@nl; dcat:accessURL <https://data.example.be/aanvraag>;
    dct:format <http://publications.europa.eu/resource/authority/file-type/CSV>; dcat:byteSize "1200000"^^xsd:nonNegativeInteger ].
<https://data.example.be/id/org/rsz> a foaf:Agent; foaf:name "Rijksdienst voor Sociale Zekerheid"@nl, "National Social Security Office"@en.
<https://data.example.be/id/service/uitkeringen-api> a dcat:DataService;
  dct:title "Uitkeringen-API"@nl, "Benefits API"@en; dct:publisher <https://data.example.be/id/org/rsz>;
  dcat:endpointURL <https://api.example.be/uitkeringen>; dcat:servesDataset <https://data.example.be/id/dataset/uitkeringen>.
<https://data.example.be/id/dataset/vacatures> a dcat:Dataset;
  dct:title "Vacatures <script>alert(1)</script>"@nl;
  dcat:keyword "openstaande betrekking"@nl;
  dct:creator <https://data.example.be/id/persoon/1>, <https://data.example.be/id/persoon/2>, <https://data.example.be/id/persoon/3>;
  dct:description "Open vacatures.</p><script>alert(2)</script><img src=x onerror=alert(3)> ${LONG}"@nl;
  dct:publisher <https://data.example.be/id/org/rsz>;
  dcat:theme <${ODD_THEME}>;
  dcat:landingPage <javascript:alert(4)>.`;

let app: FastifyInstance;
let services: Services;
let dir: string;
let base: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vindbaar-web-'));
  services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: KEY, VINDBAAR_BASE_URL: 'http://127.0.0.1:1' }), pino({ level: 'silent' }));
  await loadSamplesIfEmpty(services);
  app = await buildServer(services);
  const r = await app.inject({ method: 'POST', url: '/api/v1/catalogs/web/records', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` }, payload: RECORDS });
  expect(r.statusCode, r.body).toBe(200);
  await services.reindexPending();
  // The quality facts and this month's KPI snapshot, as the running service keeps them.
  await services.kpis.snapshotNow();
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  if (haveBrowser) browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'] });
  mkdirSync(SHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

const idOf = async (iri: string) => (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [iri])).rows[0].id;

/** A page that fails the test on any script dialog, page error or request to another origin. */
async function open(context?: BrowserContext): Promise<{ page: Page; foreign: string[]; errors: string[] }> {
  const page = await (context ?? browser).newPage();
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(base) && !req.url().startsWith('data:')) foreign.push(req.url());
  });
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, foreign, errors };
}

async function axe(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (the page itself
  // may run no inline script, and should not).
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`)) as {
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
    passes: unknown[];
  };
  // A run that checked nothing would pass anything.
  expect(result.passes.length).toBeGreaterThan(10);
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

describe.skipIf(!haveBrowser)('web pages in Chromium', () => {
  it('search, select two facets, remove one, go back, open a dataset, switch language', async () => {
    const { page, foreign, errors } = await open();
    await page.goto(`${base}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await page.fill('#q-home', 'uitkeringen');
    await page.press('#q-home', 'Enter');
    await page.waitForURL(/\/search\?q=uitkeringen/);
    const total = async () => Number(((await page.textContent('#results-count')) ?? '').replace(/\D/g, ''));
    const before = await total();
    expect(before).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'search.png'), fullPage: true });

    // Two facets, each applied as soon as it is ticked (the script submits the form).
    await Promise.all([page.waitForURL(/accessRights=/), page.check('input[name="accessRights"][value$="NON_PUBLIC"]')]);
    await Promise.all([page.waitForURL(/publisher=/), page.check('input[name="publisher"][value="https://data.example.be/id/org/rsz"]')]);
    const url = new URL(page.url());
    expect(url.searchParams.getAll('accessRights')).toEqual(['http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC']);
    expect(url.searchParams.getAll('publisher')).toEqual(['https://data.example.be/id/org/rsz']);
    expect(await page.locator('ul.chips a[aria-label]').count()).toBe(2);
    expect(await total()).toBe(1);
    expect(await page.isChecked('input[name="publisher"][value="https://data.example.be/id/org/rsz"]')).toBe(true);

    // The back button returns to one facet; removing a chip drops exactly that filter.
    await page.goBack();
    expect(new URL(page.url()).searchParams.getAll('publisher')).toEqual([]);
    expect(new URL(page.url()).searchParams.getAll('accessRights')).toHaveLength(1);
    await page.goForward();
    await Promise.all([page.waitForURL((u) => !u.searchParams.has('accessRights')), page.click('ul.chips a[aria-label*="Toegang"]')]);
    expect(new URL(page.url()).searchParams.getAll('publisher')).toEqual(['https://data.example.be/id/org/rsz']);

    // Open the dataset from the results.
    await page.goto(`${base}/search?q=uitkeringsgerechtigden`);
    await Promise.all([page.waitForURL(/\/datasets\//), page.click('ol.results h2 a >> nth=0')]);
    expect(await page.textContent('h1')).toContain('Uitkeringsgerechtigden per gemeente');
    expect(await page.textContent('body')).toContain('Niet-publiek');
    expect(await page.textContent('#access-title + p')).toContain('niet vrij beschikbaar');
    expect(await page.locator('a[href="http://data.europa.eu/eli/reg/2016/679/oj"]').count()).toBe(1);
    expect(await page.locator('a[href="mailto:privacy@example.be"]').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.map rect').count()).toBe(1);
    const markup = JSON.parse((await page.textContent('script[type="application/ld+json"]')) ?? '{}');
    expect(markup['@type']).toBe('Dataset');
    expect(markup.name).toBe('Uitkeringsgerechtigden per gemeente');
    await page.screenshot({ path: join(SHOTS, 'dataset.png'), fullPage: true });

    // The other language keeps the page.
    const path = new URL(page.url()).pathname;
    await Promise.all([page.waitForURL(/\/en\/datasets\//), page.click('a.lang')]);
    expect(new URL(page.url()).pathname).toBe(`/en${path}`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toContain('Benefit recipients by municipality');
    expect(await page.textContent('#access-title')).toBe('Access and conditions of use');
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works with the keyboard alone', async () => {
    const { page, errors } = await open();
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.className')).toBe('skip');
    await page.keyboard.press('Enter');
    // From the main content, the search box is the first stop.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('q-home');
    await page.keyboard.type('uitkeringen');
    await Promise.all([page.waitForURL(/\/search\?/), page.keyboard.press('Enter')]);
    // Tab to the first facet box and tick it with the space bar.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate("document.activeElement?.type === 'checkbox'")) break;
    }
    const name = await page.evaluate<string>('document.activeElement.name');
    await Promise.all([page.waitForURL(new RegExp(`${name}=`)), page.keyboard.press('Space')]);
    // And on to the first result, opened with Enter.
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate("!!document.activeElement?.closest('ol.results h2')")) break;
    }
    await Promise.all([page.waitForURL(/\/(datasets|dataservices)\//), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').count()).toBe(1);
    // Focus is visible: the focused element draws an outline.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps the keyboard on the filter or sort list that just applied itself', async () => {
    const { page, errors } = await open();
    await page.goto(`${base}/search?q=uitkeringen`);
    const box = 'input[name="accessRights"][value$="NON_PUBLIC"]';
    await page.focus(box);
    await Promise.all([page.waitForURL(/accessRights=/), page.keyboard.press('Space')]);
    await page.waitForLoadState('load');
    expect(await page.evaluate('[document.activeElement?.name, document.activeElement?.value, document.activeElement?.checked]')).toEqual([
      'accessRights',
      'http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC',
      true,
    ]);
    // Arrow keys pass over the sort orders without loading a page for each (WCAG 3.2.2); Enter applies
    // the one reached, and the keyboard stays on the list.
    await page.focus('#sort');
    const before = page.url();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await new Promise((r) => setTimeout(r, 300));
    expect(page.url()).toBe(before);
    await Promise.all([page.waitForURL(/sort=modified/), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    expect(await page.evaluate('document.activeElement?.id')).toBe('sort');
    // Leaving the list after an arrow key applies it too.
    await page.keyboard.press('ArrowUp');
    await Promise.all([page.waitForURL(/sort=-modified/), page.keyboard.press('Tab')]);
    await page.waitForLoadState('load');
    expect(await page.evaluate('document.activeElement?.id')).toBe('sort');
    // Picked with the mouse, an order applies at once.
    await Promise.all([page.waitForURL((u) => u.searchParams.get('sort') !== '-modified'), page.selectOption('#sort', { index: 0 })]);
    expect(new URL(page.url()).searchParams.getAll('accessRights')).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('searches and filters without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const { page } = await open(context);
    await page.goto(`${base}/search?q=uitkeringen`);
    expect(await page.isVisible('form[data-autosubmit] button[type="submit"]')).toBe(true);
    await page.check('input[name="accessRights"][value$="NON_PUBLIC"]');
    await Promise.all([page.waitForURL(/accessRights=/), page.click('.facets button[type="submit"]')]);
    expect(Number(((await page.textContent('#results-count')) ?? '').replace(/\D/g, ''))).toBe(1);
    await Promise.all([page.waitForURL(/\/datasets\//), page.click('ol.results h2 a')]);
    expect(await page.textContent('h1')).toContain('Uitkeringsgerechtigden');
    await context.close();
  });

  it('keeps hostile harvested text inert and trimmed', async () => {
    const { page, errors } = await open();
    const response = await page.goto(`${base}/datasets/${await idOf('https://data.example.be/id/dataset/vacatures')}`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForTimeout(300);
    expect(errors).toEqual([]);
    expect(await page.textContent('h1')).toBe('Vacatures <script>alert(1)</script>');
    // Only our own script element, and the data block.
    expect(await page.locator('script:not([type="application/ld+json"])').count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    const description = (await page.textContent('p.description')) ?? '';
    expect(description).toContain('<img src=x onerror=alert(3)>');
    expect(description.length).toBeLessThanOrEqual(10_001);
    expect((await response!.body()).length).toBeLessThan(200_000);
    await page.close();
  });

  it('round-trips odd characters in the query and in facet values through the URL', async () => {
    const { page } = await open();
    const q = 'vacatures & "open" <x> %20 ü#1';
    await page.goto(`${base}/search`);
    await page.fill('#q-top', q);
    await Promise.all([page.waitForURL(/q=/), page.press('#q-top', 'Enter')]);
    expect(new URL(page.url()).searchParams.get('q')).toBe(q);
    expect(await page.inputValue('#q-top')).toBe(q);
    await page.goto(`${base}/search?theme=${encodeURIComponent(ODD_THEME)}`);
    expect(Number(((await page.textContent('#results-count')) ?? '').replace(/\D/g, ''))).toBe(2);
    expect(await page.getAttribute('input[name="theme"]:checked', 'value')).toBe(ODD_THEME);
    // Ticking another theme keeps the odd one exactly.
    await Promise.all([page.waitForURL(/theme=.*theme=/), page.check('input[name="theme"]:not(:checked) >> nth=0')]);
    expect(new URL(page.url()).searchParams.getAll('theme')).toContain(ODD_THEME);
    await page.close();
  });

  it('lists keywords as a filter, and a dataset page\'s keywords lead to the records that have them', async () => {
    const id = await idOf('https://data.example.be/id/dataset/vacatures');
    const page = (await app.inject({ url: `/datasets/${id}` })).body;
    const link = page.match(/<a href="([^"]*)">openstaande betrekking<\/a>/)?.[1];
    expect(link).toBe('/search?keyword=openstaande+betrekking');
    const found = (await app.inject({ url: link!.replaceAll('&amp;', '&') })).body;
    expect(found).toContain('1 resultaat');
    expect(found).toContain('Vacatures');
    // The facet, and the chosen keyword as a chip that removes it.
    expect(found).toMatch(/<legend>Trefwoord<\/legend>[\s\S]*?value="openstaande betrekking" checked/);
    expect(found).toMatch(/<ul class="chips">[\s\S]*?aria-label="[^"]*openstaande betrekking[^"]*">openstaande betrekking<span/);
    // In English too, with the sample's keywords offered on an unfiltered search.
    const en = (await app.inject({ url: '/en/search' })).body;
    expect(en).toMatch(/<legend>Keyword<\/legend>/);
  });

  it('names a source catalogue in the page\'s language, as its own catalogue record does', async () => {
    const nl = (await app.inject({ url: '/search' })).body;
    expect(nl).toContain('Vlaamse open data over werk en arbeidsmarkt (voorbeeldcatalogus)');
    const en = (await app.inject({ url: '/en/search' })).body;
    expect(en).toContain('Flemish open data on work and the labour market (sample catalogue)');
    expect(en).not.toContain('Vlaamse open data over werk en arbeidsmarkt');
  });

  it('names a value a validation finding is about when the page knows its name, its address beside it', async () => {
    // The Flemish sample's EU themes are outside DCAT-AP VL 2.0's own theme list: a warning each.
    const row = await services.db.query<{ id: string }>(
      "SELECT id FROM records WHERE catalog_id = 'vlaanderen-werk' AND kind = 'Dataset' AND json::text LIKE '%data-theme/GOVE%' ORDER BY id LIMIT 1",
    );
    const page = (await app.inject({ url: `/datasets/${row.rows[0].id}` })).body;
    expect(page).toContain('dcat:theme: Overheid en publieke sector (http://publications.europa.eu/resource/authority/data-theme/GOVE) voldoet niet');
    const en = (await app.inject({ url: `/en/datasets/${row.rows[0].id}` })).body;
    expect(en).toMatch(/dcat:theme: Government and public sector \(http:\/\/publications\.europa\.eu\/resource\/authority\/data-theme\/GOVE\)/);
  });

  it('says when a compound that found nothing was searched for as its parts, and marks those', async () => {
    const page = (await app.inject({ url: '/search?q=waterkwaliteit' })).body;
    expect(page).toContain('Niets gevonden voor „waterkwaliteit”; dit zijn resultaten voor „water kwaliteit”.');
    expect(page).toMatch(/<mark>kwaliteit<\/mark>/i);
    const en = (await app.inject({ url: '/en/search?q=waterkwaliteit' })).body;
    expect(en).toContain('Nothing found for “waterkwaliteit”; these are results for “water kwaliteit”.');
    const api = (await app.inject({ url: '/api/v1/search?q=waterkwaliteit&limit=1' })).json();
    expect(api.searchedFor).toBe('water kwaliteit');
    expect(api.totalItems).toBeGreaterThan(0);
    // Hostile text in the query is shown inert.
    const hostile = (await app.inject({ url: `/search?q=${encodeURIComponent('<script>x</script>aaaaaaaa')}` })).body;
    expect(hostile).not.toContain('<script>x</script>');
  });

  it('answers an unknown dataset with a friendly 404 page that has a search box', async () => {
    const { page } = await open();
    const response = await page.goto(`${base}/datasets/does-not-exist`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Niet gevonden');
    expect(await page.locator('form[role="search"] input[name="q"]').count()).toBeGreaterThan(0);
    // The English home page typed with a trailing slash is the English home page.
    expect((await page.goto(`${base}/en/`))?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const en = await page.goto(`${base}/en/datasets/does-not-exist`);
    expect(en?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Not found');
    await page.close();
  });

  it('fits a 360 px wide screen without sideways scrolling, and cuts no table heading or link word in two', async () => {
    const flagged = (await services.db.query<{ id: string }>("SELECT id FROM records WHERE validation->>'verdict' = 'violations' AND deleted_at IS NULL ORDER BY id LIMIT 1")).rows[0].id;
    const dataset = `/datasets/${await idOf('https://data.example.be/id/dataset/uitkeringen')}`;
    const narrow = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const { page } = await open(narrow);
    const wide: string[] = [];
    for (const path of ['/', '/en/search?q=werk', dataset, `/datasets/${flagged}`, `/publisher?iri=${encodeURIComponent('https://data.example.be/id/org/rsz')}`, '/quality', '/register']) {
      await page.goto(`${base}${path}`);
      const [scroll, client] = (await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]')) as number[];
      if (scroll > client) wide.push(`${path}: ${scroll} px`);
    }
    expect(wide).toEqual([]);
    // The register's search field is written in the page's own size, not the browser's small default.
    await page.goto(`${base}/register`);
    expect(await page.evaluate("getComputedStyle(document.getElementById('reg-q')).fontSize")).toBe(await page.evaluate('getComputedStyle(document.body).fontSize'));
    await narrow.close();
    // One-word headings ("Formaat", "Grootte") and link words ("Openen") stay whole on a wide screen.
    const { page: desk } = await open();
    await desk.setViewportSize({ width: 1280, height: 900 });
    const lines = `(sel) => [...document.querySelectorAll(sel)].filter((e) => !/\\s/.test(e.textContent.trim())).map((e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      return e.textContent.trim() + ':' + new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
    })`;
    for (const [path, sel] of [[dataset, '#dist-title ~ .table-wrap thead th, td.links a'], ['/quality', 'thead th']]) {
      await desk.goto(`${base}${path}`);
      const counts = (await desk.evaluate(`(${lines})(${JSON.stringify(sel)})`)) as string[];
      expect(counts.length).toBeGreaterThan(1);
      expect(counts.filter((c) => !c.endsWith(':1'))).toEqual([]);
    }
    await desk.close();
  });

  it('lays a distribution out as a block on a phone: its links in view, no word of it cut in two', async () => {
    const ibo = await idOf('https://voorbeeld.vindbaar.example/id/dataset/cursisten-individuele-beroepsopleiding-in-de-onderneming-ibo-aantal-vi');
    const narrow = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const { page } = await open(narrow);
    await page.goto(`${base}/datasets/${ibo}`);
    const fit = (await page.evaluate(`(() => {
      const wrap = document.querySelector('#dist-title ~ .table-wrap');
      const link = wrap.querySelector('td.links a');
      return { scroll: wrap.scrollWidth, client: wrap.clientWidth, linkRight: Math.round(link.getBoundingClientRect().right), width: innerWidth };
    })()`)) as { scroll: number; client: number; linkRight: number; width: number };
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    expect(fit.linkRight).toBeLessThanOrEqual(fit.width);
    // Each word of the licence's name on one line ("Modellic" / "entie" is no word).
    const cut = (await page.evaluate(`(() => {
      const a = [...document.querySelectorAll('#dist-title ~ .table-wrap td a')].find((x) => x.textContent.includes(' '));
      const node = a.firstChild;
      const out = [];
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const r = document.createRange();
        r.setStart(node, m.index);
        r.setEnd(node, m.index + m[0].length);
        if (new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1) out.push(m[0]);
      }
      return out;
    })()`)) as string[];
    expect(cut).toEqual([]);
    // Each value under its column's name: the table's headings are out of sight there.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('#dist-title ~ .table-wrap td[data-label]'), '::before').content`)).toBe('"Formaat"');
    await narrow.close();
  });

  it('keeps each dimension of a dataset\'s quality score whole on a phone, its bar beside it in view', async () => {
    const ibo = await idOf('https://voorbeeld.vindbaar.example/id/dataset/cursisten-individuele-beroepsopleiding-in-de-onderneming-ibo-aantal-vi');
    const narrow = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const { page } = await open(narrow);
    for (const path of [`/datasets/${ibo}`, `/en/datasets/${ibo}`]) {
      await page.goto(`${base}${path}`);
      const found = (await page.evaluate(`(() => {
        const wrap = document.querySelector('#quality-title ~ .table-wrap');
        const cut = [...wrap.querySelectorAll('th[scope=row]')].filter((th) => {
          const r = document.createRange();
          r.selectNodeContents(th);
          return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1;
        }).map((th) => th.textContent);
        const bar = wrap.querySelector('svg').getBoundingClientRect();
        return { rows: wrap.querySelectorAll('th[scope=row]').length, cut, scroll: wrap.scrollWidth - wrap.clientWidth, barRight: Math.round(bar.right), barWidth: Math.round(bar.width), width: innerWidth };
      })()`)) as { rows: number; cut: string[]; scroll: number; barRight: number; barWidth: number; width: number };
      expect(found.rows, path).toBe(5);
      // "Toegankelijk" / "heid" is no word.
      expect(found.cut, path).toEqual([]);
      expect(found.scroll, path).toBeLessThanOrEqual(0);
      expect(found.barRight, path).toBeLessThanOrEqual(found.width);
      expect(found.barWidth, path).toBeGreaterThan(0);
    }
    await narrow.close();
  });

  it('writes the counts on an organisation\'s page on one line, and shows no heading over an empty table', async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 1280, height: 900 });
    // data.gov.be records name their distributions without describing them: no formats to chart.
    const kbo = 'https://org.belgif.be/id/CbeRegisteredEntity/0887290276';
    await page.goto(`${base}/publisher?iri=${encodeURIComponent(kbo)}`);
    const counts = (await page.evaluate(`[...document.querySelectorAll('.cols td:nth-child(2)')].map((e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      return e.textContent.trim() + ':' + new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
    })`)) as string[];
    expect(counts.some((c) => /^\d{2,}:/.test(c))).toBe(true);
    expect(counts.filter((c) => !c.endsWith(':1'))).toEqual([]);
    const headings = (await page.evaluate(`[...document.querySelectorAll('.cols h3')].map((h) => h.textContent + ':' + !!h.parentElement.querySelector('tbody tr'))`)) as string[];
    expect(headings).toContain("Thema's:true");
    expect(headings.filter((h) => h.endsWith(':false'))).toEqual([]);
    expect(headings.some((h) => h.startsWith('Formaat'))).toBe(false);
    await page.close();
  });

  it('folds the filters away on a narrow screen so that the results come first, and keeps them open elsewhere', async () => {
    const narrow = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const { page, errors } = await open(narrow);
    await page.goto(`${base}/search?q=uitkeringen`);
    expect(await page.evaluate("document.getElementById('results-count').getBoundingClientRect().bottom < innerHeight")).toBe(true);
    expect(await page.isVisible('input[name="accessRights"]')).toBe(false);
    await page.click('details.filter-panel > summary');
    expect(await page.isVisible('input[name="accessRights"]')).toBe(true);
    // A filter ticked there applies, and the keyboard comes back to it in the folded panel, opened.
    await page.focus('input[name="accessRights"][value$="NON_PUBLIC"]');
    await Promise.all([page.waitForURL(/accessRights=/), page.keyboard.press('Space')]);
    await page.waitForLoadState('load');
    expect(await page.evaluate('document.activeElement?.name')).toBe('accessRights');
    expect(await page.isVisible('input[name="accessRights"]:checked')).toBe(true);
    expect(errors).toEqual([]);
    await narrow.close();
    // Without script the filters are simply open; on a wide screen there is nothing to unfold.
    const plain = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    const bare = await plain.newPage();
    await bare.goto(`${base}/search?q=uitkeringen`);
    expect(await bare.isVisible('input[name="accessRights"]')).toBe(true);
    await plain.close();
    const { page: wide } = await open();
    await wide.setViewportSize({ width: 1280, height: 900 });
    await wide.goto(`${base}/search?q=uitkeringen`);
    expect(await wide.isVisible('input[name="accessRights"]')).toBe(true);
    expect(await wide.isVisible('details.filter-panel > summary')).toBe(false);
    await wide.close();
  });

  it('passes axe-core (WCAG 2.1 A and AA) with no serious violations on every page type', async () => {
    const dataset = await idOf('https://data.example.be/id/dataset/uitkeringen');
    const service = await idOf('https://data.example.be/id/service/uitkeringen-api');
    const pages: [string, string][] = [
      ['home', '/'],
      ['home-en', '/en'],
      ['search', '/search?q=werk'],
      ['search-facets', `/search?theme=${encodeURIComponent('http://publications.europa.eu/resource/authority/data-theme/ECON')}&sort=title`],
      ['dataset', `/datasets/${dataset}`],
      ['dataservice', `/dataservices/${service}`],
      ['publisher', `/publisher?iri=${encodeURIComponent('https://data.example.be/id/org/rsz')}`],
      ['publishers', '/publishers'],
      ['quality', '/quality'],
      ['quality-en', '/en/quality'],
      ['register', '/register'],
      ['register-en', '/en/register?access=non-public'],
      ['not-found', '/datasets/nothing-here'],
      ['hostile', `/datasets/${await idOf('https://data.example.be/id/dataset/vacatures')}`],
    ];
    const serious: string[] = [];
    const { page, foreign } = await open();
    for (const [name, path] of pages) {
      await page.goto(`${base}${path}`);
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: name !== 'hostile' });
      for (const v of await axe(page)) if (v.impact === 'serious' || v.impact === 'critical') serious.push(`${name}: ${v.id} (${v.impact}) at ${v.nodes.join(', ')}`);
    }
    expect(serious).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('keeps headings in order and tells its search forms apart (axe-core best practice)', async () => {
    const { page } = await open();
    const found: string[] = [];
    for (const path of ['/quality', '/en/quality', '/register', '/en/register', `/publisher?iri=${encodeURIComponent('https://data.example.be/id/org/rsz')}`]) {
      await page.goto(`${base}${path}`);
      await page.evaluate(axeSource);
      const result = (await page.evaluate(`axe.run(document, { runOnly: { type: 'rule', values: ['heading-order', 'landmark-unique', 'page-has-heading-one', 'landmark-one-main'] } })`)) as { violations: { id: string; nodes: { target: string[] }[] }[] };
      for (const v of result.violations) found.push(`${path}: ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    expect(found).toEqual([]);
    await page.close();
  });

  it('shows the quality dashboard and a publisher\'s key figures with charts, and their CSV', async () => {
    const { page } = await open();
    await page.goto(`${base}/quality`);
    expect(await page.textContent('h1')).toBe('Kwaliteit en kerncijfers');
    expect(await page.locator('svg.chart[role="img"]').count()).toBeGreaterThan(3);
    const rows = await page.locator('table tbody tr').count();
    expect(rows).toBeGreaterThan(2);
    await Promise.all([page.waitForURL(/\/publisher\?iri=/), page.click('table tbody tr a >> nth=0')]);
    expect(await page.locator('ul.figures li').count()).toBeGreaterThanOrEqual(9);
    const csv = await fetch(`${base}/api/v1/kpis.csv`).then((r) => r.text());
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFF?publisher,publisher_name,records,/);
    expect(lines[1]).toMatch(/^,ALL,\d+,/);
    expect(lines.length).toBe(rows + 2);
    await page.close();
  });

  it('sends feedback from the dataset page\'s form and says thank you', async () => {
    const { page } = await open();
    await page.goto(`${base}/datasets/${await idOf('https://data.example.be/id/dataset/uitkeringen')}`);
    await page.check('input[name="kind"][value="question"]');
    await page.fill('#fb-message', 'Vanaf welk jaar zijn de cijfers per gemeente beschikbaar?');
    await page.fill('#fb-email', 'onderzoeker@univ.example');
    // A person takes a few seconds to write; a form sent sooner is refused as a robot's.
    await page.waitForTimeout(3_200);
    await Promise.all([page.waitForURL(/feedback=sent/), page.click('form.feedback button[type="submit"]')]);
    expect(await page.textContent('#feedback .notice')).toContain('Bedankt');
    const stored = await services.db.query<{ kind: string; email: string }>("SELECT kind, email FROM feedback WHERE message LIKE 'Vanaf welk jaar%'");
    expect(stored.rows).toEqual([{ kind: 'question', email: 'onderzoeker@univ.example' }]);
    await page.close();
  });

  it('brings a refused message back with the form and its reason in view, the text kept', async () => {
    const { page } = await open();
    await page.goto(`${base}/datasets/${await idOf('https://data.example.be/id/dataset/uitkeringen')}`);
    await page.fill('#fb-message', 'De cijfers voor 2019 lijken dubbel geteld.');
    // Sent at once: refused as too quick, and the page comes back with the reason.
    await Promise.all([page.waitForURL(/\/feedback(#feedback)?$/), page.click('form.feedback button[type="submit"]')]);
    const alert = page.locator('#feedback [role="alert"]');
    expect(await alert.textContent()).toContain('te snel');
    const inView = await page.evaluate(`(() => {
      const r = document.querySelector('#feedback [role="alert"]').getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;
    })()`);
    expect(inView).toBe(true);
    expect(await page.inputValue('#fb-message')).toBe('De cijfers voor 2019 lijken dubbel geteld.');
    // The other language from here is the record's page in English, not the address that takes posts.
    const other = await page.goto(`${base}${await page.getAttribute('a.lang', 'href')}`);
    expect(other?.status()).toBe(200);
    expect(await page.textContent('h1')).toBe('Benefit recipients by municipality');
    await page.close();
  });

  it('shows the service page with its endpoint and the dataset it serves', async () => {
    const { page } = await open();
    await page.goto(`${base}/dataservices/${await idOf('https://data.example.be/id/service/uitkeringen-api')}`);
    expect(await page.textContent('h1')).toBe('Uitkeringen-API');
    expect(await page.locator('a[href="https://api.example.be/uitkeringen"]').count()).toBe(1);
    await Promise.all([page.waitForURL(/\/datasets\//), page.click('text=Uitkeringsgerechtigden per gemeente')]);
    await page.close();
  });
});

describe('web pages over HTTP', () => {
  it('counts page views and shows the most viewed on the home page', async () => {
    const id = await idOf('https://data.example.be/id/dataset/uitkeringen');
    const fresh = await buildServer(services);
    for (let i = 0; i < 25; i++) expect((await fresh.inject({ url: `/datasets/${id}` })).statusCode).toBe(200);
    expect((await fresh.inject({ url: `/datasets/${id}`, headers: { 'user-agent': 'Googlebot/2.1' } })).statusCode).toBe(200);
    // Views are written in batches; closing the server writes what is waiting.
    await fresh.close();
    const views = await services.db.query<{ views: string }>('SELECT views FROM record_views WHERE record_id = $1', [id]);
    expect(Number(views.rows[0]?.views)).toBeGreaterThanOrEqual(25);
    const again = await buildServer(services);
    const home = await again.inject({ url: '/' });
    const viewed = home.body.slice(home.body.indexOf('id="viewed-title"'));
    expect(viewed).toContain(`/datasets/${id}`);
    await again.close();
  });

  it('downloads a search as CSV with formulas defused, and as Turtle with each record’s blank nodes apart', async () => {
    const fresh = await buildServer(services);
    const csv = await fresh.inject({ url: '/api/v1/search.csv?q=vacatures&catalog=web' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['x-total-count']).toBe('1');
    const lines = csv.body.split('\r\n');
    expect(lines[0].replace(/^\ufeff/, '').split(',')[0]).toBe('id');
    expect(lines[1]).toContain('Vacatures <script>alert(1)</script>');
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('a,b')).toBe('"a,b"');
    const ttl = await fresh.inject({ url: '/api/v1/search.ttl?publisher=https://data.example.be/id/org/rsz' });
    expect(ttl.statusCode).toBe(200);
    const quads = new Parser().parse(ttl.body);
    const subjects = new Set(quads.filter((q) => q.predicate.value === 'http://purl.org/dc/terms/title' && q.subject.termType === 'NamedNode').map((q) => q.subject.value));
    expect(subjects).toEqual(new Set(['https://data.example.be/id/dataset/uitkeringen', 'https://data.example.be/id/service/uitkeringen-api', 'https://data.example.be/id/dataset/vacatures']));
    const distributions = quads.filter((q) => q.predicate.value === 'http://www.w3.org/ns/dcat#distribution').map((q) => q.object.value);
    expect(new Set(distributions).size).toBe(distributions.length);
    await fresh.close();
  });

  it('a page past the last one goes to the last page instead of saying both "n results" and "no results"', async () => {
    const fresh = await buildServer(services);
    const last = await fresh.inject({ url: '/search?q=werk&page=50' });
    expect(last.statusCode).toBe(303);
    expect(last.headers.location).toMatch(/^\/search\?q=werk(&page=\d+)?$/);
    const page = await fresh.inject({ url: last.headers.location as string });
    expect(page.statusCode).toBe(200);
    expect((await fresh.inject({ url: '/en/search?q=werk&page=50' })).headers.location).toMatch(/^\/en\/search\?q=werk/);
    await fresh.close();
  });

  it('shows the geographic facts of a GeoDCAT-AP record: reference system, resolution, representation, parties, conformity', async () => {
    const geo = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix adms: <http://www.w3.org/ns/adms#> . @prefix geodcat: <http://data.europa.eu/930/> .
@prefix dqv: <http://www.w3.org/ns/dqv#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://geo.example.be/id/dataset/grb> a dcat:Dataset ; dct:title "Grootschalig referentiebestand"@nl ; dct:description "Percelen en gebouwen."@nl ;
  dct:conformsTo <http://www.opengis.net/def/crs/EPSG/0/31370> ;
  dcat:spatialResolutionInMeters "0.5"^^xsd:decimal ;
  dqv:hasQualityMeasurement [ a dqv:QualityMeasurement ; dqv:isMeasurementOf geodcat:spatialResolutionAsScale ; dqv:value "0.001"^^xsd:decimal ] ;
  adms:representationTechnique <http://inspire.ec.europa.eu/metadata-codelist/SpatialRepresentationType/vector> ;
  geodcat:custodian [ a foaf:Organization ; foaf:name "Digitaal Vlaanderen"@nl ] ;
  prov:wasUsedBy [ a prov:Activity ;
    prov:qualifiedAssociation [ a prov:Association ; prov:hadPlan [ a prov:Plan ; prov:wasDerivedFrom [ a prov:Entity ; dct:title "INSPIRE interoperabiliteit"@nl ] ] ] ;
    prov:generated [ a prov:Entity ; dct:type <http://inspire.ec.europa.eu/metadata-codelist/DegreeOfConformity/notConformant> ] ] .`;
    await services.ingest(Readable.from([geo]), { catalogId: 'geo', source: { id: 'geo', kind: 'file', location: null }, format: 'turtle', baseIRI: 'https://geo.example.be/' });
    const id = (await services.db.query<{ id: string }>("SELECT id FROM records WHERE iri = 'https://geo.example.be/id/dataset/grb'")).rows[0].id;
    const fresh = await buildServer(services);
    const nl = (await fresh.inject({ url: `/datasets/${id}` })).body;
    expect(nl).toContain('Geografische informatie');
    expect(nl).toContain('EPSG:31370 (Belge 1972 / Belgian Lambert 72)');
    expect(nl).toMatch(/0,5 m/);
    expect(nl).toContain('schaal 1:1.000');
    expect(nl).toContain('>vector<');
    expect(nl).toContain('Digitaal Vlaanderen (beheerder)');
    expect(nl).toMatch(/INSPIRE interoperabiliteit: <strong>niet conform<\/strong>/);
    const en = (await fresh.inject({ url: `/en/datasets/${id}` })).body;
    expect(en).toContain('Geographic information');
    expect(en).toContain('scale 1:1,000');
    expect(en).toContain('(custodian)');
    await fresh.close();
  });

  it('offers every organisation of the results as a filter, not only the fifty commonest', async () => {
    const fresh = await buildServer(services);
    const all = await services.search.search({ filters: {}, offset: 0, limit: 1, kinds: ['Dataset', 'DatasetSeries'], sort: '-modified', facetLimit: 10_000 });
    expect(all.facets.publisher.length).toBeGreaterThan(50);
    const page = (await fresh.inject({ url: '/search' })).body;
    const boxes = page.match(/<input type="checkbox" id="f-publisher-\d+" name="publisher"/g) ?? [];
    expect(boxes).toHaveLength(all.facets.publisher.length);
    await fresh.close();
  });

  it('shows every filter in use as a removable chip, date ranges included, and the sort chosen in its list', async () => {
    const fresh = await buildServer(services);
    const page = (await fresh.inject({ url: '/search?issuedFrom=2000-01-01&sort=issued' })).body;
    expect(page).toContain('Uitgegeven vanaf: 2000-01-01');
    expect(page).toMatch(/<a href="\/search\?sort=issued"[^>]*>Uitgegeven vanaf/);
    expect(page).toMatch(/<option value="issued" selected>/);
    const services_ = (await fresh.inject({ url: '/search?type=dataservice' })).body;
    expect(services_).toContain('<title>Dataservices');
    expect(services_).toMatch(/<a href="\/search"[^>]*>Dataservices<span/);
    const en = (await fresh.inject({ url: '/en/search?modifiedTo=2030-01-01&sort=modified' })).body;
    expect(en).toContain('Modified until: 2030-01-01');
    expect(en).toMatch(/<option value="modified" selected>/);
    await fresh.close();
  });

  it('names a chosen filter that counts nothing under the others by its label, in its box and its chip', async () => {
    const fresh = await buildServer(services);
    const nonPublic = encodeURIComponent('http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC');
    const rsz = encodeURIComponent('https://data.example.be/id/org/rsz');
    // Nothing is both about "vacatures" and non-public: the two chosen values count 0.
    const nl = (await fresh.inject({ url: `/search?q=vacatures&accessRights=${nonPublic}&publisher=${rsz}` })).body;
    expect(nl).toContain('0 resultaten');
    expect(nl).toMatch(/name="accessRights" value="[^"]+NON_PUBLIC" checked> <span>Niet.publiek<\/span>/);
    expect(nl).toMatch(/aria-label="Filter Toegang: Niet.publiek verwijderen">Niet.publiek</);
    expect(nl).toMatch(/name="publisher" value="https:\/\/data.example.be\/id\/org\/rsz" checked> <span>Rijksdienst voor Sociale Zekerheid<\/span>/);
    const en = (await fresh.inject({ url: `/en/search?q=vacatures&accessRights=${nonPublic}` })).body;
    expect(en).toMatch(/aria-label="Remove filter Access: Non.public">Non.public</);
    await fresh.close();
  });

  it('names a dataset\'s access rights once, with their words only when they say more than the name', async () => {
    const id = await idOf('https://voorbeeld.vindbaar.example/id/dataset/personen-die-een-vlaamse-aanmoedigingspremie-goedgekeurd-kregen-geslacht-en-leeftijd-aantal-vi');
    const fresh = await buildServer(services);
    for (const [path, name] of [[`/datasets/${id}`, 'Toegangsrechten'], [`/en/datasets/${id}`, 'Access rights']]) {
      const page = (await fresh.inject({ url: path })).body;
      const dd = page.match(new RegExp(`<dt>${name}</dt><dd>(.*?)</dd>`))?.[1] ?? '';
      const shown = dd.split('<br>').map((x) => x.replace(/<[^>]+>/g, '').trim().toLowerCase());
      expect(shown).toEqual([expect.stringMatching(/^(beperkt|restricted)$/)]);
    }
    await fresh.close();
  });

  it('writes the quality figures as the page\'s language writes numbers', async () => {
    const fresh = await buildServer(services);
    const nl = (await fresh.inject({ url: '/quality' })).body;
    const en = (await fresh.inject({ url: '/en/quality' })).body;
    // Average scores with a decimal: "149,9" in Dutch (where "149.9" reads as a thousands separator), "149.9" in English.
    expect(nl).toMatch(/<td( class="n")?>\d+,\d<\/td>/);
    expect(nl).not.toMatch(/<td( class="n")?>\d+\.\d<\/td>|<strong>\d+\.\d<\/strong>/);
    expect(en).toMatch(/<td( class="n")?>\d+\.\d<\/td>/);
    await fresh.close();
  });

  it('answers a withdrawn record with a 410 page that says when, in the page\'s language, and what it was', async () => {
    const fresh = await buildServer(services);
    const iri = 'https://data.example.be/id/dataset/ingetrokken';
    const ttl = `<${iri}> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "Oude premiecijfers"@nl, "Old premium figures"@en.`;
    const auth = { authorization: `Bearer ${KEY}` };
    expect((await fresh.inject({ method: 'POST', url: '/api/v1/catalogs/gone/records', headers: { 'content-type': 'text/turtle', ...auth }, payload: ttl })).statusCode).toBe(200);
    const id = await idOf(iri);
    expect((await fresh.inject({ method: 'DELETE', url: `/api/v1/catalogs/gone/records/${id}`, headers: auth })).statusCode).toBe(204);
    const nl = await fresh.inject({ url: `/datasets/${id}`, headers: { accept: 'text/html' } });
    expect(nl.statusCode).toBe(410);
    expect(nl.body).toContain('<title>Ingetrokken · Vindbaar</title>');
    expect(nl.body).toMatch(/Deze record werd ingetrokken op \d+ [a-z]+ \d{4}/);
    expect(nl.body).toContain('<dd>Oude premiecijfers</dd>');
    expect(nl.body).toContain(`href="/api/v1/records/${id}/versions"`);
    const en = await fresh.inject({ url: `/en/datasets/${id}`, headers: { accept: 'text/html' } });
    expect(en.body).toMatch(/This record was withdrawn on \d+ [A-Z][a-z]+ \d{4}/);
    expect(en.body).toContain('<dd>Old premium figures</dd>');
    // The API's own address, read by a browser: the same words, not the API's English sentence on a Dutch page.
    const api = await fresh.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(410);
    expect(api.body).toMatch(/<h1>Ingetrokken<\/h1>\n<p>Deze record werd ingetrokken op/);
    expect(api.body).toContain(`href="/api/v1/records/${id}/versions"`);
    await fresh.close();
  });

  it('marks a title or description shown in another language than the page\'s with its language', async () => {
    const fresh = await buildServer(services);
    const vacatures = await idOf('https://data.example.be/id/dataset/vacatures');
    const uitkeringen = await idOf('https://data.example.be/id/dataset/uitkeringen');
    // Only Dutch words: on the English page they are marked Dutch, so that a screen reader reads them so.
    const en = (await fresh.inject({ url: `/en/datasets/${vacatures}` })).body;
    expect(en).toContain('<h1 lang="nl">Vacatures &lt;script&gt;');
    expect(en).toContain('<p class="description" lang="nl">Open vacatures.');
    // Keywords and a distribution's title too.
    expect(en).toMatch(/<a href="[^"]*" lang="nl">openstaande betrekking<\/a>/);
    expect((await fresh.inject({ url: `/en/datasets/${await idOf('https://data.example.be/id/dataset/uitkeringen')}` })).body).toContain('<td><span lang="nl">Tabel per gemeente</span>');
    const hits = (await fresh.inject({ url: '/en/search?q=vacatures&catalog=web' })).body;
    expect(hits).toContain(`<a href="/en/datasets/${vacatures}" lang="nl">`);
    expect(hits).toContain('<p class="snippet" lang="nl">');
    // Text in the page's own language needs nothing.
    const nl = (await fresh.inject({ url: `/datasets/${uitkeringen}` })).body;
    expect(nl).toContain('<h1>Uitkeringsgerechtigden per gemeente</h1>');
    expect(nl).toContain('<td>Tabel per gemeente');
    expect((await fresh.inject({ url: `/datasets/${vacatures}` })).body).toMatch(/<a href="[^"]*">openstaande betrekking<\/a>/);
    expect((await fresh.inject({ url: `/en/datasets/${uitkeringen}` })).body).toContain('<h1>Benefit recipients by municipality</h1>');
    await fresh.close();
  });

  it('titles each results page apart, and takes a query of blanks for no query', async () => {
    const fresh = await buildServer(services);
    const second = (await fresh.inject({ url: '/search?q=werk&page=2' })).body;
    expect(second).toMatch(/<title>Resultaten voor “werk” \(Pagina 2 van \d+\) · Vindbaar<\/title>/);
    expect((await fresh.inject({ url: '/en/search?q=werk&page=2' })).body).toMatch(/<title>Results for “werk” \(Page 2 of \d+\) · Vindbaar<\/title>/);
    expect((await fresh.inject({ url: '/search?q=werk' })).body).toContain('<title>Resultaten voor “werk” · Vindbaar</title>');
    const blank = (await fresh.inject({ url: '/search?q=%20%20' })).body;
    expect(blank).toContain('<title>Alle datasets en dataservices · Vindbaar</title>');
    expect(blank).not.toContain('Resultaten voor');
    // A long query is cut between words, and says that it is.
    const long = (await fresh.inject({ url: `/search?q=${encodeURIComponent('werk '.repeat(30))}` })).body;
    expect(long).toContain(`<title>Resultaten voor “${'werk '.repeat(19)}werk…” · Vindbaar</title>`);
    await fresh.close();
  });

  it('shows each result\'s issue date in a list ordered by issue date', async () => {
    const fresh = await buildServer(services);
    const byIssue = (await fresh.inject({ url: '/search?q=aanmoedigingspremie&sort=-issued' })).body;
    expect(byIssue).toMatch(/<li>Uitgegeven 26 augustus 2023 om 10:00<\/li>\s*<li>Gewijzigd 21 december 2025 om 09:00<\/li>/);
    expect((await fresh.inject({ url: '/en/search?q=aanmoedigingspremie&sort=issued' })).body).toContain('<li>Issued 26 August 2023 at 10:00</li>');
    expect((await fresh.inject({ url: '/embed/search?q=aanmoedigingspremie&sort=issued' })).body).toContain('<li>Uitgegeven 26 augustus 2023 om 10:00</li>');
    // In other orders the modification date is the one a hit shows.
    expect((await fresh.inject({ url: '/search?q=aanmoedigingspremie' })).body).not.toContain('<li>Uitgegeven');
    await fresh.close();
  });

  it('heads a search of one kind by that kind, datasets with their series as datasets', async () => {
    const fresh = await buildServer(services);
    // The home page's "datasets" figure: datasets and series, one kind to a reader.
    const datasets = (await fresh.inject({ url: '/search?type=dataset&type=series' })).body;
    expect(datasets).toContain('<h1>Datasets</h1>');
    expect(datasets).toContain('<title>Datasets · Vindbaar</title>');
    const services_ = (await fresh.inject({ url: '/en/search?type=dataservice' })).body;
    expect(services_).toContain('<h1>Data services</h1>');
    expect(services_).toContain('<title>Data services · Vindbaar</title>');
    // Every kind, or no kind asked for, is every kind.
    expect((await fresh.inject({ url: '/search?type=dataset&type=series&type=dataservice' })).body).toContain('<h1>Alle datasets en dataservices</h1>');
    expect((await fresh.inject({ url: '/search' })).body).toContain('<h1>Alle datasets en dataservices</h1>');
    expect((await fresh.inject({ url: '/embed/search?type=dataset&type=series' })).body).toContain('<title>Datasets · Vindbaar</title>');
    await fresh.close();
  });

  it('tells crawlers what to read: robots.txt, and sitemaps of every dataset and organisation page in both languages', async () => {
    const fresh = await buildServer(services);
    const robots = await fresh.inject({ url: '/robots.txt' });
    expect(robots.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(robots.body).toMatch(/^Disallow: \/search$/m);
    expect(robots.body).toMatch(/^Sitemap: http:\/\/[^/]+\/sitemap\.xml$/m);
    const wellFormed = (xml: string) => {
      const parser = new SaxesParser({ xmlns: true });
      const locs: string[] = [];
      let inLoc = false;
      parser.on('opentag', (t) => (inLoc = t.local === 'loc'));
      parser.on('text', (text) => inLoc && locs.push(text));
      parser.on('closetag', () => (inLoc = false));
      parser.write(xml).close();
      return locs;
    };
    const index = await fresh.inject({ url: '/sitemap.xml' });
    expect(index.headers['content-type']).toBe('application/xml; charset=utf-8');
    const files = wellFormed(index.body).map((u) => new URL(u).pathname);
    expect(files).toEqual(['/sitemaps/pages.xml', '/sitemaps/records-1.xml']);
    const records = await fresh.inject({ url: files[1] });
    const urls = wellFormed(records.body).map((u) => new URL(u).pathname);
    const live = await services.db.query<{ id: string; kind: string }>(
      `SELECT id, kind FROM records WHERE kind IN ('Dataset', 'DatasetSeries', 'DataService') AND deleted_at IS NULL AND duplicate_of IS NULL`,
    );
    expect(urls.length).toBe(live.rows.length * 2);
    const one = live.rows.find((r) => r.kind === 'Dataset')!;
    expect(urls).toContain(`/datasets/${one.id}`);
    expect(urls).toContain(`/en/datasets/${one.id}`);
    expect(records.body).toMatch(new RegExp(`hreflang="en" href="https?://[^"/]+/en/datasets/${one.id}"`));
    // A withdrawn record is not listed.
    const gone = await services.db.query<{ id: string }>(`SELECT id FROM records WHERE deleted_at IS NOT NULL AND kind = 'Dataset' LIMIT 1`);
    for (const g of gone.rows) expect(urls).not.toContain(`/datasets/${g.id}`);
    // Unchanged since: 304.
    expect((await fresh.inject({ url: files[1], headers: { 'if-none-match': String(records.headers.etag) } })).statusCode).toBe(304);
    const beyond = await fresh.inject({ url: '/sitemaps/records-99.xml' });
    expect(beyond.statusCode).toBe(404);
    expect(beyond.headers['content-type']).toContain('application/problem+json');
    const pages = wellFormed((await fresh.inject({ url: files[0] })).body).map((u) => new URL(u));
    expect(pages.map((u) => u.pathname)).toEqual(expect.arrayContaining(['/', '/en', '/publishers', '/en/quality']));
    expect(pages.some((u) => u.pathname === '/publisher' && u.searchParams.get('iri'))).toBe(true);
    await fresh.close();
  });

  it('lists the distributions a record names without describing them, as links', async () => {
    // data.gov.be's stream carries Flemish geodata with distributions named by IRI only.
    const r = await services.db.query<{ id: string; dist: string }>(
      `SELECT id, json->'distribution'->>0 AS dist FROM records WHERE kind = 'Dataset' AND json_typeof(json->'distribution') = 'array'
         AND json_typeof(json->'distribution'->0) = 'string' AND deleted_at IS NULL LIMIT 1`,
    );
    expect(r.rows).toHaveLength(1);
    const fresh = await buildServer(services);
    const page = (await fresh.inject({ url: `/en/datasets/${r.rows[0].id}` })).body;
    const section = page.slice(page.indexOf('id="dist-title"'), page.indexOf('</section>', page.indexOf('id="dist-title"')));
    expect(section).not.toContain('describes no distributions');
    expect(section).toMatch(/names (a distribution|\d+ distributions) without describing/);
    expect(section).toContain(`href="${r.rows[0].dist}"`);
    await fresh.close();
  });

  it('sends a guessed listing address (/datasets?q=…, /en/dataservices) to the search of that kind', async () => {
    const fresh = await buildServer(services);
    const datasets = await fresh.inject({ url: '/datasets?q=werk&theme=x' });
    expect(datasets.statusCode).toBe(301);
    expect(datasets.headers.location).toBe('/search?q=werk&theme=x&type=dataset&type=series');
    const services_ = await fresh.inject({ url: '/en/dataservices' });
    expect(services_.headers.location).toBe('/en/search?type=dataservice');
    const followed = await fresh.inject({ url: String(datasets.headers.location) });
    expect(followed.statusCode).toBe(200);
    expect(followed.body).toContain('Resultaten voor “werk”');
    // Datasets with their series are one chip, whose removal gives every kind back.
    const chips = followed.body.match(/<ul class="chips">(.*?)<\/ul>/s)?.[1] ?? '';
    expect(chips.match(/<li>/g)).toHaveLength(3); // the theme, the kinds, and "clear all"
    expect(chips).toMatch(/<a href="\/search\?q=werk&amp;theme=x" aria-label="[^"]*Datasets[^"]*">Datasets<span/);
    expect(chips).not.toMatch(/>series</);
    // A series alone is named in the page's language.
    const series = await fresh.inject({ url: '/search?type=series' });
    expect(series.body).toMatch(/<ul class="chips">.*>Datasetreeks<span/s);
    await fresh.close();
  });

  it('links the mail and web addresses of whom to ask in the register', async () => {
    const fresh = await buildServer(services);
    const page = (await fresh.inject({ url: '/register?q=uitkeringsgerechtigden' })).body;
    const request = page.match(/<dt>Toegang aanvragen<\/dt><dd>(.*?)<\/dd>/)?.[1] ?? '';
    expect(request).toContain('Dienst Privacy');
    expect(request).toContain('<a href="mailto:privacy@example.be" rel="nofollow noopener">privacy@example.be</a>');
    await fresh.close();
  });

  it('shows the version a record gives as owl:versionInfo (DCAT-AP 2, GeoDCAT-AP) as it shows dcat:version', async () => {
    const fresh = await buildServer(services);
    // A data.gov.be record of Flemish geodata: owl:versionInfo "14.0".
    const id = await idOf('https://metadata.vlaanderen.be/srv/resources/datasets/2266F60A-2ECA-4C14-986A-3A04495E5229');
    expect((await fresh.inject({ url: `/datasets/${id}` })).body).toContain('<dt>Versie</dt><dd>14.0</dd>');
    expect((await fresh.inject({ url: `/en/datasets/${id}` })).body).toContain('<dt>Version</dt><dd>14.0</dd>');
    // The API's version history says it too, as its description promises.
    expect((await fresh.inject({ url: `/api/v1/records/${id}/versions` })).json()).toMatchObject({ versionInfo: '14.0' });
    await fresh.close();
  });

  it('does not offer a skolemised blank node (.well-known/genid) as a document or a standard to follow', async () => {
    const fresh = await buildServer(services);
    // data.gov.be names this record's sample and one of its standards by such IRIs and describes neither.
    const id = await idOf('https://metadata.vlaanderen.be/srv/resources/datasets/2266F60A-2ECA-4C14-986A-3A04495E5229');
    const page = (await fresh.inject({ url: `/datasets/${id}` })).body;
    const facts = page.match(/<h2>Kerngegevens<\/h2>\s*<dl class="facts">(.*?)<\/dl>/s)?.[1] ?? '';
    expect(facts).not.toContain('.well-known/genid');
    expect(facts).not.toContain('de40b203e04662083f6baaf2c8f00027d685ac58');
    // What the record does say stays: the lineage page and the standard it names by its address.
    expect(facts).toMatch(/<dt>Documentatie en methodologie<\/dt><dd><a href="https:\/\/metadata\.vlaanderen\.be\/srv\/dut\/catalog\.search#\/metadata\/41381CC9[^"]*\/formatters\/lineage"[^>]*>[^<]+<\/a><\/dd>/);
    expect(facts).toMatch(/<dt>Volgt de standaard<\/dt><dd><a href="https:\/\/metadata\.vlaanderen\.be\/srv\/dut\/csw\?[^"]*"[^>]*>4F43E7F3-7C47-4475-80E6-4247D8352E07<\/a><\/dd>/);
    await fresh.close();
  });

  it('names the legal basis a record gives by its ELI address as the EU list of legislation names it', async () => {
    const fresh = await buildServer(services);
    const ris = await idOf('https://metadata.vlaanderen.be/srv/resources/datasets/19f002fb-a26b-4a18-8755-b6653b053d12');
    const hvd = 'http://data.europa.eu/eli/reg_impl/2023/138/oj';
    const link = (name: string) => `<a href="${hvd}" rel="nofollow noopener">${name}</a>`;
    expect((await fresh.inject({ url: `/datasets/${ris}` })).body).toContain(`<dt>Rechtsgrond</dt><dd>${link('2023/138 (HVD, Hoogwaardige Datasets)')}</dd>`);
    expect((await fresh.inject({ url: `/en/datasets/${ris}` })).body).toContain(`<dt>Legal basis</dt><dd>${link('2023/138 (HVD, High Value Datasets)')}</dd>`);
    expect((await fresh.inject({ url: '/register?q=RIS-index' })).body).toContain(`<dd>${link('2023/138 (HVD, Hoogwaardige Datasets)')}</dd>`);
    // A law the list does not hold keeps its address, not a last segment ("oj") that says less.
    const uitkeringen = await idOf('https://data.example.be/id/dataset/uitkeringen');
    expect((await fresh.inject({ url: `/datasets/${uitkeringen}` })).body).toContain('<dt>Rechtsgrond</dt><dd><a href="http://data.europa.eu/eli/reg/2016/679/oj" rel="nofollow noopener">http://data.europa.eu/eli/reg/2016/679/oj</a></dd>');
    await fresh.close();
  });

  it('writes the register in the page\'s language, and names a holder known by its IRI alone', async () => {
    const fresh = await buildServer(services);
    const entryOf = (page: string, title: string) => page.match(new RegExp(`<li><h2 class="h3"><a [^>]*>${title}</a>.*?</dl></li>`, 's'))?.[0] ?? '';
    // The record's English title, holder and conditions, not the Dutch ones the register keeps.
    const en = (await fresh.inject({ url: '/en/register' })).body;
    const premium = entryOf(en, 'People who were granted a Flemish incentive premium, sex and age - number - Flanders');
    expect(premium).toContain('<dt>Holder of the data</dt><dd>Department of Work and Social Economy</dd>');
    expect(premium).toContain('The individual-level microdata are not open.');
    expect(en).not.toContain('De microdata op persoonsniveau');
    const nl = (await fresh.inject({ url: '/register' })).body;
    expect(entryOf(nl, 'Personen die een Vlaamse aanmoedigingspremie goedgekeurd kregen, geslacht en leeftijd - aantal - VI')).toContain('De microdata op persoonsniveau zijn niet open.');
    // A data.gov.be record names its publisher by an enterprise number alone: the holder is still said.
    expect(entryOf(nl, 'Elektronische binnenvaartkaart Zeebrugge Estuaire Vaart')).toContain('<dt>Houder van de gegevens</dt><dd>Vestigingsnummer 2.199.336.725</dd>');
    expect(entryOf(en, 'Electronic inland navigation card Zeebrugge Estuaire Vaart')).toContain('<dt>Holder of the data</dt><dd>Establishment unit 2.199.336.725</dd>');
    // Each list in the order of the titles it shows.
    const titles = (page: string) => [...page.matchAll(/<li><h2 class="h3"><a [^>]*>(.*?)<\/a>/g)].map((m) => m[1]);
    for (const page of [nl, en]) {
      const shown = titles(page);
      expect(shown.length).toBeGreaterThan(3);
      expect(shown).toEqual([...shown].sort());
    }
    await fresh.close();
  });

  it('says on an organisation\'s page how many of its records it lists, and links them all', async () => {
    const fresh = await buildServer(services);
    const big = (await services.search.search({ filters: {}, offset: 0, limit: 1, kinds: ['Dataset', 'DatasetSeries', 'DataService'], sort: '-modified', facetLimit: 1 })).facets.publisher[0];
    expect(big.count).toBeGreaterThan(20);
    const page = (await fresh.inject({ url: `/publisher?iri=${encodeURIComponent(big.value)}` })).body;
    expect(page).not.toContain('Alle datasets van deze organisatie');
    expect(page).toContain(`<h2>De 20 laatst gewijzigde van ${big.count} datasets en dataservices</h2>`);
    expect(page).toContain(`>Alle ${big.count} in de zoekresultaten</a>`);
    const small = (await fresh.inject({ url: `/en/publisher?iri=${encodeURIComponent('https://data.example.be/id/org/rsz')}` })).body;
    expect(small).toContain('<h2>All datasets of this organisation</h2>');
    await fresh.close();
  });

  it('makes the web and mail addresses in a description links, and nothing else', async () => {
    const fresh = await buildServer(services);
    const iri = 'https://data.example.be/id/dataset/met-links';
    const description = 'Gebruiksregels (https://www.inbo.be/en/norms-data-use). Fouten melden: https://github.com/inbo/x/issues of data@example.be. Niet: javascript:alert(1), https://x.example/"onmouseover="alert(2) <a href="https://evil.example">hier</a>';
    const ttl = `<${iri}> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "Met adressen"@nl; <http://purl.org/dc/terms/description> ${JSON.stringify(description)}@nl.`;
    expect((await fresh.inject({ method: 'POST', url: '/api/v1/catalogs/links/records', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` }, payload: ttl })).statusCode).toBe(200);
    const page = (await fresh.inject({ url: `/datasets/${await idOf(iri)}` })).body;
    const shown = page.match(/<p class="description">([\s\S]*?)<\/p>/)?.[1] ?? '';
    const links = [...shown.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    expect(links).toEqual(['https://www.inbo.be/en/norms-data-use', 'https://github.com/inbo/x/issues', 'mailto:data@example.be', 'https://x.example/', 'https://evil.example']);
    expect(shown).toContain('(<a href="https://www.inbo.be/en/norms-data-use" rel="nofollow noopener">https://www.inbo.be/en/norms-data-use</a>).');
    // The rest stays text: no markup of the description's own gets through.
    expect(shown).toContain('javascript:alert(1)');
    expect(shown).toContain('&quot;onmouseover=&quot;alert(2) &lt;a href=&quot;');
    expect(shown).not.toMatch(/<a href="[^"]*"[^>]*onmouseover/);
    await fresh.close();
  });

  it('says on a dataset page what its quality score measures and where its bands begin', async () => {
    const fresh = await buildServer(services);
    const id = await idOf('https://data.example.be/id/dataset/uitkeringen');
    const nl = (await fresh.inject({ url: `/datasets/${id}` })).body;
    expect(nl).toContain('niet hoe juist of volledig de data zelf zijn. Onvoldoende: 0–120 punten, voldoende: 121–220, goed: 221–350, uitstekend: 351–405.');
    expect((await fresh.inject({ url: `/en/datasets/${id}` })).body).toContain('not how correct or complete the data themselves are. Bad: 0–120 points');
    // The bands said are the bands scored.
    expect([120, 121, 220, 221, 350, 351].map(bandOf)).toEqual(['bad', 'sufficient', 'sufficient', 'good', 'good', 'excellent']);
    await fresh.close();
  });

  it('finds the datasets of an organisation by its name, and offers the organisations of that name when their records do not say it', async () => {
    const fresh = await buildServer(services);
    // Records that name their publisher are found by its name.
    const named = (await fresh.inject({ url: `/search?q=${encodeURIComponent('rijksdienst sociale zekerheid')}` })).body;
    expect(named).toContain('3 resultaten');
    expect((await fresh.inject({ url: `/en/search?q=${encodeURIComponent('Social Security Office')}` })).body).toContain('3 results');
    // Records that point at their publisher by IRI alone, its name known from elsewhere: the page
    // offers the organisation.
    const org = 'https://org.belgif.be/id/CbeEstablishmentUnit/2199336725';
    await services.db.query(`INSERT INTO term_labels (iri, lang, label) VALUES ($1, 'nl', 'Qqagentschap Kust'), ($1, 'en', 'Qqagency Coast') ON CONFLICT (iri, lang) DO UPDATE SET label = EXCLUDED.label`, [org]);
    forgetLabels();
    // No record holds both words: the organisation comes first, then records that hold some of them.
    const nl = (await fresh.inject({ url: `/search?q=${encodeURIComponent('qqagentschap kust')}` })).body;
    expect(nl).toContain('Geen resultaten met al deze woorden samen');
    expect(nl).toMatch(new RegExp(`Organisaties met die naam:</p><ul><li><a href="/publisher\\?iri=${encodeURIComponent(org).replace(/[.?]/g, '\\$&')}">Qqagentschap Kust</a> <span class="count">\\d+</span></li></ul>`));
    const en = (await fresh.inject({ url: `/en/search?q=${encodeURIComponent('Qqagency Coast')}` })).body;
    expect(en).toContain('Organisations by that name:</p><ul><li><a href="/en/publisher?iri=');
    expect(en).toContain('>Qqagency Coast</a>');
    // Words no organisation's name holds: the plain advice alone.
    expect((await fresh.inject({ url: '/search?q=xyzzyplugh' })).body).not.toContain('Organisaties met die naam');
    await fresh.close();
  });

  it('pages only as deep as a results page goes, and says so on the last one', async () => {
    const fresh = await buildServer(services);
    // A real search, with its total raised past what 500 pages hold (a catalogue of 25,000 records).
    const result = await services.search.search({ filters: {}, offset: 0, limit: PAGE_SIZE, kinds: ['Dataset'], sort: '-modified', lang: 'nl' });
    const records = await loadRecords(services, result.hits.map((h) => h.id));
    const deep = { ...result, total: 25_000 };
    const at = (page: number) => searchBody({ lang: 'nl', params: { page }, result: deep, records, labels: new Map() }).value;
    expect(at(499)).toContain('Pagina 499 van 500');
    expect(at(499)).toContain('href="/search?page=500"');
    expect(at(500)).toContain('Pagina 500 van 500');
    expect(at(500)).not.toContain('rel="next"');
    expect(at(500)).toContain('De pagina&#39;s tonen de eerste 10.000 resultaten.');
    expect(at(1)).not.toContain('De pagina&#39;s tonen');
    // The address of the last page linked is one the page takes.
    expect((await fresh.inject({ url: '/search?page=500' })).statusCode).not.toBe(400);
    await fresh.close();
  });

  it('refuses a feedback post without a kind for what it is, not as too short', async () => {
    const fresh = await buildServer(services);
    const id = await idOf('https://data.example.be/id/dataset/uitkeringen');
    const token = (await fresh.inject({ url: `/datasets/${id}` })).body.match(/name="token" value="([^"]+)"/)?.[1] ?? '';
    await new Promise((r) => setTimeout(r, 3_200));
    const sent = await fresh.inject({
      method: 'POST',
      url: `/datasets/${id}/feedback`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token, kind: 'klacht', message: 'Een bericht dat lang genoeg is.' }).toString(),
    });
    expect(sent.statusCode).toBe(400);
    expect(sent.body).toContain('role="alert" id="fb-error">Kies of je een fout meldt of een vraag stelt.</p>');
    expect(sent.body).toContain('<fieldset aria-invalid="true" aria-describedby="fb-error"><legend>');
    expect(sent.body).toContain('>Een bericht dat lang genoeg is.</textarea>');
    await fresh.close();
  });

  it('names on an organisation\'s page whom to contact, from its records\' contact points', async () => {
    const fresh = await buildServer(services);
    const page = (await fresh.inject({ url: `/publisher?iri=${encodeURIComponent('https://data.example.be/id/org/rsz')}` })).body;
    expect(page).toContain('<dt>Contactpunt</dt><dd>Dienst Privacy (<a href="mailto:privacy@example.be" rel="nofollow noopener">privacy@example.be</a>)</dd>');
    const en = (await fresh.inject({ url: `/en/publisher?iri=${encodeURIComponent('https://data.example.be/id/org/rsz')}` })).body;
    expect(en).toContain('<dt>Contact point</dt>');
    await fresh.close();
  });

  it('lists a finding that holds for several values once, saying for how many more', async () => {
    const fresh = await buildServer(services);
    const vacatures = await idOf('https://data.example.be/id/dataset/vacatures');
    const en = (await fresh.inject({ url: `/en/datasets/${vacatures}` })).body;
    const creators = en.match(/<li>[^\n]*dct:creator: https:\/\/data\.example\.be\/id\/persoon\/\d must be of type foaf:Agent\.[^\n]*<\/li>/g) ?? [];
    expect(creators).toHaveLength(1);
    expect(creators[0]).toContain('must be of type foaf:Agent. (and 2 more like it for other values)</li>');
    expect((await fresh.inject({ url: `/datasets/${vacatures}` })).body).toMatch(/dct:creator: https:\/\/data\.example\.be\/id\/persoon\/\d moet van het type foaf:Agent zijn\. \(en nog 2 gelijkaardige voor andere waarden\)<\/li>/);
    await fresh.close();
  });

  it('searches for the beginning of a query longer than a search takes, and says so', async () => {
    const fresh = await buildServer(services);
    const kept = (body: string) => /<input type="search" id="q-top" name="q" value="([^"]*)"/.exec(body)?.[1];
    // Too many words: the first 32, the rest dropped.
    const wordy = `werk ${'arbeidsmarkt '.repeat(40)}`;
    const res = await fresh.inject({ url: `/search?q=${encodeURIComponent(wordy)}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('De zoekvraag was langer dan een zoekopdracht aankan (500 tekens of 32 woorden); gezocht is op het begin ervan.');
    expect(kept(res.body)).toBe(`werk${' arbeidsmarkt'.repeat(31)}`);
    // Too many characters in few words: cut between words.
    const long = `werk ${'arbeidsmarktstatistieken'.repeat(3)} `.repeat(12);
    const cut = kept((await fresh.inject({ url: `/search?q=${encodeURIComponent(long)}` })).body)!;
    expect(cut.length).toBeLessThanOrEqual(500);
    expect(long.startsWith(cut)).toBe(true);
    expect(long[cut.length]).toBe(' ');
    const en = (await fresh.inject({ url: `/en/search?q=${encodeURIComponent(wordy)}` })).body;
    expect(en).toContain('The search was longer than a search takes (500 characters or 32 words); its beginning was searched for.');
    // A query within the limits says nothing of the kind.
    const short = (await fresh.inject({ url: '/search?q=werk' })).body;
    expect(short).not.toContain('langer dan een zoekopdracht');
    expect(kept(short)).toBe('werk');
    // The API keeps its limits: a client is told, not given results for something else.
    expect((await fresh.inject({ url: `/api/v1/search?q=${encodeURIComponent(wordy)}` })).statusCode).toBe(400);
    expect((await fresh.inject({ url: `/api/v1/search?q=${encodeURIComponent(long)}` })).statusCode).toBe(400);
    await fresh.close();
  });

  it('says what is wrong with an address in the page language', async () => {
    const fresh = await buildServer(services);
    const nl = await fresh.inject({ url: '/search?page=0', headers: { accept: 'text/html' } });
    expect(nl.statusCode).toBe(400);
    expect(nl.body).toContain('400 Ongeldige aanvraag');
    expect(nl.body).toContain('Het adres van deze pagina bevat een waarde die niet kan');
    const en = await fresh.inject({ url: '/en/search?page=0', headers: { accept: 'text/html' } });
    expect(en.body).toContain('The address of this page holds a value that cannot be');
    // The words searched for stay in the page's search box.
    const kept = await fresh.inject({ url: '/search?q=werk%20%3Cb%3E&page=0', headers: { accept: 'text/html' } });
    expect(kept.body).toContain('<input type="search" id="q-error" name="q" value="werk &lt;b&gt;"');
    // A NUL character, refused before any route, is explained in Dutch on a Dutch page too.
    const nul = await fresh.inject({ url: '/search?q=werk%00', headers: { accept: 'text/html' } });
    expect(nul.statusCode).toBe(400);
    expect(nul.body).toContain('<html lang="nl">');
    expect(nul.body).toMatch(/<h1>400 Ongeldige aanvraag<\/h1>\n<p>Het adres van deze pagina bevat een waarde die niet kan/);
    await fresh.close();
  });

  it('names whom to ask in every search result and an organisation\'s list, mail first, a phone as a number to dial', async () => {
    const fresh = await buildServer(services);
    const search = (await fresh.inject({ url: '/search?q=uitkeringen' })).body;
    expect(search).toContain('<li class="contact">Contactpunt: Dienst Privacy (<a href="mailto:privacy@example.be" rel="nofollow noopener">privacy@example.be</a>)</li>');
    const en = (await fresh.inject({ url: '/en/search?q=uitkeringen' })).body;
    expect(en).toContain('<li class="contact">Contact point: Dienst Privacy (');
    const publisher = (await fresh.inject({ url: `/publisher?iri=${encodeURIComponent('https://data.example.be/id/org/rsz')}` })).body;
    expect(publisher).toContain('<li class="contact">Contactpunt: Dienst Privacy (');
    // A record with a web address only names that; one without a name or address shows no empty line.
    expect(contactLine({ contactPoint: [{ fn: 'VDAB', hasURL: ['https://www.vdab.be/'] }] }, 'nl')?.value).toBe('VDAB (<a href="https://www.vdab.be/" rel="nofollow noopener">https://www.vdab.be/</a>)');
    expect(contactLine({ contactPoint: [{ type: 'Kind' }] }, 'nl')).toBeUndefined();
    const phone = contactPoints({ contactPoint: [{ fn: 'RVA', hasTelephone: ['tel:+32 2 515 44 44', 'javascript:alert(1)'] }] }, 'nl')[0].value;
    expect(phone).toBe('RVA (<a href="tel:+3225154444">+32 2 515 44 44</a>, javascript:alert(1))');
    await fresh.close();
  });

  it('gives whom to ask in the CSV of a search, in columns after the earlier ones', async () => {
    const fresh = await buildServer(services);
    const csv = (await fresh.inject({ url: '/api/v1/search.csv?q=uitkeringen&catalog=web&type=dataset' })).body.replace(/^\ufeff/, '').split('\r\n');
    const head = csv[0].split(',');
    expect(head.slice(0, 16).at(-1)).toBe('url');
    expect(head.slice(16, 19)).toEqual(['contact_point', 'contact_email', 'contact_url']);
    const row = csv.find((l) => l.includes('https://data.example.be/id/dataset/uitkeringen'))!;
    expect(row).toContain(',Dienst Privacy,privacy@example.be,');
    await fresh.close();
  });

  it('names the themes, licences, access rights and formats of a search in the CSV, in the language asked for', async () => {
    const fresh = await buildServer(services);
    const csv = (await fresh.inject({ url: '/api/v1/search.csv?q=uitkeringen&catalog=web&type=dataset' })).body.replace(/^\ufeff/, '').split('\r\n');
    const head = csv[0].split(',');
    expect(head.slice(19)).toEqual(['theme_name', 'license_name', 'access_rights_name', 'format_name']);
    const en = (await fresh.inject({ url: '/api/v1/search.csv?q=uitkeringen&catalog=web&type=dataset&lang=en' })).body;
    // EU vocabularies are named in the language asked for.
    const row = csv.find((l) => l.includes('https://data.example.be/id/dataset/uitkeringen'))!;
    expect(row.endsWith(',Bevolking en samenleving; é,,Niet publiek,CSV')).toBe(true);
    const enRow = en.split('\r\n').find((l) => l.includes('https://data.example.be/id/dataset/uitkeringen'))!;
    expect(enRow).toContain(',Population and society; é,,');
    await fresh.close();
  });

  it('does not promise to pass a message on when the record gives no mail address, and shows how to reach its contact point', async () => {
    const fresh = await buildServer(services);
    const ibo = await idOf('https://voorbeeld.vindbaar.example/id/dataset/cursisten-individuele-beroepsopleiding-in-de-onderneming-ibo-aantal-vi');
    const page = (await fresh.inject({ url: `/datasets/${ibo}` })).body;
    const form = page.slice(page.indexOf('<section id="feedback"'), page.indexOf('</section>', page.indexOf('<section id="feedback"')));
    expect(form).toContain('Deze dataset vermeldt geen e-mailadres');
    expect(form).not.toContain('bezorgen het aan het contactpunt');
    expect(form).toContain('Je kunt het contactpunt ook rechtstreeks bereiken: Departement Werk en Sociale Economie (<a href="https://www.vlaanderen.be/departement-werk-en-sociale-economie"');
    // Where the message is mailed, the form says so and needs no other way.
    const mailed = (await fresh.inject({ url: `/datasets/${await idOf('https://data.example.be/id/dataset/uitkeringen')}` })).body;
    expect(mailed).toContain('bezorgen het aan het contactpunt');
    expect(mailed).not.toContain('rechtstreeks bereiken');
    await fresh.close();
  });
});
