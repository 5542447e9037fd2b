// KPIs per publisher and for the whole catalogue, as the Flemish data strategy asks (periodic
// reporting on open-data sharing and metadata maturity per entity): counts, share open, share under
// an open licence, high-value datasets, quality score and bands, validation conformance, broken links
// and timeliness (last change against the declared frequency). Figures come from record_quality in
// two aggregate queries; a snapshot per month (re-taken daily, so the current month shows the latest)
// keeps the trend.
import type { Logger } from 'pino';
import type { Queryable } from '../store/db.js';
import { FREQUENCY_GRACE } from './record-facts.js';
import { every, type Periodic } from '../periodic.js';

export interface KpiFigures {
  records: number;
  datasets: number;
  services: number;
  access: { public: number; restricted: number; nonPublic: number; unknown: number };
  /** Share of records with public access rights (0-1). */
  openShare: number;
  openLicence: number;
  openLicenceShare: number;
  hvd: number;
  hvdShare: number;
  averageScore: number;
  bands: { bad: number; sufficient: number; good: number; excellent: number };
  validated: number;
  /** Validated records without violations. */
  conforming: number;
  conformanceShare: number | null;
  /** Distinct links checked at least once (those not yet checked count for nothing). */
  links: number;
  brokenLinks: number;
  recordsWithBrokenLinks: number;
  /** Records whose declared frequency can be judged, and those changed within it (plus half). */
  timelinessJudged: number;
  timely: number;
  timelinessShare: number | null;
}

export interface KpiRow {
  /** The publisher's IRI; '*' for the whole catalogue, '' for records without a publisher. */
  publisher: string;
  figures: KpiFigures;
}

export const CATALOGUE = '*';

/** Each dataset counts once: copies of it held in other catalogues (store/duplicates.ts) are left out,
 * as search leaves them out. Few records are copies, so this is an anti-join with a short list. */
const PRIMARY = 'q.record_id NOT IN (SELECT id FROM records WHERE duplicate_of IS NOT NULL)';

const share = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 1000) / 1000 : 0);

/** The figures now, for the whole catalogue (first) and every publisher (by number of records). */
export async function currentKpis(db: Queryable, publisher?: string): Promise<KpiRow[]> {
  const codes = Object.keys(FREQUENCY_GRACE);
  const graces = codes.map((c) => FREQUENCY_GRACE[c]);
  const where = publisher !== undefined ? 'WHERE q.publisher = $3' : '';
  const params: unknown[] = [codes, graces, ...(publisher !== undefined ? [publisher] : [])];
  const main = await db.query<Record<string, number | string | null> & { publisher: string | null; whole: number }>(
    `SELECT GROUPING(q.publisher) AS whole, q.publisher,
       count(*)::int AS records,
       count(*) FILTER (WHERE q.kind <> 'DataService')::int AS datasets,
       count(*) FILTER (WHERE q.kind = 'DataService')::int AS services,
       count(*) FILTER (WHERE q.access = 'public')::int AS public,
       count(*) FILTER (WHERE q.access = 'restricted')::int AS restricted,
       count(*) FILTER (WHERE q.access = 'non-public')::int AS non_public,
       count(*) FILTER (WHERE q.access = 'unknown')::int AS unknown,
       count(*) FILTER (WHERE q.open_licence)::int AS open_licence,
       count(*) FILTER (WHERE q.hvd)::int AS hvd,
       coalesce(round(avg(q.score), 1), 0)::float8 AS average_score,
       count(*) FILTER (WHERE q.band = 'bad')::int AS bad,
       count(*) FILTER (WHERE q.band = 'sufficient')::int AS sufficient,
       count(*) FILTER (WHERE q.band = 'good')::int AS good,
       count(*) FILTER (WHERE q.band = 'excellent')::int AS excellent,
       count(q.verdict)::int AS validated,
       count(*) FILTER (WHERE q.verdict IN ('conforms', 'warnings'))::int AS conforming,
       count(g.code)::int AS judged,
       count(*) FILTER (WHERE g.code IS NOT NULL AND q.modified >= now() - g.grace::interval)::int AS timely
     FROM record_quality q LEFT JOIN unnest($1::text[], $2::text[]) AS g(code, grace) ON g.code = q.periodicity
     ${where ? `${where} AND` : 'WHERE'} ${PRIMARY}
     GROUP BY GROUPING SETS ((q.publisher), ())`,
    params,
  );
  const links = await db.query<{ whole: number; publisher: string | null; links: number; broken: number; records_broken: number }>(
    `SELECT GROUPING(q.publisher) AS whole, q.publisher, count(DISTINCT rl.url) FILTER (WHERE l.state <> 'unchecked')::int AS links,
       count(DISTINCT rl.url) FILTER (WHERE l.state = 'broken')::int AS broken,
       count(DISTINCT rl.record_id) FILTER (WHERE l.state = 'broken')::int AS records_broken
     FROM record_quality q JOIN record_links rl ON rl.record_id = q.record_id JOIN links l ON l.url = rl.url
     WHERE ${publisher !== undefined ? 'q.publisher = $1 AND' : ''} ${PRIMARY}
     GROUP BY GROUPING SETS ((q.publisher), ())`,
    publisher !== undefined ? [publisher] : [],
  );
  const key = (r: { whole: number; publisher: string | null }) => (r.whole ? CATALOGUE : (r.publisher ?? ''));
  const linkRows = new Map(links.rows.map((r) => [key(r), r]));
  const rows = main.rows.map((r): KpiRow => {
    const n = (k: string) => Number(r[k] ?? 0);
    const l = linkRows.get(key(r));
    const records = n('records');
    return {
      publisher: key(r),
      figures: {
        records,
        datasets: n('datasets'),
        services: n('services'),
        access: { public: n('public'), restricted: n('restricted'), nonPublic: n('non_public'), unknown: n('unknown') },
        openShare: share(n('public'), records),
        openLicence: n('open_licence'),
        openLicenceShare: share(n('open_licence'), records),
        hvd: n('hvd'),
        hvdShare: share(n('hvd'), records),
        averageScore: n('average_score'),
        bands: { bad: n('bad'), sufficient: n('sufficient'), good: n('good'), excellent: n('excellent') },
        validated: n('validated'),
        conforming: n('conforming'),
        conformanceShare: n('validated') > 0 ? share(n('conforming'), n('validated')) : null,
        links: l?.links ?? 0,
        brokenLinks: l?.broken ?? 0,
        recordsWithBrokenLinks: l?.records_broken ?? 0,
        timelinessJudged: n('judged'),
        timely: n('timely'),
        timelinessShare: n('judged') > 0 ? share(n('timely'), n('judged')) : null,
      },
    };
  });
  // With one publisher asked for, the "whole" row is that publisher again.
  const result = publisher !== undefined ? rows.filter((r) => r.publisher !== CATALOGUE) : rows;
  return result.sort((a, b) => (a.publisher === CATALOGUE ? -1 : b.publisher === CATALOGUE ? 1 : b.figures.records - a.figures.records || a.publisher.localeCompare(b.publisher)));
}

