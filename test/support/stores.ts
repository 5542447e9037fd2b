// The two store drivers the suites run against: embedded PGlite, and the real Postgres server that
// the global setup started (skipped with a message when there is none and it is not required).
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { createDatabase } from './postgres-server.js';

export interface StoreKind {
  name: 'pglite' | 'postgres';
  available: boolean;
  open(): Promise<Db>;
}

const pgUrl = inject('pgUrl');
if (!pgUrl) console.warn(`[vindbaar tests] no Postgres server (${inject('pgProblem') || 'not started'}): postgres suites are skipped`);

export const STORES: StoreKind[] = [
  { name: 'pglite', available: true, open: () => openMigrated({ dataDir: 'memory://' }) },
  {
    name: 'postgres',
    available: !!pgUrl,
    open: async () => openMigrated({ databaseUrl: await createDatabase(pgUrl, `t_${randomBytes(6).toString('hex')}`) }),
  },
];

async function openMigrated(options: Parameters<typeof openDb>[0]): Promise<Db> {
  const db = await openDb(options);
  await migrate(db);
  return db;
}
