// Starts the real servers the suites need, once per run. Without them the server suites skip, unless
// VINDBAAR_REQUIRE_SERVICES=1 (CI), where a missing server fails the run.
import type { TestProject } from 'vitest/node';
import type {} from 'vitest';
import { startPostgres, type PgServer } from './postgres-server.js';

let pg: PgServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const required = process.env.VINDBAAR_REQUIRE_SERVICES === '1';
  let pgUrl = process.env.TEST_DATABASE_URL ?? '';
  let pgProblem = '';
  if (!pgUrl) {
    try {
      pg = await startPostgres();
      pgUrl = pg.url;
    } catch (e) {
      pgProblem = (e as Error).message;
      if (required) throw new Error(`VINDBAAR_REQUIRE_SERVICES=1 but Postgres could not be started: ${pgProblem}`);
    }
  }
  project.provide('pgUrl', pgUrl);
  project.provide('pgProblem', pgProblem);
}

export async function teardown(): Promise<void> {
  pg?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgProblem: string;
  }
}
