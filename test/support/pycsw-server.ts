// A real CSW 2.0.2 server for the harvest tests: pycsw (from PyPI, pinned in pycsw/requirements.txt) in a
// Python virtualenv cached outside the repository, serving ISO 19139 records from a throwaway SQLite
// repository on a free loopback port (pycsw/serve.py loads them with pycsw's own loader).
//
// The virtualenv: see python-venv.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonVenv, tail } from './python-venv.js';

const HERE = join(dirname(fileURLToPath(import.meta.url)), 'pycsw');
const REQUIREMENTS = join(HERE, 'requirements.txt');
const SERVE = join(HERE, 'serve.py');

export interface PycswServer {
  /** The CSW endpoint. */
  url: string;
  /** Records in the repository (files whose identifier was already loaded are not among them). */
  records: number;
  stop(): Promise<void>;
}

/** The python of the virtualenv with pycsw, made if it is not there yet. */
export function installPycsw(): string {
  return pythonVenv('pycsw', REQUIREMENTS);
}

/**
 * Starts pycsw serving the given ISO 19139 files (copied to a temporary folder first; the originals are
 * not touched). Files are loaded in name order; the copy is named `<prefix>-<file name>` with the name
 * of the file's folder as prefix, since record files are often all called the same.
 */
export async function startPycsw(files: string[], options: { startupMs?: number } = {}): Promise<PycswServer> {
  const python = installPycsw();
  const work = mkdtempSync(join(tmpdir(), 'vindbaar-pycsw-'));
  const records = join(work, 'records');
  mkdirSync(records);
  for (const f of files) copyFileSync(f, join(records, `${basename(dirname(f))}-${basename(f)}`));
  const child = spawn(python, [SERVE, work, records], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const cleanup = () => rmSync(work, { recursive: true, force: true });
  let ready: { url: string; records: number };
  try {
    ready = await firstLine(child, options.startupMs ?? 120_000, () => stderr);
  } catch (e) {
    await kill(child);
    cleanup();
    throw e;
  }
  return {
    url: ready.url,
    records: ready.records,
    async stop() {
      await kill(child);
      cleanup();
    },
  };
}

function firstLine(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<{ url: string; records: number }> {
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`pycsw did not start: ${why}${stderr() ? `\n${tail(stderr(), 20)}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (e) => fail(e.message));
    child.once('exit', (code, signal) => fail(`it exited (${code ?? signal})`));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      try {
        resolve(JSON.parse(out.slice(0, nl)) as { url: string; records: number });
      } catch {
        reject(new Error(`pycsw said something unexpected: ${out.slice(0, 200)}`));
      }
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * pycsw for a test suite, or undefined (with a message) when it cannot be had, so that the suite skips;
 * with VINDBAAR_REQUIRE_SERVICES=1 the problem is thrown instead.
 */
export async function pycswForTests(files: string[]): Promise<PycswServer | undefined> {
  try {
    return await startPycsw(files);
  } catch (e) {
    const message = (e as Error).message;
    if (process.env.VINDBAAR_REQUIRE_SERVICES === '1') throw new Error(`VINDBAAR_REQUIRE_SERVICES=1 but pycsw could not be started: ${message}`);
    console.warn(`[vindbaar tests] pycsw could not be started, the CSW suite is skipped: ${message}`);
    return undefined;
  }
}
