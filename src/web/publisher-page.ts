// Publisher pages: the list of every organisation with records, and one organisation's page with its
// key figures (datasets, services, share open, share conforming to the profile, themes, formats) and its
// datasets, newest first.
import type { RecordSummary } from '../api/records.js';
import type { FacetValue, SearchResult } from '../search/backend.js';
import { html, trimText, type SafeHtml } from './html.js';
import { MESSAGES, type PageLang } from './i18n.js';
import { publisherHref, recordHref, resultItem, searchHref } from './search-page.js';
import type { FindingsReport } from '../quality/findings.js';
import type { KpiFigures, KpiSnapshot } from '../quality/kpis.js';
import { kpiBlock } from './quality-page.js';
import { contactPoints } from './contact.js';
import type { JsonNode } from '../dcat/json.js';

export interface PublisherView {
  lang: PageLang;
  iri: string;
  name: string;
  result: SearchResult;
  records: RecordSummary[];
  labels: Map<string, string>;
  /** The organisation's KPIs and their monthly trend, once its records' facts are computed. */
  kpis?: { figures: KpiFigures; history: KpiSnapshot[]; csvHref: string };
  /** The validation findings its records have most often. */
  findings?: FindingsReport;
}

/** What to fix first: the most frequent findings, each with how many records have it and a few of them. */
function fixFirst(lang: PageLang, iri: string, report: FindingsReport): SafeHtml {
  const t = MESSAGES[lang].fixFirst;
  if (report.validated === 0) return html``;
  const badge = { Violation: ['closed', t.violation], Warning: ['restricted', t.warning], Info: ['kind', t.info] } as const;
  return html`<h2 id="fix-first">${t.title}</h2>
<p>${t.intro(report.validated, report.withViolations)}</p>
${
  report.findings.length === 0
    ? html`<p>${t.none}</p>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${t.finding}</th><th scope="col">${t.records}</th><th scope="col">${t.examples}</th></tr></thead>
<tbody>${report.findings.map(
        (f) => html`<tr><td><span class="badge ${badge[f.severity][0]}">${badge[f.severity][1]}</span> ${trimText(f.message[lang], 300)}</td><td>${f.records.toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB')}</td><td>${f.examples.map(
          (e, i) => html`${i ? html`<br>` : ''}<a href="${recordHref(lang, e)}#quality-title">${trimText(e.title[lang] ?? e.id, 80)}</a>`,
        )}</td></tr>`,
      )}</tbody>
</table></div>`
}
<p><a href="/api/v1/kpis/findings?publisher=${encodeURIComponent(iri)}">${t.json}</a></p>`;
}

const share = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)}%` : '–');

/** A facet as a small bar chart: one section per facet, none for a facet the records give no value for
 * (a heading over an empty table reads as a page that failed to load). */
function bars(lang: PageLang, title: string, field: 'theme' | 'format' | 'quality', values: FacetValue[], iri: string): SafeHtml | '' {
  if (!values.length) return '';
  const max = Math.max(1, ...values.map((v) => v.count));
  return html`<section><h3>${title}</h3><table><tbody>${values.slice(0, 10).map(
    (v) => html`<tr><th scope="row"><a href="${searchHref(lang, { publisher: [iri], [field]: [v.value] })}">${trimText(v.label ?? v.value, 100)}</a></th><td class="n">${v.count.toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB')}</td><td><svg class="meter" width="120" height="10" viewBox="0 0 120 10" preserveAspectRatio="none" aria-hidden="true"><rect width="${Math.max(2, Math.round((120 * v.count) / max))}" height="10" fill="#ffe615" stroke="#8a7a00"/></svg></td></tr>`,
  )}</tbody></table></section>`;
}

export function publisherBody(v: PublisherView): SafeHtml {
  const { lang, result } = v;
  const t = MESSAGES[lang];
  const count = (field: keyof SearchResult['facets'], pred: (value: string) => boolean) => result.facets[field].filter((f) => pred(f.value)).reduce((s, f) => s + f.count, 0);
  const open = count('accessRights', (x) => /\/PUBLIC$/.test(x));
  const conforming = count('validation', (x) => x === 'conforms' || x === 'warnings');
  // Whom to ask: the contact points its records name, each once (the most used first).
  const seen = new Map<string, { c: SafeHtml; n: number }>();
  for (const r of v.records) for (const c of contactPoints(r.json as JsonNode, lang)) seen.set(c.value, { c, n: (seen.get(c.value)?.n ?? 0) + 1 });
  const contacts = [...seen.values()].sort((a, b) => b.n - a.n).slice(0, 5).map((x) => x.c);
  // The page lists one page of records: said so when there are more, not "all".
  const all = v.records.length >= result.total;
  return html`<p><span class="badge kind">${t.publisherTitle}</span></p>
<h1>${trimText(v.name, 300)}</h1>
<p class="lead">${v.iri.startsWith('http') ? html`<a href="${v.iri}" rel="nofollow noopener">${v.iri}</a>` : v.iri}</p>
${contacts.length ? html`<dl class="facts"><dt>${t.contactPoint}</dt><dd>${contacts.map((c, i) => html`${i ? html`<br>` : ''}${c}`)}</dd></dl>` : ''}
<h2>${t.keyFigures}</h2>
${
  v.kpis
    ? kpiBlock(lang, v.kpis.figures, v.kpis.history, v.kpis.csvHref)
    : html`<ul class="figures">
<li><strong>${result.total}</strong>${t.datasets} + ${t.dataservices}</li>
<li><strong>${share(open, result.total)}</strong>${t.shareOpen}</li>
<li><strong>${share(conforming, result.total)}</strong>${t.shareConforming}</li>
</ul>`
}
<div class="cols">
${bars(lang, t.themes, 'theme', result.facets.theme, v.iri)}
${bars(lang, t.format, 'format', result.facets.format, v.iri)}
${bars(
  lang,
  t.facet.quality,
  'quality',
  ['excellent', 'good', 'sufficient', 'bad'].flatMap((b) => result.facets.quality.filter((q) => q.value === b).map((q) => ({ ...q, label: t.band[b] }))),
  v.iri,
)}
</div>
${v.findings ? fixFirst(lang, v.iri, v.findings) : ''}
<h2>${all ? t.allOfPublisher : t.newestOfPublisher(v.records.length, result.total)}</h2>
<ol class="results">${v.records.map((r) => resultItem(lang, r, [], v.labels, 'h3'))}</ol>
<p><a href="${searchHref(lang, { publisher: [v.iri], sort: '-modified' })}">${all ? t.openInSearch : t.openAllInSearch(result.total)}</a></p>`;
}

export function publishersBody(lang: PageLang, publishers: FacetValue[]): SafeHtml {
  const t = MESSAGES[lang];
  return html`<h1>${t.publishersTitle}</h1>
<p class="lead">${t.publishersIntro}</p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${t.publisherTitle}</th><th scope="col">${t.count}</th></tr></thead>
<tbody>${publishers.map((p) => html`<tr><td><a href="${publisherHref(lang, p.value)}">${trimText(p.label ?? p.value, 200)}</a></td><td class="n">${p.count.toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB')}</td></tr>`)}</tbody>
</table></div>`;
}
