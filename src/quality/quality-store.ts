// The quality tables as the change feed and the link checker keep them: each changed record's links
// in record_links (new URLs join `links`), and its facts in record_quality (see record-facts.ts).
import type { Queryable } from '../store/db.js';
import type { JsonNode } from '../dcat/json.js';
import { recordLinks } from './links.js';
import { recordFacts } from './record-facts.js';

const SCORED_KINDS = ['Dataset', 'DatasetSeries', 'DataService'];

/** Replaces the links of records `ids` (withdrawn ones lose theirs); forgets URLs no record points to any more. */
export async function replaceRecordLinks(tx: Queryable, records: { id: string; json: JsonNode }[], ids: string[]): Promise<void> {
  const gone = await tx.query<{ url: string }>('DELETE FROM record_links WHERE record_id = ANY($1::text[]) RETURNING url', [ids]);
  const rows = records.flatMap((r) => recordLinks(r.json).map((l) => ({ id: r.id, ...l })));
  if (rows.length > 0) {
    await tx.query(
      `INSERT INTO record_links (record_id, url, role, declared_format)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [rows.map((r) => r.id), rows.map((r) => r.url), rows.map((r) => r.role), rows.map((r) => r.declaredFormat ?? null)],
    );
    const urls = [...new Set(rows.map((r) => r.url))];
    await tx.query(`INSERT INTO links (url, host) SELECT u, h FROM unnest($1::text[], $2::text[]) AS x(u, h) ON CONFLICT (url) DO NOTHING`, [urls, urls.map(hostOf)]);
  }
  const dropped = [...new Set(gone.rows.map((r) => r.url))];
  if (dropped.length > 0) await tx.query('DELETE FROM links l WHERE l.url = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM record_links r WHERE r.url = l.url)', [dropped]);
}

/** The live datasets and services among `ids`, with what their facts are made of. */
export interface ScoredRecord {
  id: string;
  iri: string;
  kind: string;
  catalog_id: string;
  json: JsonNode;
  verdict: string | null;
}

export async function scoredRecords(tx: Queryable, ids: string[]): Promise<ScoredRecord[]> {
  const r = await tx.query<ScoredRecord>(
    `SELECT id, iri, kind, catalog_id, json, validation->>'verdict' AS verdict FROM records WHERE id = ANY($1::text[]) AND deleted_at IS NULL AND kind = ANY($2::text[])`,
    [ids, SCORED_KINDS],
  );
  return r.rows;
}

/** Recomputes the facts of records `ids` from their JSON, verdict and checked links; drops those of records no longer live. */
export async function refreshFacts(tx: Queryable, ids: string[], loaded?: ScoredRecord[]): Promise<void> {
  if (ids.length === 0) return;
  const records = loaded ?? (await scoredRecords(tx, ids));
  const links = await tx.query<{ record_id: string; url: string; state: string }>(
    'SELECT rl.record_id, rl.url, l.state FROM record_links rl JOIN links l ON l.url = rl.url WHERE rl.record_id = ANY($1::text[])',
    [records.map((r) => r.id)],
  );
  const byRecord = new Map<string, { url: string; state: string }[]>();
  for (const l of links.rows) byRecord.set(l.record_id, [...(byRecord.get(l.record_id) ?? []), l]);
  const facts = records.map((r) => ({ r, f: recordFacts(r.json, r.verdict, byRecord.get(r.id) ?? []) }));
  const live = new Set(records.map((r) => r.id));
  const gone = ids.filter((id) => !live.has(id));
  if (gone.length > 0) await tx.query('DELETE FROM record_quality WHERE record_id = ANY($1::text[])', [gone]);
  if (facts.length === 0) return;
  const col = <T>(get: (x: (typeof facts)[number]) => T) => facts.map(get);
  const d = (x: (typeof facts)[number]) => x.f.score.dimensions;
  await tx.query(
    `INSERT INTO record_quality (record_id, kind, publisher, access, open_licence, hvd, score, band, findability, accessibility, interoperability, reusability, contextuality, verdict, modified, periodicity, computed_at, findings)
     SELECT u.*, now(), coalesce(finding_keys(r.validation), '{}')
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::bool[], $7::int[], $8::text[], $9::int[], $10::int[], $11::int[], $12::int[], $13::int[], $14::text[], $15::timestamptz[], $16::text[])
       AS u(record_id, kind, publisher, access, open_licence, hvd, score, band, findability, accessibility, interoperability, reusability, contextuality, verdict, modified, periodicity)
     JOIN records r ON r.id = u.record_id
     ON CONFLICT (record_id) DO UPDATE SET kind = EXCLUDED.kind, publisher = EXCLUDED.publisher, access = EXCLUDED.access, open_licence = EXCLUDED.open_licence,
       hvd = EXCLUDED.hvd, score = EXCLUDED.score, band = EXCLUDED.band, findability = EXCLUDED.findability, accessibility = EXCLUDED.accessibility,
       interoperability = EXCLUDED.interoperability, reusability = EXCLUDED.reusability, contextuality = EXCLUDED.contextuality, verdict = EXCLUDED.verdict,
       modified = EXCLUDED.modified, periodicity = EXCLUDED.periodicity, computed_at = now(), findings = EXCLUDED.findings`,
    [
      col((x) => x.r.id),
      col((x) => x.r.kind),
      col((x) => x.f.publisher),
      col((x) => x.f.access),
      col((x) => x.f.openLicence),
      col((x) => x.f.hvd),
      col((x) => x.f.score.total),
      col((x) => x.f.score.band),
      col((x) => d(x).findability.points),
      col((x) => d(x).accessibility.points),
      col((x) => d(x).interoperability.points),
      col((x) => d(x).reusability.points),
      col((x) => d(x).contextuality.points),
      col((x) => x.f.verdict),
      col((x) => x.f.modified),
      col((x) => x.f.periodicity),
    ],
  );
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}
