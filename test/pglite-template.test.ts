// A new embedded database begins as a copy of the first cluster this machine initialised.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/store/db.js';
import { templatePath } from '../src/store/pglite-template.js';

describe('embedded databases begin from a kept cluster', () => {
  let cache: string;
  const saved = { dir: process.env.VINDBAAR_CACHE_DIR, off: process.env.VINDBAAR_PGLITE_TEMPLATE };
  beforeAll(() => {
    cache = mkdtempSync(join(tmpdir(), 'vb-cache-'));
    process.env.VINDBAAR_CACHE_DIR = cache;
    delete process.env.VINDBAAR_PGLITE_TEMPLATE;
  });
  afterAll(() => {
    for (const [k, v] of [['VINDBAAR_CACHE_DIR', saved.dir], ['VINDBAAR_PGLITE_TEMPLATE', saved.off]] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    rmSync(cache, { recursive: true, force: true });
  });

  const marked = async (dataDir: string) => {
    const db = await openDb({ dataDir });
    try {
      return (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'from_the_template'")).rows[0].n === 1;
    } finally {
      await db.close();
    }
  };

  it('keeps the first cluster it initialises, and starts the next new database from it, in memory or in a folder', async () => {
    const path = templatePath(['unaccent'])!;
    expect(path.startsWith(cache)).toBe(true);
    expect(existsSync(path)).toBe(false);
    // The first in a folder: kept without the lock of the process that had it open, which would
    // otherwise come along into the next database's folder in place of that process's own lock.
    const firstDir = mkdtempSync(join(tmpdir(), 'vb-new-'));
    const first = await openDb({ dataDir: firstDir });
    expect(existsSync(join(firstDir, 'vindbaar.lock'))).toBe(true);
    expect(existsSync(path)).toBe(true);
    const entries = execFileSync('tar', ['tzf', path], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n');
    expect(entries).toContain('/PG_VERSION');
    expect(entries.filter((e) => e.includes('vindbaar.lock'))).toEqual([]);
    await first.close();
    rmSync(firstDir, { recursive: true, force: true });
    // A cluster kept with a mark in it: a database that begins from it has the mark.
    const markedCluster = await (async () => {
      const { PGlite: P } = await import('@electric-sql/pglite');
      const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
      const db = await P.create('memory://', { extensions: { unaccent } });
      await db.exec('CREATE TABLE from_the_template (x int)');
      const tar = await db.dumpDataDir('gzip');
      await db.close();
      return new Uint8Array(await tar.arrayBuffer());
    })();
    writeFileSync(path, markedCluster);
    expect(await marked('memory://')).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'vb-new-'));
    expect(await marked(dir)).toBe(true);
    // A folder that holds a cluster already opens as it is.
    writeFileSync(path, 'not a cluster');
    expect(await marked(dir)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('initialises as before when the kept cluster is unusable, and keeps a good one instead', async () => {
    const path = templatePath(['unaccent'])!;
    writeFileSync(path, 'not a cluster');
    const dir = mkdtempSync(join(tmpdir(), 'vb-new-'));
    expect(await marked(dir)).toBe(false);
    // Nothing of the failed copy is left beside the database (only its own files and the lock's).
    expect(readdirSync(dir)).toContain('PG_VERSION');
    rmSync(dir, { recursive: true, force: true });
    // The good cluster is kept in its place, and a later new database begins from it.
    expect(readFileSync(path).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const db = await openDb({ dataDir: 'memory://' });
    expect((await db.query<{ x: number }>('SELECT 1 AS x')).rows).toEqual([{ x: 1 }]);
    await db.close();
  }, 120_000);

  it('can be turned off', async () => {
    process.env.VINDBAAR_PGLITE_TEMPLATE = 'false';
    try {
      expect(templatePath(['unaccent'])).toBeUndefined();
      const db = await openDb({ dataDir: 'memory://' });
      await db.close();
    } finally {
      delete process.env.VINDBAAR_PGLITE_TEMPLATE;
    }
  }, 120_000);
});
