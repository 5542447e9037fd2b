// The search results page: the query, multi-select facets whose counts follow the other filters, the
// chosen filters as removable chips, sort, pages, snippets with the searched words marked, and links to
// follow the search (Atom) or take its results away (CSV, RDF). Every state is in the URL, so a search
// can be shared, bookmarked and gone back to; without JavaScript the filters apply with a button.
import type { JsonNode } from '../dcat/json.js';
import { MAX_QUERY_WORDS, type SearchParams } from '../api/search.js';
import type { RecordSummary } from '../api/records.js';
import type { FacetField, FacetValue, SearchResult } from '../search/backend.js';
import { escapeHtml, html, raw, trimText, type SafeHtml } from './html.js';
import { formatDate, localePath, MESSAGES, type PageLang } from './i18n.js';
import { marked, queryTerms, snippet } from './highlight.js';
import { contactLine } from './contact.js';
import { accessClass, iriOf, iris, langAttr, literal, nameOf, nodes, text, translationNote } from './values.js';

/** The facets a researcher filters by, in the order shown. */
export const PAGE_FACETS: FacetField[] = ['theme', 'keyword', 'publisher', 'catalog', 'accessRights', 'format', 'license', 'hvdCategory', 'language', 'quality', 'validation'];

/** Values shown before "more". */
const SHOWN = 6;

export const PAGE_SIZE = 20;

/** The deepest page a results page goes to (the address refuses deeper ones): 10,000 results. */
export const MAX_PAGE = 500;
/** The longest query a search takes (the API's limit); a page cuts a longer one rather than refuse it. */
export const QUERY_MAX = 500;

/**
 * A query cut to what a search takes: its first MAX_QUERY_WORDS words, and no more than QUERY_MAX
 * characters, cut between words where there is a blank in the last fifth (a text pasted into the box
 * or the address is searched for by its beginning, no word of it half).
 */
export function shortenQuery(q: string): string {
  let words = 0;
  let end = q.length;
  for (const m of q.matchAll(/\S+/g)) {
    // Counted as the search counts them: a run of punctuation is no word.
    if (/[\p{L}\p{N}]/u.test(m[0]) && ++words > MAX_QUERY_WORDS) {
      end = m.index;
      break;
    }
  }
  const byWords = q.slice(0, end).trim();
  if ([...byWords].length <= QUERY_MAX) return byWords;
  const cut = [...byWords].slice(0, QUERY_MAX).join('');
  const blank = cut.search(/\s\S*$/u);
  return (blank >= cut.length * 0.8 ? cut.slice(0, blank) : cut).trim();
}

/** The number of pages a search's results fill, as far as the pages go. */
export const lastPageOf = (total: number): number => Math.min(MAX_PAGE, Math.max(1, Math.ceil(total / PAGE_SIZE)));

const RANGE_KEYS = ['issuedFrom', 'issuedTo', 'modifiedFrom', 'modifiedTo', 'temporalFrom', 'temporalTo', 'bbox'] as const;

export type PageSearch = Partial<SearchParams> & { type?: string[] };

/** Where a search's pages are: the search itself, a thematic view's page, the embeddable list. */
export interface SearchPlace {
  /** The path without the language prefix. */
  path: string;
  /** The path names the view (a view's page): links leave `view` out of their query. */
  viewInPath?: boolean;
}

const SEARCH_PLACE: SearchPlace = { path: '/search' };

/** The heading of one kind of record asked for by `type` (datasets, data services), if known. */
export function kindTitle(lang: PageLang, kind: string): string | undefined {
  const t = MESSAGES[lang];
  return kind === 'dataservice' ? t.servicesTitle : kind === 'dataset' ? t.datasetsTitle : kind === 'series' ? t.kind.DatasetSeries : undefined;
}

/**
 * The heading of a search of one kind of record, as a reader counts kinds: datasets with their series
 * (the menu's and the home page's "datasets") are datasets. Undefined when the search is of every kind,
 * or of kinds that have no one name: the page is then "all datasets and data services".
 */
export function kindsTitle(lang: PageLang, types: string[] | undefined): string | undefined {
  const kinds = new Set(types ?? []);
  if (kinds.has('dataset') && [...kinds].every((k) => k === 'dataset' || k === 'series')) return kindTitle(lang, 'dataset');
  return kinds.size === 1 ? kindTitle(lang, [...kinds][0]) : undefined;
}

