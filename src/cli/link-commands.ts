// vindbaar links check: discover the records' links and check the ones that are due, now, in this
// process (`serve` and `worker` do the same on a schedule), then print what was found.
import type { Command } from 'commander';
import { logger } from '../log.js';
import type { Config } from '../config.js';
import { createServices } from '../app.js';
import { wholeNumber } from './arguments.js';

export function linkCommands(program: Command, config: () => Config): void {
  const links = program.command('links').description('link checks of access, download and endpoint URLs');
  links
    .command('check')
    .description('check the links that are due now (all new ones, and those whose re-check time has come)')
    .option('--max <n>', 'check at most this many links', wholeNumber(1))
    .option('--all', 'check every link now, due or not')
    .action(async (o: { max?: number; all?: boolean }) => {
      const cfg = config();
      const services = await createServices(cfg, logger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel));
      try {
        const started = Date.now();
        if (o.all) await services.db.query('UPDATE links SET next_check_at = now()');
        const r = await services.links.runOnce(o.max ?? Infinity);
        await services.reindexPending();
        const s = (Date.now() - started) / 1000;
        if (r.offline) {
          console.error('No host could be resolved or reached: the network seems down. Nothing was recorded.');
          process.exitCode = 1;
        }
        console.log(`Checked ${r.checked} links in ${s.toFixed(1)} s: ${r.ok} working, ${r.broken} broken, ${r.changed} changed state.`);
      } finally {
        await services.close();
      }
    });
}