/** Takes this month's snapshot (replacing an earlier one of the same month). Returns the rows written. */
export async function takeSnapshot(db: Queryable, now = new Date()): Promise<number> {
  const rows = await currentKpis(db);
  const month = `${now.toISOString().slice(0, 7)}-01`;
  if (rows.length === 0) return 0;
  await db.query(
    `INSERT INTO kpi_snapshots (month, publisher, taken_at, figures)
     SELECT $1::date, p, now(), f::jsonb FROM unnest($2::text[], $3::text[]) AS x(p, f)
     ON CONFLICT (month, publisher) DO UPDATE SET taken_at = now(), figures = EXCLUDED.figures`,
    [month, rows.map((r) => r.publisher), rows.map((r) => JSON.stringify(r.figures))],
  );
  return rows.length;
}

export interface KpiSnapshot {
  month: string;
  takenAt: string;
  figures: KpiFigures;
}

/** The monthly snapshots of one publisher (or of the whole catalogue), oldest first. */
export async function kpiHistory(db: Queryable, publisher = CATALOGUE): Promise<KpiSnapshot[]> {
  const r = await db.query<{ month: string; taken_at: Date; figures: KpiFigures }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, taken_at, figures FROM kpi_snapshots WHERE publisher = $1 ORDER BY month`,
    [publisher],
  );
  return r.rows.map((x) => ({ month: x.month, takenAt: x.taken_at.toISOString(), figures: typeof x.figures === 'string' ? JSON.parse(x.figures) : x.figures }));
}

/** Takes the day's snapshot once a day while the service runs, after bringing the facts up to date. */
export class KpiReporting {
  private periodic?: Periodic;

  constructor(
    private readonly db: Queryable,
    private readonly catchUp: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  private cached?: { at: number; rows: Promise<KpiRow[]> };

  /**
   * The figures now, for the catalogue and every publisher (or one), at most `maxAgeMs` old: over a
   * million records they take seconds to count, and pages and API calls ask for them often.
   */
  async current(publisher?: string, maxAgeMs = 5 * 60_000): Promise<KpiRow[]> {
    if (!this.cached || Date.now() - this.cached.at > maxAgeMs) {
      const rows = currentKpis(this.db);
      this.cached = { at: Date.now(), rows };
      rows.catch(() => {
        if (this.cached?.rows === rows) this.cached = undefined;
      });
    }
    const rows = await this.cached.rows;
    return publisher === undefined ? rows : rows.filter((r) => r.publisher === publisher);
  }

  async snapshotNow(): Promise<number> {
    await this.catchUp();
    this.cached = undefined;
    const n = await takeSnapshot(this.db);
    return n;
  }

  start(checkEveryMs = 3_600_000, immediate = true): void {
    this.periodic = every(
      checkEveryMs,
      async () => {
        const r = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM kpi_snapshots WHERE publisher = '*' AND taken_at > now() - interval '1 day'`);
        if (r.rows[0].n > 0) return;
        const n = await this.snapshotNow();
        this.log.info({ rows: n }, 'KPI snapshot taken');
      },
      this.log,
      'KPI snapshot failed; retrying',
      immediate,
    );
  }

  async close(): Promise<void> {
    await this.periodic?.stop();
  }
}
