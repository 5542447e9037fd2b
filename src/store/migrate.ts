// Applies the numbered plain-SQL files in migrations/ that have not run yet, each in a transaction.
// Processes that start together after an upgrade (serve, workers, a migrate command) may all try: each
// transaction takes one advisory lock first and looks again, so every migration runs exactly once.
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** The advisory lock key of migrations (any constant the catalogue uses for nothing else). */
const LOCK = 7_238_411;

/** The database has migrations this code does not know: a newer version upgraded it. Running older code
 * on it could write what the newer schema no longer expects, so nothing is started. */
export class DatabaseNewerError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `The database was migrated by a newer version of Vindbaar (${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not known to this one). ` +
        'Run that version (or a newer one), or restore a backup made before the upgrade; nothing was changed.',
    );
    this.name = 'DatabaseNewerError';
  }
}

export async function migrate(db: Db, dir = DIR): Promise<string[]> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  const rows = (await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
  const done = new Set(rows.map((r) => r.version));
  const files = readdirSync(dir).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
  const known = new Set(files.map((f) => Number(f.split('_')[0])));
  const unknown = rows.filter((r) => !known.has(r.version)).map((r) => r.name);
  if (unknown.length > 0) throw new DatabaseNewerError(unknown);
  const applied: string[] = [];
  for (const file of files) {
    const version = Number(file.split('_')[0]);
    if (done.has(version)) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    const ran = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
      if ((await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version])).rows.length > 0) return false; // another process did
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, file]);
      return true;
    });
    if (ran) applied.push(file);
  }
  return applied;
}
