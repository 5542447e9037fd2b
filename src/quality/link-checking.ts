// Link checking as the service runs it, on the tables of migration 016:
// - discovery follows the change feed: each created, changed or withdrawn dataset or service has its
//   links (quality/links.ts) replaced in record_links, new URLs join `links` (once however many
//   records share them), its quality facts for the KPIs are recomputed (record_quality), and a closed
//   one's entry in the access register is made again from its DCAT;
// - checking takes the links that are due, under a lease (`FOR UPDATE SKIP LOCKED`), so that several
//   workers share the work without checking a link twice; a link's hosts are served at most
//   `perHost` at a time while other hosts go on;
// - a result is written with the link's next check: working links again after `recheckOkHours`,
//   broken ones after `recheckBrokenHours`; a link whose state changes puts its records back in the
//   outbox, so that their quality band in search follows, and recomputes their facts;
// - when every link of a round failed to resolve and a name that always resolves does not either, the
//   fault is ours (no network), not the links': nothing is recorded, and the round is tried again later.
import { lookup } from 'node:dns/promises';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { LinkChecker, type LinkResult } from './link-check.js';
import { refreshFacts, replaceRecordLinks, scoredRecords } from './quality-store.js';
import { refreshHarvestedEntries } from '../register/register.js';
import { every, type Periodic } from '../periodic.js';

export interface LinkCheckingOptions {
  /** Hours until a working link is checked again. */
  recheckOkHours: number;
  /** Hours until a broken link is checked again. */
  recheckBrokenHours: number;
  /** Links checked at once, over all hosts. */
  concurrency: number;
  /** Links claimed per round. */
  batch: number;
  /** How long a claim holds; a worker that dies frees its links after this. */
  leaseSeconds: number;
  /** Check links at all (false: only follow the change feed for links, facts and the register). */
  check: boolean;
  /** A name that always resolves when the network is up: asked when every link of a round failed to
   * resolve, to tell dead links from a machine that cannot reach the internet. */
  probeHost: string;
}

export const DEFAULT_LINK_CHECKING: LinkCheckingOptions = { recheckOkHours: 7 * 24, recheckBrokenHours: 24, concurrency: 32, batch: 500, leaseSeconds: 600, check: true, probeHost: 'publications.europa.eu' };

export interface RoundReport {
  checked: number;
  ok: number;
  broken: number;
  /** Links whose state changed (first check included). */
  changed: number;
  /** The round's results were not recorded: the network seemed unreachable. */
  offline?: boolean;
}

/** Network errors that say "we cannot reach anything" rather than "this host is gone". */
const OUR_NETWORK = /ENOTFOUND|EAI_AGAIN|ENETUNREACH|ENETDOWN/;

export class LinkChecking {
  readonly options: LinkCheckingOptions;
  private periodic?: Periodic;
  private readonly stopping = new AbortController();

  constructor(
    private readonly db: Db,
    readonly checker: LinkChecker,
    private readonly log: Logger,
    options: Partial<LinkCheckingOptions> = {},
  ) {
    this.options = { ...DEFAULT_LINK_CHECKING, ...options };
  }

  /** Reads the change feed up to its end (or until `maxRecords` were seen) and brings record_links,
   * links and record_quality up to date. Returns the records seen. */
  async discover(batchSize = 500, maxRecords = Infinity): Promise<number> {
    let total = 0;
    while (total < maxRecords) {
      const n = await this.db.transaction(async (tx) => {
        const from = (await tx.query<{ feed_seq: string }>('SELECT feed_seq FROM link_discovery WHERE id = 1 FOR UPDATE')).rows[0].feed_seq;
        const events = await tx.query<{ seq: string; record_id: string }>('SELECT seq, record_id FROM feed_events WHERE seq > $1 ORDER BY seq LIMIT $2', [from, batchSize]);
        if (events.rows.length === 0) return 0;
        const ids = [...new Set(events.rows.map((e) => e.record_id))];
        const records = await scoredRecords(tx, ids);
        await replaceRecordLinks(tx, records, ids);
        // Records whose links were checked before get their quality band from those checks.
        await tx.query(
          `INSERT INTO outbox (record_id, op)
           SELECT DISTINCT rl.record_id, 'upsert' FROM record_links rl JOIN links l ON l.url = rl.url
           WHERE rl.record_id = ANY($1::text[]) AND l.state <> 'unchecked'`,
          [ids],
        );
        await refreshFacts(tx, ids, records);
        // Closed records appear in the public register with what their DCAT says.
        await refreshHarvestedEntries(tx, records, ids);
        await tx.query('UPDATE link_discovery SET feed_seq = $1 WHERE id = 1', [events.rows[events.rows.length - 1].seq]);
        return ids.length;
      });
      if (n === 0) return total;
      total += n;
    }
    return total;
  }

