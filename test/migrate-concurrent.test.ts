// Processes that start together on a fresh or upgraded database (serve, workers, a migrate command) all
// run the migrations: each migration runs once, and none of them fails.
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { openDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { createDatabase } from './support/postgres-server.js';

const pgUrl = inject('pgUrl');

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
