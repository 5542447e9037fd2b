// Links copies of the same dataset held in different catalogues (a portal harvested directly and again
// through data.gov.be, say). Records share identity keys (src/dcat/identity.ts); records of different
// catalogues sharing a key, directly or through others, form a group, and one of them is the primary:
//   1. a record in its publisher's own catalogue: pushed by the entity itself (into a catalogue whose
//      organisation is, by name, the publisher that every copy naming one names: a push that claims
//      another organisation's dataset, or an administrator's push, ranks as any copy, so that no one
//      takes over a dataset by pushing it), or harvested from the host that minted its IRI;
//   2. otherwise the record seen first;
//   3. ties by id.
// The others point at it (duplicate_of). Search indexes primaries only; a change of primary goes to the
// outbox, so the index follows.
import type { Queryable } from './db.js';
import type { JsonValue } from '../dcat/json.js';
import { publisherName } from '../dcat/values.js';

interface Member {
  id: string;
  iri: string;
  catalog_id: string;
  first_seen: Date;
  duplicate_of: string | null;
  live: boolean;
  source_kind: string | null;
  source_url: string | null;
  /** The organisation that owns the record's catalogue, and the record's publisher as it names it. */
  organisation: string | null;
  publisher: JsonValue | null;
}

/** Groups larger than this are not followed further (a key shared by thousands is not an identity). */
const MAX_GROUP = 1000;

function host(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
}

/** Names compared as people write them: case, accents and spacing aside. */
const sameName = (a: string, b: string) => {
  const norm = (x: string) => x.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
};

/**
 * The rank of each member of a group (0 first). A push ranks 0 only when every copy of the group names
 * its publisher and all of them name the pushing organisation: a copy that names none (an IRI only, which
 * no organisation here can be matched with) or another one leaves the push a copy like any other.
 */
function ranks(group: Member[]): Map<string, number> {
  const names = group.map((g) => (g.publisher === null ? undefined : publisherName({ publisher: g.publisher })));
  const allNamed = names.every((n): n is string => !!n);
  const out = new Map<string, number>();
  for (const m of group) {
    const organisation = m.organisation;
    if (m.source_kind === 'push') out.set(m.id, organisation && allNamed && names.every((n) => sameName(n!, organisation)) ? 0 : 1);
    else {
      const own = host(m.iri);
      out.set(m.id, own !== undefined && own === host(m.source_url) ? 0 : 1);
    }
  }
  return out;
}

