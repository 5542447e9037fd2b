// vindbaar refresh: after an upgrade, builds every stored record's JSON-LD, identity keys, validation
// report and canonical N-Triples anew from its stored triples, and writes the ones that differ (see
// ingest/refresh.ts). Safe while the service runs: a record an ingest changes meanwhile is left to it.
import type { Command } from 'commander';
import { logger } from '../log.js';
import type { Config } from '../config.js';
import { createServices } from '../app.js';
import { refreshRecords } from '../ingest/refresh.js';
import { auditedCommand } from '../store/audit.js';

export function refreshCommands(program: Command, config: () => Config): void {
  program
    .command('refresh')
    .description("after an upgrade: derive every record's JSON-LD, identity keys and validation report anew from its stored triples, and write those that differ (no new versions)")
    .option('-c, --catalog <id>', "only this catalogue's records")
    .option('--dry-run', 'count what would change, write nothing')
    .option('--revalidate', 'also validate again and replace the reports (a resource described inside another record is then unknown to the check: reports can come out worse than the ingest made them)')
    .option('--after <id>', 'start after this record id (where an interrupted refresh said it stopped)')
    .option('--quiet', 'no progress output')
    .action(async (o: { catalog?: string; dryRun?: boolean; revalidate?: boolean; after?: string; quiet?: boolean }) => {
      const cfg = config();
      const services = await createServices(cfg, logger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel));
      try {
        const started = Date.now();
        const progress = !o.quiet && process.stderr.isTTY;
        // A refresh of a large store takes a while: an operator who stops it (Ctrl-C, a deployment's
        // SIGTERM) gets the batch under way written and is told where to go on.
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const run = async () => {
          const r = await refreshRecords(services.db, {
            catalogId: o.catalog,
            dryRun: o.dryRun,
            revalidate: o.revalidate,
            after: o.after,
            signal: stop.signal,
            onProgress: progress ? (p) => process.stderr.write(`\r${p.read} records read, ${p.changed} ${o.dryRun ? 'to write' : 'written'}`) : undefined,
          });
          // Set before the audit log reads it.
          if (r.failed.length > 0) process.exitCode = 1;
          return r;
        };
        // A dry run changes nothing, so it is not a change to account for.
        const r = o.dryRun ? await run() : await auditedCommand(services.db, ['refresh', ...(o.catalog ? ['--catalog', o.catalog] : []), ...(o.revalidate ? ['--revalidate'] : []), ...(o.after ? ['--after', o.after] : [])], run);
        if (progress) process.stderr.write('\n');
        // What changed is searchable when the command ends, with or without a running service.
        if (!o.dryRun) await services.reindexPending();
        const s = (Date.now() - started) / 1000;
        console.log(
          `${r.read} records read in ${s.toFixed(1)} s; ${r.changed} ${o.dryRun ? 'would be written' : 'written'} ` +
            `(JSON-LD ${r.json}, identity keys ${r.identityKeys}, validation reports ${r.validation}, canonical form ${r.canonical})` +
            (r.skipped > 0 ? `; ${r.skipped} changed by an ingest meanwhile, left as it wrote them` : '') +
            (r.failed.length > 0 ? `; ${r.failed.length} failed` : '') + '.',
        );
        for (const [profile, n] of Object.entries(r.unknownProfiles)) console.error(`  ${n} records were validated against "${profile}", which this version does not have: their reports are kept.`);
        for (const f of r.failed.slice(0, 20)) console.error(`  ${f.id}: ${f.error}`);
        if (r.failed.length > 20) console.error(`  … and ${r.failed.length - 20} more`);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        if (r.stopped) {
          const again = ['vindbaar refresh', ...(o.catalog ? ['--catalog', o.catalog] : []), ...(o.revalidate ? ['--revalidate'] : []), ...(o.dryRun ? ['--dry-run'] : [])];
          console.error(r.last ? `Stopped after record ${r.last}; to go on: ${again.join(' ')} --after '${r.last.replace(/'/g, "'\\''")}'` : 'Stopped before any record was read.');
          process.exitCode = 130;
        }
      } finally {
        await services.close();
      }
    });
}
