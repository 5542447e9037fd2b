import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import jsonld from 'jsonld';
import { dataFactory as DataFactory, type Quad } from '../src/rdf/terms.js';
import { RecordSplitter } from '../src/dcat/split.js';
import { MAX_EMBED_DEPTH, recordToJson } from '../src/dcat/json.js';
import { contentHash, canonicalize } from '../src/dcat/canonical.js';
import { contextDocument } from '../src/dcat/context.js';
import { parseString } from '../src/rdf/parse.js';
import { RdfSyntaxError } from '../src/rdf/errors.js';
import { hasCorpus, corpusPath, ldesPage } from './support/corpus.js';
import { canonical, parseFile, asTriples } from './support/rdf.js';
import { readFileSync } from 'node:fs';

// Beside the specifications' examples, real portals' output (ckanext-dcat's test data from data.gov.uk,
// GovData and others): literals where DCAT-AP expects IRIs ("text/plain" as dct:format) must stay literals.
const EXAMPLE_DIRS = ['examples/semic-dcat-ap-3.0.1', 'examples/semic-dcat-ap-hvd-3.0.0', 'examples/semic-geodcat-ap-2.0.0', 'real/ckanext-dcat'];
const examples = hasCorpus
  ? EXAMPLE_DIRS.flatMap((d) => readdirSync(corpusPath(d)).filter((f) => /\.(ttl|jsonld|rdf)$/.test(f) && f !== 'context.jsonld').map((f) => `${d}/${f}`))
  : [];

function split(quads: Quad[], window?: number) {
  const s = new RecordSplitter({ window });
  const out = [];
  for (let i = 0; i < quads.length; i += 7) out.push(...s.push(quads.slice(i, i + 7)));
  out.push(...s.end());
  return out;
}

/** Six SEMIC JSON-LD examples type dates as "xsd:date" without declaring the xsd prefix, so the
 * datatype IRI is literally "xsd:date". In the project context xsd is a prefix, so JSON cannot carry
 * that IRI; the stored N-Quads do. Compare the JSON view as if the prefix had been declared. */
function unbrokenDatatype(q: Quad): Quad {
  const o = q.object;
  if (o.termType !== 'Literal' || !o.datatype.value.startsWith('xsd:')) return q;
  return DataFactory.quad(q.subject, q.predicate, DataFactory.literal(o.value, DataFactory.namedNode(`http://www.w3.org/2001/XMLSchema#${o.datatype.value.slice(4)}`)));
}

/** JSON record -> triples through jsonld.js and the project context. */
async function jsonToQuads(json: object): Promise<Quad[]> {
  const doc = { ...contextDocument(), ...json };
  const nquads = (await jsonld.toRDF(doc as never, { format: 'application/n-quads' })) as unknown as string;
  return parseString(nquads, { format: 'nquads' });
}

describe.skipIf(!hasCorpus)('DCAT records from every DCAT-AP 3.0.1, HVD and GeoDCAT-AP example', () => {
  it('finds the examples', () => expect(examples.length).toBeGreaterThan(100));

  it.each(examples)('%s: records keep every triple, and each JSON record expands to its triples', async (file) => {
    let quads: Quad[];
    try {
      quads = await parseFile(corpusPath(file));
    } catch (e) {
      // The corpus lists a few examples as broken on purpose; they must fail with a located error.
      expect(e).toBeInstanceOf(RdfSyntaxError);
      expect((e as RdfSyntaxError).line).toBeGreaterThan(0);
      return;
    }
    const records = split(quads);
    const union = records.flatMap((r) => r.quads);
    expect(await canonical(union)).toBe(await canonical(quads));
    for (const r of records) {
      const json = recordToJson(r.root, r.quads);
      expect(await canonical(await jsonToQuads(json))).toBe(await canonical(r.quads.map(unbrokenDatatype)));
    }
  });
});

