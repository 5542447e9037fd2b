// Starts the real servers the suites need, once per run: Postgres and Elasticsearch, side by side
// (Elasticsearch's JVM takes the longest, so it is launched first and waited for last). Without them
// the server suites skip, unless VINDBAAR_REQUIRE_SERVICES=1 (CI), where a missing server fails the run.
// TEST_DATABASE_URL and TEST_ELASTICSEARCH_URL use servers that are already running instead.
import type { TestProject } from 'vitest/node';
import type {} from 'vitest';
import { startPostgres, type PgServer } from './postgres-server.js';
import { launchElasticsearch, type EsServer } from './elasticsearch-server.js';

let pg: PgServer | undefined;
let es: EsServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const required = process.env.VINDBAAR_REQUIRE_SERVICES === '1';
  let esUrl = process.env.TEST_ELASTICSEARCH_URL ?? '';
  let esProblem = '';
  if (!esUrl) {
    try {
      es = await launchElasticsearch();
    } catch (e) {
      esProblem = (e as Error).message;
    }
  }
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
  if (es) {
    try {
      await es.ready;
      esUrl = es.url;
    } catch (e) {
      esProblem = (e as Error).message;
      await es.stop();
      es = undefined;
    }
  }
  if (!esUrl && required) throw new Error(`VINDBAAR_REQUIRE_SERVICES=1 but Elasticsearch could not be started: ${esProblem}`);
  project.provide('pgUrl', pgUrl);
  project.provide('pgProblem', pgProblem);
  project.provide('esUrl', esUrl);
  project.provide('esProblem', esProblem);
}

export async function teardown(): Promise<void> {
  pg?.stop();
  await es?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgProblem: string;
    esUrl: string;
    esProblem: string;
  }
}
