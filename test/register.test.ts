// The public register of closed data and services: filled from harvested DCAT for every restricted or
// non-public record, kept by publishers through the API for their own records only, searchable, and
// exported as CSV and as RDF with DPV and DCAT terms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Parser } from 'n3';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { CATALOGUE, currentKpis } from '../src/quality/kpis.js';

const ADMIN = 'register-admin-key-0123456789abc';
const EX = 'https://data.example.be/id';
const ELI = 'http://www.ejustice.just.fgov.be/eli/wet/1990/01/15/1990015001/justel';
const records = (closedAccess: string) => `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
<${EX}/dataset/uitkeringen> a dcat:Dataset ; dct:title "Uitkeringen per persoon"@nl ; dct:description "Persoonsgegevens."@nl ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/${closedAccess}> ;
  dcatap:applicableLegislation <${ELI}> ;
  dct:publisher <https://data.example.be/id/org/werk> ;
  dct:rights [ a dct:RightsStatement ; <http://www.w3.org/2000/01/rdf-schema#label> "Enkel na machtiging van het Informatieveiligheidscomité."@nl ] ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Dienst Data"@nl ; vcard:hasEmail <mailto:data@werk.example.be> ] .
<https://data.example.be/id/org/werk> a <http://xmlns.com/foaf/0.1/Agent> ; <http://xmlns.com/foaf/0.1/name> "Departement Werk"@nl .
<http://publications.europa.eu/resource/authority/access-right/${closedAccess}> <http://www.w3.org/2004/02/skos/core#prefLabel> "beperkt"@nl .
<${EX}/dataset/open> a dcat:Dataset ; dct:title "Open cijfers"@nl ; dct:description "Open."@nl ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .
<${EX}/service/magda> a dcat:DataService ; dct:title "Dienst <script>alert(1)</script> persoonsgegevens"@nl ; dcat:endpointURL <https://magda.example.be/api> ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> .
`;

let services: Services;
let app: FastifyInstance;
let dir: string;
let werkKey: string;
let otherKey: string;
const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, key?: string, payload?: unknown, accept?: string) =>
  app.inject({
    method,
    url,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(payload ? { 'content-type': 'application/json' } : {}), ...(accept ? { accept } : {}) },
    payload: payload ? JSON.stringify(payload) : undefined,
  });