describe('left-over resources', () => {
  const PREFIXES = '@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#>.';
  const byRoot = (records: ReturnType<typeof split>) => new Map(records.map((r) => [r.root.value, r]));

  it('say which records refer to them, through other left-overs too, and which nothing refers to', async () => {
    const quads = await parseString(
      `${PREFIXES}
      <http://ex/a> a dcat:Dataset, <http://ex/Class>; dct:title "A".
      <http://ex/b> a dcat:Dataset; dct:title "B".
      <http://ex/Class> rdfs:label "a class"; rdfs:seeAlso <http://ex/Note>.
      <http://ex/Note> rdfs:label "said of the class"; rdfs:comment [ rdfs:label "a blank node the note owns" ].
      <http://ex/stray> rdfs:label "nothing refers to this".`,
      { format: 'turtle' },
    );
    const records = byRoot(split(quads));
    const a = records.get('http://ex/a')!;
    // A class is never taken into a record, but a record typed with it refers to it.
    expect(records.get('http://ex/Class')).toMatchObject({ kind: 'Resource', referencedBy: [a] });
    expect(records.get('http://ex/Note')).toMatchObject({ kind: 'Resource', referencedBy: [a] });
    expect(records.get('http://ex/Note')!.quads).toHaveLength(3);
    const stray = records.get('http://ex/stray')!;
    expect(stray.referencedBy).toBeUndefined();
    expect(stray.unseenReferences).toBeUndefined();
    expect(records.get('http://ex/b')!.referencedBy).toBeUndefined();
  });

  it('come out however many there are in one push (a vocabulary of 500,000 untyped nodes validated at once)', () => {
    const { namedNode, literal, quad } = DataFactory;
    const title = namedNode('http://purl.org/dc/terms/title');
    const quads = Array.from({ length: 500_000 }, (_, i) => quad(namedNode(`http://ex/r${i}`), title, literal('t')));
    const s = new RecordSplitter();
    // The validation endpoint and PUT hand the whole document over in one push.
    const records = [...s.push(quads), ...s.end()];
    expect(records).toHaveLength(500_000);
    expect(records.every((r) => r.kind === 'Resource' && r.quads.length === 1)).toBe(true);
  });

  it('cut before the end, or read after records were cut, may be referred to by records not seen doing so', async () => {
    const filler = Array.from({ length: 60 }, (_, i) => `<http://ex/d${i}> a dcat:Dataset; dct:title "D${i}"${i < 30 ? '; dct:publisher <http://ex/agent>' : ''}.`).join('\n');
    const quads = await parseString(`${PREFIXES}\n<http://ex/early> rdfs:label "read first, cut long before its datasets".\n${filler}\n<http://ex/agent> rdfs:label "described after the datasets that refer to it".`, { format: 'turtle' });
    const records = byRoot(split(quads, 40));
    expect(records.get('http://ex/early')).toMatchObject({ kind: 'Resource', unseenReferences: true });
    expect(records.get('http://ex/agent')).toMatchObject({ kind: 'Resource', unseenReferences: true });
  });
});

