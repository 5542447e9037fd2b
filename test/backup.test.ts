// Backup and restore as README's operations section describes them: pg_dump of the catalogue's
// database, pg_restore into an empty one, `vindbaar reindex` (the Elasticsearch index is not in the
// backup; it is rebuilt from the store), and the restored service answers searches, records and the
// catalogue exactly as the original did.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { reindex } from '../src/search/reindex.js';
import { withdrawRecords } from '../src/store/records.js';
import { createDatabase, findPgBin } from './support/postgres-server.js';
import { hasCorpus, ldesPage } from './support/corpus.js';
import { createReadStream } from 'node:fs';
import { pathToFileURL } from 'node:url';

const pgUrl = inject('pgUrl');
const esUrl = inject('esUrl');
const bin = findPgBin();

const QUERIES = [
  '/api/v1/datasets?q=bevolking',
  '/api/v1/datasets?q=water&sort=title',
  '/api/v1/search?q=statistiek&limit=50',
  '/api/v1/datasets?sort=-modified&limit=100&page=3',
  '/api/v1/datasets?q=mobiliteit%20OR%20verkeer',
];

interface Running {
  services: Services;
  app: FastifyInstance;
}

async function open(databaseUrl: string, prefix: string): Promise<Running> {
  const env: Record<string, string> = { DATABASE_URL: databaseUrl, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_LINK_CHECK: 'false', VINDBAAR_WORKERS: '0', VINDBAAR_BASE_URL: 'http://vindbaar.test', VINDBAAR_RATE_LIMIT_PER_ADDRESS: '0' };
  if (esUrl) Object.assign(env, { ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX_PREFIX: prefix });
  const services = await createServices(loadConfig(env), pino({ level: 'silent' }));
  return { services, app: await buildServer(services) };
}

/** What a client sees: the answers to the searches, a few records, the catalogue page. */
async function answers(r: Running, ids: string[]): Promise<unknown[]> {
  await r.services.search.refresh?.();
  const out: unknown[] = [];
  for (const q of QUERIES) {
    const body = (await r.app.inject({ url: q })).json();
    // The same hits in the same order, the same totals and facets.
    out.push({ q, total: body.totalItems, ids: body.member.map((m: { id: string }) => m.id), facets: body.facets });
  }
  for (const id of ids) out.push((await r.app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle' } })).body);
  out.push((await r.app.inject({ url: '/catalog?page=2', headers: { accept: 'application/n-triples' } })).body);
  return out;
}

describe.skipIf(!pgUrl || !bin || !hasCorpus)(`backup (pg_dump) and restore (pg_restore), then reindex${esUrl ? ' into Elasticsearch' : ''}`, () => {
  let dir: string;
  let original: Running;
  let restored: Running | undefined;
  const tag = randomBytes(3).toString('hex');
  const run = (cmd: string, args: string[]) => {
    const full = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', join(bin!, cmd), ...args]] : [join(bin!, cmd), args];
    const r = spawnSync(full[0] as string, full[1] as string[], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr || r.stdout}`);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vb-backup-'));
    spawnSync('chmod', ['777', dir]);
    original = await open(await createDatabase(pgUrl, `t_backup_${tag}`), `backup-a-${tag}`);
    for (let n = 0; n < 20; n++)
      await original.services.ingest(createReadStream(ldesPage(n)), { catalogId: 'datagovbe', source: { id: 'ldes', kind: 'file', location: null }, format: 'trig', baseIRI: pathToFileURL(ldesPage(n)).href });
    // A withdrawal too: the backup holds tombstones as well as live records.
    const id = (await original.services.db.query<{ id: string }>("SELECT id FROM records WHERE kind = 'Dataset' ORDER BY id LIMIT 1 OFFSET 7")).rows[0].id;
    await original.services.db.transaction((tx) => withdrawRecords(tx, [id]));
    await original.services.reindexPending();
  }, 300_000);
  afterAll(async () => {
    for (const r of [original, restored]) {
      await r?.app.close();
      await r?.services.close();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers searches, records and the catalogue exactly as before', async () => {
    const ids = (await original.services.db.query<{ id: string }>("SELECT id FROM records WHERE kind = 'Dataset' AND deleted_at IS NULL ORDER BY id LIMIT 5")).rows.map((r) => r.id);
    const before = await answers(original, ids);
    expect((before[0] as { total: number }).total).toBeGreaterThan(0);

    const source = new URL(pgUrl);
    source.pathname = `/t_backup_${tag}`;
    const dump = join(dir, 'vindbaar.dump');
    // The documented commands: a custom-format dump, restored into an empty database.
    run('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, source.toString()]);
    const target = await createDatabase(pgUrl, `t_restore_${tag}`);
    run('pg_restore', ['--no-owner', `--dbname=${target}`, dump]);

    restored = await open(target, `backup-b-${tag}`);
    const report = await reindex(restored.services.db, restored.services.search, pino({ level: 'silent' }));
    expect(report.indexed).toBeGreaterThan(1900);
    expect(await answers(restored, ids)).toEqual(before);
  }, 300_000);
});
