import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { hasCorpus, corpusPath, CORPUS, ldesPage } from './support/corpus.js';
import { parseFile } from './support/rdf.js';
import { readRdf, ReferenceValidator, validateWithProfile } from './support/shacl-reference.js';
import { compileFromCorpus, profileIds, profileValidator, readManifest, schemaPath, ShapesFileError } from '../src/validation/profiles.js';
import { readShapes } from '../src/validation/shapes.js';
import { compileProfile } from '../src/validation/compile.js';
import { ProfileValidator } from '../src/validation/validate.js';
import { buildReport } from '../src/validation/report.js';
import { parseString } from '../src/rdf/parse.js';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';

const DCAT = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix xsd: <http://www.w3.org/2001/XMLSchema#>.`;

/** A small shapes graph exercising the constraint components one by one. */
const SHAPES = `@prefix sh: <http://www.w3.org/ns/shacl#>. @prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
@prefix xsd: <http://www.w3.org/2001/XMLSchema#>. @prefix ex: <http://example.org/shapes#>. @prefix foaf: <http://xmlns.com/foaf/0.1/>.
ex:Dataset a sh:NodeShape; sh:targetClass dcat:Dataset;
  sh:property [ sh:path dct:title; sh:minCount 1; sh:uniqueLang true; sh:languageIn ("nl" "en") ],
    [ sh:path dct:issued; sh:maxCount 1; sh:datatype xsd:date ],
    [ sh:path dct:publisher; sh:class foaf:Agent; sh:nodeKind sh:IRI ],
    [ sh:path dct:identifier; sh:pattern "^ID-[0-9]+$"; sh:maxLength 8 ],
    [ sh:path dcat:version; sh:in ("1" "2") ],
    [ sh:path dcat:spatialResolutionInMeters; sh:minInclusive 1; sh:datatype xsd:decimal ],
    [ sh:path dct:type; sh:hasValue <http://example.org/kind/data> ; sh:severity sh:Warning ],
    [ sh:path dcat:distribution; sh:node ex:Distribution ].
ex:Distribution a sh:NodeShape; sh:property [ sh:path dcat:accessURL; sh:minCount 1 ].`;

async function toyValidator(): Promise<ProfileValidator> {
  const { schema, report } = compileProfile(readShapes(await parseString(SHAPES, { format: 'turtle' })), { id: 'toy', title: 'toy' });
  expect(report.notCompiled).toEqual([]);
  return new ProfileValidator(schema);
}

