// vindbaar source add|list|show|remove, vindbaar harvest <source>, vindbaar worker.
import { rideOutConnectionLoss } from '../store/connection-loss.js';
import { stopOnSignals } from '../shutdown.js';
import type { Command } from 'commander';
import { logger } from '../log.js';
import type { Config } from '../config.js';
import { createServices, type Services } from '../app.js';
import { CatalogOwnedError, createSource, getSource, listSources, removeSource, SourceConflictError, type SourceSpec } from '../store/sources.js';
import { checkSourceSpec, SourceSpecError } from '../harvest/source-spec.js';
import { SourceBusyError, UnknownSourceError } from '../harvest/run.js';
import { boundMemoryFor } from '../memory.js';
import { auditedCommand } from '../store/audit.js';
import type { RunProgress } from '../harvest/run.js';
import { share, wholeNumber } from './arguments.js';
import { withServices } from './with-services.js';

function parseOptions(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i < 1) throw new SourceSpecError([`--option ${p}: write key=value`]);
    const v = p.slice(i + 1);
    out[p.slice(0, i)] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

function line(p: RunProgress): string {
  const rate = p.seconds > 0 ? p.records / p.seconds : 0;
  const eta = p.totalRecords && rate > 0 ? Math.max(0, (p.totalRecords - p.records) / rate) : undefined;
  return (
    `${p.pages}${p.totalPages ? `/${p.totalPages}` : ''} pages, ${p.records}${p.totalRecords ? `/${p.totalRecords}` : ''} records ` +
    `(${p.created} new, ${p.updated} changed, ${p.unchanged} unchanged), ${(p.bytes / 1e6).toFixed(1)} MB, ${Math.round(rate)} records/s` +
    (eta !== undefined ? `, ETA ${Math.round(eta)} s` : '')
  );
}

