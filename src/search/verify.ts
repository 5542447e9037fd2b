// Does the search index say what Postgres says? Compares, record by record, the live searchable
// records (id and content hash) with the documents in the index: none missing, none extra, none stale.
import type { Db } from '../store/db.js';
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
