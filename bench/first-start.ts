// The first start as the README gives it (`npm start` on a fresh clone, after `npm ci`): seconds until
// the embedded service answers a search of the sample catalogue with results, and the same for a start
// on the data the first one left (migrations and the sample already there). Each start is a process of
// its own with a fresh port; the data directory of the first is new.
// Usage: tsx bench/first-start.ts [runs]   (BENCH_START_RUNS, default 3)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const runs = Number(process.argv[2] ?? process.env.BENCH_START_RUNS ?? 3);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts `npm start` on `dir` and returns the seconds until a search finds sample datasets. */
async function start(dir: string): Promise<{ seconds: number; total: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', VINDBAAR_DATA_DIR: dir, DATABASE_URL: '', ELASTICSEARCH_URL: '', VINDBAAR_LINK_CHECK: 'false', VINDBAAR_ADMIN_KEY: 'bench-admin-key-0123456789abcdef' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start ended (${child.exitCode}): ${stderr}`);
      if (performance.now() - started > 120_000) throw new Error(`no search answer after 120 s: ${stderr}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/search?q=werk&limit=1`);
        if (r.ok) {
          const total = ((await r.json()) as { totalItems: number }).totalItems;
          if (total > 0) return { seconds: (performance.now() - started) / 1000, total };
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const rows: { run: number; start: string; seconds: number; hits: number }[] = [];
for (let i = 1; i <= runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'vb-first-start-'));
  try {
    const first = await start(dir);
    rows.push({ run: i, start: 'first (new data directory, sample loaded)', seconds: +first.seconds.toFixed(2), hits: first.total });
    const again = await start(dir);
    rows.push({ run: i, start: 'again (same data directory)', seconds: +again.seconds.toFixed(2), hits: again.total });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.table(rows);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = {
  first: median(rows.filter((r) => r.start.startsWith('first')).map((r) => r.seconds)),
  again: median(rows.filter((r) => r.start.startsWith('again')).map((r) => r.seconds)),
};
console.log(`npm start until a search answers with sample results: first start ${summary.first} s, later starts ${summary.again} s (medians of ${runs})`);
const resultsDir = join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `first-start-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, summary }, null, 2));
console.log(`written ${file}`);
