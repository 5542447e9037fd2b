// Pushed catalogue nodes list what the push is about, not the whole catalogue: portals built on
// GeoNetwork export one record per document, each with the catalogue naming that one dataset. The
// datasets, services and catalogues a stored catalogue node lists are kept when it is pushed again,
// as far as they are live records of the same catalogue here (a withdrawn one drops out), so that a
// push adds to the listing and never shrinks it. (A harvest reads the whole catalogue and merges its
// pages, see harvest/dcat.ts.)
import type { Queryable } from '../store/db.js';
import type { RdfFormat } from '../rdf/formats.js';
import { parseString } from '../rdf/parse.js';
import { serialize } from '../rdf/write.js';
import { dataFactory, type Quad } from '../rdf/terms.js';
import { PREFIXES, RDF_TYPE } from '../rdf/namespaces.js';

const CATALOG = `${PREFIXES.dcat}Catalog`;
/** Documents up to this size are merged; per-record exports are a few kilobytes each. */
const LISTING_MERGE_MAX = 2 * 1024 * 1024;
const LISTS = new Set([`${PREFIXES.dcat}dataset`, `${PREFIXES.dcat}service`, `${PREFIXES.dcat}catalog`]);

/** The pushed document with the stored listings of the catalogue nodes it holds added, or as it was. */
export async function withStoredListings(db: Queryable, catalogId: string, format: RdfFormat, body: string, baseIRI: string): Promise<{ format: RdfFormat; body: string }> {
  // Most pushes hold no catalogue node: read the document only when it may. A large document is a whole
  // catalogue, listing what it lists: it is not read twice (nor held whole as triples) for this.
  if (body.length > LISTING_MERGE_MAX || !body.includes('Catalog')) return { format, body };
  const quads = await parseString(body, { format, baseIRI });
  const catalogs = new Set(quads.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === CATALOG && q.subject.termType === 'NamedNode').map((q) => q.subject.value));
  if (catalogs.size === 0) return { format, body };
  const stored = await db.query<{ nquads: string }>("SELECT nquads FROM records WHERE catalog_id = $1 AND kind = 'Catalog' AND iri = ANY($2::text[]) AND deleted_at IS NULL", [catalogId, [...catalogs]]);
  const listed: Quad[] = [];
  for (const row of stored.rows)
    for (const q of await parseString(row.nquads, { format: 'ntriples' }))
      if (catalogs.has(q.subject.value) && LISTS.has(q.predicate.value) && q.object.termType === 'NamedNode') listed.push(q);
  if (listed.length === 0) return { format, body };
  const live = await db.query<{ iri: string }>('SELECT DISTINCT iri FROM records WHERE catalog_id = $1 AND iri = ANY($2::text[]) AND deleted_at IS NULL', [catalogId, [...new Set(listed.map((q) => q.object.value))]]);
  const alive = new Set(live.rows.map((r) => r.iri));
  const present = new Set(quads.map((q) => `${q.subject.value} ${q.predicate.value} ${q.object.value}`));
  const added = listed.filter((q) => alive.has(q.object.value) && !present.has(`${q.subject.value} ${q.predicate.value} ${q.object.value}`));
  if (added.length === 0) return { format, body };
  const { quad } = dataFactory;
  return { format: 'nquads', body: await serialize([...quads, ...added.map((q) => quad(q.subject, q.predicate, q.object))], 'nquads') };
}
