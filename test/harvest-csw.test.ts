// Harvesting a real CSW: pycsw serving the ISO 19139 records of the SEMIC iso-19139-to-dcat-ap cases,
// read in small pages; then the ways a CSW fails, from a small server of our own: an exception report,
// malformed XML, a hostile DOCTYPE, a paging loop, a record that cannot be mapped. A page that fails
// ends the run partial or failed, says where, and withdraws nothing.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { createSource } from '../src/store/sources.js';
import { runItems } from '../src/store/runs.js';
import { cswPageUrl } from '../src/harvest/csw.js';
import { parseGetRecordsResponse } from '../src/harvest/csw-response.js';
import { parseXml, type XmlElement } from '../src/harvest/iso19139/xml.js';
import { elements, first, is, norm, text } from '../src/harvest/iso19139/select.js';
import { parseString } from '../src/rdf/parse.js';
import { namedNode } from '../src/rdf/terms.js';
import { summarize } from '../src/validation/summary.js';
import { corpusPath, hasCorpus } from './support/corpus.js';
import { pycswForTests } from './support/pycsw-server.js';

const CASES = 'examples/iso-19139-to-dcat-ap';
const files = hasCorpus
  ? readdirSync(corpusPath(CASES))
      .sort()
      .map((c) => corpusPath(CASES, c, 'input.xml'))
      .filter((f) => existsSync(f))
  : [];
const pycsw = files.length > 0 ? await pycswForTests(files) : undefined;

const PRIMARY_TOPIC = 'http://xmlns.com/foaf/0.1/isPrimaryTopicOf';
const RESOURCE_KINDS = ['Dataset', 'DatasetSeries', 'DataService'];

let services: Services;
let dir: string;

async function open(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'vindbaar-csw-'));
  const config = loadConfig({
    VINDBAAR_DATA_DIR: dir,
    VINDBAAR_BASE_URL: 'http://vindbaar.test',
    VINDBAAR_HARVEST_ALLOW: '127.0.0.0/8',
    VINDBAAR_HARVEST_TIMEOUT_MS: '5000',
    VINDBAAR_HARVEST_ATTEMPTS: '2',
    VINDBAAR_HARVEST_BACKOFF_MS: '50',
    VINDBAAR_HARVEST_MAX_BYTES: '20mb',
  });
  services = await createServices(config, pino({ level: 'silent' }));
}

async function close(): Promise<void> {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
}

function metadataElements(el: XmlElement): XmlElement[] {
  if (is(el, 'gmd:MD_Metadata') || is(el, 'gmi:MI_Metadata')) return [el];
  return elements(el).flatMap(metadataElements);
}

/** The file identifiers of the records pycsw was given: it keeps one record per identifier. */
function fileIdentifiers(): Set<string> {
  const ids = new Set<string>();
  for (const f of files)
    for (const md of metadataElements(parseXml(readFileSync(f, 'utf8')))) ids.add(norm(text(first(md, 'gmd:fileIdentifier/gco:CharacterString'))));
  return ids;
}

async function writes(): Promise<number> {
  const r = await services.db.query<{ n: number }>('SELECT (SELECT count(*) FROM record_versions)::int + (SELECT coalesce(sum(version), 0) FROM records)::int AS n');
  return r.rows[0].n;
}

interface Row {
  id: string;
  iri: string;
  kind: string;
  nquads: string;
  json: { title?: unknown };
  run_id: number | string | null;
  fetched_at: Date | null;
  version: number;
}

async function live(sourceId: string): Promise<Row[]> {
  const r = await services.db.query<Row>('SELECT id, iri, kind, nquads, json, run_id, fetched_at, version FROM records WHERE source_id = $1 AND deleted_at IS NULL ORDER BY id', [sourceId]);
  return r.rows;
}

/** The resource each CSW record describes: the one with the catalogue record of the metadata. */
const described = (rows: Row[]) => rows.filter((r) => RESOURCE_KINDS.includes(r.kind) && r.nquads.includes(`<${r.iri}> <${PRIMARY_TOPIC}>`));

