// A real Virtuoso (Debian `virtuoso-opensource`) for the SPARQL tests and benchmark: a throwaway database
// in a temporary folder, on free loopback ports, configured from the package's own virtuoso.ini, with
// the SPARQL user allowed to update (as Vindbaar's sync needs; see src/sparql/virtuoso.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres-server.js';
import { startServerProcess } from './server-process.js';

const PACKAGE_INI = '/etc/virtuoso-opensource-7/virtuoso.ini';

export interface VirtuosoServer {
  url: string;
  sqlPort: number;
  folder: string;
  stop(): Promise<void>;
}

/** The package's virtuoso.ini with our folder, ports and memory. */
function configure(folder: string, sqlPort: number, httpPort: number, buffers: number): string {
  const set: Record<string, Record<string, string>> = {
    '[Database]': {
      DatabaseFile: join(folder, 'virtuoso.db'),
      ErrorLogFile: join(folder, 'virtuoso.log'),
      LockFile: join(folder, 'virtuoso.lck'),
      TransactionFile: join(folder, 'virtuoso.trx'),
      xa_persistent_file: join(folder, 'virtuoso.pxa'),
    },
    '[TempDatabase]': { DatabaseFile: join(folder, 'virtuoso-temp.db'), TransactionFile: join(folder, 'virtuoso-temp.trx') },
    '[Parameters]': { ServerPort: `127.0.0.1:${sqlPort}`, DirsAllowed: `., ${folder}, /usr/share/virtuoso-opensource-7/vad`, NumberOfBuffers: String(buffers), MaxDirtyBuffers: String(Math.floor(buffers * 0.75)) },
    '[HTTPServer]': { ServerPort: `127.0.0.1:${httpPort}` },
  };
  let section = '';
  return readFileSync(PACKAGE_INI, 'utf8')
    .split('\n')
    .map((line) => {
      const t = line.trim();
      if (t.startsWith('[')) section = t;
      const m = /^([A-Za-z_]+)\s*=/.exec(t);
      const value = m ? set[section]?.[m[1]] : undefined;
      return value === undefined ? line : `${m![1]} = ${value}`;
    })
    .join('\n');
}

export async function startVirtuoso(options: { buffers?: number } = {}): Promise<VirtuosoServer> {
  if (!existsSync(PACKAGE_INI) || spawnSync('virtuoso-t', ['-?']).error) throw new Error('Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)');
  const folder = mkdtempSync(join(tmpdir(), 'vindbaar-virtuoso-'));
  const [sqlPort, httpPort] = [await freePort(), await freePort()];
  const ini = join(folder, 'virtuoso.ini');
  writeFileSync(ini, configure(folder, sqlPort, httpPort, options.buffers ?? 20_000));
  const url = `http://127.0.0.1:${httpPort}`;
  const child = await startServerProcess('virtuoso', 'virtuoso-t', ['+foreground', '+configfile', ini], `${url}/sparql?query=ASK%7B%7D`, { timeoutMs: 60_000, cwd: folder });
  const grant = spawnSync('isql-vt', [String(sqlPort), 'dba', 'dba', 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'], { encoding: 'utf8' });
  if (grant.status !== 0) throw new Error(`isql-vt could not grant SPARQL_UPDATE: ${grant.stdout}${grant.stderr}`);
  return {
    url,
    sqlPort,
    folder,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The server for a test suite, or undefined (the suite skips) unless VINDBAAR_REQUIRE_SERVICES=1. */
export async function virtuosoForTests(): Promise<VirtuosoServer | undefined> {
  try {
    return await startVirtuoso();
  } catch (e) {
    const message = (e as Error).message;
    if (process.env.VINDBAAR_REQUIRE_SERVICES === '1') throw new Error(`VINDBAAR_REQUIRE_SERVICES=1 but Virtuoso could not be started: ${message}`);
    console.warn(`[vindbaar tests] Virtuoso could not be started, its SPARQL suite is skipped: ${message}`);
    return undefined;
  }
}