// The record in catalogue werk (another organisation holds a copy of one of them in its own).
const idOf = async (iri: string) => (await services.db.query<{ id: string }>("SELECT id FROM records WHERE iri = $1 AND catalog_id = 'werk'", [iri])).rows[0].id;
const push = async (body: string) => {
  const r = await app.inject({ method: 'POST', url: '/api/v1/catalogs/werk/records', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${werkKey}` }, payload: body });
  expect(r.statusCode, r.body).toBe(200);
  await services.links.discover();
};

const FLOW = {
  access: 'restricted',
  conditions: 'Gepseudonimiseerd, enkel voor wetenschappelijk onderzoek.',
  legalBasis: [{ iri: ELI, label: 'Wet van 15 januari 1990 (Kruispuntbank)' }],
  purposes: [{ label: 'Wetenschappelijk onderzoek naar de arbeidsmarkt' }],
  recipients: [{ name: 'Steunpunt Werk', iri: 'https://steunpuntwerk.example.be' }],
  decisions: [{ authority: 'Informatieveiligheidscomité', reference: 'Beraadslaging nr. 24/123', date: '2024-03-05', url: 'https://www.ksz-bcss.fgov.be/beraadslaging-24-123' }],
  dpo: { name: 'An Peeters', email: 'dpo@werk.example.be' },
  personalData: true,
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vb-register-'));
  services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: ADMIN, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_BASE_URL: 'http://vindbaar.test', VINDBAAR_LINK_CHECK: 'false' }), pino({ level: 'silent' }));
  app = await buildServer(services);
  werkKey = (await call('POST', '/api/v1/keys', ADMIN, { role: 'publisher', organisation: 'Departement Werk', label: 'werk' })).json().key;
  otherKey = (await call('POST', '/api/v1/keys', ADMIN, { role: 'publisher', organisation: 'Elders', label: 'elders' })).json().key;
  await push(records('RESTRICTED'));
});

afterAll(async () => {
  await app?.close();
  await services?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the access register', () => {
  it('lists every closed record from its harvested DCAT, and no open one', async () => {
    const r = (await call('GET', '/api/v1/register')).json();
    expect(r.total).toBe(2);
    const uitkeringen = r.items.find((e: { recordIri: string }) => e.recordIri === `${EX}/dataset/uitkeringen`);
    expect(uitkeringen).toMatchObject({ origin: 'harvested', access: 'restricted', legalBasis: [{ iri: ELI }], title: 'Uitkeringen per persoon' });
    // The conditions written out, not the access level's own label again ("beperkt").
    expect(uitkeringen.conditions).toBe('Enkel na machtiging van het Informatieveiligheidscomité.');
    expect(uitkeringen.request).toContain('data@werk.example.be');
    expect(r.items.find((e: { recordIri: string }) => e.recordIri === `${EX}/service/magda`)).toMatchObject({ access: 'non-public' });
  });

  it('lets the publisher record a data flow of its own record, and no one else', async () => {
    const id = await idOf(`${EX}/dataset/uitkeringen`);
    expect((await call('POST', `/api/v1/records/${id}/register`, undefined, FLOW)).statusCode).toBe(401);
    expect((await call('POST', `/api/v1/records/${id}/register`, otherKey, FLOW)).statusCode).toBe(403);
    const bad = await call('POST', `/api/v1/records/${id}/register`, werkKey, { ...FLOW, recipients: [{ name: 'x', iri: 'javascript:alert(1)' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect((await call('POST', `/api/v1/records/${id}/register`, werkKey, { conditions: 'zonder toegang' })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/records/nope/register', werkKey, FLOW)).statusCode).toBe(404);
    const made = await call('POST', `/api/v1/records/${id}/register`, werkKey, FLOW);
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ origin: 'publisher', recipients: FLOW.recipients, decisions: FLOW.decisions, dpo: FLOW.dpo });
    const entry = made.json().id;
    expect((await call('PUT', `/api/v1/register/${entry}`, otherKey, FLOW)).statusCode).toBe(403);
    const changed = await call('PUT', `/api/v1/register/${entry}`, werkKey, { ...FLOW, purposes: [{ label: 'Beleidsevaluatie' }] });
    expect(changed.json().purposes).toEqual([{ label: 'Beleidsevaluatie' }]);
    // The harvested entry follows the record: it cannot be edited.
    const harvested = (await call('GET', `/api/v1/register?record=${id}`)).json().items.find((e: { origin: string }) => e.origin === 'harvested');
    expect((await call('PUT', `/api/v1/register/${harvested.id}`, werkKey, FLOW)).statusCode).toBe(409);
    expect((await call('DELETE', `/api/v1/register/${harvested.id}`, werkKey)).statusCode).toBe(409);
  });

  it('is searchable by recipient, purpose and decision, and filterable by access', async () => {
    expect((await call('GET', '/api/v1/register?q=Steunpunt')).json().total).toBe(1);
    expect((await call('GET', '/api/v1/register?q=Beleidsevaluatie')).json().total).toBe(1);
    expect((await call('GET', `/api/v1/register?q=${encodeURIComponent('24/123')}`)).json().total).toBe(1);
    // The number of a law inside its ELI, and the ELI itself, find the entries that cite it.
    expect((await call('GET', '/api/v1/register?q=1990015001')).json().total).toBe(2);
    expect((await call('GET', `/api/v1/register?q=${encodeURIComponent(ELI)}`)).json().total).toBe(2);
    // The search is the expression of the index (migration 029), so the index serves it.
    const { searchRegister } = await import('../src/register/register.js');
    const seen: { sql: string; params?: unknown[] }[] = [];
    const spy = { query: (sql: string, params?: unknown[]) => (seen.push({ sql, params }), services.db.query(sql, params as never)) };
    await searchRegister(spy as never, { q: '1990015001', limit: 10, offset: 0 });
    const counted = seen.find((x) => x.sql.startsWith('SELECT count(*)'))!;
    expect(counted.sql).toContain(`${'to_tsvector'}('simple', translate(coalesce(title, '')`);
    expect(counted.sql).toContain("'/:#?=&', '      ')) @@ plainto_tsquery('simple', translate($1, '/:#?=&', '      '))");
    // A number with the digit 1 in it, a "?" and an "&" read as in the text, not as the query's parameter.
    expect((await call('GET', '/api/v1/register?q=1990')).json().total).toBe(2);
    expect((await call('GET', `/api/v1/register?q=${encodeURIComponent('Steunpunt?x=1&y=2')}`)).json().total).toBe(0);
    expect((await call('GET', `/api/v1/register?q=${encodeURIComponent('werk.example.be?')}`)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/register?access=non-public')).json().total).toBe(1);
    expect((await call('GET', '/api/v1/register?access=open')).statusCode).toBe(400);
  });

  it('exports as CSV and as RDF with DPV and DCAT terms', async () => {
    const csv = (await call('GET', '/api/v1/register.csv')).body.trim().split('\r\n');
    expect(csv[0]).toMatch(/^\uFEFF?record_iri,title,holder,publisher,access,origin,legal_basis,purposes,recipients,decisions,dpo,personal_data,conditions,request$/);
    expect(csv).toHaveLength(4);
    // Links stay beside the names they belong to.
    const flow = csv.find((l) => l.includes('Steunpunt Werk'))!;
    expect(flow).toContain('Steunpunt Werk <https://steunpuntwerk.example.be>');
    expect(flow).toContain('<https://www.ksz-bcss.fgov.be/beraadslaging-24-123>');
    expect(flow).toContain(`Wet van 15 januari 1990 (Kruispuntbank) <${ELI}>`);
    const ttl = await call('GET', '/api/v1/register', undefined, undefined, 'text/turtle');
    expect(ttl.headers['content-type']).toMatch(/^text\/turtle/);
    const quads = new Parser({ format: 'text/turtle' }).parse(ttl.body);
    const has = (p: string, o?: string) => quads.some((q) => q.predicate.value === p && (!o || q.object.value === o));
    expect(has('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'https://w3id.org/dpv#Process')).toBe(true);
    expect(has('https://w3id.org/dpv#hasLegalBasis', ELI)).toBe(true);
    expect(has('https://w3id.org/dpv#hasRecipient', 'https://steunpuntwerk.example.be')).toBe(true);
    expect(has('https://w3id.org/dpv#hasDataProtectionOfficer')).toBe(true);
    expect(has('https://w3id.org/dpv#hasDataController')).toBe(true);
    expect(quads.some((q) => q.predicate.value === 'https://w3id.org/dpv#hasDataController' && q.object.value === 'https://data.example.be/id/org/werk')).toBe(true);
    expect(has('http://xmlns.com/foaf/0.1/name', 'Departement Werk')).toBe(true);
    expect(has('http://purl.org/dc/terms/accessRights', 'http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC')).toBe(true);
  });

  it('takes ?format= as the quality route does, on the register, a record and its feedback', async () => {
    const id = await idOf(`${EX}/dataset/uitkeringen`);
    for (const url of ['/api/v1/register?format=ttl', `/api/v1/records/${id}?format=ttl`, `/api/v1/records/${id}/feedback?format=ttl`]) {
      const r = await call('GET', url);
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type'], url).toMatch(/^text\/turtle/);
    }
    expect((await call('GET', `/api/v1/records/${id}?format=nt`)).headers['content-type']).toMatch(/^application\/n-triples/);
    expect((await call('GET', '/api/v1/register?format=xls')).statusCode).toBe(400);
  });

  it('shows the register and the record’s data flows on the pages, hostile titles escaped', async () => {
    const page = (await call('GET', '/register')).body;
    expect(page).toContain('Register van gesloten data en diensten');
    expect(page).toContain('Steunpunt Werk');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await call('GET', '/en/register?access=non-public')).body).toContain('1 entry');
    const record = (await call('GET', `/datasets/${await idOf(`${EX}/dataset/uitkeringen`)}`)).body;
    expect(record).toContain('Gegevensstromen in het register');
    expect(record).toContain('Beraadslaging nr. 24/123');
  });

  it('takes a dataset\'s access from its distributions when it states none itself, as GeoDCAT-AP and CSW records do', async () => {
    // INSPIRE's limitation on public access on the distribution, the conditions of use as a licence
    // written out in a node without IRI.
    await push(`@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<${EX}/dataset/geluid> a dcat:Dataset ; dct:title "Geluidskaarten"@nl ; dct:description "Geluidscontouren."@nl ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://geo.example.be/geluid> ;
    dct:accessRights <http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/INSPIRE_Directive_Article13_1e> ;
    dct:license [ a dct:LicenseDocument ; rdfs:label "Enkel voor intern gebruik van het agentschap."@nl ] ] .`);
    const id = await idOf(`${EX}/dataset/geluid`);
    expect((await call('GET', `/api/v1/register?record=${id}`)).json().items).toMatchObject([{ origin: 'harvested', access: 'restricted' }]);
    const facts = await services.db.query<{ access: string }>('SELECT access FROM record_quality WHERE record_id = $1', [id]);
    expect(facts.rows[0].access).toBe('restricted');
    const page = (await app.inject({ url: `/datasets/${id}` })).body;
    expect(page).toContain('Enkel voor intern gebruik van het agentschap.');
    expect(page).toContain('LimitationsOnPublicAccess/INSPIRE_Directive_Article13_1e');
    expect(page).toMatch(/class="notice closed"/);
    const found = (await call('GET', '/api/v1/datasets?accessRights=http://publications.europa.eu/resource/authority/access-right/RESTRICTED')).json();
    expect(found.member.map((m: { iri: string }) => m.iri)).toContain(`${EX}/dataset/geluid`);
  });

  it('counts a dataset once in the register and the key figures, however many catalogues hold a copy', async () => {
    const before = (await currentKpis(services.db)).find((k) => k.publisher === CATALOGUE)!.figures;
    // Another organisation's portal republishes the closed dataset (same IRI) in its own catalogue.
    const copy = await app.inject({ method: 'POST', url: '/api/v1/catalogs/elders/records', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${otherKey}` }, payload: records('RESTRICTED') });
    expect(copy.statusCode, copy.body).toBe(200);
    await services.links.discover();
    const copies = await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM records WHERE iri = $1 AND deleted_at IS NULL', [`${EX}/dataset/uitkeringen`]);
    expect(copies.rows[0].n).toBe(2);
    const entries = (await call('GET', '/api/v1/register?q=Uitkeringen')).json().items.filter((e: { origin: string }) => e.origin === 'harvested');
    expect(entries).toHaveLength(1);
    const after = (await currentKpis(services.db)).find((k) => k.publisher === CATALOGUE)!.figures;
    expect(after.records).toBe(before.records);
    expect(after.access.restricted).toBe(before.access.restricted);
  });

  it('gives figures to an organisation named without an IRI, under the name search shows it by', async () => {
    await push(`@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
<${EX}/dataset/fijnstof> a dcat:Dataset ; dct:title "Evolutie fijn stof"@nl ; dct:description "Metingen."@nl ;
  dct:publisher [ a foaf:Agent ; foaf:name "Vlaamse Milieumaatschappij"@nl ] .`);
    const figures = await currentKpis(services.db, 'Vlaamse Milieumaatschappij');
    expect(figures.find((k) => k.publisher === 'Vlaamse Milieumaatschappij')?.figures.records).toBe(1);
    const facet = (await call('GET', '/api/v1/datasets?q=fijn%20stof')).json().facets.publisher;
    expect(facet.map((v: { value: string }) => v.value)).toContain('Vlaamse Milieumaatschappij');
  });

  it('names the organisation that holds the data, and finds entries by it and by where access is asked', async () => {
    await push(`@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<${EX}/dataset/percelen> a dcat:Dataset ; dct:title "Perceeleigenaars"@nl ; dct:description "Eigenaars."@nl ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> ;
  dct:publisher [ a foaf:Organization ; foaf:name "Agentschap Geodata"@nl ] ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Dataloket"@nl ; vcard:hasEmail <mailto:loket@geo.example.be> ] .`);
    for (const q of ['Geodata', 'dataloket']) {
      const found = (await call('GET', `/api/v1/register?q=${q}`)).json();
      expect(found.items.map((e: { recordIri: string }) => e.recordIri), q).toContain(`${EX}/dataset/percelen`);
    }
    const entry = (await call('GET', `/api/v1/register?record=${await idOf(`${EX}/dataset/percelen`)}`)).json().items[0];
    expect(entry.publisherName).toBe('Agentschap Geodata');
    expect((await app.inject({ url: '/register?q=Geodata' })).body).toMatch(/Houder van de gegevens<\/dt><dd>Agentschap Geodata/);
  });

  it('takes a withdrawn record\'s flows out of the public register, the publisher\'s own entries included', async () => {
    const id = await idOf(`${EX}/dataset/uitkeringen`);
    expect((await call('GET', `/api/v1/register?record=${id}`)).json().items.map((e: { origin: string }) => e.origin).sort()).toEqual(['harvested', 'publisher']);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/catalogs/werk/records/${id}`, headers: { authorization: `Bearer ${werkKey}` } })).statusCode).toBe(204);
    await services.links.discover();
    expect((await call('GET', `/api/v1/register?record=${id}`)).json().items).toEqual([]);
    expect((await call('GET', '/api/v1/register?q=Steunpunt')).json().total).toBe(0);
    // It comes back with the record.
    await push(records('RESTRICTED'));
    expect((await call('GET', `/api/v1/register?record=${id}`)).json().items.map((e: { origin: string }) => e.origin).sort()).toEqual(['harvested', 'publisher']);
  });

  it('follows the record: opened up, its harvested entry goes; the publisher’s own stays', async () => {
    await push(records('PUBLIC'));
    const id = await idOf(`${EX}/dataset/uitkeringen`);
    const left = (await call('GET', `/api/v1/register?record=${id}`)).json().items;
    expect(left.map((e: { origin: string }) => e.origin)).toEqual(['publisher']);
  });
});
