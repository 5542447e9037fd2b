// One SQL interface over two drivers: `pg` against a Postgres server (DATABASE_URL) and PGlite
// embedded in the process (data in a folder). The rest of the store writes plain SQL against it.
import { mkdirSync } from 'node:fs';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly driver: 'pg' | 'pglite';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** Postgres connection string; absent means embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data folder; "memory://" for a throwaway in-memory database. */
  dataDir?: string;
}

export async function openDb(options: DbOptions): Promise<Db> {
  return options.databaseUrl ? openPg(options.databaseUrl) : openPglite(options.dataDir ?? './data/pglite');
}

async function openPg(url: string): Promise<Db> {
  const pg = (await import('pg')).default;
  // Return bigint counts and ids as numbers are not needed; timestamps stay Date objects.
  const pool = new pg.Pool({ connectionString: url, max: 8, application_name: 'vindbaar' });
  pool.on('error', () => {
    /* idle client lost; the next query reconnects and reports */
  });
  const wrap = (c: { query: (s: string, p?: unknown[]) => Promise<{ rows: unknown[]; rowCount: number | null }> }): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const r = await c.query(sql, params);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  return {
    driver: 'pg',
    ...wrap(pool),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  type Client = {
    query: (s: string, p?: unknown[]) => Promise<{ rows: unknown[]; affectedRows?: number }>;
    exec: (s: string) => Promise<unknown>;
  };
  const wrap = (c: Client): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const r = await c.query(sql, params);
      return { rows: r.rows as T[], rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string) {
      await c.exec(sql);
    },
  });
  return {
    driver: 'pglite',
    ...wrap(db),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => db.transaction((tx) => fn(wrap(tx as unknown as Client))) as Promise<T>,
    close: () => db.close(),
  };
}