describe.skipIf(!hasCorpus)('record splitting of real data', () => {
  it('cuts an LDES page of data.gov.be into one record per dataset, with its distributions', async () => {
    const quads = await parseString(readFileSync(ldesPage(3), 'utf8'), { format: 'trig' });
    const records = split(quads);
    const datasets = records.filter((r) => r.kind === 'Dataset');
    expect(datasets.length).toBe(100);
    expect(await canonical(records.flatMap((r) => r.quads))).toBe(await canonical(quads));
    // Every node a dataset points to and the page describes (agents, periods, contact points) is in its record.
    const described = new Set(quads.map((q) => q.subject.value));
    for (const d of datasets) {
      const own = new Set(d.quads.map((q) => q.subject.value));
      for (const q of d.quads)
        if (q.subject.equals(d.root) && q.object.termType !== 'Literal' && described.has(q.object.value) && q.predicate.value !== 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type')
          expect(own.has(q.object.value), `${d.root.value} -> ${q.object.value}`).toBe(true);
    }
  });

  it('puts the LDES event about a dataset in that dataset\'s record, leaving only the feed itself over', async () => {
    const quads = await parseString(readFileSync(ldesPage(3), 'utf8'), { format: 'trig' });
    const records = split(quads);
    const datasets = records.filter((r) => r.kind === 'Dataset');
    for (const d of datasets) expect(d.quads.some((q) => q.predicate.value === 'https://www.w3.org/ns/activitystreams#object' && q.object.equals(d.root))).toBe(true);
    expect(records.filter((r) => r.kind === 'Resource').length).toBeLessThan(5);
  });

  it('keeps every triple with a small window, even when records are cut early', async () => {
    const quads = await parseString(readFileSync(ldesPage(5), 'utf8'), { format: 'trig' });
    const records = split(quads, 200);
    expect(await canonical(records.flatMap((r) => r.quads))).toBe(await canonical(quads));
    expect(records.filter((r) => r.kind === 'Dataset').length).toBe(100);
  });
});

describe('content hash', () => {
  const ttl = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>.
    <http://x.org/d> a dcat:Dataset; dct:title "T"@nl, "T"@en;
      dct:temporal [ dcat:startDate "2020-01-01" ; dcat:endDate "2021-01-01" ], [ dcat:startDate "2022-01-01" ];
      dcat:contactPoint [ <http://www.w3.org/2006/vcard/ns#fn> "Team" ].`;

  it('does not depend on triple order, duplicates or blank-node labels', async () => {
    const a = await parseString(ttl, { format: 'turtle' });
    const b = await parseString(ttl, { format: 'turtle' });
    const shuffled = [...b].reverse();
    shuffled.push(shuffled[0]);
    expect(a[4].subject.value === b[4].subject.value && a[4].subject.termType === 'BlankNode').toBe(false);
    expect(contentHash(shuffled)).toBe(contentHash(a));
  });

  it('changes when a triple changes, also inside a blank node', async () => {
    const a = await parseString(ttl, { format: 'turtle' });
    const b = await parseString(ttl.replace('"2022-01-01"', '"2022-01-02"'), { format: 'turtle' });
    const c = await parseString(ttl.replace('"T"@en', '"T"@de'), { format: 'turtle' });
    expect(contentHash(b)).not.toBe(contentHash(a));
    expect(contentHash(c)).not.toBe(contentHash(a));
    expect(contentHash(a.slice(1))).not.toBe(contentHash(a));
  });

  it('agrees with RDF canonicalisation on which graphs are equal', async () => {
    const a = await parseString(ttl, { format: 'turtle' });
    const relabelled = a.map((q) =>
      DataFactory.quad(
        q.subject.termType === 'BlankNode' ? DataFactory.blankNode(`z${q.subject.value}`) : q.subject,
        q.predicate,
        q.object.termType === 'BlankNode' ? DataFactory.blankNode(`z${q.object.value}`) : q.object,
      ),
    );
    expect(await canonical(relabelled)).toBe(await canonical(a));
    expect(contentHash(relabelled)).toBe(contentHash(a));
    expect(asTriples(a).length).toBe(a.length);
  });
});

describe('catalogue records', () => {
  it('go with the dataset they describe, not with the catalogue that lists them', async () => {
    const quads = await parseString(
      `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix foaf: <http://xmlns.com/foaf/0.1/>.
       <http://x.org/cat> a dcat:Catalog; dcat:dataset <http://x.org/d>; dcat:record <http://x.org/rec>.
       <http://x.org/rec> a dcat:CatalogRecord; foaf:primaryTopic <http://x.org/d>; dct:modified "2024-01-01".
       <http://x.org/d> a dcat:Dataset; dct:title "D".`,
      { format: 'turtle' },
    );
    const records = split(quads);
    const dataset = records.find((r) => r.kind === 'Dataset')!;
    const catalog = records.find((r) => r.kind === 'Catalog')!;
    expect(dataset.quads.some((q) => q.subject.value === 'http://x.org/rec')).toBe(true);
    expect(catalog.quads.some((q) => q.subject.value === 'http://x.org/rec')).toBe(false);
    expect(dataset.catalogIri).toBe('http://x.org/cat');
  });
});

describe('canonical N-Triples', () => {
  it('are valid N-Triples that read back to the same graph, escapes included', async () => {
    const ttl = `@prefix dct: <http://purl.org/dc/terms/>. @prefix xsd: <http://www.w3.org/2001/XMLSchema#>.
      <http://x.org/d> dct:title "Tab\\there, quote \\" and\\nnewline, backslash \\\\ and \\u0001"@nl;
        dct:issued "2024-01-01"^^xsd:date; dct:temporal [ dct:title "x" ]; dct:relation <http://x.org/a%20b>.`;
    const quads = await parseString(ttl, { format: 'turtle' });
    const { nquads, hash } = canonicalize(quads);
    const back = await parseString(nquads, { format: 'ntriples' });
    expect(await canonical(back)).toBe(await canonical(quads));
    expect(canonicalize([...back].reverse()).nquads).toBe(nquads);
    expect(canonicalize(back).hash).toBe(hash);
    expect(nquads.split('\n').filter(Boolean)).toEqual([...nquads.split('\n').filter(Boolean)].sort());
  });

  it('keep blank nodes that say the same thing apart, whatever the order of the input', async () => {
    // Two contact points with the same content, each with an address of the same content below it:
    // colour refinement alone gives both the same label, and the unique lines then lost one of them.
    const ttl = `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix vcard: <http://www.w3.org/2006/vcard/ns#>.
      <http://x.org/d> a dcat:Dataset; dcat:contactPoint [ a vcard:Kind; vcard:hasAddress [ vcard:locality "Gent" ] ],
        [ a vcard:Kind; vcard:hasAddress [ vcard:locality "Gent" ] ], [ a vcard:Kind; vcard:fn "Dienst" ].`;
    const quads = await parseString(ttl, { format: 'turtle' });
    const { nquads, hash } = canonicalize(quads);
    expect(nquads.split('\n').filter(Boolean)).toHaveLength(quads.length);
    const back = await parseString(nquads, { format: 'ntriples' });
    expect(await canonical(back)).toBe(await canonical(quads));
    for (let i = 0; i < 5; i++) {
      const shuffled = [...quads].sort(() => Math.random() - 0.5);
      expect(canonicalize(shuffled).hash).toBe(hash);
    }
    expect(canonicalize([...back].reverse()).hash).toBe(hash);
  });

  it('keep thousands of look-alike blank nodes of a hostile record apart, every one', async () => {
    const many = Array.from({ length: 3000 }, () => '[ a <http://www.w3.org/2006/vcard/ns#Kind> ]').join(', ');
    const quads = await parseString(`<http://x.org/d> <http://www.w3.org/ns/dcat#contactPoint> ${many} .`, { format: 'turtle' });
    const { nquads } = canonicalize(quads);
    expect(nquads.split('\n').filter(Boolean)).toHaveLength(6000);
  });
});

describe('JSON records', () => {
  it('uses language maps, embeds owned nodes and keeps typed literals', async () => {
    const quads = await parseString(
      `@prefix dcat: <http://www.w3.org/ns/dcat#>. @prefix dct: <http://purl.org/dc/terms/>. @prefix xsd: <http://www.w3.org/2001/XMLSchema#>.
       <http://x.org/d> a dcat:Dataset; dct:title "Werkzoekenden"@nl, "Jobseekers"@en; dct:issued "2024-01-02"^^xsd:date;
         dcat:keyword "werk"@nl, "arbeid"@nl; dcat:distribution <http://x.org/d/csv>.
       <http://x.org/d/csv> a dcat:Distribution; dct:format <http://publications.europa.eu/resource/authority/file-type/CSV>.`,
      { format: 'turtle' },
    );
    const json = recordToJson(DataFactory.namedNode('http://x.org/d'), quads);
    expect(json).toMatchObject({
      iri: 'http://x.org/d',
      type: 'Dataset',
      title: { nl: 'Werkzoekenden', en: 'Jobseekers' },
      keyword: { nl: ['werk', 'arbeid'] },
      issued: { '@value': '2024-01-02', '@type': 'xsd:date' },
      distribution: [{ iri: 'http://x.org/d/csv', type: 'Distribution', format: 'http://publications.europa.eu/resource/authority/file-type/CSV' }],
    });
  });

  it('of any depth are built, nodes past the embedding depth going to "@included", and still expand to the triples', async () => {
    // An RDF list of 5,000 items is a chain of 5,000 blank nodes; beside it a chain of named nodes.
    const list = Array.from({ length: 5000 }, (_, i) => `"k${i}"`).join(' ');
    const chain = Array.from({ length: 300 }, (_, i) => `<http://x.org/n${i}> <http://x.org/next> <http://x.org/n${i + 1}>.`).join('\n');
    const quads = await parseString(`<http://x.org/d> a <http://www.w3.org/ns/dcat#Dataset>; <http://x.org/list> (${list}); <http://x.org/next> <http://x.org/n0>.\n${chain}`, { format: 'turtle' });
    const record = split(quads).find((r) => r.kind === 'Dataset')!;
    expect(record.quads.length).toBe(quads.length);
    const json = recordToJson(record.root, record.quads);
    expect((json['@included'] as object[]).length).toBeGreaterThan(0);
    expect(await canonical(await jsonToQuads(json))).toBe(await canonical(record.quads));
    // A record as deep as the embedding depth has nothing to include.
    const shallow = await parseString(`<http://x.org/d> <http://x.org/list> (${Array.from({ length: MAX_EMBED_DEPTH - 1 }, (_, i) => i).join(' ')}).`, { format: 'turtle' });
    expect(recordToJson(DataFactory.namedNode('http://x.org/d'), shallow)['@included']).toBeUndefined();
  });
});
