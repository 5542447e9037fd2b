// Harvest jobs on a Postgres queue (pg-boss), so that `vindbaar worker` processes on one or many
// machines share the harvests, and the embedded server runs them in-process on the same tables.
// - One job per source at a time: the queue's "stately" policy allows one waiting and one active job
//   per source, so asking again while a run waits is a no-op.
// - A worker that dies (SIGKILL, a lost machine) leaves its job active until it expires; the queue then
//   retries it on another worker. Record ids are derived from source and IRI and unchanged records are
//   not written, so a retried run creates no duplicates and loses nothing.
// - Schedules are cron expressions on the sources. Every worker checks them; a compare-and-set on the
//   source's scheduled_at lets exactly one of them queue each due run.
import { isConnectionLoss } from '../store/connection-loss.js';
import { hostname } from 'node:os';
import PgBoss from 'pg-boss';
import cronParser from 'cron-parser';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';

const QUEUE = 'harvest';

export interface HarvestJob {
  sourceId: string;
  trigger: 'schedule' | 'api' | 'manual';
}

export interface QueueOptions {
  /** Seconds after which an active job is deemed lost and retried. */
  expireSeconds?: number;
  /** How often idle workers look for jobs. */
  pollSeconds?: number;
  /** How often the queue's maintenance (expiry, retries) runs. */
  maintenanceSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
}

export class InvalidScheduleError extends Error {
  constructor(cron: string, reason: string) {
    super(`"${cron}" is not a cron schedule: ${reason}`);
    this.name = 'InvalidScheduleError';
  }
}

/** Checks a cron expression (five fields, UTC). */
export function checkSchedule(cron: string): void {
  if (cron.trim().split(/\s+/).length !== 5) throw new InvalidScheduleError(cron, 'give five fields: minute hour day-of-month month day-of-week');
  try {
    cronParser.parseExpression(cron, { utc: true });
  } catch (e) {
    throw new InvalidScheduleError(cron, (e as Error).message);
  }
}

/** The last time at or before `now` the schedule fired. */
export function lastFire(cron: string, now: Date): Date {
  const it = cronParser.parseExpression(cron, { utc: true, currentDate: new Date(now.getTime() + 1000) });
  return it.prev().toDate();
}

export const WORKER_NAME = `${hostname()}:${process.pid}`;

