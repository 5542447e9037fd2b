// The HTML representation of a record, for people and for dataset search engines: its title,
// description, publisher, distributions and links to every machine-readable form, with schema.org
// markup in a JSON-LD script. All harvested text is escaped: it is hostile input.
import type { JsonNode, JsonValue } from '../dcat/json.js';
import { pickText, schemaOrg } from '../dcat/schema-org.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** JSON inside a <script> element: "<" escaped so that no "</script>" or "<!--" can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Only http(s) and mailto links become anchors: a harvested "javascript:" URL stays text. */
function safeHref(url: string): string | undefined {
  return /^(https?:|mailto:)/i.test(url) ? url : undefined;
}

function link(url: string, text?: string): string {
  const href = safeHref(url);
  const label = escapeHtml(text ?? url);
  return href ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
}

const LONG_TEXT = 20_000;

function trimmed(text: string): string {
  return text.length > LONG_TEXT ? `${text.slice(0, LONG_TEXT)}…` : text;
}

const list = (v: JsonValue | undefined): JsonValue[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const iriOf = (v: JsonValue): string | undefined =>
  typeof v === 'string' ? v : v && typeof v === 'object' && !Array.isArray(v) && typeof v.iri === 'string' && !v.iri.startsWith('_:') ? v.iri : undefined;

export interface Alternate {
  href: string;
  type: string;
  label: string;
}

export interface RecordPage {
  record: JsonNode;
  kind: string;
  url: string;
  alternates: Alternate[];
  source?: string | null;
  lastModified: Date;
}

export function recordPage(page: RecordPage): string {
  const { record, kind, url } = page;
  const title = pickText(record.title) ?? (typeof record.iri === 'string' ? record.iri : kind);
  const description = pickText(record.description);
  const publisher = record.publisher && typeof record.publisher === 'object' && !Array.isArray(record.publisher) ? pickText(record.publisher.name ?? record.publisher.fn) : undefined;
  const rows: string[] = [];
  const row = (label: string, html: string | undefined) => {
    if (html) rows.push(`<dt>${escapeHtml(label)}</dt><dd>${html}</dd>`);
  };
  row('Identificator', typeof record.iri === 'string' && !record.iri.startsWith('_:') ? link(record.iri) : undefined);
  row('Uitgever', publisher ? escapeHtml(publisher) : iriOf(record.publisher ?? null) ? link(iriOf(record.publisher ?? null)!) : undefined);
  row('Licentie', iriOf(record.license ?? null) ? link(iriOf(record.license ?? null)!) : undefined);
  row('Toegang', iriOf(record.accessRights ?? null) ? link(iriOf(record.accessRights ?? null)!) : undefined);
  const themes = list(record.theme).map(iriOf).filter((t): t is string => !!t);
  row("Thema's", themes.length ? themes.map((t) => link(t)).join(', ') : undefined);
  const keywords = list(record.keyword)
    .map((k) => pickText(k))
    .filter((k): k is string => !!k);
  row('Trefwoorden', keywords.length ? escapeHtml(keywords.join(', ')) : undefined);
  row('Bron', page.source ? link(page.source) : undefined);
  row('Laatst gewijzigd in deze catalogus', escapeHtml(page.lastModified.toISOString()));
  const distributions = list(record.distribution)
    .filter((d): d is JsonNode => !!d && typeof d === 'object' && !Array.isArray(d))
    .map((d) => {
      const target = iriOf(list(d.downloadURL)[0] ?? null) ?? iriOf(list(d.accessURL)[0] ?? null);
      const name = pickText(d.title) ?? target ?? 'Distributie';
      const format = iriOf(d.format ?? null) ?? iriOf(d.mediaType ?? null);
      return `<li>${target ? link(target, name) : escapeHtml(name)}${format ? ` <small>${escapeHtml(format.replace(/^.*\//, ''))}</small>` : ''}</li>`;
    });
  const markup = schemaOrg(record, kind, url);
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Vindbaar</title>
${page.alternates.map((a) => `<link rel="alternate" type="${escapeHtml(a.type)}" href="${escapeHtml(a.href)}">`).join('\n')}
${markup ? `<script type="application/ld+json">${scriptJson(markup)}</script>` : ''}
<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2933}dt{font-weight:600}dd{margin:0 0 .5rem 0}p.description{white-space:pre-line}</style>
</head>
<body>
<main>
<p>${escapeHtml(kind)}</p>
<h1>${escapeHtml(trimmed(title))}</h1>
${description ? `<p class="description">${escapeHtml(trimmed(description))}</p>` : ''}
<dl>${rows.join('')}</dl>
${distributions.length ? `<h2>Distributies</h2><ul>${distributions.join('')}</ul>` : ''}
<h2>Andere vormen</h2>
<ul>${page.alternates.map((a) => `<li><a href="${escapeHtml(a.href)}">${escapeHtml(a.label)}</a> <small>${escapeHtml(a.type)}</small></li>`).join('')}</ul>
</main>
</body>
</html>
`;
}
