// Python virtualenvs for the real clients and servers the tests run (pycsw, rdflib, pySHACL), installed
// from PyPI with pinned requirements and cached outside the repository.
//
// A virtualenv is made once per requirements file and Python version: built under a temporary name and
// renamed into place when complete, so that an interrupted install is never taken for a finished one.
// When it cannot be made (no Python, no venv module, no access to PyPI) the error says why; suites then
// skip, unless VINDBAAR_REQUIRE_SERVICES=1.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function venvCacheDir(name: string): string {
  if (process.env.VINDBAAR_CACHE_DIR) return join(process.env.VINDBAAR_CACHE_DIR, name);
  return process.getuid?.() === 0 ? `/var/cache/vindbaar/${name}` : join(homedir(), '.cache', 'vindbaar', name);
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function run(cmd: string, args: string[], what: string, timeout = 900_000, input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout, input, maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw new Error(`${what}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${what} (exit ${r.status ?? r.signal}): ${tail(`${r.stdout}\n${r.stderr}`, 15)}`);
  return r.stdout;
}

/** The python of the virtualenv `name` with the packages of `requirements`, made if it is not there yet. */
export function pythonVenv(name: string, requirements: string): string {
  const python = process.env.VINDBAAR_PYTHON ?? 'python3';
  const version = run(python, ['-c', 'import sys; print(sys.version)'], `Python 3 is needed for ${name} (set VINDBAAR_PYTHON to another interpreter)`).trim();
  const key = createHash('sha256').update(readFileSync(requirements)).update(version).digest('hex').slice(0, 16);
  const cache = venvCacheDir(name);
  const venv = join(cache, `venv-${key}`);
  const venvPython = join(venv, 'bin', 'python');
  if (existsSync(venvPython)) return venvPython;
  mkdirSync(cache, { recursive: true });
  const building = mkdtempSync(join(cache, `building-${key}-`));
  try {
    run(python, ['-m', 'venv', building], `could not create a Python virtualenv with ${python} (${version.split(' ')[0]}); on Debian: apt-get install python3-venv`);
    run(
      join(building, 'bin', 'python'),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '-r', requirements],
      `could not install ${name} from PyPI into ${building} (requirements: ${requirements})`,
    );
    // The scripts pip wrote name the temporary path; the tests start python itself, which does not care.
    try {
      renameSync(building, venv);
    } catch (e) {
      // Another process finished first: its environment is as good as this one.
      if (!existsSync(venvPython)) throw e;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return venvPython;
}
