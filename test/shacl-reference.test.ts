// The reference SHACL engine (shacl-engine on the official shapes named by dcat-profiles/) must itself be
// trustworthy before our validator is measured against it. These tests check its reports against the
// data they are about (a missing property really is missing, a broken copy gets exactly the expected
// extra result), against the profile manifests, and against the behaviour documented in
// dcat-profiles/README.md. pySHACL is compared with it by scripts/conformance/, not here.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataFactory, Parser, Store } from 'n3';
import type { Quad } from '@rdfjs/types';
import { hasCorpus, corpusPath, ldesPage, CORPUS } from './support/corpus.js';
import {
  DifferenceMatcher, PROFILES_DIR, ReferenceValidator, compareResults, readConformanceTable, readCorpusFiles, readNamedGraphs, readProfile, readRdf,
  readShapes, resolveProfile, termString, tupleKey, validateWithProfile, type ConformanceTable, type NormalisedReport, type NormalisedResult,
  type ObservedDifference, type ResultTuple,
} from './support/shacl-reference.js';
import { normaliseResults, readQuads } from '../scripts/conformance/vindbaar-report.js';
import { profileIds, profileValidator as vindbaarValidator } from '../src/validation/profiles.js';

const SH = 'http://www.w3.org/ns/shacl#';
const DCT = 'http://purl.org/dc/terms/';
const DCAT = 'http://www.w3.org/ns/dcat#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const HVD_CATEGORY = 'http://data.europa.eu/r5r/hvdCategory';
const { namedNode, literal, quad } = DataFactory;

const PROFILE_IDS = profileIds(PROFILES_DIR);

const SEMIC_3 = 'examples/semic-dcat-ap-3.0.1';
const semicExamples = hasCorpus ? readdirSync(corpusPath(SEMIC_3)).filter((f) => /\.(ttl|jsonld)$/.test(f) && f !== 'context.jsonld').sort() : [];
/** Published with a syntax error (the corpus MANIFEST lists them); their JSON-LD twins parse. */
const BROKEN_TURTLE = new Set(['example-bee-population-dataset-series-api.ttl', 'example-bee-population-dataset-series-combined.ttl']);

function turtle(text: string): Quad[] {
  return new Parser({ baseIRI: 'https://example.org/' }).parse(text) as Quad[];
}

/** Key of a result without the engine's message, for comparing reports of different inputs. */
const key = (r: NormalisedResult) => JSON.stringify([r.focusNode, r.path, r.component, r.severity, r.sourceShape, r.value ?? null]);

/** Results of b that a lacks (multiset difference). */
function added(a: NormalisedReport, b: NormalisedReport): NormalisedResult[] {
  const left = new Map<string, number>();
  for (const r of a.results) left.set(key(r), (left.get(key(r)) ?? 0) + 1);
  return b.results.filter((r) => {
    const n = left.get(key(r)) ?? 0;
    if (n > 0) left.set(key(r), n - 1);
    return n === 0;
  });
}

function expectWellFormed(report: NormalisedReport) {
  expect(report.conforms).toBe(report.results.length === 0);
  expect([...report.results].sort(compareResults)).toEqual(report.results);
  for (const r of report.results) {
    expect(r.component.startsWith(SH)).toBe(true);
    expect([`${SH}Violation`, `${SH}Warning`, `${SH}Info`]).toContain(r.severity);
    expect(r.sourceShape).not.toBe('');
  }
}

