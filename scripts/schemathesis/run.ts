// Schemathesis (PyPI, in a virtualenv cached outside the repository) against the OpenAPI document of a
// freshly started embedded Vindbaar with the sample catalogue: every operation, generated requests,
// all checks (no 5xx, responses that match their schemas, status codes and content types the document
// declares). Keyed routes get the administrator key. Exit status: schemathesis's.
// Usage: npx tsx scripts/schemathesis/run.ts [--max-examples N] [other schemathesis options]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonVenv } from '../../test/support/python-venv.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const python = pythonVenv('schemathesis', join(here, 'requirements.txt'));
const dir = mkdtempSync(join(tmpdir(), 'vb-schemathesis-'));
const key = 'schemathesis-admin-key-0123456789abcdef';
const port = 3900 + Math.floor(Math.random() * 90);
const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), 'serve'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: key, VINDBAAR_LINK_CHECK: 'false', LOG_LEVEL: 'error', VINDBAAR_FEEDBACK_PER_ADDRESS: '10000' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
let exited = false;
server.once('exit', () => (exited = true));
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
const args = process.argv.slice(2);
// Through the module: the venv's console scripts name the interpreter by the folder it was built in.
const r = spawnSync(
  python,
  ['-m', 'schemathesis.cli', 'run', `${base}/openapi.json`, '--checks', 'all', '-H', `Authorization: Bearer ${key}`, '--max-examples', '25', '--workers', '1', ...args],
  { stdio: 'inherit', timeout: 3_600_000 },
);
if (r.error) console.error(`schemathesis did not run: ${r.error.message}`);
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });
process.exit(r.status ?? 1);