async function matchedBy(endpoint: string, constraint?: string): Promise<number> {
  const res = await fetch(cswPageUrl(endpoint, 1, 1, constraint));
  return parseGetRecordsResponse(await res.text()).matched;
}

describe.skipIf(!pycsw)('harvesting pycsw, a real CSW 2.0.2 server', () => {
  const server = pycsw!;
  let matched: number;
  beforeAll(async () => {
    await open();
    matched = await matchedBy(server.url);
    await createSource(services.db, { id: 'pycsw', type: 'csw', url: server.url, profile: 'geodcat-ap-3.0', options: { pageSize: 3 } });
  });
  afterAll(async () => {
    await close();
    await server.stop();
  });

  it('serves one record per file identifier of the corpus cases', () => {
    // Seven of the ten cases share one identifier: pycsw keeps the first it loads.
    expect(server.records).toBe(fileIdentifiers().size);
    expect(matched).toBe(server.records);
    expect(matched).toBeGreaterThan(3);
  });

  let firstRun: Awaited<ReturnType<Services['harvesting']['run']>>;
  it('reads every page and stores the resource of each record, with a title and its provenance, and it validates', async () => {
    firstRun = await services.harvesting.run('pycsw');
    expect(firstRun).toMatchObject({ status: 'succeeded', complete: true, failed: 0, deleted: 0, pages: Math.ceil(matched / 3) });
    const rows = await live('pycsw');
    expect(firstRun.created).toBe(rows.length);
    const resources = described(rows);
    expect(resources).toHaveLength(matched);
    // Every file identifier is there, as the identifier of a catalogue record.
    for (const id of fileIdentifiers()) expect(rows.some((r) => r.nquads.includes(`<http://purl.org/dc/terms/identifier> "${id}"`)), id).toBe(true);
    const geodcat = services.validationFor('geodcat-ap-3.0');
    for (const r of rows.filter((row) => RESOURCE_KINDS.includes(row.kind))) {
      expect(r.json.title, r.iri).toBeTruthy();
      expect(String(r.run_id)).toBe(firstRun.id);
      expect(r.fetched_at).toBeInstanceOf(Date);
      // The stored triples validate against GeoDCAT-AP (the verdict itself depends on the record).
      const quads = await parseString(r.nquads, { format: 'nquads' });
      const report = summarize('geodcat-ap-3.0', geodcat!.layers, geodcat!.validator.validateRecord(namedNode(r.iri), quads));
      expect(['conforms', 'warnings', 'violations'], r.iri).toContain(report.verdict);
    }
    const items = await runItems(services.db, firstRun.id, 1000);
    expect(items.every((i) => i.action === 'created' && i.location?.startsWith(`${server.url}?`))).toBe(true);
  });

  it('writes nothing on an unchanged re-run: every page is as it was', async () => {
    const before = await writes();
    const versions = (await live('pycsw')).map((r) => `${r.id}@${r.version}`);
    const again = await services.harvesting.run('pycsw');
    expect(again).toMatchObject({ status: 'succeeded', created: 0, updated: 0, deleted: 0, failed: 0, pagesNotModified: Math.ceil(matched / 3) });
    expect(await writes()).toBe(before);
    expect((await live('pycsw')).map((r) => `${r.id}@${r.version}`)).toEqual(versions);
  });

  it('harvests only what a CQL constraint selects', async () => {
    const constraint = "apiso:Type = 'service'";
    const selected = await matchedBy(server.url, constraint);
    expect(selected).toBeGreaterThan(0);
    expect(selected).toBeLessThan(matched);
    await createSource(services.db, { id: 'pycsw-services', type: 'csw', url: server.url, options: { pageSize: 1, constraint } });
    const run = await services.harvesting.run('pycsw-services');
    expect(run).toMatchObject({ status: 'succeeded', pages: selected, failed: 0 });
    const resources = described(await live('pycsw-services'));
    expect(resources).toHaveLength(selected);
    expect(resources.every((r) => r.kind === 'DataService')).toBe(true);
  });

  it('stops at the exception report pycsw gives for a constraint it cannot read, and says where', async () => {
    await createSource(services.db, { id: 'pycsw-bad-filter', type: 'csw', url: server.url, options: { constraint: 'title (((' } });
    const run = await services.harvesting.run('pycsw-bad-filter');
    expect(run).toMatchObject({ status: 'failed', complete: false, deleted: 0 });
    expect(run.error).toMatch(/exception report.*InvalidParameterValue/);
    const failed = await runItems(services.db, run.id, 10, 0, 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].location).toContain(`${server.url}?`);
    expect(failed[0].location).toContain('constraint=');
  });
});