  /** Claims up to `limit` due links and checks them. */
  async round(limit = this.options.batch): Promise<RoundReport> {
    const claimed = await this.db.query<{ url: string; host: string; state: string }>(
      `UPDATE links SET lease_until = now() + make_interval(secs => $2)
       WHERE url IN (SELECT url FROM links WHERE next_check_at <= now() AND (lease_until IS NULL OR lease_until < now())
                     ORDER BY next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING url, host, state`,
      [limit, this.options.leaseSeconds],
    );
    if (claimed.rows.length === 0) return { checked: 0, ok: 0, broken: 0, changed: 0 };
    const results = await this.checkAll(claimed.rows);
    if (this.stopping.signal.aborted) {
      await this.release(claimed.rows.map((r) => r.url));
      return { checked: 0, ok: 0, broken: 0, changed: 0 };
    }
    const hosts = new Set(claimed.rows.map((r) => r.host));
    if (results.every((r) => !r.ok && r.error === 'network' && OUR_NETWORK.test(r.detail ?? '')) && !(await this.networkUp())) {
      this.log.warn({ links: results.length, hosts: hosts.size, probe: this.options.probeHost, example: results[0]?.detail }, 'link check: no host could be resolved, not even the probe; the network seems down, results not recorded');
      await this.db.query(`UPDATE links SET lease_until = NULL, next_check_at = now() + interval '10 minutes' WHERE url = ANY($1::text[])`, [claimed.rows.map((r) => r.url)]);
      return { checked: 0, ok: 0, broken: 0, changed: 0, offline: true };
    }
    const before = new Map(claimed.rows.map((r) => [r.url, r.state]));
    const changed = results.filter((r) => before.get(r.url) !== (r.ok ? 'ok' : 'broken')).map((r) => r.url);
    await this.record(results, changed);
    const ok = results.filter((r) => r.ok).length;
    return { checked: results.length, ok, broken: results.length - ok, changed: changed.length };
  }

  /** Discovers, then checks rounds until nothing is due (or `maxLinks` were checked). */
  async runOnce(maxLinks = Infinity): Promise<RoundReport> {
    await this.discover();
    const total: RoundReport = { checked: 0, ok: 0, broken: 0, changed: 0 };
    if (!this.options.check) return total;
    while (total.checked < maxLinks && !this.stopping.signal.aborted) {
      const r = await this.round(Math.min(this.options.batch, maxLinks - total.checked));
      total.checked += r.checked;
      total.ok += r.ok;
      total.broken += r.broken;
      total.changed += r.changed;
      if (r.offline) return { ...total, offline: true };
      if (r.checked === 0) break;
    }
    return total;
  }

  /** Runs discovery and due checks every `intervalMs` while the service runs. */
  start(intervalMs = 60_000, immediate = true): void {
    this.periodic = every(
      intervalMs,
      async () => {
        const r = await this.runOnce();
        if (r.checked > 0) this.log.info(r, 'links checked');
      },
      this.log,
      'link check round failed; retrying',
      immediate,
    );
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await this.periodic?.stop();
    await this.checker.close();
  }

  /** Checks links `concurrency` at a time, never more than the checker's per-host limit on one host,
   * so that a host with thousands of links does not hold up the others. */
  private async checkAll(links: { url: string; host: string }[]): Promise<LinkResult[]> {
    const byHost = new Map<string, string[]>();
    for (const l of links) byHost.set(l.host, [...(byHost.get(l.host) ?? []), l.url]);
    const inFlight = new Map<string, number>();
    const results: LinkResult[] = [];
    const perHost = this.checker.options.perHost;
    const next = (): [string, string] | undefined => {
      for (const [host, urls] of byHost) {
        if (urls.length === 0) {
          byHost.delete(host);
          continue;
        }
        if ((inFlight.get(host) ?? 0) < perHost) return [host, urls.shift()!];
      }
      return undefined;
    };
    await new Promise<void>((resolve) => {
      let running = 0;
      const pump = () => {
        if (this.stopping.signal.aborted && running === 0) return resolve();
        while (running < this.options.concurrency && !this.stopping.signal.aborted) {
          const job = next();
          if (!job) break;
          const [host, url] = job;
          running++;
          inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
          this.checker
            .check(url, this.stopping.signal)
            .then((r) => results.push(r))
            .finally(() => {
              running--;
              inFlight.set(host, inFlight.get(host)! - 1);
              pump();
            });
        }
        if (running === 0) resolve();
      };
      pump();
    });
    return results;
  }

