// Reading a record's JSON for a page: values may be one or many, IRIs or nodes, plain literals or
// language maps, and harvested records use every variant. These helpers give the page what it shows.
import type { JsonNode, JsonValue } from '../dcat/json.js';
import { readerText, sameLanguage, translationKey } from '../dcat/schema-org.js';
import { MESSAGES, type PageLang } from './i18n.js';
import { html, type SafeHtml } from './html.js';

import { accessCodeOf, iriOf, isNode, list } from '../dcat/values.js';
import { vocabularyLabel } from '../search/labels.js';

export { iriOf, iris, isNode, list } from '../dcat/values.js';

export const nodes = (v: JsonValue | undefined): JsonNode[] => list(v).filter(isNode);

/** Languages to read a text in, the page's first. */
export const prefer = (lang: PageLang): string[] => (lang === 'nl' ? ['nl', 'en', 'fr', 'de'] : ['en', 'nl', 'fr', 'de']);

/** The language a text shown on the page was machine-translated from ("fr"), when it was. */
export function translatedFrom(v: JsonValue | undefined, lang: PageLang): string | undefined {
  const key = translationKey(v, lang);
  return key === undefined ? undefined : (/-t-([a-z]{2,3})\b/i.exec(key)?.[1]?.toLowerCase() ?? 'und');
}

/** Says under a title or description that the source machine-translated it, and from which language. */
export function translationNote(v: JsonValue | undefined, lang: PageLang): SafeHtml | '' {
  const from = translatedFrom(v, lang);
  return from === undefined ? '' : html`<p class="translated">${MESSAGES[lang].machineTranslated(from)}</p>`;
}

/** A text of a literal or language map in the page's language (or machine-translated into it), else another. */
export function text(v: JsonValue | undefined, lang: PageLang): string | undefined {
  const t = readerText(v, prefer(lang));
  return t === undefined || t.trim() === '' ? undefined : t;
}

/** The language tag of the text `text` picks, when it is known and not the page's own: a page marks
 * such a title or description with its language (WCAG 3.1.2), so that a reader speaks it as written. */
export function otherLanguage(v: JsonValue | undefined, lang: PageLang): string | undefined {
  const tag = languageOf(v, lang);
  return tag && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(tag) && !sameLanguage(tag, lang) ? tag : undefined;
}

/** ` lang="en"` for an element holding such a text; nothing when it is in the page's language or unknown. */
export function langAttr(v: JsonValue | undefined, lang: PageLang): SafeHtml | '' {
  const tag = otherLanguage(v, lang);
  return tag ? html` lang="${tag}"` : '';
}

function languageOf(v: JsonValue | undefined, lang: PageLang): string | undefined {
  if (Array.isArray(v)) {
    const first = v.find((x) => text(x, lang) !== undefined);
    return first === undefined ? undefined : languageOf(first, lang);
  }
  if (!isNode(v)) return undefined;
  if (v['@value'] !== undefined) return typeof v['@language'] === 'string' ? v['@language'] : undefined;
  // The same choice as text(): a translation into the page's language, else as pickText: the preferred
  // languages (regional tags too), then untagged text, then any.
  const translation = translationKey(v, lang);
  if (translation !== undefined) return translation;
  const keys = Object.keys(v);
  for (const l of prefer(lang)) {
    const key = l in v ? l : keys.find((k) => sameLanguage(k, l));
    if (key !== undefined) return key;
  }
  return v['@none'] !== undefined ? undefined : keys.find((k) => v[k] !== undefined);
}

/** Every text of a multi-valued literal (keywords): those in the page's language if any, else all. */
export function texts(v: JsonValue | undefined, lang: PageLang): string[] {
  return taggedTexts(v, lang).map((x) => x.text);
}

/**
 * The same texts, each with its language tag when that is known and not the page's own, for a page to
 * mark (WCAG 3.1.2): the French keywords of a record with no Dutch ones are read as French.
 */
export function taggedTexts(v: JsonValue | undefined, lang: PageLang): { text: string; lang?: string }[] {
  const out = new Map<string, string | undefined>();
  const add = (t: string, tag: string | undefined) => {
    const key = t.trim();
    if (key && !out.has(key)) out.set(key, tag && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(tag) && !sameLanguage(tag, lang) ? tag : undefined);
  };
  for (const item of list(v)) {
    if (typeof item === 'string') add(item, undefined);
    else if (isNode(item)) {
      if (typeof item['@value'] === 'string') add(item['@value'], typeof item['@language'] === 'string' ? item['@language'] : undefined);
      else {
        const keys = Object.keys(item);
        const key = prefer(lang).map((l) => (l in item ? l : keys.find((k) => sameLanguage(k, l)))).find((k) => k !== undefined) ?? keys[0];
        if (key) for (const t of list(item[key])) if (typeof t === 'string') add(t, key === '@none' ? undefined : key);
      }
    }
  }
  return [...out].map(([text, tag]) => (tag ? { text, lang: tag } : { text }));
}

/** The name of an agent or the label of a concept given inline in the record. */
export function nameOf(v: JsonValue | undefined, lang: PageLang): string | undefined {
  if (!isNode(v)) return undefined;
  return text(v.name ?? v.fn ?? v.prefLabel ?? v.label ?? v.title, lang);
}

/** A literal's lexical form (dates, sizes, versions). */
export function literal(v: JsonValue | undefined): string | undefined {
  const first = list(v)[0];
  if (typeof first === 'string' || typeof first === 'number') return String(first);
  if (isNode(first) && (typeof first['@value'] === 'string' || typeof first['@value'] === 'number')) return String(first['@value']);
  return undefined;
}

export type AccessClass = 'public' | 'restricted' | 'nonPublic';

/** The EU access-right a record states, as the three classes people ask about. */
export function accessClass(record: JsonNode): AccessClass | undefined {
  const code = accessCodeOf(record);
  return code === 'NON_PUBLIC' ? 'nonPublic' : code === 'RESTRICTED' ? 'restricted' : code === 'PUBLIC' ? 'public' : undefined;
}

/** Bytes as people read them. */
export function byteSize(v: string | undefined, lang: PageLang): string | undefined {
  const n = v === undefined ? NaN : Number(v);
  if (!Number.isFinite(n) || n < 0) return v;
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let x = n;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${x.toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB', { maximumFractionDigits: i === 0 ? 0 : 1 })} ${units[i]}`;
}

/**
 * The name of a law a record gives by its ELI address alone ("http://data.europa.eu/eli/reg_impl/2023/138/oj"):
 * the EU's list of applicable legislation names it ("2023/138 (HVD, Hoogwaardige Datasets)"), which says
 * more to a reader than the address. A law that list does not hold keeps its address: its last segment
 * ("oj") would say less.
 */
export function legislationName(l: JsonValue, lang: PageLang): string | undefined {
  const iri = iriOf(l);
  return nameOf(l, lang) ?? (iri ? (vocabularyLabel(iri, lang) ?? iri) : undefined);
}
