// A real Oxigraph server for the SPARQL tests and benchmark: the `oxigraph` program from PyPI (pinned in
// oxigraph/requirements.txt) in a cached virtualenv, serving a throwaway store on a free loopback port,
// with a query time limit, as a deployment runs it (the union default graph is asked per query).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonVenv } from './python-venv.js';
import { freePort } from './postgres-server.js';
import { startServerProcess } from './server-process.js';

const REQUIREMENTS = join(dirname(fileURLToPath(import.meta.url)), 'oxigraph', 'requirements.txt');

export interface OxigraphServer {
  url: string;
  /** The data folder (for `oxigraph load`). */
  location: string;
  binary: string;
  stop(): Promise<void>;
}

export function oxigraphBinary(): string {
  return join(dirname(pythonVenv('oxigraph', REQUIREMENTS)), 'oxigraph');
}

export async function startOxigraph(options: { timeoutSeconds?: number; location?: string } = {}): Promise<OxigraphServer> {
  const binary = oxigraphBinary();
  const location = options.location ?? mkdtempSync(join(tmpdir(), 'vindbaar-oxigraph-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startServerProcess(
    'oxigraph',
    binary,
    ['serve', '--location', location, '--bind', `127.0.0.1:${port}`, '--timeout-s', String(options.timeoutSeconds ?? 10)],
    `${url}/query?query=ASK%7B%7D`,
    { timeoutMs: 30_000 },
  );
  return {
    url,
    location,
    binary,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (!options.location) rmSync(location, { recursive: true, force: true });
    },
  };
}

/** The server for a test suite, or undefined (the suite skips) unless VINDBAAR_REQUIRE_SERVICES=1. */
export async function oxigraphForTests(options: { timeoutSeconds?: number } = {}): Promise<OxigraphServer | undefined> {
  try {
    return await startOxigraph(options);
  } catch (e) {
    const message = (e as Error).message;
    if (process.env.VINDBAAR_REQUIRE_SERVICES === '1') throw new Error(`VINDBAAR_REQUIRE_SERVICES=1 but the Oxigraph server could not be started: ${message}`);
    console.warn(`[vindbaar tests] the Oxigraph server could not be started, its SPARQL suite is skipped: ${message}`);
    return undefined;
  }
}