const short = (iri: string) => iri.replace(/^.*[#/]/, '');

describe('SHACL to JSON Schema, constraint by constraint', () => {
  it('reports each failing constraint once, with focus node, path, value and component', async () => {
    const v = await toyValidator();
    const data = `${DCAT} @prefix foaf: <http://xmlns.com/foaf/0.1/>.
<http://ex/d1> a dcat:Dataset; dct:title "een"@nl, "twee"@nl, "trois"@fr; dct:issued "2024-13-45"^^xsd:date, "2024-01-01"^^xsd:date;
  dct:publisher _:org, <http://ex/person>; dct:identifier "ID-12345678", "XX-1"; dcat:version "3";
  dcat:spatialResolutionInMeters "0.5"^^xsd:decimal; dcat:distribution <http://ex/dist>.
_:org a foaf:Agent. <http://ex/person> a foaf:Person.
<http://ex/dist> a dcat:Distribution.`;
    const results = v.validateDocument(await parseString(data, { format: 'turtle' }));
    const seen = results.map((r) => `${short(r.resultPath ?? '')} ${short(r.sourceConstraintComponent)} ${r.value ?? ''}`).sort();
    expect(seen).toEqual(
      [
        'distribution NodeConstraintComponent http://ex/dist',
        'identifier MaxLengthConstraintComponent "ID-12345678"',
        'identifier PatternConstraintComponent "XX-1"',
        'issued DatatypeConstraintComponent "2024-13-45"^^<http://www.w3.org/2001/XMLSchema#date>',
        'issued MaxCountConstraintComponent ',
        'publisher ClassConstraintComponent http://ex/person',
        'publisher NodeKindConstraintComponent _:' + results.find((r) => short(r.sourceConstraintComponent) === 'NodeKindConstraintComponent')!.value!.slice(2),
        'spatialResolutionInMeters MinInclusiveConstraintComponent "0.5"^^<http://www.w3.org/2001/XMLSchema#decimal>',
        'title LanguageInConstraintComponent "trois"@fr',
        'title UniqueLangConstraintComponent ',
        'type HasValueConstraintComponent ',
        'version InConstraintComponent "3"',
      ].sort(),
    );
    expect(results.every((r) => r.focusNode === 'http://ex/d1')).toBe(true);
    expect(results.find((r) => short(r.sourceConstraintComponent) === 'HasValueConstraintComponent')!.resultSeverity).toMatch(/#Warning$/);
  });

  it('finds nothing wrong with a record that satisfies every constraint', async () => {
    const v = await toyValidator();
    const data = `${DCAT} @prefix foaf: <http://xmlns.com/foaf/0.1/>.
<http://ex/d2> a dcat:Dataset; dct:title "een"@nl, "one"@en; dct:issued "2024-02-29"^^xsd:date; dct:publisher <http://ex/org>;
  dct:identifier "ID-1"; dcat:version "2"; dct:type <http://example.org/kind/data>; dcat:distribution [ dcat:accessURL <http://ex/a> ].
<http://ex/org> a foaf:Agent.`;
    expect(v.validateDocument(await parseString(data, { format: 'turtle' }))).toEqual([]);
  });

  it('never crashes on values of the wrong kind: literals where nodes are expected and the reverse', async () => {
    const v = await toyValidator();
    const data = `${DCAT}
<http://ex/d3> a dcat:Dataset; dct:title <http://ex/not-a-literal>; dct:issued <http://ex/x>; dct:publisher "a string";
  dcat:distribution "text"; dct:identifier _:b; dcat:spatialResolutionInMeters "abc"^^xsd:decimal, "5"^^xsd:string.`;
    const results = v.validateDocument(await parseString(data, { format: 'turtle' }));
    const components = new Set(results.map((r) => short(r.sourceConstraintComponent)));
    for (const c of ['LanguageInConstraintComponent', 'DatatypeConstraintComponent', 'ClassConstraintComponent', 'NodeKindConstraintComponent', 'PatternConstraintComponent', 'MinInclusiveConstraintComponent'])
      expect(components).toContain(c);
  });

  it('sees the type of a blank node that the document describes in another record', async () => {
    // dcat:DataService is a record of its own, so the access service below is cut out of the
    // distribution's record; sh:class still sees its rdf:type in the data graph.
    const shapes = `@prefix sh: <http://www.w3.org/ns/shacl#>. @prefix dcat: <http://www.w3.org/ns/dcat#>.
<http://example.org/shapes#Distribution> a sh:NodeShape; sh:targetClass dcat:Distribution;
  sh:property [ sh:path dcat:accessService; sh:class dcat:DataService ].`;
    const { schema } = compileProfile(readShapes(await parseString(shapes, { format: 'turtle' })), { id: 'toy', title: 'toy' });
    const v = new ProfileValidator(schema);
    const data = `${DCAT}
<http://ex/d4> a dcat:Dataset; dcat:distribution [ a dcat:Distribution; dcat:accessService [ a dcat:DataService ], [ a dcat:Catalog ], _:untyped ] .`;
    const results = v.validateDocument(await parseString(data, { format: 'turtle' }));
    expect(results.map((r) => short(r.sourceConstraintComponent))).toEqual(['ClassConstraintComponent', 'ClassConstraintComponent']);
    expect(results.every((r) => r.value!.startsWith('_:'))).toBe(true);
  });

  it('gives the scheme of a concept the types the vocabularies state, for sh:class on skos:inScheme', async () => {
    const shapes = `@prefix sh: <http://www.w3.org/ns/shacl#>. @prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix skos: <http://www.w3.org/2004/02/skos/core#>.
<http://example.org/shapes#Dataset> a sh:NodeShape; sh:targetClass dcat:Dataset; sh:property [ sh:path dcat:theme; sh:node <http://example.org/shapes#Theme> ].
<http://example.org/shapes#Theme> a sh:NodeShape; sh:property [ sh:path skos:inScheme; sh:minCount 1; sh:class skos:ConceptScheme; sh:hasValue <http://ex/themes> ].`;
    const { schema } = compileProfile(readShapes(await parseString(shapes, { format: 'turtle' })), { id: 'toy', title: 'toy' });
    const SKOS = 'http://www.w3.org/2004/02/skos/core#';
    const facts: Record<string, { types?: string[]; schemes?: string[] }> = {
      'http://ex/themes': { types: [`${SKOS}ConceptScheme`] },
      'http://ex/themes/ENVI': { types: [`${SKOS}Concept`], schemes: ['http://ex/themes'] },
      'http://ex/other/X': { types: [`${SKOS}Concept`], schemes: ['http://ex/other'] },
    };
    const v = new ProfileValidator(schema, { describe: (iri) => facts[iri] });
    const data = `${DCAT} <http://ex/d5> a dcat:Dataset; dcat:theme <http://ex/themes/ENVI>, <http://ex/other/X>.`;
    const results = v.validateDocument(await parseString(data, { format: 'turtle' }));
    expect(results.map((r) => `${short(r.sourceConstraintComponent)} ${r.value}`)).toEqual(['NodeConstraintComponent http://ex/other/X']);
  });

  it('applies sh:targetObjectsOf to every object of the predicate, described in the record, elsewhere or nowhere', async () => {
    const shapes = `@prefix sh: <http://www.w3.org/ns/shacl#>. @prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix adms: <http://www.w3.org/ns/adms#>.
<http://example.org/shapes#Sample> a sh:NodeShape; sh:targetObjectsOf adms:sample; sh:property [ sh:path dcat:downloadURL; sh:minCount 1 ].`;
    const { schema, report } = compileProfile(readShapes(await parseString(shapes, { format: 'turtle' })), { id: 'toy', title: 'toy' });
    expect(report.notCompiled).toEqual([]);
    const v = new ProfileValidator(schema);
    const data = `${DCAT} @prefix adms: <http://www.w3.org/ns/adms#>.
<http://ex/d6> a dcat:Dataset; adms:sample _:undescribed, <http://ex/good>, <http://ex/other>.
<http://ex/good> dcat:downloadURL <http://ex/file>.
<http://ex/other> a dcat:Dataset; adms:sample <http://ex/good>.`;
    const results = v.validateDocument(await parseString(data, { format: 'turtle' }));
    expect(results.map((r) => (r.focusNode.startsWith('_:') ? '_:' : r.focusNode)).sort()).toEqual(['_:', 'http://ex/other']);
    expect(results.every((r) => short(r.sourceConstraintComponent) === 'MinCountConstraintComponent')).toBe(true);
  });

  it('validates literal objects of sh:targetObjectsOf as focus nodes, as shacl-engine does', async () => {
    const shapes = `@prefix sh: <http://www.w3.org/ns/shacl#>. @prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix adms: <http://www.w3.org/ns/adms#>.
@prefix dct: <http://purl.org/dc/terms/>. @prefix foaf: <http://xmlns.com/foaf/0.1/>. @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>.
<http://example.org/shapes#Sample> a sh:NodeShape; sh:targetObjectsOf adms:sample; sh:nodeKind sh:IRI; sh:class foaf:Document;
  sh:property [ sh:path dcat:downloadURL; sh:minCount 1 ], [ sh:path dct:format; sh:maxCount 1 ].
<http://example.org/shapes#Title> a sh:NodeShape; sh:targetObjectsOf dct:title; sh:datatype rdf:langString;
  sh:property [ sh:path dct:type; sh:hasValue <http://ex/kind> ; sh:severity sh:Warning ].`;
    const data = `${DCAT} @prefix adms: <http://www.w3.org/ns/adms#>. @prefix foaf: <http://xmlns.com/foaf/0.1/>.
<http://ex/d7> a dcat:Dataset; adms:sample "example", "12"^^xsd:integer, <http://ex/s>; dct:title "Titel"@nl, "untagged".
<http://ex/d8> a dcat:Dataset; adms:sample "example".
<http://ex/s> a foaf:Document; dcat:downloadURL <http://ex/f>.`;
    const { schema, report } = compileProfile(readShapes(await parseString(shapes, { format: 'turtle' })), { id: 'toy', title: 'toy' });
    expect(report.notCompiled).toEqual([]);
    const ours = new ProfileValidator(schema).validateDocument(await parseString(data, { format: 'turtle' }));
    const dir = mkdtempSync(join(tmpdir(), 'vb-literal-targets-'));
    try {
      writeFileSync(join(dir, 'shapes.ttl'), shapes);
      writeFileSync(join(dir, 'data.ttl'), data);
      const theirs = await (await ReferenceValidator.create(await readRdf(join(dir, 'shapes.ttl')))).validate(await readRdf(join(dir, 'data.ttl')));
      const row = (r: { focusNode: string; path: string | null; component: string; severity: string; value?: string }) =>
        [r.focusNode, r.path ?? '', short(r.component), short(r.severity), r.value ?? ''].join(' | ');
      const mine = ours.map((r) => row({ focusNode: r.focusNode, path: r.resultPath ?? null, component: r.sourceConstraintComponent, severity: r.resultSeverity, value: r.value })).sort();
      expect(mine).toEqual(theirs.results.map(row).sort());
      expect(mine).toEqual([
        '"12"^^<http://www.w3.org/2001/XMLSchema#integer> |  | ClassConstraintComponent | Violation | "12"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"12"^^<http://www.w3.org/2001/XMLSchema#integer> |  | NodeKindConstraintComponent | Violation | "12"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"12"^^<http://www.w3.org/2001/XMLSchema#integer> | http://www.w3.org/ns/dcat#downloadURL | MinCountConstraintComponent | Violation | ',
        '"Titel"@nl | http://purl.org/dc/terms/type | HasValueConstraintComponent | Warning | ',
        '"example" |  | ClassConstraintComponent | Violation | "example"',
        '"example" |  | NodeKindConstraintComponent | Violation | "example"',
        '"example" | http://www.w3.org/ns/dcat#downloadURL | MinCountConstraintComponent | Violation | ',
        '"untagged" |  | DatatypeConstraintComponent | Violation | "untagged"',
        '"untagged" | http://purl.org/dc/terms/type | HasValueConstraintComponent | Warning | ',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a document without DCAT resources as such, not as conforming', async () => {
    const quads = await parseString('<http://a> <http://b> "c" .', { format: 'ntriples' });
    const report = buildReport('toy', ['core'], quads, (await toyValidator()).validateDocument(quads));
    expect(report.conforms).toBe(false);
    expect(report.notice?.en).toMatch(/no DCAT/);
  });

  it('names file, line and column when a shapes file does not parse', async () => {
    if (!hasCorpus) return;
    const dir = mkdtempSync(join(tmpdir(), 'vb-profiles-'));
    const corpus = mkdtempSync(join(tmpdir(), 'vb-corpus-'));
    try {
      writeFileSync(join(corpus, 'broken.ttl'), '@prefix sh: <http://www.w3.org/ns/shacl#>.\n<http://x> a sh:NodeShape ;\n  sh:targetClass <http://y> <http://z> .\n');
      writeFileSync(join(dir, 'broken.json'), JSON.stringify({ id: 'broken', title: 'b', version: '1', base: null, includeBase: false, shapes: [{ path: 'broken.ttl', layer: 'core' }], defaultLayers: ['core'], vocabularies: [], deviations: [] }));
      const err = await compileFromCorpus('broken', corpus, dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ShapesFileError);
      expect((err as ShapesFileError).message).toMatch(/^broken\.ttl:3:\d+: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(corpus, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasCorpus)('profiles compiled from the official shapes', () => {
  it.each(profileIds())('schemas/%s/schema.json is what the corpus shapes compile to', async (id) => {
    const result = await compileFromCorpus(id, CORPUS);
    const committed = JSON.parse(readFileSync(schemaPath(id), 'utf8'));
    expect(JSON.parse(JSON.stringify(result.schema))).toEqual(committed);
  });
});

/** Results as (focus, path, component, severity, shape), blank nodes without labels (engines label differently). */
function tuples(results: { focusNode: string; path: string | null; component: string; severity: string; sourceShape: string }[]): string[] {
  const b = (s: string) => (s.startsWith('_:') ? '_:' : s);
  return [...new Set(results.map((r) => [b(r.focusNode), r.path ?? '', r.component, r.severity, b(r.sourceShape)].join(' | ')))].sort();
}

const CONFORMANCE: [string, string[], string][] = [
  ['dcat-ap-3.0.1', ['core', 'ranges', 'recommended', 'deprecated'], 'examples/semic-dcat-ap-3.0.1'],
  ['dcat-ap-3.0.1', ['core', 'vocabularies'], 'examples/semic-dcat-ap-3.0.1'],
  ['dcat-ap-hvd-3.0', ['core'], 'examples/semic-dcat-ap-hvd-3.0.0'],
  ['dcat-ap-hvd-3.0', ['core', 'vocabularies'], 'examples/semic-dcat-ap-hvd-3.0.0'],
];

describe('code lists the reference corpus lacks', () => {
  const data = `${DCAT}
<http://ex/d9> a dcat:Dataset; dct:title "t"@en; dct:description "d"@en;
  dct:publisher <http://publications.europa.eu/resource/authority/corporate-body/DIGIT>;
  dct:spatial <http://publications.europa.eu/resource/authority/country/BEL>, <http://example.org/nowhere>;
  dct:type <http://publications.europa.eu/resource/authority/dataset-type/STATISTICAL>;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON>, <http://publications.europa.eu/resource/authority/data-theme/NOPE>.`;
  const vocabularyResults = (results: { resultPath?: string; value?: string; sourceConstraintComponent: string }[]) =>
    results.filter((r) => short(r.sourceConstraintComponent) === 'NodeConstraintComponent').map((r) => `${short(r.resultPath ?? '')} ${r.value}`).sort();

  it('takes a value in the namespace of a scheme without a snapshot as a concept of it, and still checks listed schemes and other values', async () => {
    const results = profileValidator('dcat-ap-3.0.1', { layers: ['core', 'vocabularies'] }).validateDocument(await parseString(data, { format: 'turtle' }));
    expect(vocabularyResults(results)).toEqual(['spatial http://example.org/nowhere', 'theme http://publications.europa.eu/resource/authority/data-theme/NOPE']);
  });

  it('loads the code lists with the layer whose shapes name them: every vocabulary of a manifest is in a layer that has shapes', () => {
    for (const id of profileIds()) {
      const m = readManifest(id);
      const layers = new Set(m.shapes.map((s) => s.layer));
      for (const v of m.vocabularies) expect(layers.has(v.layer), `${id}: ${v.scheme} in layer ${v.layer}`).toBe(true);
    }
  });

  it('takes valid Flemish and EU codes in a DCAT-AP VL record as such with the default layers, and still reports an unknown one', async () => {
    const vl = `${DCAT}
<http://ex/vl> a dcat:Dataset; dct:title "t"@nl; dct:description "d"@nl;
  dcat:theme <http://vocab.belgif.be/auth/datatheme/ENVI>, <http://vocab.belgif.be/auth/datatheme/NOPE>;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC>;
  dcat:distribution [ a dcat:Distribution; dcat:accessURL <http://ex/a>; dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ].`;
    const results = profileValidator('dcat-ap-vl-2.0').validateDocument(await parseString(vl, { format: 'turtle' }));
    const about = (iri: string) => results.filter((r) => r.value === iri);
    expect(about('http://vocab.belgif.be/auth/datatheme/ENVI')).toEqual([]);
    expect(about('http://publications.europa.eu/resource/authority/access-right/PUBLIC')).toEqual([]);
    expect(about('http://publications.europa.eu/resource/authority/file-type/CSV')).toEqual([]);
    expect(about('http://vocab.belgif.be/auth/datatheme/NOPE').length).toBeGreaterThan(0);
  });

  it('knows RESTRICTED, which the EU access-right table has and the corpus copy of it lacks', async () => {
    const doc = (code: string) => `${DCAT}\n<http://ex/r> a dcat:Dataset; dct:title "t"@en; dct:description "d"@en; dct:accessRights <http://publications.europa.eu/resource/authority/access-right/${code}>.`;
    for (const [code, reported] of [['RESTRICTED', false], ['PUBLIC', false], ['NOPE', true]] as const) {
      const results = profileValidator('dcat-ap-3.0.1', { layers: ['core', 'vocabularies'] }).validateDocument(await parseString(doc(code), { format: 'turtle' }));
      // The vocabulary restriction (AccessRightRestriction); sh:class dct:RightsStatement is another
      // matter, which no code list answers.
      const restriction = results.filter((r) => short(r.sourceConstraintComponent) === 'NodeConstraintComponent');
      expect(restriction.some((r) => r.value === `http://publications.europa.eu/resource/authority/access-right/${code}`), code).toBe(reported);
    }
  });

  it.skipIf(!hasCorpus)('where a SHACL engine, given no data about those schemes, reports every value of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-unlisted-'));
    try {
      writeFileSync(join(dir, 'data.ttl'), data);
      const theirs = await validateWithProfile(await readRdf(join(dir, 'data.ttl')), 'dcat-ap-3.0.1', ['core', 'vocabularies']);
      expect(vocabularyResults(theirs.results.map((r) => ({ resultPath: r.path ?? undefined, value: r.value, sourceConstraintComponent: r.component })))).toEqual([
        'publisher http://publications.europa.eu/resource/authority/corporate-body/DIGIT',
        'spatial http://example.org/nowhere',
        'spatial http://publications.europa.eu/resource/authority/country/BEL',
        'theme http://publications.europa.eu/resource/authority/data-theme/NOPE',
        'type http://publications.europa.eu/resource/authority/dataset-type/STATISTICAL',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasCorpus)('agreement with shacl-engine on the official shapes', () => {
  for (const [profile, layers, folder] of CONFORMANCE) {
    const files = hasCorpus ? readdirSync(corpusPath(folder)).filter((f) => /\.(ttl|jsonld|rdf)$/.test(f) && f !== 'context.jsonld') : [];
    it.each(files)(`${profile} (${layers.join(', ')}): ${folder}/%s`, async (file) => {
      const path = corpusPath(folder, file);
      const quads = await parseFile(path).catch(() => undefined);
      // Files our parser rejects are broken (tested in rdf-parse); the reference may read them leniently.
      if (!quads) return;
      const ours = profileValidator(profile, { layers }).validateDocument(quads);
      const theirs = await validateWithProfile(await readRdf(path), profile, layers);
      // With the vocabularies in its data graph, an engine also judges the code lists themselves (a
      // concept scheme without dct:title...): results about resources the document does not describe.
      const described = new Set(quads.map((q) => (q.subject.termType === 'BlankNode' ? '_:' : q.subject.value)));
      const about = theirs.results.filter((r) => described.has(r.focusNode.startsWith('_:') ? '_:' : r.focusNode));
      expect(tuples(ours.map((r) => ({ focusNode: r.focusNode, path: r.resultPath ?? null, component: r.sourceConstraintComponent, severity: r.resultSeverity, sourceShape: r.sourceShape })))).toEqual(
        tuples(about),
      );
      // The verdict on the document: violations among the results about what it describes.
      expect(ours.some((r) => r.resultSeverity.endsWith('#Violation'))).toBe(about.some((r) => r.severity.endsWith('#Violation')));
      if (about.length === theirs.results.length) expect(ours.some((r) => r.resultSeverity.endsWith('#Violation'))).toBe(!theirs.conforms);
    });
  }

  it('agrees on real data.gov.be records (two LDES pages, HVD)', async () => {
    for (const page of [1, 2]) {
      const ours = profileValidator('dcat-ap-hvd-3.0', { layers: ['core'] }).validateDocument(await parseFile(ldesPage(page)));
      const theirs = await validateWithProfile(await readRdf(ldesPage(page)), 'dcat-ap-hvd-3.0', ['core']);
      expect(ours.length).toBeGreaterThan(0);
      expect(tuples(ours.map((r) => ({ focusNode: r.focusNode, path: r.resultPath ?? null, component: r.sourceConstraintComponent, severity: r.resultSeverity, sourceShape: r.sourceShape })))).toEqual(
        tuples(theirs.results),
      );
    }
  });
});

describe('POST /api/v1/validate', () => {
  let app: FastifyInstance;
  let services: Services;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vindbaar-validate-'));
    services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_BODY_LIMIT: '1mb' }), pino({ level: 'silent' }));
    app = await buildServer(services);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const post = (body: string, query: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/api/v1/validate?${query}`, headers: { 'content-type': 'text/turtle', ...headers }, payload: body });
  const DOC = `${DCAT} <http://ex/d> a dcat:Dataset; dct:title "Werk"@nl.`;

  it('returns a report and stores nothing', async () => {
    const r = await post(DOC, 'profile=dcat-ap-3.0.1');
    expect(r.statusCode).toBe(200);
    const report = r.json();
    expect(report).toMatchObject({ profile: 'dcat-ap-3.0.1', conforms: false, resources: 1 });
    const missing = report.results.find((x: { resultPath?: string }) => x.resultPath === 'http://purl.org/dc/terms/description');
    expect(missing).toMatchObject({ focusNode: 'http://ex/d', sourceConstraintComponent: 'http://www.w3.org/ns/shacl#MinCountConstraintComponent' });
    expect(missing.message.nl).toBeTruthy();
    expect((await services.db.query('SELECT count(*)::int AS n FROM records')).rows[0]).toEqual({ n: 0 });
  });

  it('answers in Turtle as a sh:ValidationReport when asked', async () => {
    const r = await post(DOC, 'profile=dcat-ap-3.0.1', { accept: 'text/turtle' });
    expect(r.statusCode).toBe(200);
    const quads = await parseString(r.body, { format: 'turtle' });
    expect(quads.some((q) => q.object.value === 'http://www.w3.org/ns/shacl#ValidationReport')).toBe(true);
    expect(quads.some((q) => q.predicate.value === 'http://www.w3.org/ns/shacl#conforms' && q.object.value === 'false')).toBe(true);
  });

  it('lists the profiles with their layers', async () => {
    const r = await app.inject({ url: '/api/v1/profiles' });
    expect(r.statusCode).toBe(200);
    const vl = r.json().find((p: { id: string }) => p.id === 'dcat-ap-vl-2.0');
    expect(vl).toMatchObject({ base: 'dcat-ap-2.1.1', defaultLayers: ['core'] });
    expect(r.json().find((p: { default: boolean }) => p.default).id).toBe('dcat-ap-3.0.1');
  });

  it('answers a JSON-LD report compacted with SHACL terms', async () => {
    const r = await post(DOC, 'profile=dcat-ap-3.0.1', { accept: 'application/ld+json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    const report = doc['@graph'].find((n: { '@type': string }) => n['@type'] === 'ValidationReport');
    expect(report.conforms).toBe('false');
  });

  it('rejects an unknown profile with the list of known ones', async () => {
    const r = await post(DOC, 'profile=dcat-ap-9');
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    expect(r.json().known).toContain('dcat-ap-3.0.1');
  });

  it('rejects an unknown layer, and a body over the limit with 413', async () => {
    const layer = await post(DOC, 'profile=dcat-ap-3.0.1&layers=core,nonsense');
    expect(layer.statusCode).toBe(400);
    expect(layer.json().detail).toMatch(/nonsense/);
    const big = await post(`${DOC}\n#${'x'.repeat(1100 * 1024)}`, 'profile=dcat-ap-3.0.1');
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/problem\+json/);
  });

  it('answers malformed RDF with 400 and an unsupported media type with 415', async () => {
    const bad = await post(`${DCAT} <http://ex/d> a dcat:Dataset; dct:title "x" "y".`, 'profile=dcat-ap-3.0.1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().line).toBe(1);
    expect((await post(DOC, 'profile=dcat-ap-3.0.1', { 'content-type': 'image/png' })).statusCode).toBe(415);
  });

  it('says so when the document describes no DCAT resource', async () => {
    const r = await post('<http://a> <http://b> "c".', 'profile=dcat-ap-3.0.1');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ conforms: false, resources: 0 });
    expect(r.json().notice.en).toMatch(/no DCAT/);
  });
});

describe('validation on ingest', () => {
  const KEY = 'validation-test-key-0123456789';
  let app: FastifyInstance;
  let services: Services;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vindbaar-ingest-validation-'));
    services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: KEY }), pino({ level: 'silent' }));
    app = await buildServer(services);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const push = (body: string, query = '') =>
    app.inject({ method: 'POST', url: `/api/v1/catalogs/v/records${query}`, headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` }, payload: body });
  const GOOD = `${DCAT} <http://ex/good> a dcat:Dataset; dct:title "Goed"@nl; dct:description "Alles in orde."@nl.`;
  const BAD = `${DCAT} <http://ex/bad> a dcat:Dataset; dct:title "Slecht"@nl.`;

  it('stores each record with its report, and the verdict is a search facet', async () => {
    const pushed = (await push(`${GOOD}\n${BAD}`)).json();
    expect(pushed).toMatchObject({ created: 2, rejected: 0 });
    // The sender learns at once which records do not conform, where, and where the full report is.
    expect(pushed.validation).toMatchObject({ profile: 'dcat-ap-3.0.1', policy: 'accept-with-report', checked: 2, withViolations: 1 });
    expect(pushed.validation.records).toEqual([
      expect.objectContaining({ iri: 'http://ex/bad', verdict: 'violations', violations: 1, stored: true, report: expect.stringMatching(/\/api\/v1\/records\/[a-z2-7]{16}\/validation$/) }),
    ]);
    expect(pushed.validation.records[0].findings[0]).toMatchObject({ severity: 'Violation', focusNode: 'http://ex/bad', path: 'http://purl.org/dc/terms/description' });
    expect(pushed.validation.records[0].findings[0].message).toMatch(/description/);
    const rows = await services.db.query<{ iri: string; v: { verdict: string; violations: number; results: { path?: string; message: { nl: string } }[] } }>(
      'SELECT iri, validation AS v FROM records ORDER BY iri',
    );
    const bad = rows.rows.find((r) => r.iri === 'http://ex/bad')!.v;
    expect(bad).toMatchObject({ verdict: 'violations', violations: 1 });
    expect(bad.results[0]).toMatchObject({ path: 'http://purl.org/dc/terms/description' });
    const id = (await services.db.query<{ id: string }>("SELECT id FROM records WHERE iri = 'http://ex/bad'")).rows[0].id;
    const shown = (await app.inject({ url: `/api/v1/records/${id}/validation` })).json();
    expect(shown).toMatchObject({ iri: 'http://ex/bad', profile: 'dcat-ap-3.0.1', verdict: 'violations' });
    expect(shown.results[0]).toMatchObject({ resultPath: 'http://purl.org/dc/terms/description', sourceConstraintComponent: 'http://www.w3.org/ns/shacl#MinCountConstraintComponent' });
    expect(shown.results[0].message.nl).toMatch(/description/);
    expect(rows.rows.find((r) => r.iri === 'http://ex/good')!.v.verdict).not.toBe('violations');
    const search = (await app.inject({ url: '/api/v1/datasets?validation=violations' })).json();
    expect(search.totalItems).toBe(1);
    expect(search.facets.validation.map((f: { value: string }) => f.value).sort()).toEqual(expect.arrayContaining(['violations']));
  });

  it('turns away records with violations under the reject policy, leaving the stored version alone', async () => {
    const changed = BAD.replace('"Slecht"@nl', '"Nog steeds slecht"@nl');
    // Everything turned away: 422, with the findings of each record (there is no stored report to link).
    const refused = await push(changed, '?policy=reject');
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.json()).toMatchObject({ created: 0, updated: 0, rejected: 1, validation: { withViolations: 1, records: [{ iri: 'http://ex/bad', stored: false }] } });
    expect(refused.json().validation.records[0].findings.length).toBeGreaterThan(0);
    // Into a catalogue the push would have made: none is left behind.
    const fresh = await app.inject({ method: 'POST', url: '/api/v1/catalogs/v-new/records?policy=reject', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${KEY}` }, payload: changed });
    expect(fresh.statusCode).toBe(422);
    expect((await services.db.query("SELECT 1 FROM catalogs WHERE id = 'v-new'")).rows).toHaveLength(0);
    // Part of a push turned away: 200, the rest stored.
    const mixed = await push(`${changed}\n${GOOD.replace('Alles in orde.', 'Alles nog steeds in orde.')}`, '?policy=reject');
    expect(mixed.statusCode).toBe(200);
    expect(mixed.json()).toMatchObject({ updated: 1, rejected: 1 });
    const r = await services.db.query<{ json: { title: Record<string, string> } }>("SELECT json FROM records WHERE iri = 'http://ex/bad'");
    expect(r.rows[0].json.title).toEqual({ nl: 'Slecht' });
  });

  it('turns away with the records the left-over resources only they refer to, and answers 422 when nothing is left', async () => {
    // A class description and a stray node are left over (no dataset owns them): kept for a stored
    // dataset that refers to them, turned away with the others.
    const doc = `${DCAT} @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#>.
      <http://ex/left-good> a dcat:Dataset, <http://ex/class/Good>; dct:title "Goed"@nl; dct:description "In orde."@nl.
      <http://ex/class/Good> rdfs:label "Een klasse"@nl.
      <http://ex/left-bad> a dcat:Dataset, <http://ex/class/Bad>; dct:title "Slecht"@nl.
      <http://ex/class/Bad> rdfs:label "Een andere klasse"@nl.
      <http://ex/stray> rdfs:label "Niemand verwijst hiernaar"@nl.`;
    const post = (catalog: string, body: string, type = 'text/turtle', query = '?policy=reject') =>
      app.inject({ method: 'POST', url: `/api/v1/catalogs/${catalog}/records${query}`, headers: { 'content-type': type, authorization: `Bearer ${KEY}` }, payload: body });
    const stored = async (catalog: string) => (await services.db.query<{ iri: string }>('SELECT iri FROM records WHERE catalog_id = $1 ORDER BY iri', [catalog])).rows.map((r) => r.iri);
    const mixed = await post('v-left', doc);
    expect(mixed.statusCode, mixed.body).toBe(200);
    expect(mixed.json()).toMatchObject({ records: 5, created: 2, rejected: 3 });
    expect(await stored('v-left')).toEqual(['http://ex/class/Good', 'http://ex/left-good']);
    const why = (iri: string) => mixed.json().warnings.find((w: { iri: string }) => w.iri === iri)?.messages[0];
    expect(why('http://ex/class/Bad')).toMatch(/^not stored: only records that the policy turned away refer to it/);
    expect(why('http://ex/stray')).toMatch(/^not stored: no stored record refers to it/);
    // Without the policy nothing is turned away: every triple is kept.
    expect((await post('v-left-all', doc, 'text/turtle', '')).json()).toMatchObject({ created: 5 });
    if (!hasCorpus) return;
    // The OSLO test document whose catalogue and dataset both violate DCAT-AP VL; its stray landing
    // page (https://dummy.com/dummyLpage, which the dataset names with http:) is no reason to store anything.
    const range = readFileSync(corpusPath('examples/oslo-dcat-ap-vl-testdata/error-dataset-range.nt'), 'utf8');
    const refused = await post('v-range', range, 'application/n-triples', '?profile=dcat-ap-vl-2.0&policy=reject');
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ created: 0, updated: 0, unchanged: 0, rejected: 3, byKind: { Catalog: 1, Dataset: 1, Resource: 1 } });
    expect(refused.json().detail).toMatch(/left-over resource/);
    expect(await stored('v-range')).toEqual([]);
    expect((await services.db.query("SELECT 1 FROM catalogs WHERE id = 'v-range'")).rows).toHaveLength(0);
  });

  it('validates unchanged records again under another profile: a stricter one with the reject policy turns them away', async () => {
    // GOOD passes DCAT-AP 3.0.1 (stored above with that report) but lacks what DCAT-AP VL asks for.
    expect((await push(GOOD)).statusCode).toBe(200);
    expect((await push(GOOD)).json()).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const refused = (await push(GOOD, '?profile=dcat-ap-vl-2.0&policy=reject')).json();
    expect(refused).toMatchObject({ unchanged: 0, rejected: 1 });
    // The sender is told why: the count, the profile and the first violations.
    const why = refused.warnings.find((w: { iri: string }) => w.iri === 'http://ex/good');
    expect(why.messages[0]).toMatch(/^not stored: \d+ violations? of dcat-ap-vl-2\.0 \(policy reject\): \S/);
    const id = (await services.db.query<{ id: string }>("SELECT id FROM records WHERE iri = 'http://ex/good'")).rows[0].id;
    expect((await app.inject({ url: `/api/v1/records/${id}/validation` })).json()).toMatchObject({ profile: 'dcat-ap-3.0.1' });
    // Without the reject policy the new report is stored, in place: the triples did not change, so the
    // record keeps its version and the public change feed says nothing. The same profile again is unchanged.
    const state = async () => (await services.db.query<{ version: number; events: number; modified: Date }>('SELECT version, (SELECT count(*)::int FROM feed_events WHERE announced) AS events, last_modified AS modified FROM records WHERE id = $1', [id])).rows[0];
    const told = async () => (await services.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM feed_events WHERE record_id = $1 AND NOT announced AND op = 'update'`, [id])).rows[0].n;
    const toldBefore = await told();
    const { modified: modifiedBefore, ...before } = await state();
    expect((await push(GOOD, '?profile=dcat-ap-vl-2.0')).json()).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const { modified: modifiedAfter, ...after } = await state();
    expect(after).toEqual(before);
    // Those who follow every record (the quality facts with their verdict, the register) are told.
    expect(await told()).toBe(toldBefore + 1);
    // The report served is another: its Last-Modified (and the ETag built on it) moves.
    expect(modifiedAfter.getTime()).toBeGreaterThan(modifiedBefore.getTime());
    expect((await app.inject({ url: `/api/v1/records/${id}/validation` })).json()).toMatchObject({ profile: 'dcat-ap-vl-2.0', verdict: 'violations' });
    expect((await push(GOOD, '?profile=dcat-ap-vl-2.0')).json()).toMatchObject({ unchanged: 1 });
    // Stored with violations, sent again unchanged under the reject policy: turned away, and said why.
    const gate = (await push(GOOD, '?profile=dcat-ap-vl-2.0&policy=reject')).json();
    expect(gate).toMatchObject({ unchanged: 0, rejected: 1 });
    expect(gate.warnings.find((w: { iri: string }) => w.iri === 'http://ex/good').messages[0]).toMatch(/^not stored: .*the version stored earlier, unchanged, stays/);
    expect((await app.inject({ url: `/api/v1/records/${id}/validation` })).json()).toMatchObject({ profile: 'dcat-ap-vl-2.0', verdict: 'violations' });
  });

  it('names blank nodes in a stored report as the record\'s N-Triples name them', async () => {
    // A distribution without an access URL (a violation about a blank node).
    const doc = `${DCAT} <http://ex/blank> a dcat:Dataset; dct:title "Leeg"@nl; dct:description "Een distributie zonder adres."@nl;
      dcat:distribution [ a dcat:Distribution; dct:title "Zonder adres"@nl ].`;
    expect((await push(doc)).statusCode).toBe(200);
    const row = (await services.db.query<{ id: string; nquads: string }>("SELECT id, nquads FROM records WHERE iri = 'http://ex/blank'")).rows[0];
    const report = (await app.inject({ url: `/api/v1/records/${row.id}/validation` })).json();
    const blank = report.results.filter((r: { focusNode: string }) => r.focusNode.startsWith('_:'));
    expect(blank.length).toBeGreaterThan(0);
    for (const r of blank) expect(row.nquads).toContain(`${r.focusNode} `);
  });

  it('answers an unknown profile with 400 and stores nothing', async () => {
    const r = await push(GOOD.replace('ex/good', 'ex/other'), '?profile=dcat-ap-0');
    expect(r.statusCode).toBe(400);
    expect(r.json().known).toContain('dcat-ap-3.0.1');
    expect((await services.db.query("SELECT count(*)::int AS n FROM records WHERE iri = 'http://ex/other'")).rows[0]).toEqual({ n: 0 });
  });
});
