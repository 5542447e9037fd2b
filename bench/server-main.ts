// A Vindbaar server in its own process, as `vindbaar serve` runs it, for the benchmarks that put load
// on it: its CPU and peak RSS are its own, not shared with the load generator.
// Usage: tsx bench/server-main.ts <postgres url>; BENCH_SERVER_ENV (JSON) adds configuration, e.g.
// Elasticsearch's URL. Prints {"url"} when listening; when stdin closes, prints {"peakRssMB"} and exits.
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { UNLIMITED } from './unlimited.js';
import { createServices } from '../src/app.js';
import { buildServer } from '../src/server.js';

const extra = JSON.parse(process.env.BENCH_SERVER_ENV ?? '{}') as Record<string, string>;
const services = await createServices(
  loadConfig({ ...UNLIMITED, DATABASE_URL: process.argv[2], VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_WORKERS: '0', VINDBAAR_BASE_URL: 'http://bench.vindbaar.test', ...extra }),
  // Logs go to stderr: stdout carries the lines the parent reads.
  pino({ level: 'warn' }, pino.destination(2)),
);
const app = await buildServer(services);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ url: address }));
process.stdin.resume();
process.stdin.on('end', async () => {
  await app.close();
  await services.close();
  console.log(JSON.stringify({ peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
  process.exit(0);
});
