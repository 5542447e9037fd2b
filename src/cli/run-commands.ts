// vindbaar run list|show|confirm|dismiss: what harvest runs did, item by item, and the operator's answer
// to a run that would withdraw more than its source's share of records (the same as the API's
// POST /api/v1/runs/{id}/confirm-withdrawal and /dismiss-withdrawal).
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { getRun, listRuns, runItems, type Run } from '../store/runs.js';
import { getSource } from '../store/sources.js';
import { answerWithdrawals, WithdrawalStateError } from '../harvest/withdrawals.js';
import { auditedCommand, operator } from '../store/audit.js';
import { wholeNumber } from './arguments.js';
import { withServices } from './with-services.js';

function summary(run: Run): string {
  const seconds = run.finishedAt ? `${((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)} s` : 'running';
  return (
    `${run.id.padStart(6)}  ${run.startedAt.toISOString().slice(0, 19).replace('T', ' ')}  ${run.status.padEnd(21)} ${seconds.padStart(8)}  ${run.trigger.padEnd(8)} ` +
    `${run.records} records: ${run.created} created, ${run.updated} updated, ${run.unchanged} unchanged, ${run.deleted} withdrawn, ${run.rejected} rejected, ${run.failed} failed` +
    (run.pendingWithdrawals ? `; ${run.pendingWithdrawals} withdrawals wait (vindbaar run confirm|dismiss ${run.id})` : '')
  );
}

export function runCommands(program: Command, config: () => Config): void {
  const run = program.command('run').description("harvest runs: list a source's runs, show one with its items, confirm or dismiss the withdrawals a run holds back");
  run
    .command('list <source>')
    .description("a source's latest runs, newest first")
    .option('--limit <n>', 'how many', wholeNumber(1), 10)
    .action((sourceId: string, o: { limit: number }) =>
      withServices(config, async (services) => {
        if (!(await getSource(services.db, sourceId))) {
          console.error(`No harvest source "${sourceId}".`);
          process.exitCode = 2;
          return;
        }
        const runs = await listRuns(services.db, sourceId, o.limit);
        if (runs.length === 0) console.log(`Source "${sourceId}" has not been harvested yet.`);
        for (const r of runs) console.log(summary(r) + (r.error ? `\n        ${r.error.split('\n')[0]}` : ''));
      }),
    );
  run
    .command('show <id>')
    .description('a run and its items (what changed or failed, and where)')
    .option('--items <n>', 'at most this many items', wholeNumber(0), 50)
    .option('--failed', 'only the items that failed')
    .action((id: string, o: { items: number; failed?: boolean }) =>
      withServices(config, async (services) => {
        const r = /^\d+$/.test(id) ? await getRun(services.db, id) : undefined;
        if (!r) {
          console.error(`No run with id "${id}".`);
          process.exitCode = 2;
          return;
        }
        console.log(`Source ${r.sourceId}, run ${summary(r).trim()}`);
        console.log(`${r.pages} pages (${r.pagesNotModified} unchanged), ${r.bytes} bytes${r.worker ? `, by ${r.worker}` : ''}`);
        if (r.error) console.log(r.error);
        // The withdrawals a run holds back come first: they are what an operator must answer.
        const action = o.failed ? 'failed' : r.status === 'awaiting-confirmation' ? 'pending-withdrawal' : undefined;
        const items = o.items > 0 ? await runItems(services.db, r.id, o.items + 1, 0, action) : [];
        for (const i of items.slice(0, o.items)) console.log(`  ${i.action.padEnd(18)} ${i.iri ?? ''}${i.location ? `  at ${i.location}` : ''}${i.message ? `\n      ${i.message}` : ''}`);
        if (items.length > o.items) console.log(`  … (--items to see more)`);
      }),
    );
  for (const [name, confirm] of [
    ['confirm', true],
    ['dismiss', false],
  ] as const)
    run
      .command(`${name} <id>`)
      .description(confirm ? 'withdraw the records a run held back (more than its source\'s share were missing)' : 'keep the records a run held back: they stay, the run counts as done')
      .action((id: string) =>
        withServices(config, async (services) => {
          if (!/^\d+$/.test(id)) {
            console.error(`No run with id "${id}".`);
            process.exitCode = 2;
            return;
          }
          // A refusal is answered inside the audited command, so that the log shows its exit code.
          await auditedCommand(services.db, ['run', name, id], async () => {
            try {
              const r = await answerWithdrawals(services, id, confirm, operator());
              console.log(confirm ? `Run ${r.id}: ${r.deleted} records withdrawn.` : `Run ${r.id}: the withdrawals were dismissed; the records stay.`);
            } catch (e) {
              if (!(e instanceof WithdrawalStateError)) throw e;
              console.error(e.message);
              process.exitCode = 2;
            }
          });
        }),
      );
}
