// The page of one dataset or data service: what a researcher needs to judge whether it fits (description,
// coverage, distributions, licence, access conditions and legal basis, documentation, quality) and whom
// to ask, with where the record came from, how it changed, and every machine-readable form. All
// harvested text is escaped (html.ts) and cut to a length a page can carry.
import type { Alternate } from '../api/representation.js';
import type { JsonNode, JsonValue } from '../dcat/json.js';
import { schemaOrg } from '../dcat/schema-org.js';
import { keywordValue, spatialEnvelope } from '../search/document.js';
import { withMessage, type RecordValidation } from '../validation/summary.js';
import { MAX_POINTS, storedScore } from '../quality/mqa.js';
import type { CheckedLink } from '../quality/link-checking.js';
import { formatMatches } from '../quality/links.js';
import { feedbackSection, type FeedbackView } from './feedback-form.js';
import { recordRegister } from './register-page.js';
import type { RegisterEntry } from '../register/register.js';
import { externalLink, html, linkedText, scriptJson, trimText, type SafeHtml } from './html.js';
import { formatDate, MESSAGES, type Messages, type PageLang } from './i18n.js';
import type { VersionChange } from '../dcat/history.js';
import { bboxMap } from './map.js';
import { geoSection } from './geo-section.js';
import { accessBadge, publisherHref, recordHref, searchHref } from './search-page.js';
import { contactPoints } from './contact.js';
import { accessRightsOf, versionOf } from '../dcat/values.js';
import { accessClass, byteSize, iriOf, iris, isNode, langAttr, legislationName, list, literal, nameOf, nodes, taggedTexts, text, translationNote } from './values.js';


/** Another record this page links to (a dataset a service serves, a copy), when the catalogue has it. */
export interface LinkedRecord {
  id: string;
  kind: string;
  title?: string;
  catalogId?: string;
  catalogTitle?: string;
}

export interface RecordView {
  lang: PageLang;
  id: string;
  iri: string;
  kind: string;
  json: JsonNode;
  catalogId: string;
  catalogTitle?: string;
  sourceUrl?: string | null;
  fetchedAt?: Date | null;
  firstSeen: Date;
  lastModified: Date;
  /** The page's canonical address (schema.org url). */
  url: string;
  alternates: Alternate[];
  validation: RecordValidation | null;
  history: VersionChange[];
  /** Labels of the IRIs the record names (publisher, themes, formats, licences...). */
  labels: Map<string, string>;
  /** Records of this catalogue by IRI: datasets a service serves, services a distribution is accessed through. */
  linked: Map<string, LinkedRecord>;
  copies: LinkedRecord[];
  copyOf?: LinkedRecord;
  /** What the link checker found for the record's links. */
  links: CheckedLink[];
  /** The record's entries in the access register. */
  register: RegisterEntry[];
  /** The feedback form and the public questions and answers. */
  feedback: FeedbackView;
}

const DESCRIPTION_MAX = 10_000;
const VALUE_MAX = 500;

