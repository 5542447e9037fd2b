// The search API over HTTP, the same on both backends: combined search, cursor walks through every
// result, autocomplete, the Atom feed of a search, the OpenSearch description and bad parameters.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Readable } from 'node:stream';
import { lastSegment } from '../src/search/labels.js';
import { buildServer } from '../src/server.js';
import { createServices, type Services } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loadSamplesIfEmpty } from '../src/samples.js';
import { loadRecords, recordJson } from '../src/api/records.js';
import { emptyFacets } from '../src/search/backend.js';
import { labelFacets, storeLabels } from '../src/search/labels.js';
import type { SearchDocument } from '../src/search/document.js';
import type { ElasticsearchSearch } from '../src/search/elasticsearch.js';

const esUrl = inject('esUrl');

describe.each([
  ['postgres', {}],
  ['elasticsearch', { ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX_PREFIX: `searchapi-${process.pid}-${Date.now()}` }],
] as const)('search API on %s', (name, env) => {
  const skip = name === 'elasticsearch' && !esUrl;
  let dir: string;
  let services: Services;
  let app: FastifyInstance;
  const get = (url: string) => app.inject({ url });

  beforeAll(async () => {
    if (skip) return;
    dir = mkdtempSync(join(tmpdir(), 'vindbaar-search-api-'));
    services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_BASE_URL: 'http://vindbaar.test', LOG_LEVEL: 'silent', ...env }), pino({ level: 'silent' }));
    await loadSamplesIfEmpty(services);
    app = await buildServer(services);
  }, 120_000);
  afterAll(async () => {
    if (skip) return;
    if (name === 'elasticsearch') await (services.search as ElasticsearchSearch).client.indices.delete({ index: `${env.ELASTICSEARCH_INDEX_PREFIX}-*` }).catch(() => undefined);
    await app?.close();
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)('/api/v1/search finds datasets and data services together, or one kind', async () => {
    const all = (await get('/api/v1/search?limit=1000')).json();
    const datasets = (await get('/api/v1/datasets?limit=1')).json().totalItems;
    const services_ = (await get('/api/v1/dataservices?limit=1')).json().totalItems;
    expect(all.totalItems).toBe(datasets + services_);
    const only = (await get('/api/v1/search?type=dataservice&limit=1000')).json();
    expect(only.totalItems).toBe(services_);
    expect((await get('/api/v1/search?type=nonsense')).statusCode).toBe(400);
  });

  it.skipIf(skip)('answers JSON or JSON-LD as Accept asks, and 406 for what it cannot give', async () => {
    for (const url of ['/api/v1/datasets?limit=1', '/api/v1/search?limit=1', '/api/v1/dataservices?limit=1']) {
      // A browser that asks for a page only gets the error as a page.
      expect((await app.inject({ url, headers: { accept: 'text/html' } })).statusCode).toBe(406);
      for (const accept of ['text/turtle', 'image/png']) {
        const r = await app.inject({ url, headers: { accept } });
        expect(r.statusCode, `${url} ${accept}`).toBe(406);
        expect(r.headers['content-type'], `${url} ${accept}`).toMatch(/^application\/problem\+json/);
        expect(r.json().available).toEqual(['application/json', 'application/ld+json']);
        expect(String(r.headers.vary)).toMatch(/\bAccept\b/);
      }
      for (const [accept, type] of [
        [undefined, 'application/json'],
        ['*/*', 'application/json'],
        ['application/json', 'application/json'],
        ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json'],
        ['application/ld+json', 'application/ld+json'],
        ['text/turtle, application/ld+json;q=0.5', 'application/ld+json'],
      ] as const) {
        const r = await app.inject({ url, headers: accept ? { accept } : {} });
        expect(r.statusCode, `${url} ${accept}`).toBe(200);
        expect(r.headers['content-type'], `${url} ${accept}`).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
        expect(r.headers.vary, `${url} ${accept}`).toMatch(/\bAccept\b/);
        expect(r.json()['@type']).toBe('Collection');
      }
    }
  });

  it.skipIf(skip)('a query of invisible characters or blanks is no query; invisible characters pasted inside words do not hide them', async () => {
    const all = (await get('/api/v1/search?limit=1')).json().totalItems;
    for (const q of ['\u200B', ' \u200B\uFEFF ', '   ']) expect((await get(`/api/v1/search?limit=1&q=${encodeURIComponent(q)}`)).json().totalItems, JSON.stringify(q)).toBe(all);
    const werk = (await get('/api/v1/search?limit=1&q=werkloosheid')).json().totalItems;
    expect(werk).toBeGreaterThan(0);
    expect((await get(`/api/v1/search?limit=1&q=${encodeURIComponent('werk\u200Bloosheid\uFEFF')}`)).json().totalItems).toBe(werk);
  });

  it.skipIf(skip)('a title pasted whole, dash and all, finds its dataset, and the total agrees with the members', async () => {
    const titles = (await get('/api/v1/datasets?limit=1000')).json().member.map((m: { title?: Record<string, string> }) => m.title?.nl).filter((t?: string) => t && / - /.test(t));
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles.slice(0, 10)) {
      const found = (await get(`/api/v1/search?limit=1000&q=${encodeURIComponent(title)}`)).json();
      expect(found.totalItems, title).toBeGreaterThan(0);
      expect(found.member.length, title).toBe(Math.min(found.totalItems, 1000));
      expect(found.member.some((m: { title?: Record<string, string> }) => m.title?.nl === title), title).toBe(true);
    }
    // A dash stuck to a word still excludes it.
    const all = (await get('/api/v1/search?q=werkloosheid&limit=1')).json().totalItems;
    const without = (await get('/api/v1/search?q=werkloosheid%20-vlaanderen&limit=1')).json().totalItems;
    expect(without).toBeLessThan(all);
  });

  it.skipIf(skip)('reads AND and NOT in capitals as the operators of other catalogues, and in lower case as words', async () => {
    const total = async (q: string) => (await get(`/api/v1/search?q=${encodeURIComponent(q)}&limit=1`)).json().totalItems as number;
    const both = await total('werk geslacht');
    const one = await total('werk');
    expect(both).toBeGreaterThan(0);
    expect(both).toBeLessThan(one);
    expect(await total('werk AND geslacht')).toBe(both);
    const without = await total('werk -geslacht');
    expect(without).toBeGreaterThan(0);
    expect(without).toBeLessThan(one);
    expect(await total('werk NOT geslacht')).toBe(without);
    expect(await total('werk NOT "geslacht"')).toBe(without);
    expect(await total('werk not geslacht')).not.toBe(without);
    expect(await total('NOT')).toBe(await total(''));
  });

  it.skipIf(skip)('a facet gives every value when asked for all: the publishers page lists each organisation', async () => {
    const base = { filters: {}, offset: 0, limit: 1, kinds: ['Dataset', 'DatasetSeries', 'DataService', 'Catalog'], sort: '-modified' as const };
    const first = await services.search.search(base);
    const all = await services.search.search({ ...base, facetLimit: 10_000 });
    expect(first.facets.publisher).toHaveLength(50);
    expect(all.facets.publisher.length).toBeGreaterThan(50);
    expect(all.facets.publisher.slice(0, 50)).toEqual(first.facets.publisher);
    const page = (await get('/publishers')).body;
    for (const p of all.facets.publisher.slice(-3)) expect(page).toContain(encodeURIComponent(p.value));
  });

  it.skipIf(skip)("the CSV download gives each dataset's licences, those on its distributions included", async () => {
    const facet = (await get('/api/v1/search?q=werkloosheid&limit=1')).json().facets.license as { value: string }[];
    expect(facet.length).toBeGreaterThan(0);
    const csv = (await get('/api/v1/search.csv?q=werkloosheid')).body;
    for (const { value } of facet) expect(csv).toContain(value);
  });

  it.skipIf(skip)('labels facet values in the language asked for, the vocabularies before a stored label in another language', async () => {
    const fr = (await get('/api/v1/search?lang=fr&limit=1')).json().facets;
    const theme = (iri: string) => fr.theme.find((v: { value: string }) => v.value.endsWith(iri));
    expect(theme('/ENVI')?.label).toBe('Environnement');
    const access = (await get('/api/v1/search?limit=1')).json().facets.accessRights as { value: string; label: string }[];
    for (const a of access) expect(a.label, a.value).not.toMatch(/^[A-Z_]+$/);
    expect(lastSegment('https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0')).toBe('modellicentie-gratis-hergebruik v1.0');
    expect(lastSegment('http://publications.europa.eu/resource/authority/language/NLD')).toBe('NLD');
    // Addresses that name their value in the query, and Belgian enterprise numbers (data.gov.be's publishers).
    expect(lastSegment('https://opendata.fluvius.be/explore/?refine.theme=Energietransitie%3A+adoptie+van+nieuwe+technologie%C3%ABn')).toBe('Energietransitie: adoptie van nieuwe technologieën');
    expect(lastSegment('https://example.org/thema?id=42')).toBe('thema 42');
    expect(lastSegment('https://org.belgif.be/id/CbeRegisteredEntity/0236916956', 'nl')).toBe('KBO-nummer 0236.916.956');
    expect(lastSegment('https://org.belgif.be/id/CbeRegisteredEntity/0236916956', 'en')).toBe('CBE number 0236.916.956');
    expect(lastSegment('https://org.belgif.be/id/CbeRegisteredEntity/0236916956')).toBe('KBO/BCE 0236.916.956');
    expect(lastSegment('http://sws.geonames.org/2802361/', 'fr')).toBe('Belgique');
    expect(lastSegment('https://sws.geonames.org/3337388/')).toBe('GeoNames 3337388');
    expect(lastSegment('http://sws.geonames.org/734077')).toBe('GeoNames 734077');
    expect(lastSegment('http://data.gov.be/geo/bmdc/51_84-3_37-51_09-2_24')).toBe('bmdc 51.84, 3.37, 51.09, 2.24');
    expect(lastSegment('http://example.org/geo/box/51_1--2_5')).toBe('box 51.1, -2.5');
    expect(lastSegment('https://org.belgif.be/id/CbeEstablishmentUnit/2143719695', 'nl')).toBe('Vestigingsnummer 2.143.719.695');
    // Belgian NUTS regions by name, in the language asked for; others by their code.
    expect(lastSegment('http://data.europa.eu/nuts/code/BE2', 'nl')).toBe('Vlaams Gewest');
    expect(lastSegment('http://data.europa.eu/nuts/code/BE2', 'fr')).toBe('Région flamande');
    expect(lastSegment('http://data.europa.eu/nuts/code/BE24', 'en')).toBe('Flemish Brabant');
    expect(lastSegment('http://data.europa.eu/nuts/code/NL3')).toBe('NUTS NL3');
  });

  it.skipIf(skip)('sorts and suggests by the title the pages show: a translation into Dutch by the source when nothing was written in Dutch', async () => {
    const translated = await services.db.query<{ id: string; json: { title: Record<string, string | string[]> } }>(
      `SELECT id, json FROM records WHERE deleted_at IS NULL AND (json->'title')::jsonb ?| ARRAY['nl-t-fr', 'nl-t-en', 'nl-t-de'] AND NOT (json->'title')::jsonb ? 'nl' AND jsonb_typeof((json->'title')::jsonb) = 'object' LIMIT 20`,
    );
    expect(translated.rows.length).toBeGreaterThan(0);
    for (const r of translated.rows) {
      const key = Object.keys(r.json.title).find((k) => k.startsWith('nl-t-'))!;
      const shown = [r.json.title[key]].flat().find((t) => typeof t === 'string')!.trim();
      const doc = await services.db.query<{ title: string }>('SELECT title FROM search_docs WHERE record_id = $1', [r.id]);
      if (name === 'postgres') expect(doc.rows[0]?.title, r.id).toBe(shown);
      const page = (await get(`/api/v1/search?q=${encodeURIComponent(`"${shown}"`)}&limit=50`)).json();
      expect(page.member.some((m: { id: string }) => m.id === r.id), shown).toBe(true);
    }
  });

  it.skipIf(skip)('a page is a view of the collection, which is the search itself without page, size or cursor', async () => {
    const r = (await get('/api/v1/search?q=werk&limit=5&page=2')).json();
    expect(r['@id']).toBe('http://vindbaar.test/api/v1/search?q=werk');
    expect(r.view['@id']).toBe('http://vindbaar.test/api/v1/search?q=werk&limit=5&page=2');
    expect(r.view['@id']).not.toBe(r['@id']);
  });

  it.skipIf(skip)('search members are the records as /api/v1/records gives them, built from their stored JSON text', async () => {
    const page = (await get('/api/v1/search?limit=1000')).json();
    expect(page.member.length).toBeGreaterThan(300);
    const records = await loadRecords(services, page.member.map((m: { id: string }) => m.id));
    for (const m of page.member) {
      const { highlight: _h, ...member } = m;
      void _h;
      expect(member).toEqual(recordJson(records.get(m.id)!, 'http://vindbaar.test', false));
    }
    // Sent as JSON, as before, and HEAD answers the same headers without a body.
    const res = await get('/api/v1/datasets?limit=5');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const head = await app.inject({ method: 'HEAD', url: '/api/v1/datasets?limit=5' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(head.body).toBe('');
    // Highlights come as an extra member of each record.
    const found = (await get('/api/v1/datasets?q=werkzoekenden')).json();
    expect(found.member.some((m: { highlight?: { title: string } }) => m.highlight?.title.includes('<mark>'))).toBe(true);
  });

  it.skipIf(skip)('facet labels, remembered as shown, follow labels stored later', async () => {
    const iri = `http://example.org/org/${name}-labelled`;
    const labelled = async (lang: string) => {
      const facets = emptyFacets();
      facets.publisher = [{ value: iri, count: 1 }];
      await labelFacets(services.db, facets, lang);
      return facets.publisher[0].label;
    };
    expect(await labelled('nl')).toBe(`${name}-labelled`);
    expect(await labelled('nl')).toBe(`${name}-labelled`);
    await storeLabels(services.db, [{ labels: { [iri]: { nl: 'Organisatie met label', en: 'Labelled organisation' } } } as unknown as SearchDocument]);
    expect(await labelled('nl')).toBe('Organisatie met label');
    expect(await labelled('en')).toBe('Labelled organisation');
  });

  it.skipIf(skip)('filters take the codes people write (ECON, CSV, public, nl, text/csv) as the IRIs records use', async () => {
    const EU = 'http://publications.europa.eu/resource/authority/';
    const total = async (query: string) => (await get(`/api/v1/search?limit=1&${query}`)).json().totalItems as number;
    for (const [code, iri] of [
      ['theme=ECON', `theme=${encodeURIComponent(`${EU}data-theme/ECON`)}`],
      ['format=csv', `format=${encodeURIComponent(`${EU}file-type/CSV`)}`],
      ['accessRights=public', `accessRights=${encodeURIComponent(`${EU}access-right/PUBLIC`)}`],
      ['language=nl', `language=${encodeURIComponent(`${EU}language/NLD`)}`],
      ['language=NLD', `language=${encodeURIComponent(`${EU}language/NLD`)}`],
      ['mediaType=text/csv', `mediaType=${encodeURIComponent('https://www.iana.org/assignments/media-types/text/csv')}&mediaType=${encodeURIComponent('http://www.iana.org/assignments/media-types/text/csv')}`],
    ]) {
      const byIri = await total(iri);
      expect(byIri, iri).toBeGreaterThan(0);
      expect(await total(code), code).toBe(byIri);
    }
    // A value that is no code of the field is looked for as it is.
    expect(await total('theme=nothing-like-this')).toBe(0);
    // A keyword as people type it: case, blanks and Unicode form do not matter ("Biodiversität" with
    // a decomposed ä, padded and in capitals, is the facet's "biodiversität").
    const keyword = await total('keyword=biodiversit%C3%A4t');
    expect(keyword).toBeGreaterThan(0);
    expect(await total(`keyword=${encodeURIComponent('  BIODIVERSITA\u0308T ')}`)).toBe(keyword);
    // A blank value is no filter (a form's empty choice), for keywords as for the other facets; a
    // typographic apostrophe is the typed one.
    const all = await total('q=');
    expect(await total('keyword=%20%20')).toBe(all);
    expect(await total('theme=&format=')).toBe(all);
    const straight = await total(`keyword=${encodeURIComponent("gebieden met natuurrisico's")}`);
    expect(straight).toBeGreaterThan(0);
    expect(await total(`keyword=${encodeURIComponent('Gebieden met natuurrisico’s')}`)).toBe(straight);
  });

  it.skipIf(skip)('words no record holds together find the records that hold some of them, and say so', async () => {
    const both = (await get('/api/v1/search?q=werkloosheidsgraad%20geslacht&limit=50')).json();
    expect(both.totalItems).toBeGreaterThan(0);
    expect(both.anyWords).toBeUndefined();
    const one = (await get('/api/v1/search?q=werkloosheidsgraad&limit=50')).json().totalItems;
    const other = (await get('/api/v1/search?q=fietsenstalling&limit=50')).json().totalItems;
    expect(one).toBeGreaterThan(0);
    expect(other).toBeGreaterThan(0);
    const apart = (await get('/api/v1/search?q=werkloosheidsgraad%20fietsenstalling&limit=50')).json();
    expect(apart.anyWords).toBe(true);
    expect(apart.totalItems).toBe(one + other);
    // Operators say what they mean: left as they are.
    const quoted = (await get('/api/v1/search?q=%22werkloosheidsgraad%20fietsenstalling%22')).json();
    expect(quoted.totalItems).toBe(0);
    expect(quoted.anyWords).toBeUndefined();
    const page = (await get('/search?q=werkloosheidsgraad%20fietsenstalling')).body;
    expect(page).toContain('Geen resultaten met al deze woorden samen');
  });

  it.skipIf(skip)('facet values are named as records name them, the vocabularies\' own labels first', async () => {
    const ttl = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix skos: <http://www.w3.org/2004/02/skos/core#>.
      <http://example.org/ds/${name}-named> a dcat:Dataset; dct:title "Fietstellingen ${name}"@nl; dct:description "Tellingen"@nl;
        dcat:theme <http://example.org/thema/${name}-mobiliteit>, <http://publications.europa.eu/resource/authority/data-theme/ECON>;
        dct:license <http://example.org/licentie/${name}-open>; dct:spatial <https://sws.geonames.org/${name === 'postgres' ? 2797656 : 2797657}/>.
      <http://example.org/thema/${name}-mobiliteit> a skos:Concept; skos:prefLabel "Mobiliteit en fietsen"@nl, "Mobility and cycling"@en.
      <http://publications.europa.eu/resource/authority/data-theme/ECON> a skos:Concept; skos:prefLabel "ECONOMIE"@nl.
      <http://example.org/licentie/${name}-open> a dct:LicenseDocument; dct:title "Open licentie van de stad"@nl.
      <https://sws.geonames.org/${name === 'postgres' ? 2797656 : 2797657}/> a dct:Location; skos:prefLabel "Gent"@nl.
      <http://example.org/ds/${name}-named> dct:publisher <http://publications.europa.eu/resource/authority/corporate-body/${name === 'postgres' ? 'ESTAT' : 'JRC'}>.
      <http://publications.europa.eu/resource/authority/corporate-body/${name === 'postgres' ? 'ESTAT' : 'JRC'}> a <http://xmlns.com/foaf/0.1/Agent>; <http://xmlns.com/foaf/0.1/name> "${name === 'postgres' ? 'Eurostat' : 'Joint Research Centre'}"@en.`;
    await services.ingest(Readable.from([ttl]), { catalogId: `named-${name}`, source: { id: `named-${name}`, kind: 'file', location: null }, format: 'turtle', baseIRI: 'http://example.org/' });
    await services.reindexPending();
    const labels = async (lang: string) => {
      const facets = (await get(`/api/v1/search?q=Fietstellingen&lang=${lang}`)).json().facets as Record<string, { value: string; label: string }[]>;
      return Object.fromEntries(Object.values(facets).flat().map((v) => [v.value, v.label]));
    };
    const nl = await labels('nl');
    expect(nl[`http://example.org/thema/${name}-mobiliteit`]).toBe('Mobiliteit en fietsen');
    expect(nl[`http://example.org/licentie/${name}-open`]).toBe('Open licentie van de stad');
    expect(nl[`https://sws.geonames.org/${name === 'postgres' ? 2797656 : 2797657}/`]).toBe('Gent');
    // An EU data theme keeps the EU's own name, whatever a record calls it.
    expect(nl['http://publications.europa.eu/resource/authority/data-theme/ECON']).toBe('Economie en financiën');
    // An EU body as publisher keeps the name the record gives it: no table here names those.
    expect(nl[`http://publications.europa.eu/resource/authority/corporate-body/${name === 'postgres' ? 'ESTAT' : 'JRC'}`]).toBe(name === 'postgres' ? 'Eurostat' : 'Joint Research Centre');
    const en = await labels('en');
    expect(en[`http://example.org/thema/${name}-mobiliteit`]).toBe('Mobility and cycling');
    expect(en['http://publications.europa.eu/resource/authority/data-theme/ECON']).toBe('Economy and finance');
  });

  it.skipIf(skip)('a cursor walk visits every result once, at any depth, with facets on its first page only', async () => {
    // Sorted by a date some records lack: their sort values must travel in the cursor too.
    const undated = await services.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM records WHERE kind IN ('Dataset', 'DatasetSeries', 'DataService') AND deleted_at IS NULL AND json->'issued' IS NULL",
    );
    expect(undated.rows[0].n).toBeGreaterThan(0);
    for (const sort of ['title', '-issued']) await walk(sort);
  });

  it.skipIf(skip)('a cursor walk skips no result when records change during the walk', async () => {
    const everything = new Set<string>((await get('/api/v1/search?limit=1000')).json().member.map((m: { id: string }) => m.id));
    const seen = new Set<string>();
    let url = '/api/v1/search?cursor=*&limit=40&sort=modified';
    for (let pages = 0; url && pages < 50; pages++) {
      const body = (await get(url)).json();
      for (const m of body.member) seen.add(m.id);
      if (pages === 0) {
        // The first hit changes: it is now the most recently modified, at the other end of the order.
        const r = (await services.db.query<{ catalog_id: string; iri: string; nquads: string }>('SELECT catalog_id, iri, nquads FROM records WHERE id = $1', [body.member[0].id])).rows[0];
        const modified = '<http://purl.org/dc/terms/modified>';
        const kept = r.nquads.split('\n').filter((l) => !(l.startsWith(`<${r.iri}> ${modified}`)));
        const changed = `${kept.join('\n')}\n<${r.iri}> ${modified} "2099-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n`;
        const report = await services.ingest(Readable.from([changed]), { catalogId: r.catalog_id, source: { id: 'touch', kind: 'file', location: null }, format: 'ntriples' });
        expect(report.updated).toBe(1);
        await services.reindexPending();
      }
      url = body.view.next ? body.view.next.replace('http://vindbaar.test', '') : '';
    }
    for (const id of everything) expect(seen.has(id), id).toBe(true);
  });

  async function walk(sort: string) {
    const seen: string[] = [];
    let url = `/api/v1/search?cursor=*&limit=40&sort=${sort}`;
    let pages = 0;
    let total = 0;
    while (url && pages < 50) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      const body = r.json();
      total = body.totalItems;
      if (pages === 0) expect(body.facets.catalog.length).toBeGreaterThan(0);
      else expect(body.facets).toBeUndefined();
      seen.push(...body.member.map((m: { id: string }) => m.id));
      pages++;
      url = body.view.next ? body.view.next.replace('http://vindbaar.test', '') : '';
      if (body.view.next) expect(body.nextCursor).toBeTruthy();
    }
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 40));
    const bad = await get('/api/v1/search?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    // Forged cursors of the right shape: a clear 400 that names the cursor, never database text.
    for (const forged of [{ after: [1e300] }, { after: [-1] }, { after: ['x'] }, { after: ['k', 'not a date', 'abc'] }]) {
      const r = await get(`/api/v1/search?cursor=${Buffer.from(JSON.stringify(forged)).toString('base64url')}`);
      expect(r.statusCode, JSON.stringify(forged)).toBe(400);
      expect(r.json().detail, JSON.stringify(forged)).toMatch(/[Cc]ursor/);
      expect(r.json().detail).not.toMatch(/syntax|bigint/);
    }
  }

  it.skipIf(skip)('/api/v1/suggest completes titles as they are typed', async () => {
    const r = await get('/api/v1/suggest?q=werkz');
    expect(r.statusCode).toBe(200);
    const { suggestions } = r.json();
    expect(suggestions.length).toBeGreaterThan(0);
    for (const s of suggestions) expect(s.title.toLowerCase()).toMatch(/\bwerkz/);
    expect(suggestions[0].url).toMatch(/^http:\/\/vindbaar\.test\/api\/v1\/records\//);
    expect((await get('/api/v1/suggest?q=')).statusCode).toBe(400);
    expect((await get(`/api/v1/suggest?q=${'x'.repeat(101)}`)).statusCode).toBe(400);
  });

  it.skipIf(skip)('an Atom feed of a search lists the newest changes; an OpenSearch description points at the API', async () => {
    const feed = await get('/api/v1/search.atom?q=werk&limit=5');
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toMatch(/application\/atom\+xml/);
    expect(feed.body.match(/<entry>/g)).toHaveLength(5);
    const updated = [...feed.body.matchAll(/<entry>.*?<updated>([^<]+)<\/updated>/g)].map((m) => m[1]);
    expect([...updated].sort().reverse()).toEqual(updated);
    const os = await get('/opensearch.xml');
    expect(os.headers['content-type']).toMatch(/opensearchdescription\+xml/);
    expect(os.body).toContain('template="http://vindbaar.test/api/v1/search?q={searchTerms}');
    expect(feed.body).toMatch(/<feed[^>]*>[^]*<author><name>[^<]+<\/name>/);
    // Every template, filled in as a client does, answers; browsers find a web page template.
    const templates = [...os.body.matchAll(/type="([^"]+)"[^>]*template="([^"]+)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]);
    expect(templates.map(([type]) => type)).toContain('text/html');
    for (const [, t] of templates) {
      const url = t.replace('http://vindbaar.test', '').replace('{searchTerms}', 'werk').replace('{startPage}', '1');
      expect((await get(url)).statusCode, url).toBe(200);
    }
  });

  it.skipIf(skip)('marks the words that matched in each title', async () => {
    const r = (await get('/api/v1/search?q=werkzoekenden&limit=5')).json();
    expect(r.member.length).toBeGreaterThan(0);
    const marked = r.member.map((m: { highlight?: { title: string } }) => m.highlight?.title).filter(Boolean);
    expect(marked.length).toBeGreaterThan(0);
    for (const t of marked) expect(t).toMatch(/<mark>[^<]*werkzoekenden[^<]*<\/mark>/i);
    const plain = (await get('/api/v1/search?limit=5')).json();
    expect(plain.member.every((m: { highlight?: unknown }) => m.highlight === undefined)).toBe(true);
  });

  it.skipIf(skip)('a typo finds the intended records on Elasticsearch, flagged as fuzzy; exact words are never fuzzy', async () => {
    const exact = (await get('/api/v1/search?q=werkzoekenden')).json();
    expect(exact.totalItems).toBeGreaterThan(0);
    expect(exact.fuzzy).toBeUndefined();
    const typo = (await get('/api/v1/search?q=werkzeokenden')).json();
    if (name === 'elasticsearch') {
      expect(typo.fuzzy).toBe(true);
      expect(typo.totalItems).toBeGreaterThan(0);
    } else expect(typo.totalItems).toBe(0); // Postgres full text has no fuzzy matching
  });

  it.skipIf(skip)('bad filters get 400 problem+json saying which', async () => {
    for (const [url, says] of [
      ['/api/v1/search?bbox=5,50,3,51', 'bbox'],
      ['/api/v1/search?bbox=1,2,3', 'bbox'],
      ['/api/v1/search?issuedFrom=2024-01-01&issuedTo=2020-01-01', 'issuedFrom'],
      ['/api/v1/search?modifiedFrom=yesterday', 'modifiedFrom'],
      ['/api/v1/search?issuedFrom=2020-02-30', 'issuedFrom'],
      ['/api/v1/search?temporalTo=0000-01-01', 'temporalTo'],
      ['/api/v1/search?limit=5000', 'limit'],
      ['/api/v1/search?page=0', 'page'],
    ]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
      expect(r.json().detail, url).toContain(says);
    }
  });
});
