// A new embedded database starts as a copy of a freshly initialised one. PGlite initialises a cluster
// (initdb: the system catalogues, collations, text search dictionaries) in WebAssembly, which costs
// 4-6 CPU-seconds on a small machine, each time a data folder is new; unpacking the same cluster from
// a tarball takes under one. The first cluster this machine initialises is kept for that (about 5 MB,
// gzip) in the user's cache, per PGlite version and extension set, and every later new database (a
// second instance, a restore into a new folder, each test's throwaway store) begins from it.
// Anything wrong with the cache (absent, unwritable, unreadable, from another build) means only that
// the cluster is initialised as before.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';

/** Where the cluster is kept: VINDBAAR_CACHE_DIR, else the user's cache (the system's for root). */
function cacheDir(): string {
  if (process.env.VINDBAAR_CACHE_DIR) return join(process.env.VINDBAAR_CACHE_DIR, 'pglite');
  const user = process.getuid?.() === 0 ? '/var/cache' : (process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'));
  return join(user, 'vindbaar', 'pglite');
}

let version: string | undefined;
/** The PGlite build in use: a cluster of another build may not open in this one. */
function pgliteVersion(): string {
  if (version === undefined) {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    // .../node_modules/@electric-sql/pglite/dist/index.cjs → the package's own package.json
    const pkg = JSON.parse(readFileSync(join(dirname(dirname(entry)), 'package.json'), 'utf8')) as { version?: string };
    version = pkg.version ?? 'unknown';
  }
  return version;
}

/** The file a fresh cluster with these extensions is kept in, or undefined when caching is off. */
export function templatePath(extensions: string[]): string | undefined {
  if (process.env.VINDBAAR_PGLITE_TEMPLATE === 'false') return undefined;
  try {
    return join(cacheDir(), `cluster-v2-${pgliteVersion()}-${[...extensions].sort().join('+') || 'plain'}.tar.gz`);
  } catch {
    return undefined;
  }
}

/** Whether `dataDir` holds no cluster yet (a new folder, or memory://): only then does a template apply. */
export function isNewCluster(dataDir: string): boolean {
  return dataDir.startsWith('memory://') || !existsSync(join(dataDir, 'PG_VERSION'));
}

/** The kept cluster, if there is one. */
export function readTemplate(path: string | undefined): Blob | undefined {
  if (!path) return undefined;
  try {
    return new Blob([readFileSync(path)]);
  } catch {
    return undefined;
  }
}

/** Files of a data folder that are not the cluster's: the lock of the process that has it open
 * (data-lock.ts). A copy of it in the kept cluster would replace the lock of the next process that
 * begins from it, and let a second process in. */
const NOT_THE_CLUSTER = new Set(['vindbaar.lock']);

/**
 * Keeps a freshly initialised cluster, given as PGlite dumps it (an uncompressed tar), without the
 * files that are not the cluster's; written whole under another name, then renamed, so that processes
 * that start together never read half of it.
 */
export async function writeTemplate(path: string | undefined, tarball: Blob): Promise<void> {
  if (!path) return;
  try {
    const tar = clusterOnly(new Uint8Array(await tarball.arrayBuffer()));
    mkdirSync(dirname(path), { recursive: true });
    const part = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
    writeFileSync(part, gzipSync(tar, { level: 1 }));
    renameSync(part, path);
  } catch {
    // Only slower next time.
  }
}

/** The tar without the entries NOT_THE_CLUSTER names (ustar: 512-byte headers, data padded to 512). */
export function clusterOnly(tar: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [];
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from: number, length: number) => Buffer.from(header.subarray(from, from + length)).toString('latin1').replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const end = at + 512 + Math.ceil(size / 512) * 512;
    const prefix = text(345, 155);
    const name = `${prefix ? `${prefix}/` : ''}${text(0, 100)}`.replace(/^\/+/, '');
    if (!NOT_THE_CLUSTER.has(name)) kept.push(tar.subarray(at, end));
    at = end;
  }
  kept.push(new Uint8Array(1024));
  return Buffer.concat(kept);
}

/** A kept cluster that would not open is dropped, so that the next start initialises and keeps a new one. */
export function dropTemplate(path: string | undefined): void {
  if (path) rmSync(path, { force: true });
}
