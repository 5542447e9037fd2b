// One SQL interface over two drivers: `pg` against a Postgres server (DATABASE_URL) and PGlite
// embedded in the process (data in a folder). The rest of the store writes plain SQL against it.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lockDataDir } from './data-lock.js';
import { dropTemplate, isNewCluster, readTemplate, templatePath, writeTemplate } from './pglite-template.js';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface QueryOptions {
  /** Name of a prepared statement for a query run very often (the hot read paths): the server parses
   * and plans it once per connection. The name must always go with the same SQL text. */
  prepare?: string;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Bulk insert with COPY: the fastest way in, used for new records. Values are text (for text and
   * json columns), null, or a column's binary form already encoded (see binaryInt8, binaryTimestamp). */
  copyIn(table: string, columns: string[], rows: CopyValue[][]): Promise<void>;
}

export type CopyValue = string | null | Uint8Array;

/** The binary COPY form of a bigint. */
export function binaryInt8(n: bigint | number | string): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/** The binary COPY form of a timestamptz: microseconds since 2000-01-01 UTC. */
export function binaryTimestamp(d: Date): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(d.getTime() - PG_EPOCH_MS) * 1000n);
  return b;
}

const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const COPY_TRAILER = Buffer.from([0xff, 0xff]);
const COPY_CHUNK = 1 << 20;

/** COPY in binary format: each value is its UTF-8 bytes behind a length, so nothing is escaped
 * (text, varchar and json columns take their text as binary input). Values are written straight into
 * chunks of about 1 MB, each text's length filled in after it is written: measuring every text's
 * UTF-8 length first and copying rows together afterwards cost a tenth of an ingest's CPU. */
export function copyBinary(rows: CopyValue[][]): Buffer[] {
  const chunks: Buffer[] = [COPY_HEADER];
  let buf = Buffer.allocUnsafe(COPY_CHUNK);
  let at = 0;
  /** Room for n more bytes: the chunk so far is handed on and a new one begun when it is short. */
  const room = (n: number) => {
    if (at + n <= buf.length) return;
    if (at > 0) chunks.push(buf.subarray(0, at));
    buf = Buffer.allocUnsafe(Math.max(COPY_CHUNK, n));
    at = 0;
  };
  for (const row of rows) {
    room(2);
    at = buf.writeInt16BE(row.length, at);
    for (const v of row) {
      if (v === null) {
        room(4);
        at = buf.writeInt32BE(-1, at);
      } else if (typeof v === 'string') {
        // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, two units, takes 4).
        room(4 + v.length * 3);
        const n = buf.write(v, at + 4, 'utf8');
        buf.writeInt32BE(n, at);
        at += 4 + n;
      } else {
        room(4 + v.length);
        at = buf.writeInt32BE(v.length, at);
        buf.set(v, at);
        at += v.length;
      }
    }
  }
  if (at > 0) chunks.push(buf.subarray(0, at));
  chunks.push(COPY_TRAILER);
  return chunks;
}

