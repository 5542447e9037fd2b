// A Vindbaar server in its own process for bench/linked-data.ts, so that its peak RSS is its own.
// Usage: tsx bench/ld-server.ts <postgres url>. Prints {"url"} when listening; when stdin closes,
// prints {"peakRssMB"} and exits.
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { UNLIMITED } from './unlimited.js';
import { createServices } from '../src/app.js';
import { buildServer } from '../src/server.js';

const services = await createServices(
  loadConfig({ ...UNLIMITED, DATABASE_URL: process.argv[2], VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_WORKERS: '0', VINDBAAR_BASE_URL: 'http://bench.vindbaar.test' }),
  pino({ level: 'warn' }),
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