  private async record(results: LinkResult[], changed: string[]): Promise<void> {
    const col = <T>(f: (r: LinkResult) => T) => results.map(f);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE links l SET state = CASE WHEN x.ok THEN 'ok' ELSE 'broken' END, status = x.status, method = x.method, final_url = x.final_url,
           redirects = x.redirects, content_type = x.content_type, size = x.size, error = x.error, detail = x.detail, attempts = x.attempts,
           duration_ms = x.ms, checked_at = now(), lease_until = NULL,
           failures = CASE WHEN x.ok THEN 0 ELSE l.failures + 1 END,
           ok_at = CASE WHEN x.ok THEN now() ELSE l.ok_at END,
           broken_since = CASE WHEN x.ok THEN NULL ELSE COALESCE(l.broken_since, now()) END,
           next_check_at = now() + make_interval(hours => CASE WHEN x.ok THEN $13::int ELSE $14::int END)
         FROM unnest($1::text[], $2::bool[], $3::int[], $4::text[], $5::text[], $6::int[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::int[], $12::int[])
           AS x(url, ok, status, method, final_url, redirects, content_type, size, error, detail, attempts, ms)
         WHERE l.url = x.url`,
        [
          col((r) => r.url),
          col((r) => r.ok),
          col((r) => r.status ?? null),
          col((r) => r.method),
          col((r) => r.finalUrl ?? null),
          col((r) => r.redirects),
          col((r) => r.contentType?.slice(0, 200) ?? null),
          col((r) => r.size ?? null),
          col((r) => r.error ?? null),
          col((r) => r.detail?.slice(0, 500) ?? null),
          col((r) => r.attempts),
          col((r) => r.ms),
          this.options.recheckOkHours,
          this.options.recheckBrokenHours,
        ],
      );
      if (changed.length > 0) {
        const affected = await tx.query<{ record_id: string }>(`SELECT DISTINCT record_id FROM record_links WHERE url = ANY($1::text[])`, [changed]);
        const ids = affected.rows.map((r) => r.record_id);
        await tx.query(`INSERT INTO outbox (record_id, op) SELECT unnest($1::text[]), 'upsert'`, [ids]);
        await refreshFacts(tx, ids);
      }
    });
  }

  private async networkUp(): Promise<boolean> {
    try {
      await lookup(this.options.probeHost);
      return true;
    } catch {
      return false;
    }
  }

  private async release(urls: string[]): Promise<void> {
    await this.db.query('UPDATE links SET lease_until = NULL WHERE url = ANY($1::text[])', [urls]);
  }
}


/** A record's links with what the last check found, for its page, its API answer and its score. */
export interface CheckedLink {
  url: string;
  role: string;
  declaredFormat: string | null;
  state: string;
  status: number | null;
  method: string | null;
  finalUrl: string | null;
  redirects: number | null;
  contentType: string | null;
  size: number | null;
  error: string | null;
  detail: string | null;
  checkedAt: Date | null;
  okAt: Date | null;
  brokenSince: Date | null;
}

export async function linksOfRecord(db: Pick<Db, 'query'>, recordId: string): Promise<CheckedLink[]> {
  const r = await db.query<CheckedLink>(
    `SELECT rl.url, rl.role, rl.declared_format AS "declaredFormat", l.state, l.status, l.method, l.final_url AS "finalUrl", l.redirects,
            l.content_type AS "contentType", l.size::float8 AS size, l.error, l.detail, l.checked_at AS "checkedAt", l.ok_at AS "okAt", l.broken_since AS "brokenSince"
     FROM record_links rl JOIN links l ON l.url = rl.url WHERE rl.record_id = $1 ORDER BY rl.role, rl.url`,
    [recordId],
  );
  return r.rows;
}
