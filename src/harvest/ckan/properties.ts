// Writers shared by the dataset, distribution and agent mappings: text that may be multilingual, lists of
// IRIs or literals, statements, dates.
import { blankNode, type Literal, type NamedNode } from '../../rdf/terms.js';
import type { Node, TripleSet } from './graph.js';
import { list, text, translations } from './fields.js';
import { dateLiteral, iriOrLiteral, plain } from './values.js';
import { RDFS } from './terms.js';

/** Literals for a value that is either text or a fluent {language: text} dict. */
export function literals(value: unknown): Literal[] {
  const t = translations(value);
  if (t) return t.map(([lang, v]) => plain(v, lang));
  const s = text(value);
  return s === undefined ? [] : [plain(s)];
}

/** Writes the translations of `<key>_translated` when the dict has them, else the text of `<key>`:
 * a fluent portal keeps both, the untranslated one being the default language's copy. */
export function addTranslatable(g: TripleSet, subject: Node, predicate: NamedNode, dict: Record<string, unknown>, key: string): void {
  const translated = translations(dict[`${key}_translated`]);
  const values = translated && translated.length > 0 ? translated.map(([lang, v]) => plain(v, lang)) : literals(dict[key]);
  for (const l of values) g.add(subject, predicate, l);
}

/** One triple per item of a list field: IRIs for http(s) URLs, literals otherwise; IRIs typed with the
 * property's range class when one is given. */
export function addList(g: TripleSet, subject: Node, predicate: NamedNode, values: unknown, cls?: NamedNode): void {
  for (const v of list(values)) g.link(subject, predicate, iriOrLiteral(v), cls);
}

export function addDate(g: TripleSet, subject: Node, predicate: NamedNode, value: unknown): void {
  const v = text(value);
  if (v !== undefined) g.add(subject, predicate, dateLiteral(v));
}

/** A statement (access rights, provenance, rights): an IRI of one, or free text as a node of the
 * statement class labelled with the text, in each language given. */
export function addStatement(g: TripleSet, subject: Node, predicate: NamedNode, value: unknown, cls: NamedNode): void {
  let statement: Node | undefined;
  const values = translations(value) ?? (text(value) === undefined ? [] : [['', text(value)!] as [string, string]]);
  for (const [lang, v] of values) {
    const object = iriOrLiteral(v, lang || undefined);
    if (object.termType === 'NamedNode') {
      g.link(subject, predicate, object, cls);
      continue;
    }
    if (!statement) {
      statement = blankNode();
      g.add(subject, predicate, statement);
      g.type(statement, cls);
    }
    g.add(statement, RDFS.label, object);
  }
}