describe('profile manifests', () => {
  it('include the five profiles the catalogue follows (more can be added with a manifest alone)', () => {
    expect(PROFILE_IDS).toEqual(expect.arrayContaining(['dcat-ap-2.1.1', 'dcat-ap-3.0.1', 'dcat-ap-hvd-3.0', 'dcat-ap-vl-2.0', 'geodcat-ap-3.0']));
  });

  it.each(PROFILE_IDS)('%s: id, base and default layers are consistent', (id) => {
    const m = readProfile(id);
    expect(m.id).toBe(id);
    if (m.base) expect(PROFILE_IDS).toContain(m.base);
    else expect(m.includeBase).toBe(false);
    const layers = new Set(m.shapes.map((s) => s.layer));
    for (const l of m.defaultLayers) expect(layers.has(l) || (m.includeBase && m.base !== null), `layer ${l}`).toBe(true);
    expect(resolveProfile(id).shapes.length).toBeGreaterThan(0);
  });

  it.skipIf(!hasCorpus).each(PROFILE_IDS)('%s: every file it names is in the corpus, and every deviation still applies', async (id) => {
    const m = readProfile(id);
    for (const p of [...m.shapes.map((s) => s.path), ...m.vocabularies.flatMap((v) => (v.path ? [v.path] : [])), ...m.examples.map((e) => e.path)]) {
      expect(existsSync(corpusPath(p)), p).toBe(true);
    }
    for (const d of m.deviations) {
      expect(m.shapes.map((s) => s.path)).toContain(d.file);
      // A deviation that no longer matches the file (a new corpus copy, a fixed release) must be noticed
      // and taken out of the manifest, not go on changing constraints.
      const store = new Store(await readRdf(corpusPath(d.file)));
      for (const t of d.remove ?? []) expect(store.countQuads(namedNode(t.subject), namedNode(t.predicate), namedNode(t.object), null), `${d.id}: ${t.object}`).toBe(1);
      if (!d.rename) continue;
      const others = new Store(await readCorpusFiles(m.shapes.map((s) => s.path).filter((p) => p !== d.file)));
      for (const r of d.rename) {
        const asObject = store.countQuads(null, null, namedNode(r.from), null);
        expect(store.countQuads(namedNode(r.from), null, null, null) + asObject, `${d.id}: ${r.from} in ${d.file}`).toBeGreaterThan(0);
        // A renamed value (a scheme IRI of sh:hasValue) only has to be there; a renamed shape is renamed
        // because another file defines a shape of the same IRI, and its new IRI must be free.
        if (store.countQuads(namedNode(r.from), null, null, null) === 0) continue;
        expect(others.countQuads(namedNode(r.from), null, null, null), `${d.id}: ${r.from} elsewhere`).toBeGreaterThan(0);
        expect(others.countQuads(namedNode(r.to), null, null, null) + store.countQuads(namedNode(r.to), null, null, null), `${d.id}: ${r.to} is new`).toBe(0);
      }
    }
  });
});

describe.skipIf(!hasCorpus)('profile shapes graphs', () => {
  /** Named shapes that are referenced (sh:property, sh:node, ...) but not defined in the graph. */
  function dangling(shapes: Quad[]): string[] {
    const store = new Store(shapes);
    return ['property', 'node', 'qualifiedValueShape', 'not'].flatMap((p) =>
      store.getQuads(null, SH + p, null, null).filter((q) => q.object.termType === 'NamedNode' && store.countQuads(q.object, null, null, null) === 0).map((q) => `${q.subject.value} sh:${p} ${q.object.value}`));
  }

  // pySHACL refuses a shapes graph with a reference to an undefined shape (and shacl-engine quietly
  // passes it), so every layer a manifest offers must come with everything it refers to.
  it.each(PROFILE_IDS)('%s: core with any one other layer, and all layers, leave no reference dangling', async (id) => {
    const m = readProfile(id);
    const layers = [...new Set(m.shapes.map((s) => s.layer))];
    for (const choice of [...layers.map((l) => [...new Set(['core', l])]), layers]) {
      expect(dangling(await readShapes(resolveProfile(id, choice))), choice.join('+')).toEqual([]);
    }
  });
});