export function recordBody(v: RecordView): SafeHtml {
  const { lang, json } = v;
  const t = MESSAGES[lang];
  const label = (iri: string) => v.labels.get(iri) ?? iri;
  /** A value that may be an IRI (a link with its label), an inline node (its name) or a literal. */
  const valueHtml = (x: Parameters<typeof iriOf>[0]): SafeHtml | undefined => {
    const iri = iriOf(x);
    // A node's own name; a node's other keys (its IRI, its type) are not text to show.
    const given = nameOf(x, lang) ?? (isNode(x) && x['@value'] === undefined ? undefined : text(x, lang));
    // A value that is an IRI alone (a language, a place) is named by its label, not by the IRI again.
    const name = given === iri ? undefined : given;
    // A skolemised blank node (".../.well-known/genid/…": data.gov.be's feed names a sample or a standard
    // so without describing it) is no address to follow, and its label would be a hash: its name, if
    // the record gives one, else nothing, rather than a link that leads nowhere.
    if (iri && /\/\.well-known\/genid\//.test(iri)) return name ? html`${trimText(name, VALUE_MAX)}` : undefined;
    if (iri) return externalLink(iri, trimText(name ?? label(iri), VALUE_MAX));
    return name ? html`${trimText(name, VALUE_MAX)}` : undefined;
  };
  const rows: SafeHtml[] = [];
  const row = (name: string, value: SafeHtml | string | undefined | (SafeHtml | undefined)[]) => {
    const values = (Array.isArray(value) ? value : [value]).filter((x): x is SafeHtml | string => x !== undefined && x !== '');
    if (values.length) rows.push(html`<dt>${name}</dt><dd>${values.map((x, i) => html`${i ? ', ' : ''}${x}`)}</dd>`);
  };
  const title = trimText(text(json.title, lang) ?? v.iri, 500);
  const description = text(json.description, lang);
  const publisherIri = iriOf(json.publisher);
  const publisherName = nameOf(json.publisher, lang) ?? (publisherIri ? label(publisherIri) : undefined);

  row(t.identifier, [...list(json.identifier).map((x) => literal(x)).filter((x): x is string => !!x).map((x) => html`${trimText(x, VALUE_MAX)}`), v.iri.startsWith('_:') ? undefined : externalLink(v.iri)]);
  row(t.publisher, publisherName ? (publisherIri ? html`<a href="${publisherHref(lang, publisherIri)}">${publisherName}</a>` : html`${publisherName}`) : undefined);
  row(t.contactPoint, contactPoints(json, lang));
  row(
    t.themes,
    iris(json.theme).map((th) => html`<a href="${searchHref(lang, { theme: [th] })}">${label(th)}</a>`),
  );
  // Each keyword leads to the records that have it (the keyword filter), as tags do on other portals.
  row(t.keywords, taggedTexts(json.keyword, lang).slice(0, 50).map((k) => html`<a href="${searchHref(lang, { keyword: [keywordValue(k.text) ?? k.text] })}"${k.lang ? html` lang="${k.lang}"` : ''}>${trimText(k.text, 100)}</a>`));
  row(t.temporal, nodes(json.temporal).map((p) => period(p, lang)));
  row(t.spatial, list(json.spatial).map((s) => valueHtml(s)));
  row(t.issued, formatDate(literal(json.issued), lang));
  row(t.modified, formatDate(literal(json.modified), lang));
  row(t.frequency, valueHtml(json.accrualPeriodicity));
  row(t.language, list(json.language).map((l) => valueHtml(l)));
  const version = versionOf(json);
  row(t.version, version ? trimText(version, 100) : undefined);
  row(t.versionNotes, text(json.versionNotes, lang) ? trimText(text(json.versionNotes, lang)!, 2000) : undefined);
  row(t.landingPage, iris(json.landingPage).map((p) => externalLink(p)));
  row(t.documentation, [...list(json.page), ...list(json.sample), ...list(json.provenance)].map((p) => valueHtml(p)));
  // Coordinate reference systems are shown with the geographic information.
  row(t.conformsTo, list(json.conformsTo).filter((c) => !/^https?:\/\/www\.opengis\.net\/def\/crs\//.test(iriOf(c) ?? '')).map((c) => valueHtml(c)));
  if (v.kind === 'DataService') {
    row(t.endpoint, iris(json.endpointURL).map((u) => externalLink(u)));
    row(t.endpointDescription, list(json.endpointDescription).map((u) => valueHtml(u)));
  }
  const box = spatialEnvelope(json);
  // In the page's language first, as the text around it.
  const markup = trimStrings(schemaOrg(json, v.kind, v.url, [lang, ...['nl', 'en', 'fr', 'de'].filter((l) => l !== lang)]), 5_000);
  return html`<article>
<p><span class="badge kind">${t.kind[v.kind] ?? v.kind}</span> ${accessBadge(lang, json)}</p>
<h1${langAttr(json.title, lang)}>${title}</h1>
${translationNote(json.title, lang)}
${publisherName ? html`<p class="lead">${publisherName}</p>` : ''}
${v.copyOf ? html`<p class="notice">${t.copyOf} <a href="${recordHref(lang, v.copyOf)}">${v.copyOf.title ?? v.copyOf.id}</a></p>` : ''}
${description ? html`<h2>${t.description}</h2><p class="description"${langAttr(json.description, lang)}>${linkedText(trimText(description, DESCRIPTION_MAX))}</p>${translationNote(json.description, lang)}` : ''}
<h2>${t.keyFacts}</h2>
<dl class="facts">${rows}</dl>
${box ? bboxMap(box, lang) : ''}
${geoSection(json, lang, t, v.labels)}
${accessSection(v, t)}
${v.kind === 'DataService' ? servedDatasets(v, t) : distributionsSection(v, t)}
${qualitySection(v, t)}
${feedbackSection(v.feedback, contactPoints(json, lang))}
${historySection(v, t)}
${provenanceSection(v, t)}
<h2>${t.machineReadable}</h2>
<ul>${v.alternates.map((a) => html`<li><a href="${a.href}" type="${a.type}">${a.label}</a> <span class="count">${a.type}</span></li>`)}</ul>
${markup ? html`<script type="application/ld+json">${scriptJson(markup)}</script>` : ''}
</article>`;
}

/** The markup with every long text cut: search engines read the start, and a page must stay small. */
function trimStrings<T>(value: T, max: number): T {
  if (typeof value === 'string') return (value.length > max ? trimText(value, max) : value) as T;
  if (Array.isArray(value)) return value.map((x) => trimStrings(x, max)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, trimStrings(x, max)])) as T;
  return value;
}

function period(p: JsonNode, lang: PageLang): SafeHtml {
  const start = formatDate(literal(p.startDate), lang);
  const end = formatDate(literal(p.endDate), lang);
  return html`${start ?? '…'} – ${end ?? '…'}`;
}

/** Licences as links to their documents, or, for a licence given as a node without IRI (conditions
 * written out, as GeoDCAT-AP records of INSPIRE data have them), its words. */
function licences(v: RecordView, value: JsonValue | undefined): SafeHtml {
  return html`${list(value)
    .slice(0, 10)
    .map((l, i) => {
      const iri = iriOf(l);
      const words = isNode(l) ? text(l.label ?? l.prefLabel ?? l.title ?? l.description, v.lang) : typeof l === 'string' && !l.startsWith('_:') ? l : undefined;
      return html`${i ? html`<br>` : ''}${iri ? externalLink(iri, v.labels.get(iri) ?? nameOf(l, v.lang)) : trimText(words ?? '', 2000)}`;
    })}`;
}

function accessSection(v: RecordView, t: Messages): SafeHtml {
  const { json, lang } = v;
  const a = accessClass(json);
  const rights = accessRightsOf(json);
  const rightsName = (r: JsonValue) => (iriOf(r) ? (v.labels.get(iriOf(r)!) ?? nameOf(r, lang) ?? iriOf(r)) : undefined);
  // A rights statement's own words, unless they only repeat the name its link already shows ("Beperkt", "beperkt").
  const rightsText = rights
    .map((r) => (isNode(r) ? text(r.label ?? r.prefLabel ?? r.description, lang) : undefined))
    .filter((x, i): x is string => !!x && x.trim().toLocaleLowerCase() !== rightsName(rights[i])?.trim().toLocaleLowerCase());
  const legislation = list(json.applicableLegislation);
  const closed = a === 'restricted' || a === 'nonPublic';
  const statements = [...list(json.rights), ...nodes(json.distribution).flatMap((d) => list(d.rights))];
  return html`<section aria-labelledby="access-title">
<h2 id="access-title">${t.accessTitle}</h2>
${a ? html`<p class="notice ${closed ? 'closed' : 'open'}">${closed ? t.accessRestricted : t.accessOpen}</p>` : ''}
<dl class="facts">
${rights.length ? html`<dt>${t.accessRights}</dt><dd>${rights.map((r, i) => html`${i ? ', ' : ''}${iriOf(r) ? externalLink(iriOf(r)!, rightsName(r)) : ''}`)}${rightsText.map((x) => html`<br>${trimText(x, 2000)}`)}</dd>` : ''}
${list(json.license).length ? html`<dt>${t.license}</dt><dd>${licences(v, json.license)}</dd>` : ''}
${statements.length ? html`<dt>${t.rights}</dt><dd>${statements.map((r, i) => html`${i ? html`<br>` : ''}${iriOf(r) ? externalLink(iriOf(r)!, nameOf(r, lang) ?? text(isNode(r) ? r.label : undefined, lang)) : trimText(nameOf(r, lang) ?? text(isNode(r) ? r.label : undefined, lang) ?? '', 2000)}`)}</dd>` : ''}
${closed || legislation.length ? html`<dt>${t.legalBasis}</dt><dd>${legislation.length ? legislation.map((l, i) => html`${i ? html`<br>` : ''}${iriOf(l) ? externalLink(iriOf(l)!, legislationName(l, lang)) : trimText(nameOf(l, lang) ?? '', 500)}`) : t.noLegalBasis}</dd>` : ''}
${closed ? html`<dt>${t.howToRequest}</dt><dd>${contactPoints(json, lang).length ? html`${t.requestVia} ${contactPoints(json, lang).map((c, i) => html`${i ? '; ' : ''}${c}`)}` : t.unknown}</dd>` : ''}
</dl>
${recordRegister(lang, v.register)}
</section>`;
}

function distributionsSection(v: RecordView, t: Messages): SafeHtml {
  const { json, lang } = v;
  const dists = nodes(json.distribution);
  // Distributions named by IRI only (a harvest that carried the dataset without them, as data.gov.be's
  // stream does for Flemish geodata): a reader still learns they exist and where to look.
  const described = new Set(dists.map((d) => iriOf(d)));
  const named = iris(json.distribution).filter((iri) => !described.has(iri) && !iri.startsWith('_:'));
  const elsewhere = named.length
    ? html`<p>${t.undescribedDistributions(named.length)}</p><ul>${named.slice(0, 200).map((iri) => html`<li>${externalLink(iri, iri)}</li>`)}</ul>`
    : html``;
  if (!dists.length) return html`<section aria-labelledby="dist-title"><h2 id="dist-title">${t.distributions}</h2>${named.length ? elsewhere : html`<p>${t.noDistributions}</p>`}</section>`;
  const label = (iri: string | undefined) => (iri ? (v.labels.get(iri) ?? iri) : undefined);
  return html`<section aria-labelledby="dist-title">
<h2 id="dist-title">${t.distributions}</h2>
<div class="table-wrap"><table class="stack">
<thead><tr><th scope="col">${t.distributions}</th><th scope="col">${t.format}</th><th scope="col">${t.license}</th><th scope="col">${t.size}</th><th scope="col">Links</th></tr></thead>
<tbody>
${dists.slice(0, 200).map((d) => {
  const download = iris(d.downloadURL);
  const access = iris(d.accessURL).filter((u) => !download.includes(u));
  const format = label(iriOf(d.format)) ?? label(iriOf(d.mediaType)) ?? literal(d.format);
  const service = iris(d.accessService).map((s) => v.linked.get(s)).find((x) => !!x);
  const title = text(d.title, lang);
  const name = title ?? format ?? t.distributions;
  const desc = text(d.description, lang);
  return html`<tr>
<td>${title && langAttr(d.title, lang) ? html`<span${langAttr(d.title, lang)}>${trimText(name, 300)}</span>` : trimText(name, 300)}${desc ? html`<br><span class="count"${langAttr(d.description, lang)}>${trimText(desc, 600)}</span>` : ''}</td>
<td data-label="${t.format}">${format ? trimText(format, 100) : ''}</td>
<td data-label="${t.license}">${licences(v, d.license)}</td>
<td data-label="${t.size}">${byteSize(literal(d.byteSize), lang) ?? ''}</td>
<td class="links" data-label="Links">${download.slice(0, 5).map((u) => html`${externalLink(u, t.downloadLink)}${linkState(v, u, t)}<br>`)}${access.slice(0, 5).map((u) => html`${externalLink(u, t.accessLink)}${linkState(v, u, t)}<br>`)}${service ? html`<a href="${recordHref(lang, service)}">${service.title ?? service.id}</a>` : ''}</td>
</tr>`;
})}
</tbody></table></div>
${elsewhere}
</section>`;
}

/** What the link checker last found for a link: works (and whether it serves the declared format) or broken since when. */
function linkState(v: RecordView, url: string, t: Messages): SafeHtml {
  const l = v.links.find((x) => x.url === url && x.state !== 'unchecked');
  if (!l) return html``;
  const when = l.checkedAt ? formatDate(l.checkedAt.toISOString(), v.lang) : '';
  if (l.state === 'ok') {
    const mismatch = formatMatches(l.declaredFormat, l.contentType) === false;
    return html` <span class="badge open" title="${t.linkChecked} ${when}">${t.linkWorks}</span>${mismatch ? html` <span class="badge restricted">${t.linkServes(trimText(l.contentType ?? '', 80))}</span>` : ''}`;
  }
  const since = l.brokenSince ? formatDate(l.brokenSince.toISOString(), v.lang) : when;
  return html` <span class="badge closed" title="${trimText(l.detail ?? '', 200)}">${t.linkBroken(l.status ? `HTTP ${l.status}` : t.linkError[l.error ?? 'network'] ?? l.error ?? '', since)}</span>`;
}

function servedDatasets(v: RecordView, t: Messages): SafeHtml {
  const served = iris(v.json.servesDataset);
  if (!served.length) return html``;
  return html`<h2>${t.servesDataset}</h2><ul>${served.slice(0, 500).map((iri) => {
    const r = v.linked.get(iri);
    return html`<li>${r ? html`<a href="${recordHref(v.lang, r)}">${r.title ?? iri}</a>` : externalLink(iri)}</li>`;
  })}</ul>`;
}

function scoreSection(v: RecordView, t: Messages): SafeHtml {
  const score = storedScore(v.json, v.validation?.verdict, v.links);
  const todo = score.indicators.filter((i) => i.met !== true).sort((a, b) => b.max - a.max);
  const unchecked = todo.some((i) => i.met === null && /Status$/.test(i.id));
  return html`<p><strong>${t.score}: ${score.total} / ${MAX_POINTS}</strong> <span class="badge ${score.band === 'bad' ? 'closed' : score.band === 'sufficient' ? 'restricted' : 'open'}">${t.band[score.band]}</span></p>
<p class="count">${t.scoreMeaning}</p>
<div class="table-wrap"><table><tbody>${(Object.entries(score.dimensions) as [string, { points: number; max: number }][]).map(
    ([dim, d]) => html`<tr><th scope="row">${t.dimension[dim]}</th><td class="n">${d.points} / ${d.max}</td><td><svg class="meter" width="120" height="10" viewBox="0 0 120 10" preserveAspectRatio="none" aria-hidden="true"><rect width="120" height="10" fill="#f4f6f8" stroke="#cbd2da"/><rect width="${Math.round((120 * d.points) / d.max)}" height="10" fill="#ffe615" stroke="#8a7a00"/></svg></td></tr>`,
  )}</tbody></table></div>
${unchecked ? html`<p>${t.linksNotChecked}</p>` : ''}
${todo.length ? html`<h3>${t.howToImprove}</h3><ul>${todo.map((i) => html`<li>${i.advice ? i.advice[v.lang] : i.id} <strong>+${i.max}</strong>${i.met === null ? html` (${t.notChecked})` : ''}</li>`)}</ul>` : ''}`;
}

function qualityLinks(v: RecordView, t: Messages): SafeHtml {
  const base = `/api/v1/records/${encodeURIComponent(v.id)}`;
  return html`<p><a href="${base}/quality?format=ttl" type="text/turtle">${t.qualityRdf}</a> · <a href="${base}/links">${t.linkReport}</a></p>`;
}

function qualitySection(v: RecordView, t: Messages): SafeHtml {
  const val = v.validation;
  if (!val) return html`<section aria-labelledby="quality-title"><h2 id="quality-title">${t.quality}</h2>${scoreSection(v, t)}<p>${t.notValidated}</p>${qualityLinks(v, t)}</section>`;
  // The same finding on many nodes is one thing to fix: one line per message, with how often. Findings
  // that differ only in the value they name (fourteen creators that are not typed as agents) are one
  // line too: the first one's words, and how many other values it holds for.
  const byMessage = new Map<string, { message: string; severity: string; n: number; others: number }>();
  for (const r of val.results) {
    // A value the page can name (a theme, a licence) is said by its name, its address beside it.
    const name = r.value !== undefined ? v.labels.get(r.value) : undefined;
    const m = withMessage(name && name !== r.value ? { ...r, value: `${name} (${r.value})` } : r).message[v.lang];
    const key = `${r.severity}\u0000${withMessage({ ...r, value: '\u0001' }).message[v.lang]}`;
    const seen = byMessage.get(key);
    if (!seen) byMessage.set(key, { message: m, severity: r.severity, n: 1, others: 0 });
    else {
      seen.n++;
      if (m !== seen.message) seen.others++;
    }
  }
  const order = { Violation: 0, Warning: 1, Info: 2 } as Record<string, number>;
  const findings = [...byMessage].sort((a, b) => order[a[1].severity] - order[b[1].severity]).slice(0, 15);
  return html`<section aria-labelledby="quality-title">
<h2 id="quality-title">${t.quality}</h2>
${scoreSection(v, t)}
<h3>${t.validationFindings}</h3>
<p>${t.validationAgainst(val.profile)}: <span class="verdict-${val.verdict}">${t.validation[val.verdict]}</span> (${t.validationCounts(val.violations, val.warnings)}).</p>
${
  findings.length
    ? html`<ul>${findings.map(([, f]) => html`<li><span class="badge ${f.severity === 'Violation' ? 'closed' : 'restricted'}">${f.severity === 'Violation' ? (v.lang === 'nl' ? 'fout' : 'error') : v.lang === 'nl' ? 'waarschuwing' : 'warning'}</span> ${trimText(f.message, 500)}${f.others > 0 ? ` ${t.findingOthers(f.n - 1)}` : f.n > 1 ? ` (×${f.n})` : ''}</li>`)}</ul>`
    : ''
}
<p><a href="/api/v1/records/${encodeURIComponent(v.id)}/validation">${t.validationReport}</a></p>
${qualityLinks(v, t)}
</section>`;
}

function historySection(v: RecordView, t: Messages): SafeHtml {
  if (!v.history.length) return html``;
  const names = (xs: string[]) => xs.slice(0, 12).join(', ') + (xs.length > 12 ? ' …' : '');
  return html`<section aria-labelledby="history-title">
<h2 id="history-title">${t.history}</h2>
<ol class="plain">${v.history.map(
    (h, i) => html`<li><strong>${t.historyVersion(h.version)}</strong>${i === 0 ? ` (${t.current})` : ''}: ${formatDate(h.validFrom, v.lang)}${h.validTo ? html` – ${formatDate(h.validTo, v.lang)}` : ''}
${h.first ? html`<br>${t.firstVersion}` : ''}
${h.changed.length ? html`<br>${t.changed}: ${names(h.changed)}` : ''}
${h.added.length ? html`<br>${t.added}: ${names(h.added)}` : ''}
${h.removed.length ? html`<br>${t.removed}: ${names(h.removed)}` : ''}</li>`,
  )}</ol>
<p><a href="/api/v1/records/${encodeURIComponent(v.id)}/versions">JSON</a></p>
</section>`;
}

function provenanceSection(v: RecordView, t: Messages): SafeHtml {
  const { lang } = v;
  return html`<section aria-labelledby="prov-title">
<h2 id="prov-title">${t.provenance}</h2>
<dl class="facts">
<dt>${t.catalogue}</dt><dd><a href="${searchHref(lang, { catalog: [v.catalogId] })}">${v.catalogTitle ?? v.catalogId}</a></dd>
${v.sourceUrl ? html`<dt>${t.source}</dt><dd>${externalLink(v.sourceUrl)}</dd>` : ''}
<dt>${t.firstSeen}</dt><dd>${formatDate(v.firstSeen, lang)}</dd>
${v.fetchedAt ? html`<dt>${t.lastHarvested}</dt><dd>${formatDate(v.fetchedAt, lang)}</dd>` : ''}
<dt>${t.lastChanged}</dt><dd>${formatDate(v.lastModified, lang)}</dd>
<dt>IRI</dt><dd>${v.iri.startsWith('_:') ? v.iri : externalLink(v.iri)}</dd>
</dl>
${
  v.copies.length
    ? html`<h3>${t.copies}</h3><ul>${v.copies.map((c) => html`<li><a href="${recordHref(lang, c)}">${c.title ?? c.id}</a> (${c.catalogTitle ?? c.catalogId})</li>`)}</ul>`
    : ''
}
</section>`;
}

