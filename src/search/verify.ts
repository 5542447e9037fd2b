// Does the search index say what Postgres says? Compares, record by record, the live searchable
// records with the documents in the index: none missing, none extra, none stale. Elasticsearch's
// documents carry the record's content hash; Postgres's (search_docs) the record's version.
import type { Db, Queryable } from '../store/db.js';
import { ElasticsearchSearch } from './elasticsearch.js';
import { SEARCHABLE_KINDS } from './indexer.js';

export interface IndexCheck {
  records: number;
  documents: number;
  missing: string[];
  extra: string[];
  stale: string[];
}

async function* indexHashes(es: ElasticsearchSearch): AsyncGenerator<[string, string | undefined]> {
  const pit = await es.client.openPointInTime({ index: es.alias, keep_alive: '2m' });
  let after: estypesSort | undefined;
  try {
    for (;;) {
      const r = await es.client.search({
        pit: { id: pit.id, keep_alive: '2m' },
        size: 10_000,
        sort: [{ id: 'asc' }],
        _source: false,
        docvalue_fields: ['hash'],
        ...(after ? { search_after: after } : {}),
      });
      if (r.hits.hits.length === 0) return;
      for (const h of r.hits.hits) yield [h._id!, (h.fields?.hash as string[] | undefined)?.[0]];
      after = r.hits.hits[r.hits.hits.length - 1].sort as estypesSort;
    }
  } finally {
    await es.client.closePointInTime({ id: pit.id }).catch(() => undefined);
  }
}
type estypesSort = (string | number | null)[];

export async function checkIndex(db: Db, es: ElasticsearchSearch): Promise<IndexCheck> {
  const rows = await db.query<{ id: string; hash: string }>('SELECT id, hash FROM records WHERE deleted_at IS NULL AND duplicate_of IS NULL AND kind = ANY($1::text[])', [SEARCHABLE_KINDS]);
  const expected = new Map(rows.rows.map((r) => [r.id, r.hash]));
  const check: IndexCheck = { records: expected.size, documents: 0, missing: [], extra: [], stale: [] };
  const seen = new Set<string>();
  for await (const [id, hash] of indexHashes(es)) {
    check.documents++;
    seen.add(id);
    const want = expected.get(id);
    if (want === undefined) check.extra.push(id);
    else if (want !== hash) check.stale.push(id);
  }
  for (const id of expected.keys()) if (!seen.has(id)) check.missing.push(id);
  return check;
}

/** The same check for the Postgres full-text index, in the database itself. */
export async function checkPostgresIndex(db: Queryable): Promise<IndexCheck> {
  const searchable = 'r.deleted_at IS NULL AND r.duplicate_of IS NULL AND r.kind = ANY($1::text[])';
  const ids = async (sql: string) => (await db.query<{ id: string }>(sql, [SEARCHABLE_KINDS])).rows.map((r) => r.id);
  const count = async (sql: string) => (await db.query<{ n: number }>(sql, [SEARCHABLE_KINDS])).rows[0].n;
  return {
    records: await count(`SELECT count(*)::int AS n FROM records r WHERE ${searchable}`),
    documents: await count('SELECT count(*)::int AS n FROM search_docs WHERE $1::text[] IS NOT NULL'),
    missing: await ids(`SELECT r.id FROM records r WHERE ${searchable} AND NOT EXISTS (SELECT 1 FROM search_docs s WHERE s.record_id = r.id) ORDER BY r.id`),
    extra: await ids(`SELECT s.record_id AS id FROM search_docs s JOIN records r ON r.id = s.record_id WHERE NOT (${searchable}) ORDER BY s.record_id`),
    stale: await ids(`SELECT r.id FROM records r JOIN search_docs s ON s.record_id = r.id WHERE ${searchable} AND s.version <> r.version ORDER BY r.id`),
  };
}
