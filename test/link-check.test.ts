// Link checks that do not lie: HEAD then a ranged GET, redirects followed and loops caught, transient
// failures retried, hanging and endless targets bounded, private addresses refused, at most a few
// requests per host; results stored per link, shown per record, scored and exported as DQV.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Parser } from 'n3';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { LinkChecker } from '../src/quality/link-check.js';
import { LinkChecking } from '../src/quality/link-checking.js';
import { formatMatches } from '../src/quality/links.js';
import { startLinkServer, type LinkServer } from './support/link-server.js';
import { STORES } from './support/stores.js';
import { createDatabase } from './support/postgres-server.js';

let server: LinkServer;
let checker: LinkChecker;
const fast = { userAgent: 'vindbaar-test', allow: ['127.0.0.0/8'], timeoutMs: 500, backoffMs: 20, perHostIntervalMs: 0 };

beforeAll(async () => {
  server = await startLinkServer();
  checker = new LinkChecker(fast);
});
afterAll(async () => {
  await checker?.close();
  await server?.close();
});

describe('checking one link', () => {
  it('takes a 2xx to HEAD as the answer, with type and size', async () => {
    const r = await checker.check(`${server.origin}/ok/a`);
    expect(r).toMatchObject({ ok: true, status: 200, method: 'HEAD', contentType: 'text/csv; charset=utf-8', size: 1234, redirects: 0 });
  });

  it('asks with a ranged GET when HEAD is refused or answered wrongly, instead of calling the link dead', async () => {
    for (const path of ['/head-405/a', '/head-404/a']) {
      const r = await checker.check(`${server.origin}${path}`);
      expect(r, path).toMatchObject({ ok: true, status: 206, method: 'GET' });
      expect(r.size, path).toBeGreaterThan(0);
    }
    // An empty file answers a range with 416: it is there.
    expect(await checker.check(`${server.origin}/empty`)).toMatchObject({ ok: true, status: 416, size: 0 });
  });

  it('calls a 404 broken only after GET agrees, without retrying a definite answer', async () => {
    const r = await checker.check(`${server.origin}/gone/a`);
    expect(r).toMatchObject({ ok: false, status: 404, error: 'http', method: 'GET', attempts: 2 });
  });

  it('follows redirects, and names loops and endless chains', async () => {
    expect(await checker.check(`${server.origin}/redirect/3`)).toMatchObject({ ok: true, redirects: 3, finalUrl: `${server.origin}/ok/end` });
    expect(await checker.check(`${server.origin}/loop-a`)).toMatchObject({ ok: false, error: 'redirect-loop' });
    expect(await checker.check(`${server.origin}/redirect/30`)).toMatchObject({ ok: false, error: 'too-many-redirects' });
  });

  it('retries transient failures (503 with Retry-After) before judging', async () => {
    const r = await checker.check(`${server.origin}/flaky/one`);
    expect(r.ok).toBe(true);
    expect(r.attempts).toBeGreaterThanOrEqual(3);
  });

  it('bounds a target that never answers, and one that sends bytes for ever', async () => {
    const started = Date.now();
    const hang = await checker.check(`${server.origin}/hang`);
    expect(hang).toMatchObject({ ok: false, error: 'timeout' });
    // HEAD, then GET on each of three attempts: four timeouts of 500 ms and two short backoffs.
    expect(Date.now() - started).toBeLessThan(4_000);
    const t = Date.now();
    const huge = await checker.check(`${server.origin}/huge`);
    expect(huge).toMatchObject({ ok: true, method: 'GET', contentType: 'application/octet-stream' });
    expect(Date.now() - t).toBeLessThan(2_000);
  });

  it('refuses loopback and private addresses unless allow-listed, and anything but http(s)', async () => {
    const strict = new LinkChecker({ userAgent: 'vindbaar-test' });
    try {
      expect(await strict.check(`${server.origin}/ok/a`)).toMatchObject({ ok: false, error: 'blocked', attempts: 1 });
      expect(await strict.check('http://localhost:8080/x')).toMatchObject({ ok: false, error: 'blocked' });
      expect(await strict.check('http://169.254.169.254/latest/meta-data/')).toMatchObject({ ok: false, error: 'blocked' });
      expect(await strict.check('file:///etc/passwd')).toMatchObject({ ok: false, error: 'invalid' });
    } finally {
      await strict.close();
    }
    const before = server.requests;
    await checker.check(`${server.origin}/redirect-to-nowhere`);
    expect(server.requests).toBeGreaterThan(before);
  });

  it('compares the served type with the declared format', () => {
    expect(formatMatches('CSV', 'text/csv; charset=utf-8')).toBe(true);
    expect(formatMatches('CSV', 'text/html')).toBe(false);
    expect(formatMatches('SHP', 'application/zip')).toBe(true);
    expect(formatMatches('CSV', 'application/octet-stream')).toBe(null);
    expect(formatMatches(undefined, 'text/csv')).toBe(null);
  });
});