/** Opens the services for one command and closes them whatever happens. */
/** Runs a harvest in this process, printing progress and a summary; sets the exit code. */
async function harvestNow(services: Services, id: string, signal: AbortSignal, quiet: boolean, tty: boolean): Promise<void> {
  let last = 0;
  try {
    const run = await services.harvesting.run(id, {
      trigger: 'manual',
      signal,
      onProgress: (p) => {
        if (quiet || Date.now() - last < 250) return;
        last = Date.now();
        process.stderr.write(tty ? `\r${line(p)}   ` : `${line(p)}\n`);
      },
    });
    if (tty) process.stderr.write('\n');
    const seconds = run.finishedAt ? (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000 : 0;
    console.log(
      `Run ${run.id} ${run.status} in ${seconds.toFixed(1)} s: ${run.pages} pages (${run.pagesNotModified} unchanged), ${run.records} records; ` +
        `${run.created} created, ${run.updated} updated, ${run.unchanged} unchanged, ${run.deleted} withdrawn, ${run.rejected} rejected, ${run.failed} failed` +
        (run.pendingWithdrawals ? `; ${run.pendingWithdrawals} withdrawals wait for confirmation (vindbaar run show ${run.id}, then vindbaar run confirm|dismiss ${run.id})` : '') +
        (run.error ? `\n${run.error}` : ''),
    );
    process.exitCode = run.status === 'succeeded' ? 0 : run.status === 'awaiting-confirmation' ? 0 : 1;
  } catch (e) {
    if (e instanceof UnknownSourceError) {
      console.error(e.message);
      process.exitCode = 2;
    } else if (e instanceof SourceBusyError) {
      console.error(`${e.message} Try again when it has finished.`);
      process.exitCode = 1;
    } else throw e;
  }
}

export function harvestCommands(program: Command, config: () => Config): void {
  const source = program.command('source').description('harvest sources: add, list, show, remove');
  source
    .command('add <id> <url>')
    .description('register a source to harvest')
    .requiredOption('-t, --type <type>', 'dcat, ckan, csw or ldes')
    .option('-c, --catalog <id>', 'local catalogue for its records (default: the source id)')
    .option('--title <title>', 'a name for people')
    .option('-s, --schedule <cron>', 'cron schedule, UTC (e.g. "0 3 * * *"); none: on demand only')
    .option('--org <organisation>', 'organisation that owns the source')
    .option('-p, --profile <id>', 'profile to validate against ("none": no validation)')
    .option('--policy <policy>', 'accept-with-report or reject')
    .option('--deletion <policy>', 'withdraw-missing (default) or keep-missing')
    .option('--max-withdraw <share>', 'largest share of records one run may withdraw without confirmation (default 0.2)', share)
    .option('--credentials <value>', 'Authorization header value to send (e.g. "Bearer …")')
    .option('-o, --option <key=value...>', 'type-specific option (format, maxPages, maxBytes, rows, …)', (v: string, all: string[] = []) => [...all, v])
    .action(async (id: string, url: string, o: { type: string; catalog?: string; title?: string; schedule?: string; org?: string; profile?: string; policy?: string; deletion?: string; maxWithdraw?: number; credentials?: string; option?: string[] }) => {
      const services = await createServices(config(), logger('warn'));
      try {
        const spec: SourceSpec = {
          id,
          url,
          type: o.type as SourceSpec['type'],
          catalogId: o.catalog,
          title: o.title,
          // "none", as the help says, is no schedule: harvested on demand only.
          schedule: o.schedule === 'none' ? undefined : o.schedule,
          organisation: o.org,
          profile: o.profile,
          validationPolicy: o.policy as SourceSpec['validationPolicy'],
          deletionPolicy: o.deletion as SourceSpec['deletionPolicy'],
          maxWithdrawShare: o.maxWithdraw,
          credentials: o.credentials,
          options: parseOptions(o.option ?? []),
        };
        checkSourceSpec(spec);
        // The command as the log shows it: credentials never.
        const words = ['source', 'add', id, url, '--type', o.type, ...(o.catalog ? ['--catalog', o.catalog] : []), ...(o.org ? ['--org', o.org] : []), ...(o.profile ? ['--profile', o.profile] : []), ...(o.credentials ? ['--credentials', '(hidden)'] : [])];
        const s = await auditedCommand(services.db, words, () => createSource(services.db, spec));
        console.log(`Added source "${s.id}" (${s.type} ${s.url}) into catalogue "${s.catalogId}"${s.schedule ? `, harvested at "${s.schedule}" UTC` : ', harvested on demand'}.`);
      } catch (e) {
        if (e instanceof SourceSpecError || e instanceof SourceConflictError || e instanceof CatalogOwnedError) {
          console.error(e.message);
          process.exitCode = 2;
        } else throw e;
      } finally {
        await services.close();
      }
    });
  source
    .command('list')
    .description('list the harvest sources with their last run')
    .action(() =>
      withServices(config, async (services) => {
        const last = await services.db.query<LastRun & { source_id: string }>(
          'SELECT DISTINCT ON (source_id) source_id, status, started_at, finished_at, records FROM harvest_runs ORDER BY source_id, id DESC',
        );
        const byId = new Map(last.rows.map((r) => [r.source_id, r]));
        for (const s of await listSources(services.db))
          console.log(`${s.id.padEnd(20)} ${s.type.padEnd(5)} ${s.enabled ? '' : '(disabled) '}${s.url}  ${s.schedule ?? 'on demand'}  ${lastRunText(byId.get(s.id))}`);
      }),
    );
  source
    .command('show <id>')
    .description('show a source (without its credentials)')
    .action((id: string) =>
      withServices(config, async (services) => {
        const s = await getSource(services.db, id);
        if (!s) {
          console.error(`No harvest source "${id}".`);
          process.exitCode = 2;
        } else console.log(JSON.stringify(s, null, 2));
      }),
    );
  source
    .command('remove <id>')
    .description('remove a source; its records are withdrawn (tombstones, 410 Gone) and purged after the retention period')
    .action((id: string) =>
      withServices(config, async (services) => {
        const r = await auditedCommand(services.db, ['source', 'remove', id], async () => {
          const r = await services.db.transaction((tx) => removeSource(tx, id));
          if (!r.removed) process.exitCode = 2;
          return r;
        });
        if (!r.removed) {
          console.error(`No harvest source "${id}".`);
          process.exitCode = 2;
        } else {
          await services.reindexPending().catch(() => undefined);
          console.log(`Removed source "${id}"; ${r.withdrawn} records withdrawn.`);
        }
      }),
    );

  program
    .command('harvest <source>')
    .description('harvest a source now, in this process, with progress')
    .option('--quiet', 'no progress output')
    .action(async (id: string, o: { quiet?: boolean }) => {
      // A harvest's size is unknown beforehand: keep the heap close to what is live.
      boundMemoryFor(undefined);
      const services = await createServices(config(), logger(process.env.LOG_LEVEL ?? 'warn'));
      const tty = process.stderr.isTTY && !o.quiet;
      const controller = new AbortController();
      // Stopped by the operator or by a shutdown: the run ends failed, saying so (not left "running").
      process.once('SIGINT', () => controller.abort(new Error('stopped by the operator (SIGINT)')));
      process.once('SIGTERM', () => controller.abort(new Error('stopped by SIGTERM')));
      try {
        await auditedCommand(services.db, ['harvest', id], () => harvestNow(services, id, controller.signal, o.quiet === true, tty));
      } finally {
        await services.close();
      }
    });

  program
    .command('worker')
    .description('take harvest jobs from the queue (several workers on several machines share them) and queue scheduled runs')
    .option('-n, --concurrency <n>', 'harvests at a time in this process', wholeNumber(1), 2)
    .action(async (o: { concurrency: number }) => {
      const cfg = config();
      const log = logger(cfg.logLevel);
      rideOutConnectionLoss(log);
      boundMemoryFor(undefined);
      const services = await createServices(cfg, log);
      await services.harvesting.startWorker(o.concurrency);
      services.startBackgroundIndexing();
      // Follows the change feed (links, quality facts, the access register) and checks links when enabled;
      // a worker joining others takes harvest jobs first and starts these after their first interval.
      services.links.start(60_000, false);
      services.kpis.start(3_600_000, false);
      services.feedback.mail.start(30_000, false);
      log.info({ concurrency: o.concurrency }, 'harvest worker started');
      stopOnSignals(log, () => services.close(), 'worker stopping');
    });
}

interface LastRun {
  status: string;
  started_at: Date | string;
  finished_at: Date | string | null;
  records: number;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** A source's last run as `source list` tells it: a run under way says since when and how far it got. */
export function lastRunText(r: LastRun | undefined): string {
  if (!r) return 'last run: never';
  if (r.status === 'running') return `run under way since ${iso(r.started_at)}, ${r.records} records so far`;
  return `last run: ${r.status}, ${r.records} records, ${r.finished_at === null ? `started ${iso(r.started_at)}` : `ended ${iso(r.finished_at)}`}`;
}