/** The query string of a search, in one order (so equal searches have equal URLs). */
export function searchQueryString(p: PageSearch, extra: Record<string, string> = {}): string {
  const u = new URLSearchParams();
  if (p.view) u.set('view', p.view);
  if (p.q) u.set('q', p.q);
  for (const t of p.type ?? []) u.append('type', t);
  for (const f of PAGE_FACETS) for (const v of p[f] ?? []) u.append(f, v);
  for (const f of ['mediaType', 'spatial'] as const) for (const v of p[f] ?? []) u.append(f, v);
  for (const k of RANGE_KEYS) if (p[k]) u.set(k, p[k]!);
  if (p.sort && p.sort !== 'relevance') u.set('sort', p.sort);
  if (p.page && p.page > 1) u.set('page', String(p.page));
  for (const [k, v] of Object.entries(extra)) u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
}

export const searchHref = (lang: PageLang, p: PageSearch, place: SearchPlace = SEARCH_PLACE): string =>
  `${localePath(lang, place.path)}${searchQueryString(place.viewInPath ? { ...p, view: undefined } : p)}`;

/** Where a record's page is. */
export function recordHref(lang: PageLang, r: { id: string; kind: string }): string {
  return localePath(lang, `${r.kind === 'DataService' ? '/dataservices' : '/datasets'}/${encodeURIComponent(r.id)}`);
}

export function accessBadge(lang: PageLang, record: JsonNode): SafeHtml | '' {
  const a = accessClass(record);
  if (!a) return '';
  const css = a === 'public' ? 'open' : a === 'restricted' ? 'restricted' : 'closed';
  return html`<span class="badge ${css}">${MESSAGES[lang].access[a]}</span>`;
}

/** One hit: title (marked), kind and access, publisher, date, formats, whom to ask, a snippet of the description.
 * `sort`: the order of the list it is in, whose date the hit shows too. */
export function resultItem(lang: PageLang, r: RecordSummary, terms: string[], labels: Map<string, string>, heading: 'h2' | 'h3' = 'h2', target?: '_top', sort?: string): SafeHtml {
  const t = MESSAGES[lang];
  const json = r.json as JsonNode;
  const title = trimText(text(json.title, lang) ?? r.iri, 300);
  const description = text(json.description, lang);
  const publisherIri = iriOf(json.publisher);
  const publisher = nameOf(json.publisher, lang) ?? (publisherIri ? labels.get(publisherIri) : undefined);
  const formats = [...new Set(nodes(json.distribution).flatMap((d) => iris(d.format)).map((f) => labels.get(f) ?? f))].slice(0, 5);
  const modified = literal(json.modified);
  // A list in order of issue shows each hit's issue date: by the modification date alone the order
  // would look like none.
  const issued = sort === 'issued' || sort === '-issued' ? literal(json.issued) : undefined;
  const line = contactLine(json, lang);
  // In a frame on another site, the contact's web address opens in the whole window too (the markup is
  // this module's own: harvested text in it is escaped, so every "<a " is one of its links).
  const contact = line && target ? raw(line.value.replace(/<a /g, `<a target="${target}" `)) : line;
  // In a frame on another site (the embeddable list), a record opens in the whole window.
  const opens = target ? html` target="${target}"` : '';
  const h = html`<a href="${recordHref(lang, r)}"${opens}${langAttr(json.title, lang)}>${marked(title, terms)}</a>`;
  return html`<li>
${heading === 'h2' ? html`<h2>${h}</h2>` : html`<h3>${h}</h3>`}
${translationNote(json.title, lang)}
<ul class="meta">
<li><span class="badge kind">${t.kind[r.kind] ?? r.kind}</span> ${accessBadge(lang, json)}</li>
${publisher ? html`<li>${publisherIri ? html`<a href="${publisherHref(lang, publisherIri)}"${opens}>${publisher}</a>` : publisher}</li>` : ''}
${issued ? html`<li>${t.issued} ${formatDate(issued, lang)}</li>` : ''}
${modified ? html`<li>${t.modified} ${formatDate(modified, lang)}</li>` : ''}
${formats.length ? html`<li>${formats.join(', ')}</li>` : ''}
${contact ? html`<li class="contact">${t.contactPoint}: ${contact}</li>` : ''}
</ul>
${description ? html`<p class="snippet"${langAttr(json.description, lang)}>${snippet(trimText(description, 5_000), terms)}</p>` : ''}
</li>`;
}

