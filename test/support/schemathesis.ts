// Schemathesis (PyPI, in a virtualenv cached outside the repository) against the OpenAPI document of a
// freshly started embedded Vindbaar with the sample catalogue. Keyed routes get the administrator key.
// Used by `npm run fuzz` (scripts/schemathesis/run.ts) and by test/schemathesis.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonVenv } from './python-venv.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface SchemathesisRun {
  status: number;
  output: string;
  /** "N generated" from schemathesis's summary. */
  generated?: number;
  operations?: number;
}

/** Starts the service, runs `schemathesis run` with `args` against it, stops the service. */
export async function runSchemathesis(args: string[], options: { echo?: boolean } = {}): Promise<SchemathesisRun> {
  const python = pythonVenv('schemathesis', join(root, 'scripts/schemathesis/requirements.txt'));
  const dir = mkdtempSync(join(tmpdir(), 'vb-schemathesis-'));
  const key = 'schemathesis-admin-key-0123456789abcdef';
  const port = 3900 + Math.floor(Math.random() * 90);
  const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: key, VINDBAAR_LINK_CHECK: 'false', LOG_LEVEL: 'error', VINDBAAR_FEEDBACK_PER_ADDRESS: '10000', VINDBAAR_RATE_LIMIT_PER_ADDRESS: '0', VINDBAAR_RATE_LIMIT_PER_KEY: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  server.once('exit', () => (exited = true));
  try {
    for (let i = 0; ; i++) {
      if (exited) throw new Error('the server stopped before it answered');
      try {
        if ((await fetch(`${base}/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 600) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Through the module: the venv's console scripts name the interpreter by the folder it was built in.
    const r = spawnSync(python, ['-m', 'schemathesis.cli', 'run', `${base}/openapi.json`, '-H', `Authorization: Bearer ${key}`, '--workers', '1', ...args], {
      encoding: 'utf8',
      timeout: 3_600_000,
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
      // Its example cache (.schemathesis, .hypothesis) goes with the run, not into the working tree.
      cwd: dir,
    });
    if (r.error) throw new Error(`schemathesis did not run: ${r.error.message}`);
    const output = `${r.stdout}${r.stderr}`;
    if (options.echo) process.stdout.write(output);
    const generated = /(\d+) generated/.exec(output)?.[1];
    const operations = /Tested: (\d+)/.exec(output)?.[1];
    return { status: r.status ?? 1, output, generated: generated ? Number(generated) : undefined, operations: operations ? Number(operations) : undefined };
  } finally {
    server.kill('SIGTERM');
    if (!exited) await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
