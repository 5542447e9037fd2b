// vindbaar key create|list|rotate|revoke: API keys for administrators and for entity portals (publisher
// keys, scoped to one organisation). A key is printed once; only its hash is stored.
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { openDb } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { createKey, listKeys, revokeKey, rotateKey, type KeyInfo, type Role } from '../store/keys.js';
import { wholeNumber } from './arguments.js';
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

/** Whether a key works now, and until when: a rotated key's grace runs out, and then it is refused. */
function keyState(k: KeyInfo, now = Date.now()): string {
  if (k.revokedAt) return `  (revoked ${k.revokedAt.toISOString()})`;
  if (k.expiresAt) return `  (${k.expiresAt.getTime() <= now ? 'expired' : 'expires'} ${k.expiresAt.toISOString()})`;
  return '';
}

export function keyCommands(program: Command, config: () => Config): void {
  const key = program.command('key').description('API keys: create, list, rotate, revoke');
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
        console.log(`${k.id.padEnd(14)} ${k.role.padEnd(9)} ${(k.organisation ?? '').padEnd(24)} ${k.label ?? ''}${keyState(k)}`);
    });
  key
    .command('rotate <id>')
    .description("a new key for the same role, organisation and label (printed once); the old one keeps working --grace-hours more")
    .option('--grace-hours <n>', 'hours the old key keeps working, 0 to 168', wholeNumber(0), 24)
    .action(async (id: string, o: { graceHours: number }) => {
      if (o.graceHours > 168) {
        console.error('--grace-hours must be from 0 to 168.');
        process.exit(2);
      }
      const rotated = await withDb(config(), (db) =>
        auditedCommand(db, ['key', 'rotate', id, '--grace-hours', String(o.graceHours)], async () => {
          const key = await rotateKey(db, id, o.graceHours * 3600);
          if (!key) process.exitCode = 2;
          // When each key ends, as stored: the old one's grace is cut to the end it already had.
          const keys = await listKeys(db);
          return key ? { key, old: keys.find((k) => k.id === id), new: keys.find((k) => key.startsWith(`vb_${k.prefix}_`)) } : undefined;
        }),
      );
      if (!rotated) {
        console.error(`No active key "${id}".`);
        return;
      }
      console.log(rotated.key);
      const end = rotated.old?.expiresAt;
      console.error(
        `Store this key now: it is not shown again. ${id} ${end && end.getTime() > Date.now() ? `works until ${end.toISOString()}` : 'no longer works'} ` +
          `(a running service may accept it a minute longer: keys are cached)${rotated.new?.expiresAt ? `; the new key ends ${rotated.new.expiresAt.toISOString()}, as ${id} would have` : ''}.`,
      );
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
