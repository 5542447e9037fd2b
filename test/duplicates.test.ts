// The same dataset from two sources is linked, not merged: the publisher's own portal is the primary,
// the aggregator's copy points at it, search shows one hit, and the record shows its copies.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { createSource } from '../src/store/sources.js';
import { createKey } from '../src/store/keys.js';
import { startCorpusServer, type CorpusServer } from './support/corpus-http.js';

let server: CorpusServer;
let services: Services;
let app: FastifyInstance;
let dir: string;
let own: string[];
let aggregated: string[];

const ttl = (datasets: { iri: string; title: string; identifier?: string; url?: string }[]) =>
  `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.\n` +
  datasets
    .map(
      (d) =>
        `<${d.iri}> a dcat:Dataset; dct:title "${d.title}"@nl; dct:description "Beschrijving van ${d.title}"@nl${d.identifier ? `; dct:identifier "${d.identifier}"` : ''}` +
        `${d.url ? `; dcat:distribution [ a dcat:Distribution; dcat:accessURL <${d.url}> ]` : ''}.`,
    )
    .join('\n');

const hits = async (q: string) => (await app.inject({ url: `/api/v1/search?q=${encodeURIComponent(q)}` })).json() as { totalItems: number; member: { id: string }[] };

beforeAll(async () => {
  server = await startCorpusServer();
  dir = mkdtempSync(join(tmpdir(), 'vindbaar-dup-'));
  services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8', VINDBAAR_DEFAULT_PROFILE: 'none' }), pino({ level: 'silent' }));
  app = await buildServer(services);
  const base = server.url; // http://127.0.0.1:<port>: the portal that mints the IRIs
  own = [`${base}/ds/luchtkwaliteit`, `${base}/ds/geluid`, `${base}/ds/verkeer`];
  // The aggregator republishes them: one with https and a trailing slash, one under its own IRI with the
  // same identifier, one under its own IRI with the same download and title; and one of its own.
  aggregated = [own[0].replace('http:', 'https:') + '/', 'http://aggregator.example/ds/1', 'http://aggregator.example/ds/2', 'http://aggregator.example/ds/3'];
  server.route('/own', (_req, res) => {
    res.setHeader('content-type', 'text/turtle');
    res.end(
      ttl([
        { iri: own[0], title: 'Luchtkwaliteit Gent' },
        { iri: own[1], title: 'Geluidskaarten Gent', identifier: '5f0c1a52-7d2e-4bb1-9d1e-1c0ffee00001' },
        { iri: own[2], title: 'Verkeerstellingen Gent', url: 'https://data.gent.be/files/verkeer.csv' },
      ]),
    );
  });
  server.route('/aggregator', (_req, res) => {
    res.setHeader('content-type', 'text/turtle');
    res.end(
      ttl([
        { iri: aggregated[0], title: 'Luchtkwaliteit (Gent)' },
        { iri: aggregated[1], title: 'Geluid', identifier: '5F0C1A52-7D2E-4BB1-9D1E-1C0FFEE00001' },
        { iri: aggregated[2], title: 'Verkeerstellingen Gent', url: 'https://data.gent.be/files/verkeer.csv' },
        { iri: aggregated[3], title: 'Waterpeil Schelde' },
      ]),
    );
  });
  // Registered under the loopback name, so that the aggregator's host is not the IRIs' host.
  await createSource(services.db, { id: 'aggregator', type: 'dcat', url: `http://localhost:${new URL(base).port}/aggregator` });
  await createSource(services.db, { id: 'gent', type: 'dcat', url: `${base}/own` });
});
afterAll(async () => {
  await app?.close();
  await services?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the same dataset from two sources', () => {
  it('is linked to the publisher\'s own record, which search shows alone, although the aggregator was first', async () => {
    expect((await services.harvesting.run('aggregator')).status).toBe('succeeded');
    expect((await hits('Gent')).totalItems).toBe(2);
    // What a client holds of the aggregator's record before it becomes a copy (HTTP dates have whole
    // seconds: the linking must fall in a later one for If-Modified-Since to tell).
    const aggregatorId = (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [aggregated[1]])).rows[0].id;
    const before = await app.inject({ url: `/api/v1/records/${aggregatorId}`, headers: { accept: 'application/json' } });
    const historyBefore = (await app.inject({ url: `/api/v1/records/${aggregatorId}/history` })).json();
    await new Promise((r) => setTimeout(r, 1100));
    const g = await services.harvesting.run('gent');
    expect(g.status, JSON.stringify(g)).toBe('succeeded');
    const copies = await services.db.query<{ iri: string; primary_iri: string }>(
      'SELECT c.iri, p.iri AS primary_iri FROM records c JOIN records p ON p.id = c.duplicate_of ORDER BY c.iri',
    );
    expect(copies.rows).toEqual([
      { iri: aggregated[1], primary_iri: own[1] },
      { iri: aggregated[2], primary_iri: own[2] },
      { iri: aggregated[0], primary_iri: own[0] },
    ].sort((a, b) => (a.iri < b.iri ? -1 : 1)));
    // One hit per dataset: the three of Gent's portal, and the aggregator's own one.
    const all = await app.inject({ url: '/api/v1/search?limit=50' });
    expect(all.json().totalItems).toBe(4);
    // Gent's three, not its three and the aggregator's two copies.
    const gent = await hits('Gent');
    expect(gent.totalItems).toBe(3);
    // Its triples did not change, but it is served as a copy now: a client that asks with the date it
    // was given alone gets the new answer, not 304; its version history still starts where it did.
    const since = await app.inject({ url: `/api/v1/records/${aggregatorId}`, headers: { accept: 'application/json', 'if-modified-since': String(before.headers['last-modified']) } });
    expect(since.statusCode).toBe(200);
    expect(since.json().copyOf).toBeDefined();
    expect(Date.parse(String(since.headers['last-modified']))).toBeGreaterThan(Date.parse(String(before.headers['last-modified'])));
    const historyAfter = (await app.inject({ url: `/api/v1/records/${aggregatorId}/history` })).json();
    expect(historyAfter.versions).toEqual(historyBefore.versions);
  });

  it('the record shows its copies with their provenance, and a copy names its primary', async () => {
    const id = (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [own[1]])).rows[0].id;
    const primary = (await app.inject({ url: `/api/v1/datasets/${id}` })).json();
    expect(primary.origin).toMatchObject({ source: 'gent', originalIri: own[1] });
    expect(primary.origin.run).toMatch(/\/api\/v1\/runs\/\d+$/);
    expect(primary.copies).toHaveLength(1);
    expect(primary.copies[0]).toMatchObject({ iri: aggregated[1], source: 'aggregator' });
    const copy = (await app.inject({ url: primary.copies[0].href.replace('http://127.0.0.1:3000', '') })).json();
    expect(copy.copyOf).toContain(id);
    // A copy lists its primary first, with the same provenance as any copy: where it came from.
    expect(copy.copies[0]).toMatchObject({ id, primary: true, iri: own[1], catalog: primary.catalogId, source: 'gent', fetchedAt: expect.stringMatching(/^\d{4}-/) });
    // The page names each copy with its catalogue's title, not its id.
    const catalogue = (await services.db.query<{ id: string }>('SELECT catalog_id AS id FROM records WHERE iri = $1', [aggregated[1]])).rows[0].id;
    // Without a title the id stands in.
    expect((await app.inject({ url: `/datasets/${id}` })).body).toContain(`</a> (${catalogue})</li>`);
    await services.db.query("UPDATE catalogs SET title = 'Verzamelportaal Vlaanderen' WHERE id = $1", [catalogue]);
    expect((await app.inject({ url: `/datasets/${id}` })).body).toContain('</a> (Verzamelportaal Vlaanderen)</li>');
  });

  it('the catalogue lists each dataset once, and one source\'s view all of its records, copies included', async () => {
    const datasets = async (url: string) => {
      const res = await app.inject({ url, headers: { accept: 'application/n-triples' } });
      expect(res.statusCode, res.body).toBe(200);
      return new Set([...res.body.matchAll(/^<([^>]+)> <http:\/\/www\.w3\.org\/1999\/02\/22-rdf-syntax-ns#type> <http:\/\/www\.w3\.org\/ns\/dcat#Dataset> /gm)].map((m) => m[1]));
    };
    const whole = await datasets('/catalog?limit=100');
    expect(whole).toEqual(new Set([...own, aggregated[3]]));
    const aggregator = await datasets('/catalog?source=aggregator&limit=100');
    expect(aggregator).toEqual(new Set(aggregated));
  });

  it('a primary is served anew when one of its copies changes', async () => {
    const id = (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [own[1]])).rows[0].id;
    const first = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle' } });
    expect((await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle', 'if-modified-since': String(first.headers['last-modified']) } })).statusCode).toBe(304);
    await new Promise((r) => setTimeout(r, 1100));
    // The aggregator's copy changes (a new title): the primary lists it with its new fetch time.
    server.route('/aggregator', (_req, res) => {
      res.setHeader('content-type', 'text/turtle');
      res.end(ttl([{ iri: aggregated[1], title: 'Geluid in Gent', identifier: '5F0C1A52-7D2E-4BB1-9D1E-1C0FFEE00001' }, { iri: aggregated[3], title: 'Waterpeil Schelde' }, { iri: aggregated[0], title: 'Luchtkwaliteit (Gent)' }, { iri: aggregated[2], title: 'Verkeerstellingen Gent', url: 'https://data.gent.be/files/verkeer.csv' }]));
    });
    expect(await services.harvesting.run('aggregator')).toMatchObject({ status: 'succeeded', updated: 1 });
    const since = await app.inject({ url: `/api/v1/records/${id}`, headers: { accept: 'text/turtle', 'if-modified-since': String(first.headers['last-modified']) } });
    expect(since.statusCode).toBe(200);
    expect(since.headers.etag).not.toBe(first.headers.etag);
  });

  it('when the primary is withdrawn, its copy takes over and is found again', async () => {
    server.route('/own', (_req, res) => {
      res.setHeader('content-type', 'text/turtle');
      res.end(ttl([{ iri: own[1], title: 'Geluidskaarten Gent', identifier: '5f0c1a52-7d2e-4bb1-9d1e-1c0ffee00001' }, { iri: own[2], title: 'Verkeerstellingen Gent', url: 'https://data.gent.be/files/verkeer.csv' }]));
    });
    await services.db.query("UPDATE sources SET max_withdraw_share = 0.5 WHERE id = 'gent'");
    const run = await services.harvesting.run('gent');
    expect(run).toMatchObject({ status: 'succeeded', deleted: 1 });
    const copy = await services.db.query<{ duplicate_of: string | null }>('SELECT duplicate_of FROM records WHERE iri = $1', [aggregated[0]]);
    expect(copy.rows[0].duplicate_of).toBeNull();
    const found = await hits('Luchtkwaliteit');
    expect(found.totalItems).toBe(1);
  });
});

describe('pushes and identifiers that do not make copies of strangers', () => {
  const push = async (key: string, catalog: string, body: string) => {
    const r = await app.inject({ method: 'POST', url: `/api/v1/catalogs/${catalog}/records`, headers: { authorization: `Bearer ${key}`, 'content-type': 'text/turtle' }, payload: body });
    expect(r.statusCode, r.body).toBe(200);
  };
  const primaryOf = async (iri: string) =>
    (await services.db.query<{ catalog_id: string }>('SELECT catalog_id FROM records WHERE iri = $1 AND deleted_at IS NULL AND duplicate_of IS NULL', [iri])).rows.map((r) => r.catalog_id);
  const PREFIXES = '@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix foaf: <http://xmlns.com/foaf/0.1/>.\n';

  it('a push by another organisation does not take over a dataset harvested from elsewhere; the publisher\'s own push does', async () => {
    // "Waterpeil Schelde", harvested from the aggregator (which did not mint its IRI), names its publisher.
    server.route('/aggregator', (_req, res) => {
      res.setHeader('content-type', 'text/turtle');
      res.end(`${PREFIXES}<${aggregated[3]}> a dcat:Dataset; dct:title "Waterpeil Schelde"@nl; dct:description "Peilen."@nl; dct:publisher [ foaf:name "De Vlaamse Waterweg" ].`);
    });
    await services.db.query("UPDATE sources SET max_withdraw_share = 1 WHERE id = 'aggregator'");
    expect((await services.harvesting.run('aggregator')).status).toBe('succeeded');
    expect(await primaryOf(aggregated[3])).toEqual(['aggregator']);
    const stranger = await createKey(services.db, 'publisher', 'x', 'Stad Antwerpen');
    await push(stranger, 'antwerpen', `${PREFIXES}<${aggregated[3]}> a dcat:Dataset; dct:title "Waterpeil Schelde (oude kopie)"@nl; dct:publisher [ foaf:name "Stad Antwerpen" ].`);
    expect(await primaryOf(aggregated[3])).toEqual(['aggregator']);
    expect((await hits('Waterpeil')).member).toHaveLength(1);
    // A dataset whose publisher is an IRI only (no name to match): no push takes it over either.
    server.route('/aggregator', (_req, res) => {
      res.setHeader('content-type', 'text/turtle');
      res.end(`${PREFIXES}<${aggregated[3]}> a dcat:Dataset; dct:title "Waterpeil Schelde"@nl; dct:description "Peilen."@nl; dct:publisher [ foaf:name "De Vlaamse Waterweg" ].
<http://aggregator.example/ds/4> a dcat:Dataset; dct:title "Debiet Maas"@nl; dct:publisher <https://org.example/vmm>.`);
    });
    expect((await services.harvesting.run('aggregator')).status).toBe('succeeded');
    await push(stranger, 'antwerpen', `${PREFIXES}<http://aggregator.example/ds/4> a dcat:Dataset; dct:title "Debiet Maas"@nl; dct:publisher [ foaf:name "Stad Antwerpen" ].`);
    expect(await primaryOf('http://aggregator.example/ds/4')).toEqual(['aggregator']);
    // The publisher itself, pushing into its own catalogue, is the primary.
    const owner = await createKey(services.db, 'publisher', 'y', 'De Vlaamse Waterweg');
    await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/antwerpen/records/${encodeURIComponent(aggregated[3])}`, headers: { authorization: `Bearer ${stranger}` } });
    await push(owner, 'waterweg', `${PREFIXES}<${aggregated[3]}> a dcat:Dataset; dct:title "Waterpeil Schelde"@nl; dct:publisher [ foaf:name "De Vlaamse Waterweg" ].`);
    expect(await primaryOf(aggregated[3])).toEqual(['waterweg']);
  });

  it('two cities\' datasets with the same plain identifier stay two datasets; the same identifier of the same publisher links', async () => {
    const gent = await createKey(services.db, 'publisher', 'g', 'Stad Gent');
    const antwerpen = await createKey(services.db, 'publisher', 'a', 'Stad Antwerpen');
    await push(gent, 'gent-push', `${PREFIXES}<https://data.stad.gent/id/dataset/begraafplaatsen> a dcat:Dataset; dct:identifier "begraafplaatsen"; dct:title "Begraafplaatsen Gent"@nl; dct:publisher <https://stad.gent/id/org>.`);
    await push(antwerpen, 'antwerpen', `${PREFIXES}<https://portaal.antwerpen.be/id/dataset/begraafplaatsen> a dcat:Dataset; dct:identifier "begraafplaatsen"; dct:title "Begraafplaatsen Antwerpen"@nl; dct:publisher <https://antwerpen.be/id/org>.`);
    expect(await primaryOf('https://portaal.antwerpen.be/id/dataset/begraafplaatsen')).toEqual(['antwerpen']);
    expect(await primaryOf('https://data.stad.gent/id/dataset/begraafplaatsen')).toEqual(['gent-push']);
    expect((await hits('Begraafplaatsen')).totalItems).toBe(2);
    // Republished under another IRI with the same publisher and identifier: a copy.
    const admin = await createKey(services.db, 'admin', 'z');
    await push(admin, 'aggregaat', `${PREFIXES}<https://aggregaat.example/ds/9> a dcat:Dataset; dct:identifier "begraafplaatsen"; dct:title "Begraafplaatsen"@nl; dct:publisher <https://stad.gent/id/org>.`);
    expect(await primaryOf('https://aggregaat.example/ds/9')).toEqual([]);
  });
});
