// Harvesting a CKAN portal through its Action API, served on loopback from the real CKAN package dicts
// in the corpus: a full run, increments that ask only for what changed, records withdrawn here that an
// increment brings back, and withdrawal after a full run.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { createSource, updateSource } from '../src/store/sources.js';
import { runItems } from '../src/store/runs.js';
import { localId } from '../src/ingest/prepare.js';
import { ckanDatasetIri } from '../src/harvest/ckan/map.js';
import { hasCorpus } from './support/corpus.js';
import { startCkanServer, type CkanServer } from './support/ckan-api.js';

const KEY = 'test-admin-key-0123456789abcdef';

describe.skipIf(!hasCorpus)('harvesting a CKAN portal', () => {
  let ckan: CkanServer;
  let services: Services;
  let app: FastifyInstance;
  let dir: string;
  let packages: number;
  beforeAll(async () => {
    ckan = await startCkanServer();
    packages = ckan.packages.length;
    dir = mkdtempSync(join(tmpdir(), 'vindbaar-ckan-'));
    services = await createServices(
      loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_HARVEST_ATTEMPTS: '1', VINDBAAR_ADMIN_KEY: KEY }),
      pino({ level: 'silent' }),
    );
    app = await buildServer(services);
    await createSource(services.db, { id: 'ckan', type: 'ckan', url: ckan.url, options: { rows: 3 }, title: 'Testportaal' });
  });
  afterAll(async () => {
    await app?.close();
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

  it('an increment brings back records withdrawn here whose packages the portal still lists, asking for them by id or name, and not those it no longer has', async () => {
    const iri = (pkg: Record<string, unknown>) => ckanDatasetIri(pkg, { siteUrl: ckan.url }).value;
    const status = async (pkg: Record<string, unknown>) => (await app.inject({ url: `/api/v1/records/${localId('ckan', iri(pkg))}` })).statusCode;
    // Two the portal still has, unchanged since the last run: one named by its id, one with a `uri` of
    // its own (asked for by the name of its page on the portal). One the portal purged since (404), and
    // one it deleted (403 to a harvester, as CKAN answers for a deleted package).
    const kept = [ckan.packages[1], ckan.packages[9]];
    const purged = ckan.packages[5];
    const deleted = ckan.packages[6];
    expect(iri(kept[1])).not.toContain(ckan.url);
    for (const pkg of [...kept, purged, deleted]) {
      const res = await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/ckan/records/${encodeURIComponent(iri(pkg))}`, headers: { authorization: `Bearer ${KEY}` } });
      expect(res.statusCode).toBe(204);
      expect(await status(pkg)).toBe(410);
    }
    ckan.packages.splice(ckan.packages.indexOf(purged), 1);
    deleted.state = 'deleted';

    const before = ckan.requests.length;
    const run = await services.harvesting.run('ckan');
    expect(run).toMatchObject({ status: 'succeeded', failed: 0, created: 2, updated: 0, deleted: 0 });
    const items = await runItems(services.db, run.id, 10);
    expect(items.map((i) => [i.action, i.iri]).sort()).toEqual(kept.map((pkg) => ['created', iri(pkg)]).sort());
    for (const pkg of kept) expect(await status(pkg)).toBe(200);
    for (const pkg of [purged, deleted]) expect(await status(pkg)).toBe(410);
    // The increment, then package_show for each by the names its record gives, until one answers.
    const shown = ckan.requests.slice(before).filter((r) => r.startsWith('/api/3/action/package_show'));
    const ids = shown.map((r) => new URL(r, ckan.url).searchParams.get('id'));
    expect(ids).toContain(kept[0].id);
    expect(ids).toContain(kept[1].name);
    expect(ids).not.toContain(kept[0].name);
    for (const pkg of [purged, deleted]) expect(ids.filter((id) => id === pkg.id || id === pkg.name)).toHaveLength(2);

    // Answered: the next increment asks for none of them again, and writes nothing.
    const again = ckan.requests.length;
    expect(await services.harvesting.run('ckan')).toMatchObject({ status: 'succeeded', failed: 0, created: 0, updated: 0, deleted: 0 });
    expect(ckan.requests.slice(again).filter((r) => r.startsWith('/api/3/action/package_show'))).toEqual([]);
    expect(await status(deleted)).toBe(410);
    ckan.packages.splice(ckan.packages.indexOf(deleted), 1);
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
