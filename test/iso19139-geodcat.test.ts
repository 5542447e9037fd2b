// ISO 19139 → GeoDCAT-AP against the official SEMIC test cases, on real GeoNetwork records, against
// hostile XML, and the CSW GetRecords response reader.
//
// Each official case must give a graph isomorphic to its expected_output.ttl, or differ exactly as
// dcat-profiles/iso19139-geodcat-differences.json says: every missing and extra triple listed with a
// reason, and no listed difference that no longer occurs. Triples are compared with each blank node
// named by a hash of the subtree below it, and blank nodes that differ only in part matched to their
// counterpart by position (parent and property) and shared content, so one wrong literal deep in a
// distribution is one listed triple, not the whole distribution.
import { describe, it, expect, vi, afterEach, afterAll } from 'vitest';
import fs, { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Quad, Term } from '../src/rdf/terms.js';
import { PREFIXES } from '../src/rdf/namespaces.js';
import { isoToGeoDcat, IsoMappingError, type IsoMappingOptions } from '../src/harvest/iso19139/map.js';
import { parseXml, XmlParseError, XmlSecurityError } from '../src/harvest/iso19139/xml.js';
import { coordinate } from '../src/harvest/iso19139/extent.js';
import { parseGetRecordsResponse, getRecordsUrl, CswExceptionError, CswResponseError } from '../src/harvest/csw-response.js';
import { hasCorpus, corpusPath } from './support/corpus.js';
import { asTriples, canonical, parseFile } from './support/rdf.js';

const CASES = 'examples/iso-19139-to-dcat-ap';
const TABLE_PATH = join(import.meta.dirname, '../dcat-profiles/iso19139-geodcat-differences.json');
const RDF_TYPE = `${PREFIXES.rdf}type`;
const DCAT = PREFIXES.dcat;
const DCT = PREFIXES.dct;

interface Difference {
  triple: string;
  reason: string;
}
interface CaseDifferences {
  missing?: Difference[];
  extra?: Difference[];
  /** Triples the expected output holds more than once, as identical copies of a blank-node subtree. */
  repeated?: { triples: number; reason: string };
}
interface DifferenceTable {
  about: string;
  cases: Record<string, CaseDifferences>;
}

// ---------------------------------------------------------------------------------------------------
// Graph difference

const SHORT = Object.entries({ ...PREFIXES, org: 'http://www.w3.org/ns/org#', sdmx: 'http://purl.org/linked-data/sdmx/2009/attribute#' }).sort(
  (a, b) => b[1].length - a[1].length,
);

function iriText(iri: string): string {
  if (iri === RDF_TYPE) return 'a';
  for (const [prefix, ns] of SHORT) {
    if (iri.startsWith(ns) && /^[A-Za-z0-9_-]*$/.test(iri.slice(ns.length))) return `${prefix}:${iri.slice(ns.length)}`;
  }
  return `<${iri}>`;
}

function termText(t: Term, labels: Map<string, string>): string {
  if (t.termType === 'NamedNode') return iriText(t.value);
  if (t.termType === 'BlankNode') return labels.get(t.value) ?? `_:${t.value}`;
  if (t.termType === 'Literal') {
    const tail = t.language ? `@${t.language}` : t.datatype.value === `${PREFIXES.xsd}string` ? '' : `^^${iriText(t.datatype.value)}`;
    return `${JSON.stringify(t.value)}${tail}`;
  }
  return t.value;
}

interface Shape {
  quads: Quad[];
  /** Outgoing triples of each blank node. */
  out: Map<string, Quad[]>;
  /** Blank nodes that are nobody's object. */
  roots: string[];
  /** Content hash label of each blank node. */
  hash: Map<string, string>;
}

