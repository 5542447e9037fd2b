// Harvesting as the service runs it: the HTTP client, the job queue (opened on first use), runs now or
// queued, the in-process worker and the scheduler tick, and the purge of old tombstones.
import type { Services } from '../app.js';
import { purgeTombstones } from '../store/records.js';
import { harvestClient } from './client.js';
import type { HttpClient } from './http.js';
import { HarvestQueue, WORKER_NAME, type HarvestJob, type QueueOptions } from './queue.js';
import { runHarvest, SourceBusyError, SourceRemovedError, UnknownSourceError, type RunOptions, type RunOutcome } from './run.js';

/** A job given back to the queue on purpose (a source that may answer later, a worker stopping): said in
 * the log as a retry, not as a failure. */
class RetriedJobError extends Error {}

export class Harvesting {
  readonly http: HttpClient;
  private queue?: Promise<HarvestQueue>;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<AbortController>();

  constructor(
    private readonly services: Services,
    private readonly queueOptions: QueueOptions = {},
  ) {
    this.http = harvestClient(services.config);
  }

  jobs(): Promise<HarvestQueue> {
    const h = this.services.config.harvest;
    this.queue ??= HarvestQueue.open(this.services.db, this.services.log, {
      expireSeconds: h.jobExpireSeconds,
      pollSeconds: h.pollSeconds,
      retryDelaySeconds: h.retryDelaySeconds,
      maintenanceSeconds: Math.min(60, Math.max(1, Math.floor(h.jobExpireSeconds / 2))),
      ...this.queueOptions,
    });
    return this.queue;
  }

  /** Runs a harvest in this process now (the CLI's `vindbaar harvest`). */
  run(sourceId: string, options: RunOptions = {}): Promise<RunOutcome> {
    return runHarvest(this.services, this.http, sourceId, { worker: WORKER_NAME, ...options });
  }

  async enqueue(sourceId: string, trigger: HarvestJob['trigger']): Promise<string | null> {
    return (await this.jobs()).enqueue({ sourceId, trigger });
  }

  /** Takes queued harvests, `concurrency` at a time, and checks schedules and lost jobs every
   * `tickSeconds` (30, or a source's hold time when shorter: a lost job is found within a few holds). */
  async startWorker(concurrency: number, tickSeconds = Math.min(30, Math.max(1, this.services.config.harvest.leaseSeconds))): Promise<void> {
    const queue = await this.jobs();
    await queue.work(concurrency, async (job, _id, createdOn) => {
      const controller = new AbortController();
      this.running.add(controller);
      try {
        // A job handed out again after its expiry while its run went on: that run has done the work. (A
        // partial run is not: the job comes back when the source failed on the way, to be tried again.)
        const done = await this.services.db.query(
          `SELECT 1 FROM harvest_runs WHERE source_id = $1 AND started_at >= $2 AND status IN ('succeeded', 'awaiting-confirmation') LIMIT 1`,
          [job.sourceId, createdOn],
        );
        if (done.rows.length > 0) return;
        const run = await this.run(job.sourceId, { trigger: job.trigger, signal: controller.signal });
        // A stop that came once the run had read everything (while it stored the last batch) did not cut it
        // short: the run succeeded, has applied its withdrawals and remembered its pages, and stays so.
        if (controller.signal.aborted && run.status !== 'succeeded' && run.status !== 'awaiting-confirmation') {
          // Stopped by a shutdown, not by the source: the run is not a partial harvest to keep but work to
          // give back. It is marked failed (it withdraws nothing; what it stored stays) and the job goes
          // back to the queue for the next worker.
          await this.services.db.query(`UPDATE harvest_runs SET status = 'failed', error = $2 WHERE id = $1`, [run.id, 'interrupted: the worker was stopping; the job is retried']);
          throw new RetriedJobError(`harvest of ${job.sourceId} interrupted by shutdown; the job is retried by the next worker`);
        }
        if (run.retryable) {
          // The source was unreachable, timed out or answered 5xx/429 after the client's own retries: the
          // queue tries the job again after VINDBAAR_HARVEST_RETRY_DELAY_SECONDS, doubling, a few times,
          // rather than leaving the catalogue stale until the next scheduled run.
          throw new RetriedJobError(`harvest of ${job.sourceId} ${run.status} on a source that may answer later (${run.error ?? 'no detail'}); the job is retried`);
        }
        this.services.log.info({ source: job.sourceId, run: run.id, status: run.status }, 'harvest job done');
      } catch (e) {
        // Thrown back to the queue, which tries again later: by then the other run has ended, or its
        // worker has died and its hold has run out.
        if (e instanceof SourceBusyError) this.services.log.info({ source: job.sourceId }, 'source busy with another run; the job will be retried');
        // The run has said so in the log; with the source gone there is nothing to try again.
        else if (e instanceof SourceRemovedError) return;
        else if (e instanceof UnknownSourceError) {
          this.services.log.warn({ source: job.sourceId }, 'queued harvest of a source that no longer exists; dropped');
          return;
        } else if (e instanceof RetriedJobError) this.services.log.warn({ source: job.sourceId, err: e.message }, 'harvest job to be retried');
        // Anything else is not the source's doing (the database, a defect): without this line it would be
        // known only to the queue's own table. The queue tries the job again after the retry delay.
        else this.services.log.error({ source: job.sourceId, err: e }, 'harvest job failed unexpectedly; the queue tries it again later');
        throw e;
      } finally {
        this.running.delete(controller);
      }
    });
    const tick = async () => {
      try {
        const queued = await queue.queueDue();
        if (queued.length > 0) this.services.log.info({ sources: queued }, 'scheduled harvests queued');
        const orphans = await queue.retryOrphans(this.services.config.harvest.leaseSeconds);
        for (const r of orphans.runs) this.services.log.warn({ source: r.source, run: r.id }, 'harvest run marked failed: the process running it stopped (killed?) before it finished');
        for (const j of orphans.jobs) this.services.log.warn({ source: j.source, job: j.id }, 'harvest job of a worker that stopped given back to the queue, to be retried');
        const purged = await purgeTombstones(this.services.db, this.services.config.harvest.tombstoneDays);
        if (purged > 0) this.services.log.info({ records: purged }, 'tombstones past retention purged');
      } catch (e) {
        this.services.log.warn({ err: (e as Error).message }, 'scheduler tick failed; retrying');
      }
    };
    await tick();
    const t = setInterval(() => void tick(), tickSeconds * 1000);
    t.unref();
    this.timers.push(t);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.running) c.abort(new Error('stopped: the process is shutting down'));
    if (this.queue) await (await this.queue).stop().catch(() => undefined);
    await this.http.close();
  }
}
