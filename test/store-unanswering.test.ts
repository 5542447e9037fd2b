// A Postgres that takes connections but never answers (a hung server, a network that drops packets):
// /ready says 503 within seconds instead of hanging, and requests that need the store answer 503 with
// Retry-After rather than 500. The server is real; a TCP relay in front of it stops relaying.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServices, type Services } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { buildServer } from '../src/server.js';
import { createDatabase } from './support/postgres-server.js';

const pgUrl = inject('pgUrl');

describe.skipIf(!pgUrl)('a store that stops answering', () => {
  let relay: Server;
  let silent = false;
  const sockets: Socket[] = [];
  let services: Services;
  let app: FastifyInstance;
  let dir: string;

  beforeAll(async () => {
    const target = new URL(await createDatabase(pgUrl, `t_hang_${randomBytes(4).toString('hex')}`));
    relay = createServer((client) => {
      sockets.push(client);
      client.on('error', () => undefined);
      if (silent) return; // accepted, never answered
      const upstream = connect(Number(target.port), target.hostname);
      sockets.push(upstream);
      upstream.on('error', () => undefined);
      client.on('data', (d) => void (silent || upstream.write(d)));
      upstream.on('data', (d) => void (silent || client.write(d)));
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const port = (relay.address() as { port: number }).port;
    const url = `postgresql://${target.username}@127.0.0.1:${port}${target.pathname}`;
    dir = mkdtempSync(join(tmpdir(), 'vb-hang-'));
    services = await createServices(loadConfig({ DATABASE_URL: url, VINDBAAR_DATA_DIR: dir, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_LINK_CHECK: 'false', LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));
    app = await buildServer(services);
  }, 60_000);

  afterAll(async () => {
    silent = false;
    for (const s of sockets) s.destroy();
    await app?.close();
    await Promise.race([services?.close(), new Promise((r) => setTimeout(r, 2_000))]);
    relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/ready answers 503 within seconds, and a read answers 503 with Retry-After', async () => {
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
    silent = true;
    const t0 = Date.now();
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().detail).toMatch(/does not answer/);
    expect(Date.now() - t0).toBeLessThan(8_000);
    // New connections are accepted and never answered: the pool gives up after its connect timeout.
    for (const s of sockets) s.destroy();
    const read = await app.inject({ url: '/api/v1/records/abc' });
    expect(read.statusCode).toBe(503);
    expect(read.headers['retry-after']).toBe('5');
    expect(read.headers['content-type']).toMatch(/problem\+json/);
  }, 60_000);
});