// A CSW of our own, for the faults a real server will not produce on demand.

const GMD = 'xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco"';

function isoRecord(n: number): string {
  return `<gmd:MD_Metadata ${GMD}><gmd:fileIdentifier><gco:CharacterString>rec-${n}</gco:CharacterString></gmd:fileIdentifier>
<gmd:identificationInfo><gmd:MD_DataIdentification><gmd:citation><gmd:CI_Citation>
<gmd:title><gco:CharacterString>Dataset ${n}</gco:CharacterString></gmd:title>
<gmd:identifier><gmd:MD_Identifier><gmd:code><gco:CharacterString>http://example.org/ds/${n}</gco:CharacterString></gmd:code></gmd:MD_Identifier></gmd:identifier>
</gmd:CI_Citation></gmd:citation><gmd:abstract><gco:CharacterString>Beschrijving ${n}</gco:CharacterString></gmd:abstract>
</gmd:MD_DataIdentification></gmd:identificationInfo></gmd:MD_Metadata>`;
}

function response(records: string[], matched: number, next: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" version="2.0.2">
<csw:SearchStatus timestamp="${new Date().toISOString()}"/>
<csw:SearchResults numberOfRecordsMatched="${matched}" numberOfRecordsReturned="${records.length}" nextRecord="${next}" recordSchema="http://www.isotc211.org/2005/gmd" elementSet="full">
${records.join('\n')}
</csw:SearchResults></csw:GetRecordsResponse>`;
}

const EXCEPTION = `<?xml version="1.0" encoding="UTF-8"?>
<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows" version="1.2.0">
<ows:Exception exceptionCode="NoApplicableCode" locator="service"><ows:ExceptionText>Database connection lost</ows:ExceptionText></ows:Exception>
</ows:ExceptionReport>`;

const HOSTILE = `<?xml version="1.0"?>
<!DOCTYPE csw:GetRecordsResponse [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"><csw:SearchResults numberOfRecordsMatched="7" numberOfRecordsReturned="1" nextRecord="0">
<gmd:MD_Metadata ${GMD}><gmd:fileIdentifier><gco:CharacterString>&xxe;&lol2;</gco:CharacterString></gmd:fileIdentifier></gmd:MD_Metadata>
</csw:SearchResults></csw:GetRecordsResponse>`;

describe('a CSW that fails', () => {
  const TOTAL = 7;
  const PAGE = 3;
  let mode = 'ok';
  let server: Server;
  let base = '';
  beforeAll(async () => {
    await open();
    server = createServer((req, res) => {
      const q = new URL(req.url ?? '/', base).searchParams;
      const start = Number(q.get('startPosition') ?? '1');
      const size = Number(q.get('maxRecords') ?? '10');
      const ids = Array.from({ length: Math.max(0, Math.min(size, TOTAL - start + 1)) }, (_, i) => start + i);
      const last = start + ids.length - 1;
      let records = ids.map(isoRecord);
      let next = last >= TOTAL ? 0 : last + 1;
      res.setHeader('content-type', 'application/xml');
      if (start > 1) {
        if (mode === 'exception') return void res.end(EXCEPTION);
        if (mode === 'malformed') return void res.end(response(records, TOTAL, next).replace('</gmd:title>', ''));
        if (mode === 'hostile') return void res.end(HOSTILE);
        if (mode === 'loop') next = start;
        if (mode === 'grown') return void res.end(response(records, TOTAL + 1, next));
        if (mode === 'broken-stored' && start === 4) records = [records[0].replace(/<gmd:identificationInfo>[\s\S]*<\/gmd:identificationInfo>/, ''), ...records.slice(1)];
        if (mode === 'bad-record' && start === 4) records = [records[0], `<gmd:MD_Metadata ${GMD}><gmd:fileIdentifier><gco:CharacterString>empty-1</gco:CharacterString></gmd:fileIdentifier></gmd:MD_Metadata>`, ...records.slice(1)];
      }
      res.end(response(records, TOTAL, next));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/csw`;
  });
  afterAll(async () => {
    await close();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    mode = 'ok';
  });

  const fresh = async (id: string) => {
    await createSource(services.db, { id, type: 'csw', url: base, options: { pageSize: PAGE } });
    const run = await services.harvesting.run(id);
    expect(run).toMatchObject({ status: 'succeeded', pages: 3 });
    expect(described(await live(id))).toHaveLength(TOTAL);
    return id;
  };

  for (const [m, message] of [
    ['exception', /exception report: CSW exception NoApplicableCode \(service\): Database connection lost/],
    ['malformed', /malformed XML/],
    ['hostile', /refused: DOCTYPE declares entities/],
    ['loop', /a loop/],
    ['grown', /changed during the run/],
  ] as const)
    it(`a page that fails (${m}): the run ends partial, says where, withdraws nothing`, async () => {
      const id = await fresh(`csw-${m}`);
      mode = m;
      const run = await services.harvesting.run(id);
      expect(run).toMatchObject({ status: 'partial', complete: false, deleted: 0 });
      expect(run.error).toMatch(message);
      const failed = await runItems(services.db, run.id, 10, 0, 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0].location).toMatch(/startPosition=4&/);
      expect(failed[0].message).toMatch(message);
      const rows = await live(id);
      expect(described(rows)).toHaveLength(TOTAL);
      expect(rows.some((r) => r.nquads.includes('root:'))).toBe(false);
    });

  it('a record that cannot be mapped is logged where it is, and the others are stored', async () => {
    await createSource(services.db, { id: 'csw-bad-record', type: 'csw', url: base, options: { pageSize: PAGE } });
    mode = 'bad-record';
    const run = await services.harvesting.run('csw-bad-record');
    // Every listed record is stored, but one could not be read: partial, and nothing is withdrawn.
    expect(run).toMatchObject({ status: 'partial', failed: 1 });
    expect(run.error).toMatch(/1 record could not be read .* not withdrawn/);
    expect(described(await live('csw-bad-record'))).toHaveLength(TOTAL);
    const failed = await runItems(services.db, run.id, 10, 0, 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].location).toMatch(/startPosition=4&.* record 5 \(2 of the page, fileIdentifier empty-1/);
    expect(failed[0].message).toMatch(/no gmd:identificationInfo/);
    // The page with the failure is read in full again, so that the next run reports it too.
    const again = await services.harvesting.run('csw-bad-record');
    expect(again).toMatchObject({ status: 'partial', failed: 1, created: 0, updated: 0, pagesNotModified: 2 });
  });

  it('does not withdraw a stored record that the source still lists but that no longer maps', async () => {
    await createSource(services.db, { id: 'csw-broken', type: 'csw', url: base, options: { pageSize: PAGE } });
    mode = 'ok';
    expect(await services.harvesting.run('csw-broken')).toMatchObject({ status: 'succeeded', created: TOTAL });
    mode = 'broken-stored';
    const run = await services.harvesting.run('csw-broken');
    expect(run).toMatchObject({ status: 'partial', failed: 1, deleted: 0 });
    expect(described(await live('csw-broken'))).toHaveLength(TOTAL);
    mode = 'ok';
  });

  it('refuses options that make no sense before asking anything', async () => {
    await createSource(services.db, { id: 'csw-options', type: 'csw', url: base, options: { pageSize: 0 } });
    const run = await services.harvesting.run('csw-options');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/pageSize option must be a whole number/);
  });
});
