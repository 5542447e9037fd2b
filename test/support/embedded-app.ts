// A service on a throwaway embedded store, as the API suites use it: services, the Fastify app (for
// inject), and a close that removes the store's folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { createServices, type Services } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/server.js';

export interface EmbeddedApp {
  services: Services;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** `env` adds to (or overrides) an administrator key, no sample data and a fixed base URL. */
export async function embeddedApp(adminKey: string, env: Record<string, string> = {}): Promise<EmbeddedApp> {
  const dir = mkdtempSync(join(tmpdir(), 'vindbaar-app-'));
  const services = await createServices(
    loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: adminKey, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_BASE_URL: 'http://vindbaar.test', ...env }),
    pino({ level: 'silent' }),
  );
  const app = await buildServer(services);
  return {
    services,
    app,
    async close() {
      await app.close();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The same, started before the suite's tests and closed after them (registers vitest's hooks). */
export function withEmbeddedApp(adminKey: string, env: Record<string, string> = {}): { readonly services: Services; readonly app: FastifyInstance } {
  let running: EmbeddedApp | undefined;
  beforeAll(async () => {
    running = await embeddedApp(adminKey, env);
  });
  afterAll(() => running?.close());
  const started = () => {
    if (!running) throw new Error('the embedded service is not started yet (use it inside tests or hooks)');
    return running;
  };
  return {
    get services() {
      return started().services;
    },
    get app() {
      return started().app;
    },
  };
}
