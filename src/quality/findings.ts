// What to fix first, for one organisation or one catalogue: the validation findings its records have
// most often, counted by records. A data steward with hundreds of datasets does not read reports
// record by record; the same missing licence or malformed date on 300 records is one thing to fix in
// the portal that exports them. Counted from short keys kept with each record's quality facts
// (record_quality.findings, migration 036), so that an organisation of 20,000 records is counted in
// milliseconds; messages come from the stored report of one example.
import { createHash } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { findingMessage, type StoredResult } from '../validation/summary.js';
import { pickText } from '../dcat/schema-org.js';
import type { JsonValue } from '../dcat/json.js';

export interface FindingsScope {
  /** The organisation: the first publisher of each record, as the KPIs count it (record_quality). */
  publisher?: string;
  /** The catalogue the records are held in (a harvest source's or a pushing portal's). */
  catalog?: string;
}

export interface CommonFinding {
  severity: StoredResult['severity'];
  /** The shape and constraint component that gave it, and the property it is about. */
  shape: string;
  component: string;
  path?: string;
  /** How many of the scope's records have it at least once. */
  records: number;
  /** The message of one occurrence, in Dutch and English. */
  message: { nl: string; en: string };
  /** A few records that have it: where to look first. */
  examples: { id: string; kind: string; title: { nl: string | null; en: string | null } }[];
}

export interface FindingsReport {
  /** Records in scope (datasets, series and services) that were validated, and how many of those do not conform. */
  validated: number;
  withViolations: number;
  withWarnings: number;
  findings: CommonFinding[];
}

const EXAMPLES = 3;

/** The key of a result as migration 036's finding_keys() makes it in the database. */
export function findingKey(r: Pick<StoredResult, 'severity' | 'component' | 'path' | 'shape'>): string {
  const rank = r.severity === 'Violation' ? '0' : r.severity === 'Warning' ? '1' : '2';
  return rank + createHash('md5').update([r.severity, r.component, r.path ?? '', r.shape].join('|')).digest('hex').slice(0, 11);
}

export async function commonFindings(db: Queryable, scope: FindingsScope, limit = 20): Promise<FindingsReport> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (scope.publisher !== undefined) {
    params.push(scope.publisher);
    where.push(`q.publisher = $${params.length}`);
  }
  if (scope.catalog !== undefined) {
    params.push(scope.catalog);
    where.push(`q.record_id IN (SELECT id FROM records WHERE catalog_id = $${params.length} AND deleted_at IS NULL)`);
  }
  const conditions = where.length > 0 ? where.join(' AND ') : 'true';
  const counts = await db.query<{ validated: number; violations: number; warnings: number }>(
    `SELECT count(*) FILTER (WHERE q.verdict IS NOT NULL)::int AS validated,
            count(*) FILTER (WHERE q.verdict = 'violations')::int AS violations,
            count(*) FILTER (WHERE q.verdict = 'warnings')::int AS warnings
     FROM record_quality q WHERE ${conditions}`,
    params,
  );
  params.push(limit);
  // Counted by records from the keys kept with each record's facts, violations first (a key begins with
  // its severity's rank); the few examples of each come along (the smallest ids: the same on every visit).
  const keys = await db.query<{ key: string; records: number; examples: string[] }>(
    `SELECT k AS key, count(*)::int AS records, (array_agg(q.record_id ORDER BY q.record_id))[1:${EXAMPLES}] AS examples
     FROM record_quality q CROSS JOIN LATERAL unnest(q.findings) AS k
     WHERE ${conditions}
     GROUP BY k ORDER BY left(k, 1), records DESC, k LIMIT $${params.length}`,
    params,
  );
  // What each key stands for, from the stored report of its first example.
  const ids = [...new Set(keys.rows.flatMap((k) => k.examples))];
  const stored = ids.length === 0 ? [] : (await db.query<{ id: string; kind: string; title: JsonValue | string | null; results: StoredResult[] | string | null }>(`SELECT id, kind, json->'title' AS title, validation->'results' AS results FROM records WHERE id = ANY($1::text[])`, [ids])).rows;
  // The driver gives json as text or parsed, depending on which one it is.
  const parsed = <T>(v: T | string | null): T | undefined => (v === null ? undefined : typeof v === 'string' && /^[[{"]/.test(v) ? (JSON.parse(v) as T) : (v as T));
  const byId = new Map(stored.map((r) => [r.id, { kind: r.kind, title: parsed<JsonValue>(r.title), results: parsed<StoredResult[]>(r.results) ?? [] }]));
  const findings: CommonFinding[] = [];
  for (const k of keys.rows) {
    const sample = byId.get(k.examples[0])?.results.find((r) => findingKey(r) === k.key);
    // A report changed between the two reads: counted again on the next visit.
    if (!sample) continue;
    const finding: CommonFinding = {
      severity: sample.severity,
      shape: sample.shape,
      component: sample.component,
      records: k.records,
      // Said of "the value", not of the example's: "dcat:landingPage: the value must be of type foaf:Document".
      message: findingMessage(sample),
      examples: k.examples.map((id) => {
        const r = byId.get(id);
        return { id, kind: r?.kind ?? 'Dataset', title: { nl: pickText(r?.title, ['nl', 'en', 'fr', 'de']) ?? null, en: pickText(r?.title, ['en', 'nl', 'fr', 'de']) ?? null } };
      }),
    };
    if (sample.path !== undefined) finding.path = sample.path;
    findings.push(finding);
  }
  const c = counts.rows[0];
  return { validated: c.validated, withViolations: c.violations, withWarnings: c.warnings, findings };
}