describe('checking many links', () => {
  it('keeps at most four requests in flight to one host', async () => {
    const host = await startLinkServer(20);
    const c = new LinkChecking(undefined as never, new LinkChecker({ ...fast, perHost: 4 }), pino({ level: 'silent' }), { concurrency: 32 });
    try {
      const links = Array.from({ length: 60 }, (_, i) => ({ url: `${host.origin}/ok/${i}`, host: new URL(host.origin).host }));
      const results = await (c as unknown as { checkAll(l: typeof links): Promise<{ ok: boolean }[]> }).checkAll(links);
      expect(results).toHaveLength(60);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(host.maxInFlight).toBeLessThanOrEqual(4);
      expect(host.maxInFlight).toBeGreaterThanOrEqual(2);
    } finally {
      await c.checker.close();
      await host.close();
    }
  });
});

const KEY = 'link-check-admin-key-0123456789';
const EX = 'https://data.example.be/id';

function catalogue(origin: string, bDownload: string): string {
  return `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<${EX}/dataset/a> a dcat:Dataset ; dct:title "Fietstellingen"@nl ; dct:description "Tellingen."@nl ;
  dcat:distribution <${EX}/dist/a1> .
<${EX}/dist/a1> a dcat:Distribution ; dcat:accessURL <${origin}/html/a> ; dcat:downloadURL <${origin}/ok/a.csv> ;
  dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> .
<${EX}/dataset/b> a dcat:Dataset ; dct:title "Parkeerplaatsen"@nl ; dct:description "Plaatsen."@nl ;
  dcat:distribution <${EX}/dist/b1> .
<${EX}/dist/b1> a dcat:Distribution ; dcat:accessURL <${origin}/head-405/b> ; dcat:downloadURL <${bDownload}> .
<${EX}/service/c> a dcat:DataService ; dct:title "Tellingen-API"@nl ; dcat:endpointURL <${origin}/head-404/c> .
`;
}