export const publisherHref = (lang: PageLang, iri: string): string => `${localePath(lang, '/publisher')}?iri=${encodeURIComponent(iri)}`;

function facetLabel(field: FacetField, v: FacetValue, lang: PageLang): string {
  if (field === 'validation') return MESSAGES[lang].validation[v.value] ?? v.value;
  if (field === 'quality') return MESSAGES[lang].band[v.value] ?? v.value;
  return v.label ?? v.value;
}

function facetGroup(lang: PageLang, field: FacetField, values: FacetValue[], selected: string[], labels: Map<string, string>): SafeHtml | '' {
  // Selected values stay visible even when they count no hits under the other filters, by their names.
  const shown = [...values];
  for (const s of selected) if (!shown.some((v) => v.value === s)) shown.unshift({ value: s, count: 0, label: labels.get(s) ?? s });
  if (shown.length === 0) return '';
  shown.sort((a, b) => Number(selected.includes(b.value)) - Number(selected.includes(a.value)));
  const box = (v: FacetValue, i: number) => {
    const id = `f-${field}-${i}`;
    return html`<label for="${id}"><input type="checkbox" id="${id}" name="${field}" value="${v.value}"${selected.includes(v.value) ? html` checked` : ''}> <span>${trimText(facetLabel(field, v, lang), 120)}</span> <span class="count">${v.count.toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB')}</span></label>`;
  };
  const head = shown.slice(0, Math.max(SHOWN, selected.length));
  const rest = shown.slice(head.length);
  return html`<fieldset>
<legend>${MESSAGES[lang].facet[field] ?? field}</legend>
${head.map(box)}
${rest.length ? html`<details><summary>${MESSAGES[lang].more} (${rest.length})</summary>${rest.map((v, i) => box(v, i + head.length))}</details>` : ''}
</fieldset>`;
}

export interface SearchView {
  lang: PageLang;
  params: PageSearch;
  result: SearchResult;
  records: Map<string, RecordSummary>;
  /** Nothing found: organisations whose name holds the words searched, with their records' count. */
  organisations?: FacetValue[];
  /** Labels of the results' publishers and formats, and of chosen filter values no facet lists. */
  labels: Map<string, string>;
  /** The query as typed was longer than a search takes, and was cut to its beginning. */
  shortened?: boolean;
  /** Where the page is (the search, a view's page); the search by default. */
  place?: SearchPlace;
  /** A thematic view's heading in place of the search's. */
  heading?: { title: string; description?: string; catalog: string; titleLang?: string; descriptionLang?: string };
  /** This site's address: the snippet that embeds the search names it. */
  baseUrl?: string;
}

