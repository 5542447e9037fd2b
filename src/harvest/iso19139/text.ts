// Free text in ISO 19139: a gco:CharacterString or gmx:Anchor in the metadata language, plus
// translations in gmd:PT_FreeText whose locale ids point at gmd:PT_Locale declarations.
import type { Literal } from '../../rdf/terms.js';
import type { MappingContext } from './context.js';
import { languageTag } from './codelists.js';
import { lang } from './graph.js';
import { all, attr, first, norm, text } from './select.js';
import type { XmlElement } from './xml.js';

/** The untranslated text of a free-text property: its CharacterString or, failing that, its Anchor. */
export function mainText(el: XmlElement | undefined): string {
  return norm(text(first(el, 'gco:CharacterString') ?? first(el, 'gmx:Anchor')));
}

/** Like mainText, keeping line breaks: descriptions, abstracts and statements are prose. */
export function mainProse(el: XmlElement | undefined): string {
  return text(first(el, 'gco:CharacterString') ?? first(el, 'gmx:Anchor')).trim();
}

export interface Localised {
  value: string;
  lang: string;
}

export function translations(ctx: MappingContext, el: XmlElement | undefined): Localised[] {
  const out: Localised[] = [];
  for (const s of all(el, 'gmd:PT_FreeText/*/gmd:LocalisedCharacterString')) {
    const value = norm(text(s));
    if (value) out.push({ value, lang: localeTag(ctx, attr(s, 'locale')) });
  }
  return out;
}

/** The language of a locale reference ('#id'); an undeclared id that looks like a language code is read as one. */
function localeTag(ctx: MappingContext, ref: string | undefined): string {
  const id = (ref ?? '').replace(/^#/, '');
  const declared = ctx.locales.get(id);
  if (declared !== undefined) return declared;
  return /^[A-Za-z]{2,3}$/.test(id) ? languageTag(id) : '';
}

/** The text and its translations as language-tagged literals; empty texts give none. */
export function literals(ctx: MappingContext, el: XmlElement | undefined, main = mainText(el)): Literal[] {
  const out: Literal[] = [];
  if (main) out.push(lang(main, ctx.lang));
  for (const t of translations(ctx, el)) out.push(lang(t.value, t.lang));
  return out;
}

/**
 * One text for a property that takes a single value (address parts, a service's name): the anchor or
 * character string, else the translation in the preferred locale, else the first translation.
 */
export function oneText(ctx: MappingContext, el: XmlElement | undefined): string {
  if (!el) return '';
  const anchor = first(el, 'gmx:Anchor');
  if (anchor) return norm(text(anchor));
  const cs = first(el, 'gco:CharacterString');
  if (cs) return norm(text(cs));
  const strings = all(el, 'gmd:PT_FreeText/gmd:textGroup/gmd:LocalisedCharacterString');
  if (strings.length > 0) {
    const preferred = ctx.preferredLocale ? strings.find((s) => attr(s, 'locale') === `#${ctx.preferredLocale}`) : undefined;
    return norm(text(preferred ?? strings[0]));
  }
  return norm(text(el));
}