describe.each(STORES)('link checks stored and shown ($name)', (store) => {
  let services: Services;
  let app: FastifyInstance;
  let dir: string;
  const post = (body: string) =>
    app.inject({ method: 'POST', url: '/api/v1/catalogs/links/records', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` }, payload: body });
  const idOf = async (iri: string) => (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1 AND deleted_at IS NULL', [iri])).rows[0].id;

  beforeAll(async () => {
    if (!store.available) return;
    dir = mkdtempSync(join(tmpdir(), 'vb-links-'));
    const url = store.name === 'postgres' ? await createDatabase(inject('pgUrl'), `t_links_${randomBytes(4).toString('hex')}`) : undefined;
    services = await createServices(
      loadConfig({
        VINDBAAR_DATA_DIR: dir,
        VINDBAAR_ADMIN_KEY: KEY,
        VINDBAAR_SAMPLE_DATA: 'false',
        VINDBAAR_BASE_URL: 'http://vindbaar.test',
        VINDBAAR_LINK_CHECK_ALLOW: '127.0.0.0/8',
        VINDBAAR_LINK_CHECK_TIMEOUT_MS: '1000',
        VINDBAAR_LINK_CHECK_INTERVAL_MS: '0',
        // As on a machine without internet: the name that always resolves does not.
        VINDBAAR_LINK_CHECK_PROBE_HOST: 'probe.vindbaar-test.invalid',
        ...(url ? { DATABASE_URL: url } : {}),
      }),
      pino({ level: 'silent' }),
    );
    app = await buildServer(services);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!store.available)('checks every link once, stores what it found, and scores the records with it', async () => {
    expect((await post(catalogue(server.origin, `${server.origin}/gone/b.csv`))).statusCode).toBeLessThan(300);
    const a = await idOf(`${EX}/dataset/a`);
    const b = await idOf(`${EX}/dataset/b`);
    const c = await idOf(`${EX}/service/c`);
    const before = (await app.inject({ url: `/api/v1/records/${a}/quality` })).json();
    expect(before.indicators.find((i: { id: string }) => i.id === 'accessUrlStatus').met).toBe(null);

    const round = await services.links.runOnce();
    expect(round).toMatchObject({ checked: 5, ok: 4, broken: 1, changed: 5 });
    // Nothing is due any more: a second pass checks nothing.
    expect((await services.links.runOnce()).checked).toBe(0);

    const linksA = (await app.inject({ url: `/api/v1/records/${a}/links` })).json().links;
    expect(linksA).toHaveLength(2);
    const html = linksA.find((l: { role: string }) => l.role === 'access');
    expect(html).toMatchObject({ state: 'ok', status: 200, contentType: 'text/html; charset=utf-8', declaredFormat: 'CSV', formatMatches: false });
    const linksB = (await app.inject({ url: `/api/v1/records/${b}/links` })).json().links;
    expect(linksB.find((l: { role: string }) => l.role === 'download')).toMatchObject({ state: 'broken', status: 404, error: 'http' });
    expect(linksB.find((l: { role: string }) => l.role === 'access')).toMatchObject({ state: 'ok', method: 'GET' });
    expect((await app.inject({ url: `/api/v1/records/${c}/links` })).json().links).toMatchObject([{ role: 'endpoint', state: 'ok', method: 'GET' }]);

    const qa = (await app.inject({ url: `/api/v1/records/${a}/quality` })).json();
    const qb = (await app.inject({ url: `/api/v1/records/${b}/quality` })).json();
    const met = (q: { indicators: { id: string; met: boolean | null }[] }, id: string) => q.indicators.find((i) => i.id === id)!.met;
    expect([met(qa, 'accessUrlStatus'), met(qa, 'downloadUrlStatus')]).toEqual([true, true]);
    expect([met(qb, 'accessUrlStatus'), met(qb, 'downloadUrlStatus')]).toEqual([true, false]);
    expect(qa.total - before.total).toBe(80);

    // The search index follows: the records were queued again and their band recomputed with the links.
    await services.reindexPending();
    const doc = await services.db.query<{ quality: string[] }>('SELECT quality FROM search_docs WHERE record_id = $1', [a]);
    expect(doc.rows[0].quality).toEqual([qa.band]);

    // The page shows each link's state.
    const page = await app.inject({ url: `/datasets/${b}` });
    expect(page.body).toContain('werkt niet (HTTP 404)');
    expect((await app.inject({ url: `/en/datasets/${a}` })).body).toContain('serves text/html; charset=utf-8, not the declared format');
  });

  it.skipIf(!store.available)('exports the score as DQV measurements', async () => {
    const a = await idOf(`${EX}/dataset/a`);
    const res = await app.inject({ url: `/api/v1/records/${a}/quality`, headers: { accept: 'text/turtle' } });
    expect(res.headers['content-type']).toMatch(/^text\/turtle/);
    const quads = new Parser({ format: 'text/turtle' }).parse(res.body);
    const measurements = quads.filter((q) => q.predicate.value === 'http://www.w3.org/ns/dqv#hasQualityMeasurement');
    expect(measurements.length).toBeGreaterThan(20);
    expect(measurements.every((q) => q.subject.value === `${EX}/dataset/a`)).toBe(true);
    const metrics = new Set(quads.filter((q) => q.predicate.value === 'http://www.w3.org/ns/dqv#isMeasurementOf').map((q) => q.object.value));
    expect(metrics).toContain('https://piveau.eu/ns/voc#accessUrlStatusCode');
    expect(metrics).toContain('https://piveau.eu/ns/voc#scoring');
    expect((await app.inject({ url: `/api/v1/records/${a}/quality?format=nt` })).headers['content-type']).toMatch(/^application\/n-triples/);
    expect((await app.inject({ url: '/api/v1/records/nope/quality' })).statusCode).toBe(404);
    expect((await app.inject({ url: `/api/v1/records/${a}/quality`, headers: { accept: 'image/png' } })).statusCode).toBe(406);
  });

  it.skipIf(!store.available)('counts the links and the scores in the KPIs, per publisher and for the catalogue, and keeps a monthly snapshot', async () => {
    const k = (await app.inject({ url: '/api/v1/kpis' })).json();
    expect(k.catalogue).toMatchObject({ records: 3, datasets: 2, services: 1, links: 5, brokenLinks: 1, recordsWithBrokenLinks: 1, validated: 3 });
    expect(k.publishers).toHaveLength(1);
    expect(k.publishers[0]).toMatchObject({ publisher: '', figures: { records: 3 } });
    expect(await services.kpis.snapshotNow()).toBe(2);
    expect(await services.kpis.snapshotNow()).toBe(2);
    const h = (await app.inject({ url: '/api/v1/kpis/history' })).json();
    expect(h.snapshots).toHaveLength(1);
    expect(h.snapshots[0].figures.brokenLinks).toBe(1);
    const csv = (await app.inject({ url: '/api/v1/kpis.csv?history=true' })).body.trim().split('\r\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toMatch(/^\d{4}-\d{2},3,2,1,/);
  });

  it.skipIf(!store.available)('follows changes: a changed link replaces the old one, which is forgotten', async () => {
    expect((await post(catalogue(server.origin, `${server.origin}/ok/b.csv`))).statusCode).toBeLessThan(300);
    const round = await services.links.runOnce();
    expect(round).toMatchObject({ checked: 1, ok: 1 });
    const gone = await services.db.query('SELECT 1 FROM links WHERE url = $1', [`${server.origin}/gone/b.csv`]);
    expect(gone.rows).toHaveLength(0);
    const b = await idOf(`${EX}/dataset/b`);
    const q = (await app.inject({ url: `/api/v1/records/${b}/quality` })).json();
    expect(q.indicators.find((i: { id: string }) => i.id === 'downloadUrlStatus').met).toBe(true);
  });

  it.skipIf(!store.available)('records nothing when no host can be resolved (our network is down, not the links)', async () => {
    const body = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
${[1, 2, 3, 4]
  .map((i) => `<${EX}/dataset/off${i}> a dcat:Dataset ; dct:title "Offline ${i}"@nl ; dct:description "x"@nl ; dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://host${i}.vindbaar-test.invalid/data> ] .`)
  .join('\n')}`;
    expect((await post(body)).statusCode).toBeLessThan(300);
    const round = await services.links.runOnce();
    expect(round.offline).toBe(true);
    const states = await services.db.query<{ state: string; next: boolean }>(`SELECT state, next_check_at > now() AS next FROM links WHERE url LIKE '%vindbaar-test.invalid%'`);
    expect(states.rows).toHaveLength(4);
    expect(states.rows.every((r) => r.state === 'unchecked' && r.next)).toBe(true);
    // With the network up (the probe name resolves), the same names that do not resolve are broken links.
    await services.db.query(`UPDATE links SET next_check_at = now() WHERE url LIKE '%vindbaar-test.invalid%'`);
    const online = new LinkChecking(services.db, new LinkChecker(fast), pino({ level: 'silent' }), { probeHost: 'localhost' });
    try {
      expect(await online.runOnce()).toMatchObject({ checked: 4, broken: 4 });
    } finally {
      await online.close();
    }
  });

  it.skipIf(!store.available)('shares the work between two checkers without checking a link twice', async () => {
    await services.db.query(`DELETE FROM links WHERE url LIKE '%vindbaar-test.invalid%'`);
    await services.db.query('UPDATE links SET next_check_at = now()');
    const due = (await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM links')).rows[0].n;
    const other = new LinkChecking(services.db, new LinkChecker(fast), pino({ level: 'silent' }), { batch: 2 });
    const mine = new LinkChecking(services.db, new LinkChecker(fast), pino({ level: 'silent' }), { batch: 2 });
    const before = server.requests;
    try {
      const [x, y] = await Promise.all([other.runOnce(), mine.runOnce()]);
      expect(x.checked + y.checked).toBe(due);
    } finally {
      await other.close();
      await mine.close();
    }
    // Each link once: HEAD, plus a GET where HEAD is refused (2 of them).
    expect(server.requests - before).toBe(due + 2);
  });

  it.skipIf(!store.available)('says a withdrawn record is gone (410) when its score, links or validation are asked for, as the record does', async () => {
    const iri = `${EX}/dataset/withdrawn`;
    const body = `<${iri}> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "Ingetrokken"@nl; <http://purl.org/dc/terms/description> "Weg."@nl.`;
    const put = await app.inject({ method: 'PUT', url: `/api/v1/catalogs/gone/records/${encodeURIComponent(iri)}`, headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` }, payload: body });
    expect(put.statusCode, put.body).toBe(201);
    const id = await idOf(iri);
    expect((await app.inject({ url: `/api/v1/records/${id}/quality` })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/v1/records/${id}/validation` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/gone/records/${id}`, headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(204);
    for (const what of ['quality', 'links', 'validation']) {
      const r = await app.inject({ url: `/api/v1/records/${id}/${what}` });
      expect(r.statusCode, `${what}: ${r.body}`).toBe(410);
      expect(r.json()).toMatchObject({ iri, versions: `http://vindbaar.test/api/v1/records/${id}/versions` });
    }
    expect((await app.inject({ url: '/api/v1/records/nosuchrecord00/quality' })).statusCode).toBe(404);
  });
});