describe.skipIf(!hasCorpus)('shacl-engine on the SEMIC DCAT-AP 3.0.1 examples', () => {
  it('finds them', () => expect(semicExamples.length).toBe(30));

  it.each(semicExamples)('%s: every result is borne out by the data', async (file) => {
    if (BROKEN_TURTLE.has(file)) {
      await expect(readRdf(corpusPath(SEMIC_3, file))).rejects.toThrow(/line \d+/);
      return;
    }
    const data = await readRdf(corpusPath(SEMIC_3, file));
    const report = await validateWithProfile(data, 'dcat-ap-3.0.1');
    expectWellFormed(report);
    // The examples are snippets of the specification; none of them is a complete record.
    expect(report.conforms).toBe(false);
    const store = new Store(data);
    const shapes = new Store(await readCorpusFiles(resolveProfile('dcat-ap-3.0.1').shapes));
    for (const r of report.results) {
      const focus = namedNode(r.focusNode);
      if (r.component === `${SH}MinCountConstraintComponent`) {
        const min = Number(shapes.getObjects(namedNode(r.sourceShape), `${SH}minCount`, null)[0].value);
        expect(store.countQuads(focus, namedNode(r.path as string), null, null), `${r.focusNode} ${r.path}`).toBeLessThan(min);
      } else if (r.component === `${SH}ClassConstraintComponent`) {
        const cls = shapes.getObjects(namedNode(r.sourceShape), `${SH}class`, null)[0];
        expect(store.countQuads(namedNode(r.value as string), RDF_TYPE, cls, null), `${r.value} a ${cls.value}`).toBe(0);
        expect(store.countQuads(focus, namedNode(r.path as string), namedNode(r.value as string), null)).toBe(1);
      } else {
        throw new Error(`unexpected component in ${file}: ${r.component}`);
      }
    }
  });

  it.each(semicExamples.filter((f) => f.endsWith('.ttl') && !BROKEN_TURTLE.has(f)))('%s and its JSON-LD twin get the same report', async (file) => {
    const fromTurtle = await validateWithProfile(await readRdf(corpusPath(SEMIC_3, file)), 'dcat-ap-3.0.1');
    const fromJsonLd = await validateWithProfile(await readRdf(corpusPath(SEMIC_3, file.replace(/\.ttl$/, '.jsonld'))), 'dcat-ap-3.0.1');
    expect(fromJsonLd).toEqual(fromTurtle);
  });

  it('the deviation of the 3.0.1 ranges (dangling property shapes) changes nothing for shacl-engine', async () => {
    const r = resolveProfile('dcat-ap-3.0.1');
    expect(r.deviations.flatMap((d) => d.remove ?? [])).toHaveLength(5);
    const published = await ReferenceValidator.create(await readShapes({ ...r, deviations: [] }));
    const amended = await ReferenceValidator.create(await readShapes(r));
    for (const file of semicExamples.filter((f) => f.endsWith('.jsonld'))) {
      const data = await readRdf(corpusPath(SEMIC_3, file));
      expect(await published.validate(data), file).toEqual(await amended.validate(data));
    }
  });
});

