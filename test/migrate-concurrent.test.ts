// Processes that start together on a fresh or upgraded database (serve, workers, a migrate command) all
// run the migrations: each migration runs once, and none of them fails. A database a newer version
// migrated is refused.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { openDb } from '../src/store/db.js';
import { DatabaseNewerError, migrate } from '../src/store/migrate.js';
import { createDatabase } from './support/postgres-server.js';

const pgUrl = inject('pgUrl');
const run = promisify(execFile);
const CLI = ['--import', 'tsx', join(import.meta.dirname, '../src/cli.ts')];

describe.skipIf(!pgUrl)('migrations run by several processes at once', () => {
  it('apply each migration exactly once, and every caller ends up on the same schema', async () => {
    const url = await createDatabase(pgUrl, `t_mig_${randomBytes(4).toString('hex')}`);
    const dbs = await Promise.all([1, 2, 3].map(() => openDb({ databaseUrl: url })));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      const all = applied.flat();
      expect(all.length).toBeGreaterThan(20);
      expect(new Set(all).size).toBe(all.length);
      const rows = await dbs[0].query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows.rows[0].n).toBe(all.length);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  }, 120_000);
});

describe('a database migrated by a newer version', () => {
  it('is refused, naming the migrations this version does not know, and nothing is changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vindbaar-newer-'));
    const env = { ...process.env, VINDBAAR_DATA_DIR: dir, DATABASE_URL: '', VINDBAAR_SAMPLE_DATA: 'false' };
    try {
      await run(process.execPath, [...CLI, 'migrate'], { env });
      const db = await openDb({ dataDir: join(dir, 'pglite') });
      await db.query("INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_from_a_newer_version.sql')");
      const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n;
      await expect(migrate(db)).rejects.toBeInstanceOf(DatabaseNewerError);
      await db.close();
      for (const command of [['migrate'], ['source', 'list']]) {
        const r = await run(process.execPath, [...CLI, ...command], { env }).catch((e: { code: number; stderr: string }) => e);
        expect((r as { code: number }).code, command.join(' ')).toBe(1);
        const err = (r as { stderr: string }).stderr;
        expect(err).toContain('migrated by a newer version of Vindbaar (9999_from_a_newer_version.sql is not known to this one)');
        expect(err).not.toMatch(/\n\s+at /);
      }
      const again = await openDb({ dataDir: join(dir, 'pglite') });
      expect((await again.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n).toBe(before);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
