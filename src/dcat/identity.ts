// Keys by which the same dataset arriving from two sources is recognised (it is linked, not merged):
// - its IRI, up to http/https, letter case of the host and a trailing slash;
// - an identifier, dct:identifier or the skos:notation of an adms:identifier: on its own when it is
//   globally unique by construction (an IRI or URN, a UUID); any other ("begraafplaatsen", "42") is a
//   portal's own name for the dataset, which another portal may give a different one, so it counts only
//   together with the publisher;
// - the same set of distribution URLs with the same title and publisher.
import { createHash } from 'node:crypto';
import { PREFIXES } from '../rdf/namespaces.js';
import type { Quad, Term } from '../rdf/terms.js';

const DCT_IDENTIFIER = `${PREFIXES.dct}identifier`;
const DCT_TITLE = `${PREFIXES.dct}title`;
const DCT_PUBLISHER = `${PREFIXES.dct}publisher`;
const FOAF_NAME = `${PREFIXES.foaf}name`;
const ADMS_IDENTIFIER = `${PREFIXES.adms}identifier`;
const SKOS_NOTATION = `${PREFIXES.skos}notation`;
const DISTRIBUTION = `${PREFIXES.dcat}distribution`;
const URLS = new Set([`${PREFIXES.dcat}accessURL`, `${PREFIXES.dcat}downloadURL`]);

/** An IRI as two portals might write the same one differently. */
export function normaliseIri(iri: string): string {
  const m = /^https?:\/\/([^/?#]+)(.*)$/i.exec(iri.trim());
  if (!m) return iri.trim();
  return `${m[1].toLowerCase()}${m[2].replace(/\/+$/, '')}`;
}

const UUID = /^(urn:uuid:)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/;
const ABSOLUTE = /^(https?:\/\/[^/\s]+\/\S+|urn:[a-z0-9-]+:\S+)$/;

/** The key of an identifier: unique by construction on its own, else scoped by the publisher (none
 * without one). */
function identifierKey(value: string, publisher: string | undefined): string | undefined {
  const v = value.trim().toLowerCase();
  if (UUID.test(v) || ABSOLUTE.test(v)) return `id:${v}`;
  return publisher && v.length > 0 ? `id:${publisher}|${v}` : undefined;
}

/** A publisher without an IRI, by its name (the smallest, case aside, of the names it is given). */
function publisherNameKey(node: Term, about: (s: Term, p: string) => Term[]): string | undefined {
  const name = about(node, FOAF_NAME).map((n) => n.value.trim().toLowerCase()).filter(Boolean).sort()[0];
  return name === undefined ? undefined : `name:${name}`;
}

/** IRIs minted here for blank-node records (ingest/prepare.ts) identify nothing beyond their catalogue. */
const MINTED = /\/id\/(dataset|datasetseries|dataservice)\/[0-9a-f]{24}$/;

/** Blank nodes and IRIs kept apart (a blank node's label may look like anything). */
function subjectKey(t: Term): string {
  return `${t.termType === 'BlankNode' ? '_' : '<'}${t.value}`;
}

export function identityKeys(root: Term, quads: readonly Quad[]): string[] {
  const keys = new Set<string>();
  // The record's triples by subject, read once: the keys look up a dozen subject-predicate pairs.
  const bySubject = new Map<string, Quad[]>();
  for (const q of quads) {
    const k = subjectKey(q.subject);
    const list = bySubject.get(k);
    if (list) list.push(q);
    else bySubject.set(k, [q]);
  }
  const about = (s: Term, p: string): Term[] => {
    const out: Term[] = [];
    for (const q of bySubject.get(subjectKey(s)) ?? []) if (q.predicate.value === p) out.push(q.object);
    return out;
  };
  if (root.termType === 'NamedNode' && !MINTED.test(root.value)) keys.add(`iri:${normaliseIri(root.value)}`);
  const publisher = about(root, DCT_PUBLISHER)[0];
  const publisherKey = publisher === undefined ? undefined : publisher.termType === 'NamedNode' ? normaliseIri(publisher.value) : publisherNameKey(publisher, about);
  for (const o of about(root, DCT_IDENTIFIER)) {
    const id = o.termType === 'NamedNode' ? `id:${normaliseIri(o.value)}` : identifierKey(o.value, publisherKey);
    if (id) keys.add(id);
  }
  for (const node of about(root, ADMS_IDENTIFIER))
    for (const n of about(node, SKOS_NOTATION)) {
      const id = identifierKey(n.value, publisherKey);
      if (id) keys.add(id);
    }
  const urls = new Set<string>();
  for (const d of about(root, DISTRIBUTION)) for (const p of URLS) for (const u of about(d, p)) urls.add(normaliseIri(u.value));
  const title = about(root, DCT_TITLE).map((t) => t.value.trim().toLowerCase()).sort()[0];
  if (urls.size > 0 && title) {
    const basis = [...urls].sort().join('\n') + `\n${title}\n${publisher?.termType === 'NamedNode' ? normaliseIri(publisher.value) : ''}`;
    keys.add(`dist:${createHash('sha256').update(basis).digest('base64url').slice(0, 32)}`);
  }
  return [...keys];
}
