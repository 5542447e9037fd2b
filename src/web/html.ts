// HTML built from tagged templates that escape every interpolated value unless it is already HTML made
// by this module. Harvested text is hostile input: escaping by default means a forgotten call cannot let
// a "<script>" through, and nothing needs a build step or a runtime. (Preact's renderToString would do
// the same with JSX; for pages made of lists and tables a template tag is as safe and needs no compiler.)

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Markup that is safe to send: made by `html` or `raw`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Interpolated values: HTML as it is, text escaped, lists joined, nothing for null, undefined and false. */
export type Renderable = SafeHtml | string | number | null | undefined | false | Renderable[];

function render(v: Renderable): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Renderable[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Markup written by this project itself (never harvested text). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** JSON inside a <script> element: "<" escaped so that no "</script>" or "<!--" can end it early. */
export function scriptJson(value: unknown): SafeHtml {
  return raw(JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029'));
}

/** Only http(s) and mailto links become anchors: a harvested "javascript:" or "data:" URL stays text. */
export function safeHref(url: string): string | undefined {
  return /^(https?:\/\/|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}

/** A link to an outside address, or the text alone when the address is not one a browser may follow safely. */
export function externalLink(url: string, text?: string): SafeHtml {
  const href = safeHref(url);
  return href ? html`<a href="${href}" rel="nofollow noopener">${text ?? url}</a>` : html`${text ?? url}`;
}

/** Text with its web (http, https) and mail addresses as links, the rest escaped: an address in a
 * description or a request route is followed with a click, not copied. Punctuation that ends a sentence
 * or closes a bracket stays outside the link. */
export function linkedText(text: string): SafeHtml {
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]*[^\s<>".,;:)\]']|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) {
    parts.push(html`${text.slice(last, m.index)}`, /^https?:/.test(m[0]) ? externalLink(m[0]) : externalLink(`mailto:${m[0]}`, m[0]));
    last = m.index + m[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}

/** Harvested text cut to a length a page can show: whole words, an ellipsis when cut. Control
 * characters (other than newlines and tabs) are dropped: they have no place in a page. */
export function trimText(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}
