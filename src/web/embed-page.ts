// The embeddable list (/embed/search, /en/embed/search): a search's results made to be shown in an
// iframe on another site, such as a thematic portal. The same search as the search page (same
// parameters, same code paths), without the site's band, navigation and footer: a heading, a search box
// that keeps the filters, the results, pages, and a link to all results here. Records and organisations
// open in the whole window (target=_top), pages of the list stay in the frame. No script: it works
// where the embedding site or the reader allows none.
import { ASSETS } from './layout.js';
import { html, trimText } from './html.js';
import { localePath, MESSAGES, type PageLang } from './i18n.js';
import { queryTerms } from './highlight.js';
import { lastPageOf, resultItem, searchHref, searchQueryString, type PageSearch } from './search-page.js';
import type { RecordSummary } from '../api/records.js';
import type { SearchResult } from '../search/backend.js';

export const EMBED_PATH = '/embed/search';

export interface EmbedView {
  lang: PageLang;
  params: PageSearch;
  result: SearchResult;
  records: Map<string, RecordSummary>;
  labels: Map<string, string>;
  /** The view's title, or what the search is. */
  title: string;
  /** The same search on the site itself, in the whole window. */
  fullHref: string;
}

export function embedPage(v: EmbedView): string {
  const { lang, params, result } = v;
  const t = MESSAGES[lang];
  const terms = queryTerms(result.searchedFor ?? params.q);
  const page = params.page ?? 1;
  const lastPage = lastPageOf(result.total);
  const place = { path: EMBED_PATH };
  // Every filter of the list rides along as a hidden field, written as the links write them, so that a
  // search from the box stays within the list's filters and view.
  const kept = [...new URLSearchParams(searchQueryString({ ...params, q: undefined, page: undefined }).slice(1))].map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const hits = result.hits.map((h) => v.records.get(h.id)).filter((r): r is RecordSummary => !!r);
  return `<!doctype html>\n${html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${trimText(v.title, 200)} · ${t.siteName}</title>
<link rel="stylesheet" href="${ASSETS.css.path}">
</head>
<body class="embed">
<main id="main">
<div class="wrap">
<h1>${trimText(v.title, 200)}</h1>
<form class="search" role="search" aria-label="${t.embed.searchLabel}" action="${localePath(lang, EMBED_PATH)}" method="get">
${kept}
<label class="visually-hidden" for="embed-q">${t.embed.searchLabel}</label>
<input type="search" id="embed-q" name="q" value="${params.q ?? ''}" maxlength="500" autocomplete="off">
<button type="submit">${t.searchButton}</button>
</form>
<p role="status"><strong>${t.results(result.total)}</strong></p>
${result.fuzzy ? html`<p class="notice">${t.fuzzy}</p>` : ''}${result.anyWords ? html`<p class="notice">${t.anyWords}</p>` : ''}${result.searchedFor && params.q ? html`<p class="notice">${t.searchedFor(params.q, result.searchedFor)}</p>` : ''}
${hits.length ? html`<ol class="results">${hits.map((r) => resultItem(lang, r, terms, v.labels, 'h2', '_top', v.params.sort))}</ol>` : html`<p class="notice">${t.noResults}</p>`}
${
  lastPage > 1
    ? html`<nav aria-label="${t.pagination}"><ul class="pager">
${page > 1 ? html`<li><a rel="prev" href="${searchHref(lang, { ...params, page: Math.min(page - 1, lastPage) }, place)}">← ${t.previous}</a></li>` : ''}
<li aria-current="page">${t.page(Math.min(page, lastPage), lastPage)}</li>
${page < lastPage ? html`<li><a rel="next" href="${searchHref(lang, { ...params, page: page + 1 }, place)}">${t.next} →</a></li>` : ''}
</ul></nav>`
    : ''
}
<p><a href="${v.fullHref}" target="_top">${t.embed.allOnSite(result.total)}</a></p>
</div>
</main>
</body>
</html>
`}`;
}
