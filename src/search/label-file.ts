// Names for IRIs that records use without naming them, from any RDF an operator has: the register of
// Belgian public organisations, a thesaurus, a list of the entity's own departments. data.gov.be's
// records give their publishers as enterprise numbers only (…/CbeRegisteredEntity/0212…): with such a
// file loaded, pages, facets and exports show "Statbel" instead of "KBO-nummer 0212.…". A name a record
// gives for its own publisher still wins, as it is stored when that record is (storeLabels).
import { PREFIXES } from '../rdf/namespaces.js';
import type { Quad } from '../rdf/terms.js';
import type { Queryable } from '../store/db.js';
import { forgetLabels } from './labels.js';

/** Naming properties, the best first: an organisation's own name before a concept's label or a title. */
const NAMING = [
  `${PREFIXES.foaf}name`,
  `${PREFIXES.skos}prefLabel`,
  `${PREFIXES.vcard}organization-name`,
  'http://www.w3.org/ns/regorg#legalName',
  `${PREFIXES.rdfs}label`,
  `${PREFIXES.dct}title`,
  `${PREFIXES.vcard}fn`,
];
const RANK = new Map(NAMING.map((p, i) => [p, i]));

/** A label as term_labels keeps it. */
export interface TermLabel {
  iri: string;
  /** A language tag in lower case, or '@none' for an untagged name. */
  lang: string;
  label: string;
}

/** Longer than this is a description, not a name. */
const MAX_LABEL = 300;

/** The best name per IRI and language in `quads`; blank nodes, empty and overlong names are skipped. */
export function labelsFromQuads(quads: Iterable<Quad>): TermLabel[] {
  const best = new Map<string, { rank: number; label: TermLabel }>();
  for (const q of quads) {
    const rank = RANK.get(q.predicate.value);
    if (rank === undefined || q.subject.termType !== 'NamedNode' || q.object.termType !== 'Literal') continue;
    const label = q.object.value.replace(/\s+/g, ' ').trim();
    if (label === '' || label.length > MAX_LABEL) continue;
    const lang = q.object.language ? q.object.language.toLowerCase() : '@none';
    const key = `${q.subject.value}\u0000${lang}`;
    const seen = best.get(key);
    // The best property wins; among values of one property, the smallest, so that a file read twice
    // gives the same names whatever the order of its triples.
    if (!seen || rank < seen.rank || (rank === seen.rank && label < seen.label.label)) best.set(key, { rank, label: { iri: q.subject.value, lang, label } });
  }
  return [...best.values()].map((b) => b.label);
}

/** Stores names, replacing earlier ones for the same IRI and language; returns how many changed. */
export async function storeTermLabels(db: Queryable, labels: TermLabel[]): Promise<number> {
  let changed = 0;
  for (let i = 0; i < labels.length; i += 5_000) {
    const batch = labels.slice(i, i + 5_000);
    const r = await db.query<{ iri: string }>(
      `INSERT INTO term_labels (iri, lang, label) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (iri, lang) DO UPDATE SET label = EXCLUDED.label WHERE term_labels.label IS DISTINCT FROM EXCLUDED.label
       RETURNING iri`,
      [batch.map((l) => l.iri), batch.map((l) => l.lang), batch.map((l) => l.label)],
    );
    changed += r.rows.length;
  }
  forgetLabels();
  return changed;
}