/** Re-decides the groups of the given records (new, changed or withdrawn). */
export async function linkDuplicates(tx: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const members = new Set(ids);
  let frontier = ids;
  for (let hop = 0; hop < 4 && frontier.length > 0 && members.size < MAX_GROUP; hop++) {
    // Only keys shared with other catalogues: a catalogue that repeats an identifier among its own
    // records costs nothing here, however large it is.
    const r = await tx.query<{ id: string }>(
      `SELECT DISTINCT k2.record_id AS id FROM record_keys k1
       JOIN record_keys k2 ON k2.key = k1.key AND (k2.catalog_id < k1.catalog_id OR k2.catalog_id > k1.catalog_id)
       WHERE k1.record_id = ANY($1::text[]) LIMIT ${MAX_GROUP}`,
      [frontier],
    );
    frontier = r.rows.map((x) => x.id).filter((id) => !members.has(id));
    for (const id of frontier) members.add(id);
  }
  // Records that pointed at these, or that these pointed at, are decided again too (a primary withdrawn
  // or changed beyond recognition hands over, or lets its copies go).
  const linked = await tx.query<{ id: string }>(
    `SELECT id FROM records WHERE duplicate_of = ANY($1::text[])
     UNION SELECT duplicate_of FROM records WHERE id = ANY($1::text[]) AND duplicate_of IS NOT NULL`,
    [[...members]],
  );
  for (const r of linked.rows) members.add(r.id);
  if (members.size === ids.length && linked.rows.length === 0) {
    // Nothing shares a key with these records and nothing points at them: the common case, done.
    const pointing = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM records WHERE id = ANY($1::text[]) AND duplicate_of IS NOT NULL', [ids]);
    if (pointing.rows[0].n === 0) return;
  }
  const all = [...members];
  const rows = await tx.query<Member>(
    `SELECT r.id, r.iri, r.catalog_id, r.first_seen, r.duplicate_of, r.deleted_at IS NULL AS live, s.kind AS source_kind, s.url AS source_url,
            c.organisation, r.json->'publisher' AS publisher
     FROM records r LEFT JOIN sources s ON s.id = r.source_id JOIN catalogs c ON c.id = r.catalog_id WHERE r.id = ANY($1::text[])`,
    [all],
  );
  const keys = await tx.query<{ key: string; record_id: string }>('SELECT key, record_id FROM record_keys WHERE record_id = ANY($1::text[])', [all]);
  const byId = new Map(rows.rows.map((m) => [m.id, m]));
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let p = parent.get(x) ?? x;
    while (p !== (parent.get(p) ?? p)) p = parent.get(p) ?? p;
    parent.set(x, p);
    return p;
  };
  const byKey = new Map<string, Member[]>();
  for (const k of keys.rows) {
    const m = byId.get(k.record_id);
    if (!m?.live) continue;
    byKey.set(k.key, [...(byKey.get(k.key) ?? []), m]);
  }
  for (const group of byKey.values())
    for (let i = 1; i < group.length; i++)
      // Copies live in different catalogues; two records of one catalogue sharing a key are its own business.
      if (group.some((g) => g.catalog_id !== group[i].catalog_id)) parent.set(find(group[i].id), find(group[0].id));
  const components = new Map<string, Member[]>();
  for (const m of rows.rows) if (m.live) components.set(find(m.id), [...(components.get(find(m.id)) ?? []), m]);
  const wanted = new Map<string, string | null>();
  for (const m of rows.rows) wanted.set(m.id, null);
  for (const group of components.values()) {
    if (group.length < 2 || new Set(group.map((g) => g.catalog_id)).size < 2) continue;
    const rank = ranks(group);
    const primary = [...group].sort((a, b) => rank.get(a.id)! - rank.get(b.id)! || a.first_seen.getTime() - b.first_seen.getTime() || (a.id < b.id ? -1 : 1))[0];
    for (const m of group) if (m.id !== primary.id) wanted.set(m.id, primary.id);
  }
  const changed = rows.rows.filter((m) => (wanted.get(m.id) ?? null) !== m.duplicate_of);
  if (changed.length === 0) return;
  await tx.query(
    `UPDATE records AS r SET duplicate_of = u.primary_id, last_modified = now() FROM unnest($1::text[], $2::text[]) AS u(id, primary_id) WHERE r.id = u.id`,
    [changed.map((m) => m.id), changed.map((m) => wanted.get(m.id) ?? null)],
  );
  // Every record of a group whose copies came or went is served with another list of copies (its
  // primary and the other copies): their validators, Last-Modified above all, which a client may send
  // alone, must move too. Their versions do not: their triples are the same.
  const groups = new Set<string>();
  for (const m of changed) {
    if (m.duplicate_of) groups.add(m.duplicate_of);
    const now = wanted.get(m.id);
    if (now) groups.add(now);
  }
  if (groups.size > 0)
    await tx.query('UPDATE records SET last_modified = now() WHERE (id = ANY($1::text[]) OR duplicate_of = ANY($1::text[])) AND deleted_at IS NULL', [[...groups]]);
  await tx.query(`INSERT INTO outbox (record_id, op) SELECT unnest($1::text[]), 'upsert'`, [changed.filter((m) => m.live).map((m) => m.id)]);
}

export interface Copy {
  id: string;
  iri: string;
  catalogId: string;
  sourceId: string | null;
  fetchedAt: Date | null;
}

/** The primary of a record and all copies of the group, for the record's page. */
export async function copiesOf(db: Queryable, id: string): Promise<{ primary: string; copies: Copy[] } | undefined> {
  const r = await db.query<{ duplicate_of: string | null }>('SELECT duplicate_of FROM records WHERE id = $1', [id]);
  const primary = r.rows[0]?.duplicate_of ?? id;
  const copies = await db.query<{ id: string; iri: string; catalog_id: string; source_id: string | null; fetched_at: Date | null }>(
    'SELECT id, iri, catalog_id, source_id, fetched_at FROM records WHERE duplicate_of = $1 AND deleted_at IS NULL ORDER BY first_seen, id',
    [primary],
  );
  if (copies.rows.length === 0) return undefined;
  return { primary, copies: copies.rows.map((c) => ({ id: c.id, iri: c.iri, catalogId: c.catalog_id, sourceId: c.source_id, fetchedAt: c.fetched_at })) };
}
