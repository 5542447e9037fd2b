// The embedded store is opened by one process at a time: a second one (a CLI command while the service
// runs) is refused with a message that says what to do, and a lock left by a process that is gone is
// taken over.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src/store/db.js';

const cli = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...process.env, VINDBAAR_DATA_DIR: dir, DATABASE_URL: '', VINDBAAR_SAMPLE_DATA: 'false', LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 60_000 });

describe('the embedded data folder', () => {
  it('refuses a second process while one has it open, naming that process, and lets go on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-lock-'));
    try {
      // Where the service keeps it: <VINDBAAR_DATA_DIR>/pglite.
      const db = await openDb({ dataDir: join(dir, 'pglite') });
      const refused = cli(dir, 'migrate');
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain(`in use by process ${process.pid}`);
      expect(refused.stderr).toContain('DATABASE_URL');
      expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace
      await db.close();
      expect(existsSync(join(dir, 'pglite', 'vindbaar.lock'))).toBe(false);
      expect(cli(dir, 'migrate').status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('takes over a lock left by a process that is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-lock-'));
    try {
      const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      writeFileSync(join(dir, 'vindbaar.lock'), JSON.stringify({ pid: Number(gone.stdout), command: 'serve' }));
      const db = await openDb({ dataDir: dir });
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
