// The link checker on 10,000 links (target: under a minute, at most 4 requests in flight per host),
// next to the peer way of checking: a bare HEAD per link (what checkers that "mark working links
// dead" do) at the same concurrency, the ceiling for speed. Both run against the same local web
// servers (test/support/link-server.ts): 20 hosts, 20 ms per answer, with the link mix of a real
// catalogue: most links plain, some on servers that refuse or mis-answer HEAD, some gone, some
// redirected, some failing once before they answer. The table shows time, links per second, the most
// requests any host had in flight, and how many working links each calls broken.
// Usage: tsx bench/link-check.ts [postgres-url]   (embedded store without one)
// BENCH_LINKS (default 10,000), BENCH_LINK_HOSTS (20), BENCH_LINK_DELAY_MS (20).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Agent, fetch } from 'undici';
import { createServices } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { HostGate } from '../src/net/host-gate.js';
import { startLinkServer, type LinkServer } from '../test/support/link-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.BENCH_LINKS ?? 10_000);
const HOSTS = Number(process.env.BENCH_LINK_HOSTS ?? 20);
const DELAY = Number(process.env.BENCH_LINK_DELAY_MS ?? 20);
const PER_HOST = 4;
const CONCURRENCY = 32;

/** The link mix: [path prefix, share, works?]. */
const MIX: [string, number, boolean][] = [
  ['/ok/', 0.8, true],
  ['/head-405/', 0.08, true],
  ['/head-404/', 0.04, true],
  ['/gone/', 0.05, false],
  ['/redirect/2?', 0.02, true],
  ['/flaky/', 0.01, true],
];

const servers: LinkServer[] = [];
for (let i = 0; i < HOSTS; i++) servers.push(await startLinkServer(DELAY));
const links: { url: string; works: boolean }[] = [];
for (let i = 0; i < N; i++) {
  let r = (i * 0.6180339887) % 1;
  const [prefix, , works] = MIX.find(([, share]) => (r -= share) < 0) ?? MIX[0];
  links.push({ url: `${servers[i % HOSTS].origin}${prefix}${i}`, works });
}
const shouldWork = new Map(links.map((l) => [l.url, l.works]));
const reset = () => servers.forEach((s) => Object.assign(s, { requests: 0, heads: 0, gets: 0, maxInFlight: 0 }));

// The peer: one HEAD per link, 2xx or not, same concurrency and per-host limit.
async function headOnly(): Promise<{ seconds: number; deadButWorking: number; requests: number }> {
  const agent = new Agent({ connections: PER_HOST });
  const gate = new HostGate(PER_HOST);
  let deadButWorking = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < links.length) {
        const l = links[next++];
        const release = await gate.acquire(new URL(l.url).host);
        try {
          const res = await fetch(l.url, { method: 'HEAD', dispatcher: agent, signal: AbortSignal.timeout(10_000) });
          await res.body?.cancel().catch(() => undefined);
          if ((res.status < 200 || res.status >= 400) && l.works) deadButWorking++;
        } catch {
          if (l.works) deadButWorking++;
        } finally {
          release();
        }
      }
    }),
  );
  await agent.close();
  return { seconds: (performance.now() - started) / 1000, deadButWorking, requests: servers.reduce((n, s) => n + s.requests, 0) };
}

const dir = mkdtempSync(join(tmpdir(), 'vb-links-bench-'));
const databaseUrl = process.argv[2];
const services = await createServices(
  loadConfig({
    VINDBAAR_DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    VINDBAAR_SAMPLE_DATA: 'false',
    VINDBAAR_LINK_CHECK_ALLOW: '127.0.0.0/8',
    VINDBAAR_LINK_CHECK_PER_HOST: String(PER_HOST),
    VINDBAAR_LINK_CHECK_CONCURRENCY: String(CONCURRENCY),
    VINDBAAR_LINK_CHECK_BACKOFF_MS: '200',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  }),
  pino({ level: 'silent' }),
);
try {
  await services.db.query('TRUNCATE links');
  await services.db.query('INSERT INTO links (url, host) SELECT u, split_part(split_part(u, $2, 2), $3, 1) FROM unnest($1::text[]) AS x(u)', [links.map((l) => l.url), '://', '/']);

  reset();
  const peer = await headOnly();
  const peerMax = Math.max(...servers.map((s) => s.maxInFlight));

  reset();
  const started = performance.now();
  const report = await services.links.runOnce();
  const seconds = (performance.now() - started) / 1000;
  const requests = servers.reduce((n, s) => n + s.requests, 0);
  const ourMax = Math.max(...servers.map((s) => s.maxInFlight));
  const states = await services.db.query<{ url: string; state: string }>('SELECT url, state FROM links');
  const deadButWorking = states.rows.filter((r) => r.state !== 'ok' && shouldWork.get(r.url)).length;
  const workingButDead = states.rows.filter((r) => r.state === 'ok' && !shouldWork.get(r.url)).length;

  const rows = [
    {
      system: 'Vindbaar link checker (HEAD, ranged GET fallback, retries, stored)',
      links: report.checked,
      seconds: +seconds.toFixed(1),
      'links/s': Math.round(report.checked / seconds),
      requests,
      'max in flight per host': ourMax,
      'working links called broken': deadButWorking,
      'broken links called working': workingButDead,
    },
    {
      system: 'HEAD only (peer practice), same concurrency, nothing stored',
      links: N,
      seconds: +peer.seconds.toFixed(1),
      'links/s': Math.round(N / peer.seconds),
      requests: peer.requests,
      'max in flight per host': peerMax,
      'working links called broken': peer.deadButWorking,
      'broken links called working': 0,
    },
  ];
  console.log(`\nLink checks: ${N} links on ${HOSTS} local hosts, ${DELAY} ms per answer, ${PER_HOST} per host, ${CONCURRENCY} at once; store ${services.db.driver}`);
  console.table(rows);
  mkdirSync(join(here, 'results'), { recursive: true });
  const file = join(here, 'results', `link-check-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, hosts: HOSTS, delayMs: DELAY, store: services.db.driver, rows }, null, 2)}\n`);
  console.log(`written ${file}`);
} finally {
  await services.close();
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
}
