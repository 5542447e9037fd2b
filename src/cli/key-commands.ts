// vindbaar key create|list|revoke: API keys for administrators and for entity portals (publisher keys,
// scoped to one organisation). A key is printed once; only its hash is stored.
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { openDb } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { createKey, listKeys, revokeKey, type Role } from '../store/keys.js';
import { join } from 'node:path';
import { auditedCommand } from '../store/audit.js';

async function withDb<T>(config: Config, fn: (db: Awaited<ReturnType<typeof openDb>>) => Promise<T>): Promise<T> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

export function keyCommands(program: Command, config: () => Config): void {
  const key = program.command('key').description('API keys: create, list, revoke');
  key
    .command('create')
    .description('create an API key and print it (once)')
    .option('-r, --role <role>', 'admin or publisher', 'publisher')
    .option('-o, --org <organisation>', 'the organisation a publisher key acts for')
    .requiredOption('-l, --label <label>', 'what the key is for')
    .action(async (o: { role: string; org?: string; label: string }) => {
      if (o.role !== 'admin' && o.role !== 'publisher') {
        console.error('--role must be admin or publisher.');
        process.exit(2);
      }
      if (o.role === 'publisher' && !o.org) {
        console.error('A publisher key needs --org, the organisation it acts for.');
        process.exit(2);
      }
      const k = await withDb(config(), (db) =>
        auditedCommand(db, ['key', 'create', '--role', o.role, ...(o.org ? ['--org', o.org] : []), '--label', o.label], () => createKey(db, o.role as Role, o.label, o.role === 'publisher' ? o.org : undefined)),
      );
      console.log(k);
      console.error('Store this key now: it is not shown again.');
    });
  key
    .command('list')
    .description('list the keys (never their secrets)')
    .action(async () => {
      for (const k of await withDb(config(), listKeys))
        console.log(`${k.id.padEnd(14)} ${k.role.padEnd(9)} ${(k.organisation ?? '').padEnd(24)} ${k.label ?? ''}${k.revokedAt ? `  (revoked ${k.revokedAt.toISOString()})` : ''}`);
    });
  key
    .command('revoke <id>')
    .description('revoke a key')
    .action(async (id: string) => {
      await withDb(config(), (db) =>
        auditedCommand(db, ['key', 'revoke', id], async () => {
          if (!(await revokeKey(db, id))) {
            console.error(`No active key "${id}".`);
            process.exitCode = 2;
          } else console.log(`Revoked ${id}.`);
        }),
      );
    });
}