describe('records broken in memory', () => {
  const minimal = `
    @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <ds> a dcat:Dataset ; dct:title "Werkzoekenden per gemeente"@nl ; dct:description "Aantal werkzoekenden."@nl ;
      dcat:distribution <ds/csv> .
    <ds/csv> a dcat:Distribution ; dcat:accessURL <https://example.org/download> ; dcat:byteSize "2048"^^xsd:nonNegativeInteger .`;

  it.skipIf(!hasCorpus)('a minimal DCAT-AP 3.0.1 dataset conforms', async () => {
    expect(await validateWithProfile(turtle(minimal), 'dcat-ap-3.0.1')).toEqual({ conforms: true, results: [] });
  });

  it.skipIf(!hasCorpus)('without dct:title it violates exactly the minimum count of dct:title', async () => {
    const data = turtle(minimal).filter((q) => q.predicate.value !== `${DCT}title`);
    const report = await validateWithProfile(data, 'dcat-ap-3.0.1');
    expect(report.conforms).toBe(false);
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({
      focusNode: 'https://example.org/ds',
      path: `${DCT}title`,
      component: `${SH}MinCountConstraintComponent`,
      severity: `${SH}Violation`,
      sourceShape: 'https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DatasetShape/f8b02efd063b8089b72ce9677a1e4a3488eeb9a9',
    });
  });

  it.skipIf(!hasCorpus).each([
    ['a wrong datatype', literal('2048', namedNode(`${XSD}integer`))],
    ['an ill-formed lexical form', literal('2 kB', namedNode(`${XSD}nonNegativeInteger`))],
    ['a negative number', literal('-1', namedNode(`${XSD}nonNegativeInteger`))],
  ])('a byte size with %s violates the datatype of dcat:byteSize', async (_what, size) => {
    const data = turtle(minimal).map((q) => (q.predicate.value === `${DCAT}byteSize` ? quad(q.subject, q.predicate, size) : q));
    const report = await validateWithProfile(data, 'dcat-ap-3.0.1');
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({
      focusNode: 'https://example.org/ds/csv',
      path: `${DCAT}byteSize`,
      component: `${SH}DatatypeConstraintComponent`,
      value: termString(size),
    });
  });

  it.skipIf(!hasCorpus)('a real data.gov.be record gets exactly one more result for each thing broken in it', async () => {
    const graphs = await readNamedGraphs(ldesPage(1));
    const [record] = [...graphs.values()];
    const dataset = record.find((q) => q.predicate.value === RDF_TYPE && q.object.value === `${DCAT}Dataset`)?.subject as Quad['subject'];
    const original = await validateWithProfile(record, 'dcat-ap-3.0.1');
    expectWellFormed(original);

    const untitled = await validateWithProfile(record.filter((q) => !(q.subject.equals(dataset) && q.predicate.value === `${DCT}title`)), 'dcat-ap-3.0.1');
    expect(added(original, untitled)).toMatchObject([{ focusNode: dataset.value, path: `${DCT}title`, component: `${SH}MinCountConstraintComponent` }]);
    expect(added(untitled, original)).toEqual([]);

    // data.gov.be records link their distributions without describing them, so the datatype is broken on
    // the dataset itself: spatial resolution is an xsd:decimal.
    const resolution = literal('ten metres', namedNode(`${XSD}decimal`));
    const mistyped = await validateWithProfile([...record, quad(dataset, namedNode(`${DCAT}spatialResolutionInMeters`), resolution)], 'dcat-ap-3.0.1');
    expect(added(original, mistyped)).toMatchObject([{ focusNode: dataset.value, path: `${DCAT}spatialResolutionInMeters`, component: `${SH}DatatypeConstraintComponent`, value: termString(resolution) }]);
  });
});

describe.skipIf(!hasCorpus)('shacl-engine on data.gov.be LDES pages (one record per member graph)', () => {
  // Page 0 is left out: its catalogue record links 17,828 datasets and takes seconds on its own.
  it.each([1, 17, 18])('page %i: reports stay within their record, and HVD adds to DCAT-AP 3.0.1 without taking away', async (page) => {
    const graphs = await readNamedGraphs(ldesPage(page));
    expect(graphs.size).toBe(100);
    let hvd = 0;
    for (const [name, g] of graphs) {
      const base = await validateWithProfile(g, 'dcat-ap-3.0.1');
      expectWellFormed(base);
      const nodes = new Set(g.flatMap((q) => [termString(q.subject), termString(q.object)]));
      for (const r of base.results) expect(nodes.has(r.focusNode), `${name}: ${r.focusNode}`).toBe(true);
      if (!g.some((q) => q.predicate.value === HVD_CATEGORY)) continue;
      hvd++;
      const withHvd = await validateWithProfile(g, 'dcat-ap-hvd-3.0');
      expect(added(withHvd, base), name).toEqual([]);
      // HVD asks for more than DCAT-AP (applicable legislation, contact point, ...): at least one more result.
      expect(added(base, withHvd).length, name).toBeGreaterThan(0);
    }
    expect(hvd).toBe({ 1: 0, 17: 22, 18: 71 }[page]);
  });
});

