// Whom to ask about a record: its contact points (vcard:Kind), as the dataset page lists them in full and
// as a search result or an organisation's list names the first one in a line. The policy asks for a
// single point of contact per dataset shown wherever the dataset is, not only on its own page.
import type { JsonNode } from '../dcat/json.js';
import { externalLink, html, trimText, type SafeHtml } from './html.js';
import type { PageLang } from './i18n.js';
import { iris, nameOf, nodes } from './values.js';

const NAME_MAX = 500;

/**
 * A telephone IRI ("tel:+3225154444") as a link a phone can dial, written without its scheme. Anything
 * else in hasTelephone (a harvested "javascript:" or free text) stays text.
 */
function phoneLink(iri: string): SafeHtml {
  const number = iri.replace(/^tel:/i, '');
  return /^tel:\+?[\d\s().-]{3,30}$/i.test(iri) ? html`<a href="tel:${number.replace(/[\s().-]/g, '')}">${number}</a>` : html`${number}`;
}

/** The addresses of one contact point, mail first, then web, then phone, each a link. */
function addresses(c: JsonNode): SafeHtml[] {
  return [
    ...iris(c.hasEmail).map((m) => (m.startsWith('mailto:') ? m : `mailto:${m}`)).map((m) => externalLink(m, m.replace(/^mailto:/, ''))),
    ...iris(c.hasURL).map((u) => externalLink(u, u)),
    ...iris(c.hasTelephone).map(phoneLink),
  ];
}

/** A record's contact points: name, then mail, web and phone addresses as links. */
export function contactPoints(json: JsonNode, lang: PageLang): SafeHtml[] {
  return nodes(json.contactPoint).map((c) => {
    const name = nameOf(c, lang);
    const links = addresses(c);
    return html`${name ? trimText(name, NAME_MAX) : ''}${links.length ? html` (${links.map((l, i) => html`${i ? ', ' : ''}${l}`)})` : ''}`;
  });
}

/**
 * The first contact point in a line for a list of records: its name and the one address a reader
 * would use first (mail, else web, else phone). Undefined when the record names nobody.
 */
export function contactLine(json: JsonNode, lang: PageLang): SafeHtml | undefined {
  for (const c of nodes(json.contactPoint)) {
    const name = nameOf(c, lang);
    const first = addresses(c)[0];
    if (!name && !first) continue;
    return html`${name ? trimText(name, 120) : ''}${name && first ? html` (${first})` : (first ?? '')}`;
  }
  return undefined;
}