function shapeOf(quads: Quad[]): Shape {
  const out = new Map<string, Quad[]>();
  const objects = new Set<string>();
  for (const q of quads) {
    if (q.subject.termType === 'BlankNode') out.set(q.subject.value, [...(out.get(q.subject.value) ?? []), q]);
    if (q.object.termType === 'BlankNode') objects.add(q.object.value);
  }
  const hash = new Map<string, string>();
  const visit = (b: string, path: Set<string>): string => {
    const known = hash.get(b);
    if (known) return known;
    if (path.has(b)) return '_:cycle';
    path.add(b);
    const own = out.get(b) ?? [];
    const lines = own.map((q) => `${q.predicate.value} ${q.object.termType === 'BlankNode' ? visit(q.object.value, path) : termText(q.object, hash)}`).sort();
    path.delete(b);
    const type = own
      .filter((q) => q.predicate.value === RDF_TYPE)
      .map((q) => q.object.value.replace(/^.*[#/]/, ''))
      .sort()[0];
    const label = `_:${type ?? 'node'}-${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 10)}`;
    hash.set(b, label);
    return label;
  };
  for (const b of out.keys()) visit(b, new Set());
  for (const b of objects) visit(b, new Set());
  const roots = [...out.keys()].filter((b) => !objects.has(b));
  return { quads, out, roots, hash };
}

function children(shape: Shape, subject: string, blankSubject: boolean): Map<string, string[]> {
  const byPredicate = new Map<string, string[]>();
  const own = blankSubject ? (shape.out.get(subject) ?? []) : shape.quads.filter((q) => q.subject.termType === 'NamedNode' && q.subject.value === subject);
  for (const q of own) if (q.object.termType === 'BlankNode') byPredicate.set(q.predicate.value, [...(byPredicate.get(q.predicate.value) ?? []), q.object.value]);
  return byPredicate;
}

function signature(shape: Shape, b: string): Set<string> {
  return new Set((shape.out.get(b) ?? []).map((q) => `${q.predicate.value} ${termText(q.object, shape.hash)}`));
}

/** Labels for our blank nodes: the expected node's label where the two are counterparts, else our own. */
function alignedLabels(expected: Shape, ours: Shape): Map<string, string> {
  const labels = new Map(ours.hash);
  const pair = (es: string[], os: string[]): void => {
    const restE = [...es];
    const restO: string[] = [];
    for (const o of os) {
      const i = restE.findIndex((e) => expected.hash.get(e) === ours.hash.get(o));
      if (i === -1) restO.push(o);
      else restE.splice(i, 1);
    }
    while (restE.length > 0 && restO.length > 0) {
      let best: [number, number, number] = [-1, -1, 0];
      restE.forEach((e, i) => {
        const se = signature(expected, e);
        restO.forEach((o, j) => {
          let shared = 0;
          for (const s of signature(ours, o)) if (se.has(s)) shared++;
          if (shared > best[2]) best = [i, j, shared];
        });
      });
      if (best[2] === 0) break;
      const [e] = restE.splice(best[0], 1);
      const [o] = restO.splice(best[1], 1);
      labels.set(o, expected.hash.get(e)!);
      align(e, o, true);
    }
  };
  const align = (e: string, o: string, blank: boolean): void => {
    const ce = children(expected, e, blank);
    const co = children(ours, o, blank);
    for (const p of new Set([...ce.keys(), ...co.keys()])) pair(ce.get(p) ?? [], co.get(p) ?? []);
  };
  const iris = new Set([...expected.quads, ...ours.quads].filter((q) => q.subject.termType === 'NamedNode').map((q) => q.subject.value));
  for (const iri of iris) align(iri, iri, false);
  pair(expected.roots, ours.roots);
  return labels;
}

interface Comparison {
  isomorphic: boolean;
  missing: string[];
  extra: string[];
  repeated: number;
  expectedTriples: number;
}

async function compare(expectedQuads: Quad[], oursQuads: Quad[]): Promise<Comparison> {
  const expectedTriples = asTriples(expectedQuads);
  const oursTriples = asTriples(oursQuads);
  const isomorphic = (await canonical(expectedTriples)) === (await canonical(oursTriples));
  const expected = shapeOf(expectedTriples);
  const ours = shapeOf(oursTriples);
  const oursLabels = alignedLabels(expected, ours);
  const lines = (quads: Quad[], labels: Map<string, string>) => new Set(quads.map((q) => `${termText(q.subject, labels)} ${termText(q.predicate, labels)} ${termText(q.object, labels)}`));
  const e = lines(expectedTriples, expected.hash);
  const o = lines(oursTriples, oursLabels);
  return {
    isomorphic,
    missing: [...e].filter((t) => !o.has(t)).sort(),
    extra: [...o].filter((t) => !e.has(t)).sort(),
    repeated: expectedTriples.length - e.size - (oursTriples.length - o.size),
    expectedTriples: expectedTriples.length,
  };
}

// ---------------------------------------------------------------------------------------------------
// The official test cases

function optionsOf(caseDir: string): IsoMappingOptions {
  const { parameters } = JSON.parse(readFileSync(join(caseDir, 'config.json'), 'utf8')) as { parameters: Record<string, string> };
  // Deprecated GeoDCAT-AP 1.x mappings and network look-ups of coupled resources are not implemented.
  expect(parameters['include-deprecated'] ?? 'no').toBe('no');
  expect(parameters.CoupledResourceLookup ?? 'disabled').toBe('disabled');
  const profile = parameters.profile === 'core' ? 'core' : 'extended';
  return { profile, preferredLanguage: parameters['locale-preferred-lang'] };
}

const caseNames = hasCorpus ? readdirSync(corpusPath(CASES)).sort() : [];
const table = JSON.parse(readFileSync(TABLE_PATH, 'utf8')) as DifferenceTable;

describe.skipIf(!hasCorpus)('SEMIC iso-19139-to-dcat-ap test cases', () => {
  const results = new Map<string, Comparison>();

  it('has ten cases, and the difference table names only those', () => {
    expect(caseNames).toHaveLength(10);
    for (const name of Object.keys(table.cases)) expect(caseNames).toContain(name);
  });

  it.each(caseNames)('%s: isomorphic to the expected output, or different only as the table says', async (name) => {
    const dir = corpusPath(CASES, name);
    const ours = isoToGeoDcat(readFileSync(join(dir, 'input.xml'), 'utf8'), optionsOf(dir));
    const expected = await parseFile(join(dir, 'expected_output.ttl'));
    const result = await compare(expected, ours);
    results.set(name, result);

    const listed = table.cases[name] ?? {};
    for (const d of [...(listed.missing ?? []), ...(listed.extra ?? [])]) expect(d.reason, `${name}: ${d.triple}`).toMatch(/\w{10}/);
    if (listed.repeated) expect(listed.repeated.reason).toMatch(/\w{10}/);
    const actual = { missing: result.missing, extra: result.extra, repeated: result.repeated };
    const stated = {
      missing: (listed.missing ?? []).map((d) => d.triple).sort(),
      extra: (listed.extra ?? []).map((d) => d.triple).sort(),
      repeated: listed.repeated?.triples ?? 0,
    };
    // A failure prints both: an unlisted difference appears only under actual, a stale entry only under stated.
    expect(actual, `${name}: differences found (actual) vs listed in ${TABLE_PATH} (stated)`).toEqual(stated);
    expect(result.isomorphic).toBe(stated.missing.length === 0 && stated.extra.length === 0 && stated.repeated === 0);
  });

  it('reports how close the mapping comes', () => {
    const done = caseNames.filter((n) => results.has(n));
    const isomorphic = done.filter((n) => results.get(n)!.isomorphic).length;
    const expected = done.reduce((n, c) => n + results.get(c)!.expectedTriples, 0);
    const matched = done.reduce((n, c) => n + results.get(c)!.expectedTriples - results.get(c)!.missing.length - results.get(c)!.repeated, 0);
    console.log(`[iso19139] ${isomorphic}/${done.length} cases isomorphic; ${matched}/${expected} expected triples produced`);
    expect(done).toHaveLength(caseNames.length);
  });
});

// ---------------------------------------------------------------------------------------------------
// Real records

function typedTitled(quads: Quad[]): string[] {
  const kinds = new Set([`${DCAT}Dataset`, `${DCAT}DatasetSeries`, `${DCAT}DataService`]);
  const typed = quads.filter((q) => q.predicate.value === RDF_TYPE && kinds.has(q.object.value)).map((q) => q.subject.value);
  return typed.filter((s) => quads.some((q) => q.subject.value === s && q.predicate.value === `${DCT}title` && q.object.value.trim() !== ''));
}

describe.skipIf(!hasCorpus)('real GeoNetwork records', () => {
  const folder = corpusPath('real/metadata101-geonetwork');
  const files = hasCorpus ? readdirSync(folder).filter((f) => f.endsWith('.xml')) : [];

  it('maps every ISO 19139 record to a titled dataset or service, and refuses the other XML with a clear error', () => {
    let iso = 0;
    for (const f of files) {
      const xml = readFileSync(join(folder, f), 'utf8');
      const root = parseXml(xml);
      const isIso = root.ns === 'http://www.isotc211.org/2005/gmd' || /<(\w+:)?MD_Metadata[\s>]/.test(xml);
      if (isIso) {
        iso++;
        expect(typedTitled(isoToGeoDcat(root)), f).not.toHaveLength(0);
      } else {
        expect(() => isoToGeoDcat(root), f).toThrow(IsoMappingError);
      }
    }
    // This folder holds GeoNetwork's DCAT exports (RDF/XML); its ISO records are the official cases' inputs.
    console.log(`[iso19139] ${files.length} files in real/metadata101-geonetwork, ${iso} of them ISO 19139`);
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(caseNames)('the record behind case %s maps to a titled dataset or service', (name) => {
    const quads = isoToGeoDcat(readFileSync(corpusPath(CASES, name, 'input.xml'), 'utf8'));
    expect(typedTitled(quads)).not.toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------------
// Mapping details the cases do not cover

const GMD_HEAD = `<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco" xmlns:gmx="http://www.isotc211.org/2005/gmx" xmlns:xlink="http://www.w3.org/1999/xlink">`;

function record(body: string, fileId = 'rec-1'): string {
  return `${GMD_HEAD}<gmd:fileIdentifier><gco:CharacterString>${fileId}</gco:CharacterString></gmd:fileIdentifier>${body}</gmd:MD_Metadata>`;
}

function identification(inner: string): string {
  return `<gmd:identificationInfo><gmd:MD_DataIdentification><gmd:citation><gmd:CI_Citation><gmd:title><gco:CharacterString>Wegen</gco:CharacterString></gmd:title></gmd:CI_Citation></gmd:citation>${inner}</gmd:MD_DataIdentification></gmd:identificationInfo>`;
}

function objects(quads: Quad[], predicate: string): string[] {
  return quads.filter((q) => q.predicate.value === predicate).map((q) => q.object.value);
}

describe('mapping details', () => {
  it('catalogues a record without hierarchy level as a dataset, with blank nodes or minted IRIs', () => {
    const xml = record(identification(''));
    const blank = isoToGeoDcat(xml);
    expect(blank.find((q) => q.object.value === `${DCAT}Dataset`)?.subject.termType).toBe('BlankNode');
    const minted = isoToGeoDcat(xml, { baseIRI: 'https://vindbaar.example/iso/' });
    expect(minted.find((q) => q.object.value === `${DCAT}Dataset`)?.subject.value).toBe('https://vindbaar.example/iso/rec-1');
    expect(minted.find((q) => q.predicate.value === `${PREFIXES.foaf}isPrimaryTopicOf`)?.object.value).toBe('https://vindbaar.example/iso/rec-1/record');
  });

  it('leaves extended-profile properties out of the core profile', () => {
    const xml = record(identification('<gmd:topicCategory><gmd:MD_TopicCategoryCode>transportation</gmd:MD_TopicCategoryCode></gmd:topicCategory>'));
    expect(objects(isoToGeoDcat(xml), `${PREFIXES.geodcat}topicCategory`)).toEqual(['http://inspire.ec.europa.eu/metadata-codelist/TopicCategory/transportation']);
    expect(objects(isoToGeoDcat(xml, { profile: 'core' }), `${PREFIXES.geodcat}topicCategory`)).toEqual([]);
    expect(objects(isoToGeoDcat(xml, { profile: 'core' }), `${DCT}conformsTo`)).toEqual(['http://data.europa.eu/r5r/']);
  });

  it('reads EPSG codes written as text', () => {
    const refsys = `<gmd:referenceSystemInfo><gmd:MD_ReferenceSystem><gmd:referenceSystemIdentifier><gmd:RS_Identifier><gmd:code><gco:CharacterString>EPSG:31370</gco:CharacterString></gmd:code></gmd:RS_Identifier></gmd:referenceSystemIdentifier></gmd:MD_ReferenceSystem></gmd:referenceSystemInfo>`;
    expect(objects(isoToGeoDcat(record(refsys + identification(''))), `${PREFIXES.geodcat}referenceSystem`)).toEqual(['http://www.opengis.net/def/crs/EPSG/0/31370']);
  });

  it('keeps coordinates at their written precision and percent-encodes unusable URL characters', () => {
    expect(coordinate('-054.750')).toBe('-54.750');
    expect(coordinate('-0.5')).toBe('-0.5');
    expect(coordinate('08')).toBe('8');
    expect(coordinate('1e3')).toBeNull();
    const online = `<gmd:distributionInfo><gmd:MD_Distribution><gmd:transferOptions><gmd:MD_DigitalTransferOptions><gmd:transferSize><gco:Real>1.5</gco:Real></gmd:transferSize><gmd:onLine><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>https://data.example/wegen 2024.zip</gmd:URL></gmd:linkage><gmd:function><gmd:CI_OnLineFunctionCode codeListValue="download"/></gmd:function></gmd:CI_OnlineResource></gmd:onLine></gmd:MD_DigitalTransferOptions></gmd:transferOptions></gmd:MD_Distribution></gmd:distributionInfo>`;
    const quads = isoToGeoDcat(record(identification('') + online));
    expect(objects(quads, `${DCAT}accessURL`)).toEqual(['https://data.example/wegen%202024.zip']);
    expect(objects(quads, `${DCAT}byteSize`)).toEqual(['1500000']);
  });

  it('finds the record inside a CSW GetRecordById response, and says so when there is none', () => {
    const wrapped = `<csw:GetRecordByIdResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2">${record(identification(''))}</csw:GetRecordByIdResponse>`;
    expect(typedTitled(isoToGeoDcat(wrapped))).toHaveLength(1);
    expect(() => isoToGeoDcat('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')).toThrow(/no gmd:MD_Metadata record.*rdf:RDF/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Hostile XML

describe('hostile XML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vindbaar-xxe-'));
  const secretPath = join(dir, 'secret.txt');
  writeFileSync(secretPath, 'TOP-SECRET-MARKER');
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd">&lol9;</gmd:MD_Metadata>`;
  const xxe = (target: string) => `<?xml version="1.0"?>
<!DOCTYPE gmd:MD_Metadata [ <!ENTITY xxe SYSTEM "${target}"> ]>
<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd">&xxe;</gmd:MD_Metadata>`;

  function refused(run: () => unknown): XmlSecurityError {
    const reads = [vi.spyOn(fs, 'readFileSync'), vi.spyOn(fs, 'openSync'), vi.spyOn(fs, 'open'), vi.spyOn(fs, 'readFile'), vi.spyOn(fs, 'createReadStream'), vi.spyOn(globalThis, 'fetch')];
    const started = performance.now();
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    const elapsed = performance.now() - started;
    for (const spy of reads) expect(spy).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(XmlSecurityError);
    expect(String((error as Error).message)).not.toContain('TOP-SECRET-MARKER');
    // Generous: refusing is a scan of a few hundred bytes, expanding would be a billion of them.
    expect(elapsed).toBeLessThan(1000);
    return error as XmlSecurityError;
  }

  it('refuses billion laughs, saying where', () => {
    const e = refused(() => parseXml(billionLaughs));
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/DOCTYPE.*line 2, column 1/);
    refused(() => isoToGeoDcat(billionLaughs));
    refused(() => parseGetRecordsResponse(billionLaughs));
  });

  it('refuses external entities without reading them', () => {
    refused(() => parseXml(xxe(`file://${secretPath}`)));
    refused(() => parseXml(xxe('file:///etc/passwd')));
    refused(() => isoToGeoDcat(xxe('http://127.0.0.1:9/evil.xml')));
    refused(() => parseXml(`<!DOCTYPE gmd:MD_Metadata SYSTEM "file://${secretPath}"><gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd"/>`));
  });

  it('refuses absurd nesting, and reports malformed XML and undeclared entities with their line', () => {
    expect(() => parseXml('<a>'.repeat(10_000))).toThrow(XmlSecurityError);
    expect(() => parseXml('<a>\n<b></a>')).toThrow(XmlParseError);
    try {
      parseXml('<a>\n\n  &nope;</a>');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(XmlParseError);
      expect((e as XmlParseError).line).toBe(3);
    }
    // A bare DOCTYPE asks for nothing and is harmless.
    expect(parseXml('<!DOCTYPE a><a>x</a>').children).toEqual(['x']);
  });
});

// ---------------------------------------------------------------------------------------------------
// CSW GetRecords

const RESPONSE = `<?xml version="1.0" encoding="UTF-8"?>
<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" version="2.0.2">
  <csw:SearchStatus timestamp="2025-01-01T00:00:00Z"/>
  <csw:SearchResults numberOfRecordsMatched="57" numberOfRecordsReturned="2" nextRecord="13" recordSchema="http://www.isotc211.org/2005/gmd" elementSet="full">
    ${record(identification(''), 'rec-11')}
    <md:MD_Metadata xmlns:md="http://www.isotc211.org/2005/gmd" xmlns:c="http://www.isotc211.org/2005/gco">
      <md:fileIdentifier><c:CharacterString>rec-12</c:CharacterString></md:fileIdentifier>
      <md:identificationInfo><md:MD_DataIdentification><md:citation><md:CI_Citation><md:title><c:CharacterString>Rivieren</c:CharacterString></md:title></md:CI_Citation></md:citation></md:MD_DataIdentification></md:identificationInfo>
    </md:MD_Metadata>
  </csw:SearchResults>
</csw:GetRecordsResponse>`;

describe('CSW GetRecords', () => {
  it('reads the counts and the records of a response page', () => {
    const page = parseGetRecordsResponse(RESPONSE);
    expect({ matched: page.matched, returned: page.returned, nextRecord: page.nextRecord }).toEqual({ matched: 57, returned: 2, nextRecord: 13 });
    expect(page.records.map((r) => r.local)).toEqual(['MD_Metadata', 'MD_Metadata']);
    // Records keep their namespaces whatever prefixes the response used.
    const titles = page.records.flatMap((r) => isoToGeoDcat(r)).filter((q) => q.predicate.value === `${DCT}title`);
    expect(titles.map((q) => q.object.value)).toEqual(['Wegen', 'Rivieren']);
  });

  it('reads a last page, and refuses a response without counts', () => {
    const last = RESPONSE.replace('nextRecord="13"', 'nextRecord="0"').replace(/<gmd:MD_Metadata[\s\S]*?<\/gmd:MD_Metadata>/, '');
    expect(parseGetRecordsResponse(last).nextRecord).toBe(0);
    expect(() => parseGetRecordsResponse(RESPONSE.replace('numberOfRecordsMatched="57"', ''))).toThrow(CswResponseError);
    expect(() => parseGetRecordsResponse('<html><body>Service Unavailable</body></html>')).toThrow(/expected csw:GetRecordsResponse, got html/);
    const dublinCore = RESPONSE.replace(/<gmd:MD_Metadata[\s\S]*<\/md:MD_Metadata>/, '<csw:Record xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Wegen</dc:title></csw:Record>');
    expect(() => parseGetRecordsResponse(dublinCore)).toThrow(/csw:Record records, not ISO 19139/);
  });

  it('turns an exception report into an error with code and text', () => {
    const report = `<?xml version="1.0" encoding="UTF-8"?>
<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows" version="1.2.0" language="en">
  <ows:Exception exceptionCode="InvalidParameterValue" locator="outputschema">
    <ows:ExceptionText>Invalid outputschema parameter value: http://www.isotc211.org/2005/gmx</ows:ExceptionText>
  </ows:Exception>
</ows:ExceptionReport>`;
    try {
      parseGetRecordsResponse(report);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CswExceptionError);
      const error = e as CswExceptionError;
      expect([error.code, error.locator, error.text]).toEqual(['InvalidParameterValue', 'outputschema', 'Invalid outputschema parameter value: http://www.isotc211.org/2005/gmx']);
      expect(error.message).toBe('CSW exception InvalidParameterValue (outputschema): Invalid outputschema parameter value: http://www.isotc211.org/2005/gmx');
    }
  });

  it('builds GetRecords requests, keeping the endpoint’s own parameters', () => {
    const url = getRecordsUrl('https://geo.example/geonetwork/srv/dut/csw', 11, 10);
    expect(url).toBe(
      'https://geo.example/geonetwork/srv/dut/csw?service=CSW&version=2.0.2&request=GetRecords&typeNames=gmd:MD_Metadata&resultType=results&elementSetName=full&outputSchema=http://www.isotc211.org/2005/gmd&startPosition=11&maxRecords=10&namespace=xmlns(gmd=http://www.isotc211.org/2005/gmd)',
    );
    const params = new URL(url).searchParams;
    expect(params.get('namespace')).toBe('xmlns(gmd=http://www.isotc211.org/2005/gmd)');
    expect(params.get('outputSchema')).toBe('http://www.isotc211.org/2005/gmd');
    const withQuery = new URL(getRecordsUrl('https://geo.example/csw?apikey=a%26b&SERVICE=WMS&maxrecords=5', 1, 50));
    expect(withQuery.searchParams.get('apikey')).toBe('a&b');
    expect(withQuery.searchParams.getAll('service')).toEqual(['CSW']);
    expect(withQuery.searchParams.has('SERVICE')).toBe(false);
    expect(withQuery.searchParams.get('maxRecords')).toBe('50');
    expect(() => getRecordsUrl('https://geo.example/csw', 0, 10)).toThrow(RangeError);
    expect(() => getRecordsUrl('https://geo.example/csw', 1, 1.5)).toThrow(RangeError);
  });
});