describe.skipIf(!hasCorpus)('documented behaviour of shacl-engine (see "Disagreements" in dcat-profiles/README.md)', () => {
  const example = (n: number) => readRdf(corpusPath('examples/semic-dcat-ap-2.1.1', `example${n}.nt`));
  const organisationIsAgent = quad(namedNode('http://xmlns.com/foaf/0.1/Organization'), namedNode('http://www.w3.org/2000/01/rdf-schema#subClassOf'), namedNode('http://xmlns.com/foaf/0.1/Agent'));

  it('DCAT-AP 2.1.1 example 1 conforms; example 2 (publisher typed foaf:Organization) violates sh:class foaf:Agent', async () => {
    expect(await validateWithProfile(await example(1), 'dcat-ap-2.1.1')).toEqual({ conforms: true, results: [] });
    const report = await validateWithProfile(await example(2), 'dcat-ap-2.1.1');
    expect(report.results.map((r) => [r.path, r.component])).toEqual([[`${DCT}publisher`, `${SH}ClassConstraintComponent`]]);
  });

  it('reads rdfs:subClassOf from the shapes graph, not from the data graph as SHACL says (pySHACL does)', async () => {
    const shapes = await readShapes(resolveProfile('dcat-ap-2.1.1'));
    const inData = await (await ReferenceValidator.create(shapes)).validate([...(await example(2)), organisationIsAgent]);
    expect(inData.conforms).toBe(false);
    const inShapes = await (await ReferenceValidator.create([...shapes, organisationIsAgent])).validate(await example(2));
    expect(inShapes.conforms).toBe(true);
  });
});

// Vindbaar's validator against shacl-engine, file by file, on every example of every profile manifest,
// in the default layers and in all layers but the vocabularies: the part of `npm run conformance` that
// needs no Python. Every difference must be listed for shacl-engine in dcat-profiles/shacl-conformance.json
// (with its explanation), and every entry listed there must still occur.
const RDF_FILE = /\.(ttl|nt|nq|trig|jsonld|rdf|xml)$/;
const NOT_DATA = (path: string) =>
  path.endsWith('/input.xml') || path.endsWith('/context.jsonld') || (path.includes('oslo-dcat-ap-vl-testdata/') && path.endsWith('.jsonld'));

function exampleFiles(path: string): string[] {
  const abs = corpusPath(path);
  if (!statSync(abs).isDirectory()) return [path];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => RDF_FILE.test(f) && statSync(join(abs, f)).isFile() && !NOT_DATA(join(abs, f)))
    .map((f) => `${path}/${f}`)
    .sort();
}

function layerSets(id: string): string[] {
  const m = readProfile(id);
  const all = [...new Set(m.shapes.map((s) => s.layer))].filter((l) => l !== 'vocabularies');
  return [...new Set([m.defaultLayers, all].map((l) => [...l].sort().join(',')))];
}

const asTuples = (r: NormalisedReport) => new Map<string, ResultTuple>(r.results.map((x) => [tupleKey(x), { focusNode: x.focusNode, path: x.path, component: x.component, severity: x.severity }]));