function copySql(table: string, columns: string[], source: string): string {
  return `COPY ${table} (${columns.join(', ')}) FROM ${source} WITH (FORMAT binary)`;
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
  const { from: copyFrom } = await import('pg-copy-streams');
  const { pipeline } = await import('node:stream/promises');
  const { Readable } = await import('node:stream');
  // A server that cannot be reached within 10 s is down (the default waits for ever); keep-alive finds a
  // connection whose server went away without a word.
  const pool = new pg.Pool({ connectionString: url, max: 8, application_name: 'vindbaar', connectionTimeoutMillis: 10_000, keepAlive: true });
  type PgClient = InstanceType<typeof pg.Client>;
  const copyWith = async (client: PgClient, table: string, columns: string[], rows: CopyValue[][]) => {
    if (rows.length === 0) return;
    const stream = client.query(copyFrom(copySql(table, columns, 'STDIN')));
    await pipeline(Readable.from(copyBinary(rows)), stream);
  };
  pool.on('error', () => {
    /* idle client lost; the next query reconnects and reports */
  });
  const wrap = (c: PgClient | InstanceType<typeof pg.Pool>): Queryable => ({
    async query<T>(sql: string, params?: unknown[], options?: QueryOptions) {
      const r = options?.prepare ? await c.query({ name: options.prepare, text: sql, values: params }) : await c.query(sql, params);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
    async copyIn(table, columns, rows) {
      if (c instanceof pg.Pool) await withClient((client) => copyWith(client, table, columns, rows));
      else await copyWith(c, table, columns, rows);
    },
  });
  // A client checked out of the pool has no error listener of the pool's: a connection that dies between
  // two of its queries (the server killed or restarted mid-transaction) would emit an 'error' nobody
  // hears and end the process. It is heard here, the work in hand fails with it, and the broken client is
  // thrown away instead of going back to the pool.
  const withClient = async <T>(fn: (client: PgClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let lost: Error | undefined;
    const onError = (e: Error) => (lost = e);
    client.on('error', onError);
    try {
      const result = await fn(client);
      if (lost) throw lost;
      return result;
    } finally {
      client.removeListener('error', onError);
      client.release(lost);
    }
  };
  return {
    driver: 'pg',
    ...wrap(pool),
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await fn(wrap(client));
          await client.query('COMMIT');
          return result;
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      });
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  // unaccent: accent-insensitive full text (migration 024).
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const memory = dataDir.startsWith('memory://');
  if (!memory) mkdirSync(dataDir, { recursive: true });
  const unlock = memory ? () => undefined : lockDataDir(dataDir);
  // A small buffer pool keeps the embedded server's memory modest; the OS page cache does the rest.
  // Its files are read through that cache, where a random page costs about what the next one does:
  // with the default random_page_cost (4, for spinning disks) the planner scanned the whole search
  // table (500 MB at 100,000 records) rather than fetch the few thousand rows a word's index entry
  // names, and a common word took 170 ms instead of 19.
  const options = { postgresqlconf: 'shared_buffers = 32MB\nrandom_page_cost = 1.1', extensions: { unaccent } };
  // A new cluster begins as a copy of the first one this machine initialised (pglite-template.ts).
  const fresh = isNewCluster(dataDir);
  const template = fresh ? templatePath(Object.keys(options.extensions)) : undefined;
  const kept = readTemplate(template);
  const before = kept && !memory ? new Set(readdirSync(dataDir)) : undefined;
  const create = (loadDataDir?: Blob) => PGlite.create(dataDir, loadDataDir ? { ...options, loadDataDir } : options);
  let db: Awaited<ReturnType<typeof create>>;
  let initialised = !kept;
  try {
    db = await create(kept).catch(async (e: unknown) => {
      if (!kept) throw e;
      // Not a cluster this build opens: dropped, and whatever it left in the new folder with it.
      dropTemplate(template);
      if (before) for (const f of readdirSync(dataDir)) if (!before.has(f)) rmSync(join(dataDir, f), { recursive: true, force: true });
      initialised = true;
      return create();
    });
    // Kept for the next new database; a cluster that cannot be dumped only means it is not kept.
    if (fresh && initialised && template) await db.dumpDataDir('none').then((tar) => writeTemplate(template, tar), () => undefined);
  } catch (e) {
    unlock();
    throw e;
  }
  type Client = {
    query: (s: string, p?: unknown[], o?: { blob?: Blob }) => Promise<{ rows: unknown[]; affectedRows?: number }>;
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
    async copyIn(table, columns, rows) {
      // PGlite reads COPY data from a Blob handed over as /dev/blob.
      if (rows.length > 0) await c.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob(copyBinary(rows)) });
    },
  });
  return {
    driver: 'pglite',
    ...wrap(db),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => db.transaction((tx) => fn(wrap(tx as unknown as Client))) as Promise<T>,
    close: () => db.close().finally(unlock),
  };
}