export function searchBody(view: SearchView): SafeHtml {
  const { lang, params, result } = view;
  const t = MESSAGES[lang];
  const place = view.place ?? SEARCH_PLACE;
  const href = (p: PageSearch) => searchHref(lang, p, place);
  // Words searched for instead of a compound that found nothing are the ones to mark.
  const terms = queryTerms(result.searchedFor ?? params.q);
  const page = params.page ?? 1;
  const lastPage = lastPageOf(result.total);
  const selected = PAGE_FACETS.flatMap((f) => (params[f] ?? []).map((value) => ({ field: f, value })));
  const labelOf = (field: FacetField, value: string) => {
    const v = result.facets[field]?.find((x) => x.value === value);
    return facetLabel(field, v ?? { value, count: 0, label: view.labels.get(value) }, lang);
  };
  // Organisations whose name holds the words: offered when the words found nothing together (before
  // the records that hold some of them, when there are such).
  const organisationsNamed = view.organisations?.length && (!result.hits.length || result.anyWords)
    ? html`<p>${t.organisationsNamed}</p><ul>${view.organisations.map((o) => html`<li><a href="${publisherHref(lang, o.value)}">${trimText(o.label ?? o.value, 200)}</a> <span class="count">${o.count.toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB')}</span></li>`)}</ul>`
    : '';
  const ranges: { key: string; text: string; href?: string }[] = RANGE_KEYS.filter((k) => params[k]).map((key) => ({ key, text: `${t.rangeFilter[key]}: ${params[key]}` }));
  // Kinds of record asked for (the menu's "Datasets", the home page's "data services"): a chip that
  // gives every kind back. Datasets with their series are one kind to a reader, and one chip.
  const kinds = params.type ?? [];
  const datasetsWithSeries = kinds.includes('dataset') && kinds.includes('series');
  for (const kind of kinds) {
    if (datasetsWithSeries && kind === 'series') continue;
    const removed = datasetsWithSeries && kind === 'dataset' ? ['dataset', 'series'] : [kind];
    ranges.push({ key: 'type', text: kindTitle(lang, kind) ?? kind, href: href({ ...params, page: 1, type: kinds.filter((k) => !removed.includes(k)) }) });
  }
  const without = (field: FacetField, value: string): PageSearch => ({ ...params, page: 1, [field]: (params[field] ?? []).filter((v) => v !== value) });
  const hidden = (name: string, value: string | undefined) => (value ? html`<input type="hidden" name="${name}" value="${value}">` : '');
  const keep = html`${place.viewInPath ? '' : hidden('view', params.view)}${hidden('q', params.q)}${(params.type ?? []).map((v) => hidden('type', v))}${RANGE_KEYS.map((k) => hidden(k, params[k]))}${(['mediaType', 'spatial'] as const).flatMap((f) => (params[f] ?? []).map((v) => hidden(f, v)))}`;
  const hits = result.hits.map((h) => view.records.get(h.id)).filter((r): r is RecordSummary => !!r);
  const qs = searchQueryString({ ...params, page: 1 });
  const apiQs = qs ? `${qs}&lang=${lang}` : `?lang=${lang}`;
  // A search of one kind (the home page's "datasets") is headed by that kind, as its title is, not "all
  // datasets and data services" over a list of datasets alone.
  const heading = view.heading
    ? html`<h1>${view.heading.titleLang ? html`<span lang="${view.heading.titleLang}">${trimText(view.heading.title, 200)}</span>` : trimText(view.heading.title, 200)}${params.q ? html` <span class="subtitle">${t.resultsFor} “${trimText(params.q, 200)}”</span>` : ''}</h1>
${view.heading.description ? html`<p class="lead"${view.heading.descriptionLang ? html` lang="${view.heading.descriptionLang}"` : ''}>${trimText(view.heading.description, 2000)}</p>` : ''}`
    : html`<h1>${params.q ? html`${t.resultsFor} “${trimText(params.q, 200)}”` : (kindsTitle(lang, params.type) ?? t.allResults)}</h1>`;
  return html`${heading}
<div class="layout">
<aside class="facets" aria-labelledby="filters-title">
<h2 id="filters-title" class="visually-hidden">${t.filters}</h2>
<details class="filter-panel" open>
<summary>${t.filters}${selected.length ? ` (${selected.length})` : ''}</summary>
<form method="get" action="${localePath(lang, place.path)}" data-autosubmit>
${keep}${params.sort && params.sort !== 'relevance' ? hidden('sort', params.sort) : ''}
${PAGE_FACETS.map((f) => facetGroup(lang, f, result.facets[f] ?? [], params[f] ?? [], view.labels))}
<p class="js-hide"><button type="submit" class="secondary">${t.applyFilters}</button></p>
</form>
</details>
</aside>
<section aria-labelledby="results-count">
<div class="toolbar">
<p id="results-count" role="status"><strong>${t.results(result.total)}</strong></p>
<form method="get" action="${localePath(lang, place.path)}" data-autosubmit>
${keep}${PAGE_FACETS.flatMap((f) => (params[f] ?? []).map((v) => hidden(f, v)))}
<label for="sort">${t.sort}</label>
<select id="sort" name="sort">
${(
  [
    ['relevance', t.sortRelevance],
    ['-modified', t.sortModified],
    ['modified', t.sortModifiedOldest],
    ['title', t.sortTitle],
    ['-issued', t.sortIssued],
    ['issued', t.sortIssuedOldest],
  ] as const
).map(([v, label]) => html`<option value="${v}"${(params.sort ?? 'relevance') === v ? html` selected` : ''}>${label}</option>`)}
</select>
<button type="submit" class="secondary js-hide">${t.sortApply}</button>
</form>
</div>
${
  selected.length || ranges.length
    ? html`<h2 class="visually-hidden">${t.activeFilters}</h2><ul class="chips">${selected.map(
        ({ field, value }) =>
          html`<li><a href="${href(without(field, value))}" aria-label="${t.removeFilter(`${t.facet[field]}: ${labelOf(field, value)}`)}">${trimText(labelOf(field, value), 80)}<span aria-hidden="true">×</span></a></li>`,
      )}${ranges.map(
        // Date ranges and the map box filter too: a filter in the address that no chip shows leaves the
        // reader wondering why there are fewer results.
        ({ key, text, href: chipHref }) => html`<li><a href="${chipHref ?? href({ ...params, page: 1, [key]: undefined })}" aria-label="${t.removeFilter(text)}">${trimText(text, 80)}<span aria-hidden="true">×</span></a></li>`,
      )}<li><a href="${href({ q: params.q, sort: params.sort, view: params.view })}">${t.clearAll}</a></li></ul>`
    : ''
}
${view.shortened ? html`<p class="notice">${t.shortened(QUERY_MAX, MAX_QUERY_WORDS)}</p>` : ''}
${result.fuzzy ? html`<p class="notice">${t.fuzzy}</p>` : ''}${result.anyWords ? html`<p class="notice">${t.anyWords}</p>` : ''}${result.searchedFor && params.q ? html`<p class="notice">${t.searchedFor(trimText(params.q, 200), result.searchedFor)}</p>` : ''}
${result.anyWords ? organisationsNamed : ''}
${hits.length ? html`<ol class="results">${hits.map((r) => resultItem(lang, r, terms, view.labels, 'h2', undefined, params.sort))}</ol>` : html`<p class="notice">${t.noResults}</p>`}
${result.anyWords ? '' : organisationsNamed}
${
  lastPage > 1
    ? html`<nav aria-label="${t.pagination}"><ul class="pager">
${page > 1 ? html`<li><a rel="prev" href="${href({ ...params, page: Math.min(page - 1, lastPage) })}">← ${t.previous}</a></li>` : ''}
<li aria-current="page">${t.page(Math.min(page, lastPage), lastPage)}</li>
${page < lastPage ? html`<li><a rel="next" href="${href({ ...params, page: page + 1 })}">${t.next} →</a></li>` : ''}
</ul></nav>${page >= lastPage && result.total > lastPage * PAGE_SIZE ? html`<p class="notice">${t.deeper(lastPage * PAGE_SIZE)}</p>` : ''}`
    : ''
}
<ul class="downloads">
<li>${t.download}: <a href="/api/v1/search.csv${apiQs}" download>CSV</a>, <a href="/api/v1/search.ttl${apiQs}" download>RDF (Turtle)</a>, <a href="/api/v1/search${apiQs}">JSON-LD</a></li>
<li><a href="/api/v1/search.atom${qs}" type="application/atom+xml">${t.atom}</a></li>
${view.heading ? html`<li><a href="${view.heading.catalog}">${t.embed.catalog}</a></li>` : ''}
</ul>
${view.baseUrl ? embedDisclosure(lang, view.baseUrl, { ...params, page: 1 }) : ''}
</section>
</div>`;
}

/** The address of the embeddable list of a search (its filters and query, the view it is in). */
export function embedSrc(baseUrl: string, lang: PageLang, p: PageSearch): string {
  return `${baseUrl}${localePath(lang, '/embed/search')}${searchQueryString({ ...p, page: 1 })}`;
}

/** "Embed this search": the iframe a portal's web team pastes to show these results on its own site. */
export function embedDisclosure(lang: PageLang, baseUrl: string, p: PageSearch): SafeHtml {
  const t = MESSAGES[lang].embed;
  const snippet = `<iframe src="${escapeHtml(embedSrc(baseUrl, lang, p))}" title="${escapeHtml(t.frameTitle)}" width="100%" height="640" loading="lazy"></iframe>`;
  return html`<details class="embed-this">
<summary>${t.embedThis}</summary>
<p id="embed-help">${t.embedHelp}</p>
<label for="embed-code">${t.embedCode}</label>
<textarea id="embed-code" rows="4" readonly aria-describedby="embed-help">${snippet}</textarea>
<p><a href="${embedSrc(baseUrl, lang, p)}">${t.preview}</a></p>
</details>`;
}
