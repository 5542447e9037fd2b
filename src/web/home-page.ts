// The home page: the search box first, then what there is (datasets, services, open and closed),
// the themes with their counts, and the newest and most-viewed datasets.
import type { RecordSummary } from '../api/records.js';
import type { FacetValue } from '../search/backend.js';
import { html, type SafeHtml } from './html.js';
import { MESSAGES, type PageLang } from './i18n.js';
import { searchForm } from './layout.js';
import { resultItem, searchHref } from './search-page.js';

export interface HomeView {
  lang: PageLang;
  datasets: number;
  services: number;
  /** Datasets by access class. */
  open: number;
  closed: number;
  themes: FacetValue[];
  newest: RecordSummary[];
  mostViewed: { record: RecordSummary; views: number }[];
  labels: Map<string, string>;
}

const ACCESS = 'http://publications.europa.eu/resource/authority/access-right/';

export function homeBody(v: HomeView): SafeHtml {
  const { lang } = v;
  const t = MESSAGES[lang];
  const n = (x: number) => x.toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB');
  return html`<h1>${t.tagline}</h1>
${searchForm(lang, undefined, 'q-home', true)}
<ul class="figures">
<li><a href="${searchHref(lang, { type: ['dataset', 'series'] })}"><strong>${n(v.datasets)}</strong>${t.datasets}</a></li>
<li><a href="${searchHref(lang, { type: ['dataservice'] })}"><strong>${n(v.services)}</strong>${t.dataservices}</a></li>
<li><a href="${searchHref(lang, { accessRights: [`${ACCESS}PUBLIC`] })}"><strong>${n(v.open)}</strong>${t.openData}</a></li>
<li><a href="${searchHref(lang, { accessRights: [`${ACCESS}RESTRICTED`, `${ACCESS}NON_PUBLIC`] })}"><strong>${n(v.closed)}</strong>${t.closedData}</a></li>
</ul>
<h2>${t.themes}</h2>
${v.themes.length ? html`<ul class="themes">${v.themes.map((th) => html`<li><a href="${searchHref(lang, { theme: [th.value] })}">${th.label ?? th.value}</a> <span class="count">${n(th.count)}</span></li>`)}</ul>` : html`<p>${t.noneYet}</p>`}
<div class="cols">
<section aria-labelledby="newest-title"><h2 id="newest-title">${t.newest}</h2>
${v.newest.length ? html`<ol class="results">${v.newest.map((r) => resultItem(lang, r, [], v.labels, 'h3'))}</ol>` : html`<p>${t.noneYet}</p>`}
<p><a href="${searchHref(lang, { sort: '-modified' })}">${t.allResults}</a></p>
</section>
<section aria-labelledby="viewed-title"><h2 id="viewed-title">${t.mostViewed}</h2>
${v.mostViewed.length ? html`<ol class="results">${v.mostViewed.map(({ record }) => resultItem(lang, record, [], v.labels, 'h3'))}</ol>` : html`<p>${t.noneYet}</p>`}
</section>
</div>`;
}