describe('the table of known differences', () => {
  const table: ConformanceTable = {
    suites: [],
    uncovered: [],
    explanations: { why: { reason: 'engine defect', right: 'Vindbaar', text: '...' } },
    differences: [
      { file: 'a.ttl', profile: 'p', engine: 'shacl-engine', side: 'reference', match: { focusNode: '^http://x/', component: `${SH}MinCountConstraintComponent` }, count: 2, explanation: 'why' },
      { file: 'a.ttl', profile: 'p', layers: ['core'], engine: 'shacl-engine', side: 'parse', explanation: 'why' },
      { file: 'b.ttl', profile: 'p', engine: 'shacl-engine', side: 'vindbaar', result: { focusNode: 'http://y', path: null, component: `${SH}ClassConstraintComponent`, severity: `${SH}Violation` }, explanation: 'unexplained' },
    ],
  };
  const found = (focusNode: string, layers = 'core'): ObservedDifference => ({
    file: 'a.ttl', profile: 'p', layers: [layers], engine: 'shacl-engine', side: 'reference', result: { focusNode, path: null, component: `${SH}MinCountConstraintComponent`, severity: `${SH}Violation` },
  });

  it('explains a kind of results by its match, and fails it as stale when the count changes', () => {
    const m = new DifferenceMatcher(table);
    expect(m.explain(found('http://x/1'))?.explanation).toBe('why');
    expect(m.explain(found('http://z/1'))).toBeUndefined();
    // The third entry never counts: its explanation is not defined.
    expect(m.stale(() => ['core']).map((s) => [s.entry.side, s.found])).toEqual([['reference', 1], ['parse', 0], ['vindbaar', 0]]);
    m.explain(found('http://x/2'));
    expect(m.stale(() => ['core']).map((s) => s.entry.side)).toEqual(['parse', 'vindbaar']);
  });

  it('does not count an entry whose explanation is not defined, and keeps layer sets apart', () => {
    const m = new DifferenceMatcher(table);
    expect(m.explain({ file: 'b.ttl', profile: 'p', layers: ['core'], engine: 'shacl-engine', side: 'vindbaar', result: table.differences[2].result })).toBeUndefined();
    expect(m.explain({ file: 'a.ttl', profile: 'p', layers: ['core,recommended'], engine: 'shacl-engine', side: 'parse' })).toBeUndefined();
  });
});

describe.skipIf(!hasCorpus)(`Vindbaar against shacl-engine on the profile examples${hasCorpus ? '' : ` (skipped: no reference corpus at ${CORPUS}; set VINDBAAR_CORPUS)`}`, () => {
  const table = readConformanceTable();
  const matcher = new DifferenceMatcher(table);
  const ran = new Map<string, string[]>();

  it.each(PROFILE_IDS)('%s: every difference is listed in dcat-profiles/shacl-conformance.json', async (id) => {
    const files = readProfile(id).examples.filter((e) => !e.path.startsWith('real/datagovbe-ldes')).flatMap((e) => exampleFiles(e.path));
    const unexplained: string[] = [];
    for (const layers of layerSets(id)) {
      const ours = vindbaarValidator(id, { layers: layers.split(',') });
      for (const file of files) {
        const mine = await readQuads(corpusPath(file)).then((q) => normaliseResults(ours.validateDocument(q)), () => undefined);
        const theirs = await readRdf(corpusPath(file)).then((q) => validateWithProfile(q, id, layers.split(',')), () => undefined);
        const seen: ObservedDifference[] = [];
        const base = { file, profile: id, layers: [layers] as [string], engine: 'shacl-engine' as const };
        if (!mine && !theirs) continue;
        if (!mine || !theirs) seen.push({ ...base, side: 'parse' });
        else {
          if (mine.conforms !== theirs.conforms) seen.push({ ...base, side: 'verdict' });
          const a = asTuples(mine);
          const b = asTuples(theirs);
          for (const [k, t] of a) if (!b.has(k)) seen.push({ ...base, side: 'vindbaar', result: t });
          for (const [k, t] of b) if (!a.has(k)) seen.push({ ...base, side: 'reference', result: t });
        }
        for (const d of seen) if (!matcher.explain(d)) unexplained.push(`${d.side} ${file} [${layers}] ${d.result ? tupleKey(d.result) : ''}`);
      }
    }
    ran.set(id, layerSets(id));
    expect(unexplained).toEqual([]);
  });

  it('lists no difference with shacl-engine on the profile examples that no longer occurs', () => {
    expect(ran.size, 'runs after the profiles above').toBe(PROFILE_IDS.length);
    const stale = matcher.stale((profile, engine) => (engine === 'shacl-engine' ? (ran.get(profile) ?? []) : []));
    expect(stale.map((s) => `${s.entry.file} [${s.entry.profile} ${s.layers}] ${s.entry.side} ${s.entry.explanation}: found ${s.found}`)).toEqual([]);
  });
});
