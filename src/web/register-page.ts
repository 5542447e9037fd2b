// The public register of closed data and services as a page (searchable, with its CSV and RDF), and
// the data flows a publisher recorded, shown on the record's own page.
import type { JsonNode } from '../dcat/json.js';
import { harvestedEntry, type RegisterEntry } from '../register/register.js';
import { externalLink, html, linkedText, trimText, type SafeHtml } from './html.js';
import { formatDate, localePath, MESSAGES, type PageLang } from './i18n.js';
import { legislationName, list, nameOf, text } from './values.js';

const href = (lang: PageLang, recordId: string) => localePath(lang, `/datasets/${encodeURIComponent(recordId)}`);

const named = (xs: { iri?: string; label?: string }[]) =>
  xs.map((x, i) => html`${i ? html`<br>` : ''}${x.iri ? externalLink(x.iri, trimText(x.label ?? x.iri, 300)) : trimText(x.label ?? '', 300)}`);

/**
 * An entry as a page in `lang` shows it. The register keeps one title, one holder's name and the
 * conditions in the record's first language (Dutch); a page reads them from the record itself in its
 * own language where the record has them (the English title, the English rights statement), and names
 * a holder known by its IRI alone by its label (`labels`), as every other page does, rather than not at all.
 */
export function entryInLanguage(lang: PageLang, e: RegisterEntry, record: JsonNode | undefined, labels: Map<string, string>): RegisterEntry {
  const holder = (record ? nameOf(list(record.publisher)[0], lang) : undefined) ?? e.publisherName ?? (e.publisher ? labels.get(e.publisher) : undefined);
  const title = (record ? text(record.title, lang) : undefined) ?? e.title;
  // What a publisher wrote for a data flow is theirs, in their words; a harvested entry is the record's.
  const harvested = record && e.origin === 'harvested' ? harvestedEntry(record, lang) : undefined;
  const words = harvested ? { conditions: harvested.conditions ?? null, request: harvested.request ?? null, legalBasis: harvested.legalBasis ?? e.legalBasis } : {};
  // A law given by its ELI address alone is named as the dataset page names it.
  const legalBasis = (words.legalBasis ?? e.legalBasis).map((l) => (l.label || !l.iri ? l : { ...l, label: legislationName(l.iri, lang) }));
  return { ...e, title, publisherName: holder, ...words, legalBasis };
}

/** The facts of one entry as a definition list. */
export function entryFacts(lang: PageLang, e: RegisterEntry): SafeHtml {
  const t = MESSAGES[lang].register;
  return html`<dl class="facts">
${e.publisherName ? html`<dt>${t.holder}</dt><dd>${trimText(e.publisherName, 300)}</dd>` : ''}
${e.recipients.length ? html`<dt>${t.recipients}</dt><dd>${named(e.recipients.map((r) => ({ iri: r.iri, label: r.name })))}</dd>` : ''}
${e.purposes.length ? html`<dt>${t.purposes}</dt><dd>${named(e.purposes)}</dd>` : ''}
${e.legalBasis.length ? html`<dt>${t.legalBasis}</dt><dd>${named(e.legalBasis)}</dd>` : ''}
${
  e.decisions.length
    ? html`<dt>${t.decisions}</dt><dd>${e.decisions.map(
        (d, i) => html`${i ? html`<br>` : ''}${trimText(d.authority, 300)}${d.reference ? html`, ${d.url ? externalLink(d.url, trimText(d.reference, 200)) : trimText(d.reference, 200)}` : d.url ? html`, ${externalLink(d.url)}` : ''}${d.date ? html` (${formatDate(d.date, lang) ?? d.date})` : ''}`,
      )}</dd>`
    : ''
}
${e.conditions ? html`<dt>${t.conditions}</dt><dd class="pre">${trimText(e.conditions, 3000)}</dd>` : ''}
${e.request ? html`<dt>${t.request}</dt><dd>${linkedText(trimText(e.request, 1000))}</dd>` : ''}
${e.dpo && (e.dpo.name || e.dpo.email) ? html`<dt>${t.dpo}</dt><dd>${trimText(e.dpo.name ?? '', 200)}${e.dpo.email ? html` ${externalLink(`mailto:${e.dpo.email}`, e.dpo.email)}` : ''}</dd>` : ''}
</dl>`;
}

/** On a record's page: the data flows its publisher recorded. */
export function recordRegister(lang: PageLang, entries: RegisterEntry[]): SafeHtml {
  const own = entries.filter((e) => e.origin === 'publisher');
  if (!own.length) return html``;
  const t = MESSAGES[lang].register;
  return html`<h3>${t.flows}</h3>${own.map((e) => entryFacts(lang, e))}<p><a href="${localePath(lang, '/register')}">${t.title}</a></p>`;
}

export interface RegisterView {
  lang: PageLang;
  q?: string;
  access?: string;
  total: number;
  entries: RegisterEntry[];
}

export function registerBody(v: RegisterView): SafeHtml {
  const { lang } = v;
  const t = MESSAGES[lang].register;
  const qs = new URLSearchParams({ ...(v.q ? { q: v.q } : {}), ...(v.access ? { access: v.access } : {}) }).toString();
  return html`<h1>${t.title}</h1>
<p class="lead">${t.intro}</p>
<form method="get" action="${localePath(lang, '/register')}" role="search" aria-label="${t.title}" class="register-search">
<p><label for="reg-q">${t.search}</label><br><input id="reg-q" name="q" value="${v.q ?? ''}" maxlength="200"></p>
<p><label for="reg-access">${t.access}</label><br><select id="reg-access" name="access">
<option value="">${t.anyAccess}</option>
${(['restricted', 'non-public'] as const).map((a) => html`<option value="${a}"${v.access === a ? html` selected` : ''}>${t.accessLabel[a]}</option>`)}
</select></p>
<p><button type="submit">${t.searchButton}</button></p>
</form>
<p>${t.count(v.total)} · <a href="/api/v1/register.csv${qs ? `?${qs}` : ''}">CSV</a> · <a href="/api/v1/register${qs ? `?${qs}` : ''}" type="application/json">JSON</a></p>
<ol class="results">${v.entries.map(
    (e) => html`<li><h2 class="h3"><a href="${href(lang, e.recordId)}">${trimText(e.title ?? e.recordIri, 300)}</a> <span class="badge ${e.access === 'non-public' ? 'closed' : 'restricted'}">${t.accessLabel[e.access] ?? e.access}</span>${e.origin === 'harvested' ? html` <span class="badge kind">${t.fromDcat}</span>` : ''}</h2>${entryFacts(lang, e)}</li>`,
  )}</ol>`;
}
