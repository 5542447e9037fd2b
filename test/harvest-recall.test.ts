// A harvested record withdrawn over the push API while a run of its source is under way, on both
// stores. The source is the authority for its records: one it still lists comes back, at the latest
// with the next run, and no run leaves a page remembered as holding a record that is withdrawn (the
// next run would count that page unchanged and never bring the record back). The runs are held at a
// page on a loopback server, so that the withdrawal falls exactly where it must.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { inject } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { createSource } from '../src/store/sources.js';
import { runItems } from '../src/store/runs.js';
import { localId } from '../src/ingest/prepare.js';
import { startCorpusServer, type CorpusServer } from './support/corpus-http.js';
import { createDatabase } from './support/postgres-server.js';
import { STORES } from './support/stores.js';

const KEY = 'test-admin-key-0123456789abcdef';
const auth = { authorization: `Bearer ${KEY}` };

/** A promise the test lets go of when it has done what must happen while a request waits. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(STORES)('a record withdrawn while its source is harvested ($name)', (store) => {
  let server: CorpusServer;
  let services: Services;
  let app: FastifyInstance;
  let dir: string;
  /** The datasets of each page, and the gate a request for a page waits at (if any). */
  const pages: Record<number, number[]> = {};
  const held = new Map<number, { wait: Promise<void>; open(): void }>();
  const asked: number[] = [];

  const page = (n: number): string => {
    const ids = pages[n] ?? [];
    const next = pages[n + 1] ? `${server.url}/cat?page=${n + 1}` : undefined;
    return `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix hydra: <http://www.w3.org/ns/hydra/core#>.
<http://example.org/catalog> a dcat:Catalog; dct:title "Testcatalogus"@nl; ${ids.map((i) => `dcat:dataset <http://example.org/ds/${i}>`).join('; ')}.
${ids.map((i) => `<http://example.org/ds/${i}> a dcat:Dataset; dct:title "Dataset ${i}"@nl; dct:description "Beschrijving ${i}"@nl.`).join('\n')}
<${server.url}/cat?page=${n}> a hydra:PartialCollectionView${next ? `; hydra:next <${next}>` : ''}.
`;
  };
  const recordId = (iri: string) => localId('race', iri);
  const status = async (iri: string) => (await app.inject({ url: `/api/v1/records/${recordId(iri)}` })).statusCode;
  const withdraw = async (iri: string) => (await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/race/records/${encodeURIComponent(iri)}`, headers: auth })).statusCode;
  /** The remembered pages that hold the record. */
  const pagesHolding = async (iri: string) =>
    (await services.db.query<{ url: string }>("SELECT url FROM harvest_pages WHERE source_id = 'race' AND $1 = ANY(record_ids) ORDER BY url", [recordId(iri)])).rows.map((r) => r.url);

  beforeAll(async () => {
    if (!store.available) return;
    server = await startCorpusServer();
    server.route('/cat', (req, res) => {
      const n = Number(new URL(req.url ?? '', server.url).searchParams.get('page') ?? '1');
      asked.push(n);
      void (held.get(n)?.wait ?? Promise.resolve()).then(() => {
        res.setHeader('content-type', 'text/turtle');
        res.end(page(n));
      });
    });
    dir = mkdtempSync(join(tmpdir(), 'vindbaar-recall-'));
    const url = store.name === 'postgres' ? await createDatabase(inject('pgUrl'), `t_recall_${randomBytes(4).toString('hex')}`) : undefined;
    services = await createServices(
      loadConfig({
        VINDBAAR_DATA_DIR: dir,
        VINDBAAR_ADMIN_KEY: KEY,
        VINDBAAR_SAMPLE_DATA: 'false',
        VINDBAAR_LINK_CHECK: 'false',
        VINDBAAR_BASE_URL: 'http://vindbaar.test',
        VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8',
        // A held page waits for the test, not for a timeout.
        VINDBAAR_HARVEST_TIMEOUT_MS: '120000',
        VINDBAAR_HARVEST_ATTEMPTS: '1',
        ...(url ? { DATABASE_URL: url } : {}),
      }),
      pino({ level: 'silent' }),
    );
    app = await buildServer(services);
    // The first page is larger than a batch of the store (250), so that its records are written while
    // the run waits for the second.
    pages[1] = Array.from({ length: 260 }, (_, i) => i + 1);
    pages[2] = [261, 262, 263];
    await createSource(services.db, { id: 'race', type: 'dcat', url: `${server.url}/cat?page=1` });
  });
  afterAll(async () => {
    for (const g of held.values()) g.open();
    await app?.close();
    await services?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!store.available)('withdrawn after the run stored it from a page it had read: the page is not remembered, and the next run brings the record back', async () => {
    const second = gate();
    held.set(2, second);
    const running = services.harvesting.run('race');
    // The run has stored the first page's records and waits for the second page.
    const iri = await until('a record of the first page stored', async () => {
      const r = await services.db.query<{ iri: string }>("SELECT iri FROM records WHERE source_id = 'race' AND kind = 'Dataset' AND deleted_at IS NULL ORDER BY iri LIMIT 1");
      return r.rows[0]?.iri;
    });
    expect(await withdraw(iri)).toBe(204);
    held.delete(2);
    second.open();
    const first = await running;
    expect(first).toMatchObject({ status: 'succeeded', complete: true, failed: 0, deleted: 0 });
    // The run read the record before it was withdrawn, and does not bring it back itself; but it does
    // not remember the page as holding it either.
    expect(await status(iri)).toBe(410);
    expect(await pagesHolding(iri)).toEqual([]);

    // The source still lists it: the next run reads that page again and brings it back.
    const back = await services.harvesting.run('race');
    expect(back).toMatchObject({ status: 'succeeded', created: 1, updated: 0, deleted: 0, pagesNotModified: 1 });
    expect((await runItems(services.db, back.id, 10)).map((i) => [i.action, i.iri])).toEqual([['created', iri]]);
    expect(await status(iri)).toBe(200);
    expect(await pagesHolding(iri)).toEqual([`${server.url}/cat?page=1`]);
    // And the run after it reads nothing again.
    expect(await services.harvesting.run('race')).toMatchObject({ status: 'succeeded', created: 0, updated: 0, deleted: 0, pagesNotModified: 2 });
  });

  it.skipIf(!store.available)('withdrawn before the run read the page that holds it: a page that changed brings it back in that run, one that did not in the next', async () => {
    // The first page changed: the run reads it after the withdrawal and stores the record again.
    pages[1] = [...pages[1], 264];
    let iri = 'http://example.org/ds/7';
    let first = gate();
    held.set(1, first);
    let from = asked.length;
    let running = services.harvesting.run('race');
    await until('the run to ask for the first page', async () => (asked.slice(from).includes(1) ? true : undefined));
    expect(await withdraw(iri)).toBe(204);
    held.delete(1);
    first.open();
    let run = await running;
    // The catalogue, which lists the new dataset, is updated.
    expect(run).toMatchObject({ status: 'succeeded', created: 2, updated: 1, deleted: 0 });
    expect((await runItems(services.db, run.id, 10, 0, 'created')).map((i) => i.iri).sort()).toEqual(['http://example.org/ds/264', iri]);
    expect(await status(iri)).toBe(200);
    // Back, and held by the page that gave it: the run after reads no page in full, and nothing is left
    // to ask the source for.
    expect(await pagesHolding(iri)).toEqual([`${server.url}/cat?page=1`]);
    expect((await services.db.query("SELECT 1 FROM harvest_recalls WHERE source_id = 'race'")).rows).toEqual([]);
    expect(await services.harvesting.run('race')).toMatchObject({ status: 'succeeded', created: 0, updated: 0, pagesNotModified: 2 });

    // The first page is as it was: the run counts it unchanged by what it remembered when it began,
    // so the record stays withdrawn, and the page is left forgotten; the next run brings it back.
    iri = 'http://example.org/ds/8';
    first = gate();
    held.set(1, first);
    from = asked.length;
    running = services.harvesting.run('race');
    await until('the run to ask for the first page', async () => (asked.slice(from).includes(1) ? true : undefined));
    expect(await withdraw(iri)).toBe(204);
    held.delete(1);
    first.open();
    run = await running;
    expect(run).toMatchObject({ status: 'succeeded', created: 0, deleted: 0, pagesNotModified: 2 });
    expect(await status(iri)).toBe(410);
    expect(await pagesHolding(iri)).toEqual([]);
    const back = await services.harvesting.run('race');
    expect(back).toMatchObject({ status: 'succeeded', created: 1, updated: 0, deleted: 0, pagesNotModified: 1 });
    expect((await runItems(services.db, back.id, 10)).map((i) => [i.action, i.iri])).toEqual([['created', iri]]);
    expect(await status(iri)).toBe(200);
  });
});
