// The quality dashboard (the whole catalogue and every publisher's key figures, with trends from the
// monthly snapshots) and the figures block the publisher page shows for one organisation.
import type { KpiFigures, KpiSnapshot } from '../quality/kpis.js';
import { stackedBar, trendLine } from './charts.js';
import { html, trimText, type SafeHtml } from './html.js';
import { MESSAGES, type PageLang } from './i18n.js';
import { publisherHref } from './search-page.js';

const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);

/** A figure as the page's language writes it: "146,6" and "1.999" in Dutch, "146.6" and "1,999" in English. */
const num = (lang: PageLang, v: number) => v.toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB', { maximumFractionDigits: 1 });

function bandBar(lang: PageLang, f: KpiFigures, width?: number): SafeHtml {
  const t = MESSAGES[lang];
  return stackedBar(
    (['excellent', 'good', 'sufficient', 'bad'] as const).map((b) => ({ label: t.band[b], value: f.bands[b], className: `band-${b}` })),
    t.facet.quality,
    width,
  );
}

/** The key figures of the catalogue or of one publisher, with its trends when there are snapshots. */
export function kpiBlock(lang: PageLang, f: KpiFigures, history: KpiSnapshot[], csvHref: string): SafeHtml {
  const t = MESSAGES[lang];
  const k = t.kpi;
  return html`<ul class="figures">
<li><strong>${num(lang, f.datasets)}</strong>${t.datasets}</li>
<li><strong>${num(lang, f.services)}</strong>${t.dataservices}</li>
<li><strong>${pct(f.openShare)}</strong>${k.openShare}</li>
<li><strong>${pct(f.openLicenceShare)}</strong>${k.openLicenceShare}</li>
<li><strong>${num(lang, f.hvd)}</strong>${k.hvd}</li>
<li><strong>${num(lang, f.averageScore)}</strong>${k.averageScore}</li>
<li><strong>${pct(f.conformanceShare)}</strong>${k.conformance}</li>
<li><strong>${num(lang, f.brokenLinks)}</strong>${k.brokenLinks(f.links)}</li>
<li><strong>${pct(f.timelinessShare)}</strong>${k.timely(f.timelinessJudged)}</li>
</ul>
<h3>${t.facet.quality}</h3>
<p>${bandBar(lang, f)}</p>
<p class="count">${(['excellent', 'good', 'sufficient', 'bad'] as const).map((b, i) => html`${i ? ' · ' : ''}<span class="swatch band-${b}"></span> ${t.band[b]} ${f.bands[b]}`)}</p>
${
  history.length
    ? html`<h3>${k.trend}</h3><div class="cols">
<section><h4>${k.averageScore}</h4>${trendLine(history.map((h) => ({ label: h.month, value: h.figures.averageScore })), 405, k.averageScore, (v) => num(lang, v))}</section>
<section><h4>${k.openShare}</h4>${trendLine(history.map((h) => ({ label: h.month, value: h.figures.openShare })), 1, k.openShare, (v) => pct(v))}</section>
<section><h4>${k.brokenLinksTitle}</h4>${trendLine(history.map((h) => ({ label: h.month, value: h.figures.brokenLinks })), Math.max(1, ...history.map((h) => h.figures.brokenLinks)), k.brokenLinksTitle, (v) => num(lang, v))}</section>
</div>`
    : ''
}
<p><a href="${csvHref}">${k.downloadCsv}</a> · <a href="${csvHref}${csvHref.includes('?') ? '&' : '?'}history=true">${k.downloadHistory}</a></p>`;
}

export interface DashboardView {
  lang: PageLang;
  catalogue: KpiFigures | undefined;
  history: KpiSnapshot[];
  publishers: { publisher: string; label: string | null; figures: KpiFigures }[];
}

export function dashboardBody(v: DashboardView): SafeHtml {
  const { lang } = v;
  const t = MESSAGES[lang];
  const k = t.kpi;
  return html`<h1>${k.title}</h1>
<p class="lead">${k.intro}</p>
<h2>${t.keyFigures}</h2>
${v.catalogue ? kpiBlock(lang, v.catalogue, v.history, `/api/v1/kpis.csv?lang=${lang}`) : html`<p>${k.none}</p>`}
<h2>${k.perPublisher}</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${t.publisherTitle}</th><th scope="col">${t.count}</th><th scope="col">${k.openShare}</th><th scope="col">${k.openLicenceShare}</th><th scope="col">${k.averageScore}</th><th scope="col">${t.facet.quality}</th><th scope="col">${k.conformance}</th><th scope="col">${k.brokenLinksTitle}</th><th scope="col">${k.timelyTitle}</th></tr></thead>
<tbody>${v.publishers.slice(0, 300).map(
    (p) => html`<tr>
<td>${p.publisher ? html`<a href="${publisherHref(lang, p.publisher)}">${trimText(p.label ?? p.publisher, 200)}</a>` : k.noPublisher}</td>
<td class="n">${num(lang, p.figures.records)}</td><td class="n">${pct(p.figures.openShare)}</td><td class="n">${pct(p.figures.openLicenceShare)}</td><td class="n">${num(lang, p.figures.averageScore)}</td>
<td>${bandBar(lang, p.figures, 120)}</td><td class="n">${pct(p.figures.conformanceShare)}</td><td class="n">${num(lang, p.figures.brokenLinks)}</td><td class="n">${pct(p.figures.timelinessShare)}</td>
</tr>`,
  )}</tbody>
</table></div>
<p><a href="/api/v1/kpis?lang=${lang}">JSON</a> · <a href="/api/v1/kpis.csv?lang=${lang}">CSV</a></p>`;
}
