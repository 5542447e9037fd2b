// Harvesting a CKAN portal through its Action API, served on loopback from the real CKAN package dicts
// in the corpus: a full run, increments that ask only for what changed, and withdrawal after a full run.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { createSource, updateSource } from '../src/store/sources.js';
import { runItems } from '../src/store/runs.js';
import { hasCorpus } from './support/corpus.js';
import { startCkanServer, type CkanServer } from './support/ckan-api.js';

describe.skipIf(!hasCorpus)('harvesting a CKAN portal', () => {
  let ckan: CkanServer;
  let services: Services;
  let dir: string;
  let packages: number;
  beforeAll(async () => {
    ckan = await startCkanServer();
    packages = ckan.packages.length;
    dir = mkdtempSync(join(tmpdir(), 'vindbaar-ckan-'));
    services = await createServices(
      loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_HARVEST_ATTEMPTS: '1' }),
      pino({ level: 'silent' }),
    );
    await createSource(services.db, { id: 'ckan', type: 'ckan', url: ckan.url, options: { rows: 3 }, title: 'Testportaal' });
  });
  afterAll(async () => {
    await services?.close();
    await ckan?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every package, page by page, and the portal catalogue listing them', async () => {
    const run = await services.harvesting.run('ckan');
    expect(run).toMatchObject({ status: 'succeeded', failed: 0, complete: true });
    expect(run.pages).toBe(Math.ceil(packages / 3));
    const kinds = await services.db.query<{ kind: string; n: number }>("SELECT kind, count(*)::int AS n FROM records WHERE source_id = 'ckan' AND deleted_at IS NULL GROUP BY kind ORDER BY kind");
    const byKind = Object.fromEntries(kinds.rows.map((r) => [r.kind, r.n]));
    expect(byKind.Catalog).toBe(1);
    expect((byKind.Dataset ?? 0) + (byKind.DatasetSeries ?? 0)).toBe(packages);
    const cat = await services.db.query<{ nquads: string }>("SELECT nquads FROM records WHERE source_id = 'ckan' AND kind = 'Catalog'");
    expect(cat.rows[0].nquads.match(/dcat#dataset>/g)).toHaveLength(packages);
  });

  it('an increment asks only for packages changed since, and writes nothing when none did', async () => {
    const before = ckan.requests.length;
    const run = await services.harvesting.run('ckan');
    expect(run).toMatchObject({ status: 'succeeded', created: 0, updated: 0, deleted: 0 });
    const asked = ckan.requests.slice(before);
    expect(asked).toHaveLength(1);
    expect(new URL(asked[0], ckan.url).searchParams.get('fq')).toBe(`metadata_modified:[${new Date(`${String(ckan.packages.at(-1)?.metadata_modified)}Z`).toISOString()} TO *]`);
  });

  it('takes a changed package in the next increment', async () => {
    const last = ckan.packages[0];
    last.title = 'Een nieuwe titel';
    last.metadata_modified = '2025-06-01T08:00:00.000000';
    const run = await services.harvesting.run('ckan');
    expect(run).toMatchObject({ status: 'succeeded', updated: 1, created: 0 });
    const items = await runItems(services.db, run.id, 10);
    expect(items).toHaveLength(1);
    expect(items[0].iri).toContain(String(last.id));
  });

  it('withdraws a package that disappeared, after the next full run only', async () => {
    const gone = ckan.packages.splice(3, 1)[0];
    const increment = await services.harvesting.run('ckan');
    expect(increment.deleted).toBe(0);
    await updateSource(services.db, 'ckan', { options: { rows: 3, fullEveryHours: 0 } });
    const full = await services.harvesting.run('ckan');
    expect(full).toMatchObject({ status: 'succeeded', deleted: 1 });
    const items = await runItems(services.db, full.id, 10, 0, 'deleted');
    expect(items[0].iri).toContain(String(gone.id));
  });

  it('withdraws nothing when a package edited during a full run shifts another past a page boundary', async () => {
    const live = async () => (await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE source_id = 'ckan' AND deleted_at IS NULL AND kind = 'Dataset'")).rows[0].n;
    const before = await live();
    // After the first page, its first package is edited: it moves to the end of the order, and the
    // package that opened the second page moves onto the first, which was already read.
    ckan.onPage = (start) => {
      if (start !== 0) return;
      ckan.packages[ckan.packages.indexOf(ckan.packages.slice().sort((a, b) => String(a.metadata_modified).localeCompare(String(b.metadata_modified)))[0])].metadata_modified = '2030-01-01T00:00:00.000000';
      ckan.onPage = undefined;
    };
    const run = await services.harvesting.run('ckan');
    expect(run).toMatchObject({ status: 'succeeded', deleted: 0 });
    expect(await live()).toBe(before);
    // The next run reads everything again, and finds every package.
    expect(await services.harvesting.run('ckan')).toMatchObject({ status: 'succeeded', deleted: 0 });
    expect(await live()).toBe(before);
  });

  it('a portal that answers an error ends the run failed, saying where, withdrawing nothing', async () => {
    const before = await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE source_id = 'ckan' AND deleted_at IS NULL");
    await updateSource(services.db, 'ckan', { url: `${ckan.url}/nothing-here/` });
    const run = await services.harvesting.run('ckan');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/nothing-here\/api\/3\/action\/package_search.*404/);
    const after = await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE source_id = 'ckan' AND deleted_at IS NULL");
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