export class HarvestQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly db: Db,
    private readonly options: Required<QueueOptions>,
    private readonly log: Logger,
  ) {}

  static async open(db: Db, log: Logger, options: QueueOptions = {}): Promise<HarvestQueue> {
    const o: Required<QueueOptions> = {
      expireSeconds: options.expireSeconds ?? 4 * 3600,
      pollSeconds: options.pollSeconds ?? 2,
      maintenanceSeconds: options.maintenanceSeconds ?? 60,
      retryLimit: options.retryLimit ?? 3,
      retryDelaySeconds: options.retryDelaySeconds ?? 60,
    };
    // pg-boss speaks to the store through our driver, so the same code serves Postgres and PGlite.
    // Scripts without parameters may hold several statements (its migrations); they go through exec.
    const boss = new PgBoss({
      db: {
        executeSql: async (text: string, values?: unknown[]) => {
          try {
            return await db.query(text, values ?? []);
          } catch (e) {
            // PGlite prepares every query, and a prepared statement holds one command: a script of
            // several (pg-boss's schema migrations, which return nothing) runs through exec instead.
            if (db.driver === 'pglite' && (!values || values.length === 0) && (e as { code?: string }).code === '42601') {
              await db.exec(text);
              return { rows: [] };
            }
            throw e;
          }
        },
      },
      schema: 'pgboss',
      supervise: true,
      schedule: false,
      maintenanceIntervalSeconds: o.maintenanceSeconds,
    } as PgBoss.ConstructorOptions);
    boss.on('error', (e: Error) => log.warn({ err: e.message }, 'job queue error'));
    await boss.start();
    await boss.createQueue(QUEUE, {
      name: QUEUE,
      policy: 'stately',
      expireInSeconds: o.expireSeconds,
      retryLimit: o.retryLimit,
      retryDelay: o.retryDelaySeconds,
      retryBackoff: true,
    } as never);
    return new HarvestQueue(boss, db, o, log);
  }

  /** Queues a run of a source; returns the job id, or null when a run of it is already waiting. */
  async enqueue(job: HarvestJob): Promise<string | null> {
    return this.boss.send(QUEUE, job as unknown as object, {
      singletonKey: job.sourceId,
      expireInSeconds: this.options.expireSeconds,
      retryLimit: this.options.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      retryBackoff: true,
    });
  }

  /** Runs jobs as they come, `concurrency` at a time. */
  async work(concurrency: number, handler: (job: HarvestJob, id: string, createdOn: Date) => Promise<void>): Promise<void> {
    for (let i = 0; i < concurrency; i++)
      await this.boss.work<HarvestJob>(QUEUE, { batchSize: 1, pollingIntervalSeconds: this.options.pollSeconds, includeMetadata: true }, async (jobs) => {
        for (const j of jobs)
          try {
            await handler(j.data, j.id, new Date((j as unknown as { createdOn: Date | string }).createdOn));
          } catch (e) {
            // A run cut off by a database outage is failed once the database is back, so that it is
            // retried after the retry delay, not only when its expiry (hours) runs out.
            if (isConnectionLoss(e)) await this.databaseBack();
            throw e;
          }
      });
  }

  /** Waits until the database answers again (at most the job expiry). */
  private async databaseBack(): Promise<void> {
    const until = Date.now() + this.options.expireSeconds * 1000;
    while (Date.now() < until) {
      try {
        await this.db.query('SELECT 1');
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  /** Queues a run for every enabled source whose schedule fired since it was last queued. */
  async queueDue(now = new Date()): Promise<string[]> {
    const r = await this.db.query<{ id: string; schedule: string; scheduled_at: Date | null }>(
      `SELECT id, schedule, scheduled_at FROM sources WHERE schedule IS NOT NULL AND enabled`,
    );
    const queued: string[] = [];
    for (const s of r.rows) {
      let fire: Date;
      try {
        fire = lastFire(s.schedule, now);
      } catch (e) {
        this.log.warn({ source: s.id, err: (e as Error).message }, 'source schedule cannot be read');
        continue;
      }
      if (s.scheduled_at && s.scheduled_at >= fire) continue;
      const won = await this.db.query(
        'UPDATE sources SET scheduled_at = $2 WHERE id = $1 AND (scheduled_at IS NULL OR scheduled_at < $2) RETURNING id',
        [s.id, fire],
      );
      if (won.rows.length === 0) continue;
      // A source that never ran is harvested at once, so that a new catalogue does not stay empty until
      // the schedule's next time; one that ran before and only now gets this schedule waits for it.
      if (!s.scheduled_at && fire.getTime() < now.getTime() - 60_000 && (await this.neverRan(s.id)) === false) continue;
      await this.enqueue({ sourceId: s.id, trigger: 'schedule' });
      queued.push(s.id);
    }
    return queued;
  }

  private async neverRan(sourceId: string): Promise<boolean> {
    const r = await this.db.query('SELECT 1 FROM harvest_runs WHERE source_id = $1 LIMIT 1', [sourceId]);
    return r.rows.length === 0;
  }

  /**
   * Runs whose process died (SIGKILL, the OOM killer, a lost machine): their hold on the source is no
   * longer renewed (a live run renews it every third of its length). Once it has run out for
   * `graceSeconds`, such a run is marked failed, and a queued job that ran it is given back to the
   * queue, which retries it after the retry delay, instead of both staying "running" until the job's
   * expiry (VINDBAAR_HARVEST_JOB_EXPIRE_SECONDS, hours).
   */
  async retryOrphans(graceSeconds: number): Promise<{ runs: { id: string; source: string }[]; jobs: { id: string; source: string }[] }> {
    // In one statement with the look at the hold, so that a run that has just taken the source is not touched.
    const runs = await this.db.query<{ id: string; source: string }>(
      `UPDATE harvest_runs r SET status = 'failed', finished_at = now(),
         error = 'the process running it stopped before it finished (its hold on the source ran out); a queued job is retried'
       FROM sources s WHERE s.id = r.source_id AND r.status = 'running'
         AND (s.lease_until IS NULL OR s.lease_until < now() - make_interval(secs => $1))
       RETURNING r.id::text AS id, r.source_id AS source`,
      [graceSeconds],
    );
    const jobs = await this.db.query<{ id: string; source: string }>(
      `SELECT j.id::text AS id, j.data->>'sourceId' AS source FROM pgboss.job j LEFT JOIN sources s ON s.id = j.data->>'sourceId'
       WHERE j.name = $1 AND j.state = 'active' AND j.started_on < now() - make_interval(secs => $2)
         AND (s.lease_until IS NULL OR s.lease_until < now() - make_interval(secs => $2))`,
      [QUEUE, graceSeconds],
    );
    for (const j of jobs.rows) await this.boss.fail(QUEUE, j.id, { message: 'its worker stopped renewing its hold on the source' });
    return { runs: runs.rows, jobs: jobs.rows };
  }

  /** Jobs waiting or running, for the operator. */
  async pending(): Promise<{ waiting: number; active: number }> {
    const r = await this.db.query<{ state: string; n: number }>(`SELECT state::text, count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active') GROUP BY state`, [QUEUE]);
    let waiting = 0;
    let active = 0;
    for (const row of r.rows) if (row.state === 'active') active += row.n;
    else waiting += row.n;
    return { waiting, active };
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
