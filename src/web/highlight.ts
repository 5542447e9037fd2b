// Result snippets: the part of a description where the searched words occur, with those words marked.
// Done here rather than by each search backend so that both give the same snippets, and so that the
// marking is made of escaped text and our own <mark> elements only (harvested text is hostile).
import { html, type SafeHtml } from './html.js';

/** The words of a query worth marking: quotes, exclusions ("-word") and "or" left out. */
export function queryTerms(q: string | undefined): string[] {
  if (!q) return [];
  return [
    ...new Set(
      q
        .replace(/"/g, ' ')
        .split(/\s+/)
        .filter((w) => w && !w.startsWith('-') && w.toLowerCase() !== 'or')
        .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase())
        .filter((w) => w.length >= 2),
    ),
  ].slice(0, 10);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Words starting with a term (so "werkloos" marks "werkloosheid", as stemming finds it). */
function termPattern(terms: string[]): RegExp | undefined {
  if (terms.length === 0) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}])(${terms.map(escapeRegExp).join('|')})[\\p{L}\\p{N}]*`, 'giu');
}

/** The text with the terms marked. */
export function marked(text: string, terms: string[]): SafeHtml {
  const pattern = termPattern(terms);
  if (!pattern) return html`${text}`;
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    parts.push(html`${text.slice(last, m.index)}<mark>${m[0]}</mark>`);
    last = m.index + m[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}

/** About `length` characters of the text around the first term found (its start if none), marked. */
export function snippet(text: string, terms: string[], length = 260): SafeHtml {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return marked(flat, terms);
  const pattern = termPattern(terms);
  const first = pattern ? pattern.exec(flat) : null;
  let start = first ? Math.max(0, first.index - Math.floor(length / 3)) : 0;
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space > 0 && space < start + 30 ? space + 1 : start;
  }
  let end = Math.min(flat.length, start + length);
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    end = space > start + length / 2 ? space : end;
  }
  return html`${start > 0 ? '… ' : ''}${marked(flat.slice(start, end), terms)}${end < flat.length ? ' …' : ''}`;
}
