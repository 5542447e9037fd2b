// The frame of every page: the yellow band with the site's name, navigation and the other language,
// the main content, the footer with the machine-readable ways in; the style sheet and the small script
// from /assets under content-hashed names (cached for a year, changed names when changed).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import { HTML_CSP } from '../api/representation.js';
import { html, raw, type Renderable, type SafeHtml } from './html.js';
import { localePath, MESSAGES, type PageLang } from './i18n.js';

const ASSETS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'assets');

export interface Asset {
  path: string;
  type: string;
  body: string;
  etag: string;
}

function asset(file: string, type: string): Asset {
  const body = readFileSync(join(ASSETS_DIR, file), 'utf8');
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
  const [name, ext] = file.split('.');
  return { path: `/assets/${name}.${hash}.${ext}`, type, body, etag: `"${hash}"` };
}

export const ASSETS = { css: asset('site.css', 'text/css; charset=utf-8'), js: asset('site.js', 'text/javascript; charset=utf-8'), icon: asset('icon.svg', 'image/svg+xml') };

/**
 * What pages may load: only this site's style sheet, script and images, requests back to this site
 * (autocomplete), forms to this site. No inline script or style can run, so harvested text that slipped
 * through escaping still could not act; the schema.org JSON-LD is a data block, not script.
 */
export const PAGE_CSP = HTML_CSP;

export interface PageFrame {
  lang: PageLang;
  title: string;
  /** The page's path and query without the language prefix: the language switch keeps the page. */
  path: string;
  body: SafeHtml;
  /** Extra elements for <head> (alternate links, JSON-LD). */
  head?: Renderable;
  /** The search box in the band (every page but the home page, which has its own). */
  bandSearch?: boolean;
  query?: string;
  description?: string;
}

export function searchForm(lang: PageLang, q: string | undefined, id: string, big = false): SafeHtml {
  const t = MESSAGES[lang];
  return html`<form class="search" role="search" aria-label="${t.searchLabel}" action="${localePath(lang, '/search')}" method="get">
<label class="visually-hidden" for="${id}">${t.searchLabel}</label>
<input type="search" id="${id}" name="q" value="${q ?? ''}" maxlength="500" autocomplete="off" list="${id}-suggestions" data-suggest="/api/v1/suggest?lang=${lang}"${raw(big ? ` placeholder="${t.searchPlaceholder}"` : '')}>
<datalist id="${id}-suggestions"></datalist>
<button type="submit">${t.searchButton}</button>
</form>`;
}

export function layout(frame: PageFrame): string {
  const { lang } = frame;
  const t = MESSAGES[lang];
  const other: PageLang = lang === 'nl' ? 'en' : 'nl';
  return `<!doctype html>\n${html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · ${t.siteName}</title>
${frame.description ? html`<meta name="description" content="${frame.description}">` : ''}
<link rel="stylesheet" href="${ASSETS.css.path}">
<link rel="icon" type="image/svg+xml" href="${ASSETS.icon.path}">
<link rel="search" type="application/opensearchdescription+xml" title="Vindbaar" href="/opensearch.xml">
<link rel="alternate" hreflang="${other}" href="${localePath(other, frame.path)}">
${frame.head}
<script src="${ASSETS.js.path}" defer></script>
</head>
<body>
<a class="skip" href="#main">${t.skip}</a>
<header class="band">
<div class="wrap">
<a class="brand" href="${localePath(lang, '/')}">${t.siteName}</a>
<nav aria-label="${lang === 'nl' ? 'Hoofdmenu' : 'Main menu'}"><ul>
<li><a href="${localePath(lang, '/search')}">${t.datasetsTitle}</a></li>
<li><a href="${localePath(lang, '/publishers')}">${t.publishers}</a></li>
<li><a href="${localePath(lang, '/quality')}">${t.kpi.nav}</a></li>
<li><a href="${localePath(lang, '/register')}">${t.register.nav}</a></li>
<li><a href="/docs">${t.api}</a></li>
</ul></nav>
<a class="lang" href="${localePath(other, frame.path)}" hreflang="${other}" lang="${other}">${t.otherLanguage}</a>
</div>
</header>
<main id="main" tabindex="-1">
<div class="wrap">
${frame.bandSearch ? searchForm(lang, frame.query, 'q-top') : ''}
${frame.body}
</div>
</main>
<footer>
<div class="wrap">
<p>${t.footerAbout}</p>
<h2 class="visually-hidden">${t.footerMachine}</h2>
<ul>
<li><a href="/docs">OpenAPI</a></li>
<li><a href="/catalog">DCAT (Hydra)</a></li>
<li><a href="${localePath(lang, '/views')}">${t.thematic.title}</a></li>
<li><a href="/feed">LDES</a></li>
<li><a href="/sparql">${t.sparql}</a></li>
<li><a href="/dumps">Dumps</a></li>
</ul>
</div>
</footer>
</body>
</html>
`}`;
}

/** Sends a page with the headers every page has, compressed when the browser accepts it (@fastify/compress:
 * a results page with its facets is about a fifth of its size in gzip or Brotli). */
export function sendPage(reply: FastifyReply, page: string, status = 200, csp = PAGE_CSP): FastifyReply {
  reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', csp)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .compress(page);
  return reply;
}
