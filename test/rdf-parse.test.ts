import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import jsonld from 'jsonld';
import type { Quad } from '../src/rdf/terms.js';
import { MAX_JSON_DEPTH, MAX_XML_DEPTH, parseQuads, parseString } from '../src/rdf/parse.js';
import { RdfSyntaxError } from '../src/rdf/errors.js';
import { serialize } from '../src/rdf/write.js';
import { RdfXmlCharacterError, xmlDocumentFault } from '../src/rdf/rdfxml-writer.js';
import { formatForPath, formatForMediaType, type RdfFormat } from '../src/rdf/formats.js';
import { hasCorpus, corpusPath } from './support/corpus.js';
import { canonical, parseFile } from './support/rdf.js';

async function errorOf(path: string): Promise<RdfSyntaxError> {
  try {
    await parseFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(RdfSyntaxError);
    return e as RdfSyntaxError;
  }
  throw new Error(`${path} parsed without error`);
}

describe('formats', () => {
  it('maps media types and file names', () => {
    expect(formatForMediaType('text/turtle; charset=utf-8')).toBe('turtle');
    expect(formatForMediaType('application/ld+json')).toBe('jsonld');
    expect(formatForMediaType('application/pdf')).toBeUndefined();
    expect(formatForPath('dump.nt.gz')).toBe('ntriples');
    expect(formatForPath('https://x.org/catalog.rdf?page=2')).toBe('rdfxml');
  });
});

describe('streaming parse', () => {
  const ttl = '@prefix dct: <http://purl.org/dc/terms/> .\n<http://x.org/d> dct:title "Werkzoekenden in Vlaanderen — €, ü, 你好"@nl .\n';

  it('gives the same triples however the bytes are chunked, multi-byte characters included', async () => {
    const whole = await parseString(ttl, { format: 'turtle' });
    const bytes = Buffer.from(ttl, 'utf8');
    async function* oneByteAtATime() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const parts = [];
    for await (const batch of parseQuads(oneByteAtATime(), { format: 'turtle' })) parts.push(...batch);
    expect(parts).toHaveLength(1);
    expect(parts[0].object.value).toBe(whole[0].object.value);
  });

  it('names the line and column of the bad token, also when the token before it ended on an earlier line', async () => {
    const at = async (text: string, format: RdfFormat) => {
      try {
        await parseString(text, { format });
      } catch (e) {
        return e as RdfSyntaxError;
      }
      throw new Error('parsed');
    };
    expect(await at('@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:d/e ex:b ex:c .\n', 'turtle')).toMatchObject({ line: 3, column: 1 });
    const extra = await at('<http://a> <http://b> <http://c> <http://d> .\n', 'ntriples');
    expect(extra).toMatchObject({ line: 1, column: 34 });
    expect(extra.message).not.toContain('undefined');
    // JSON-LD: the streaming tokenizer says only "Unexpected COMMA in state KEY"; the place is found.
    expect(await at('{\n  "@id": "http://a",\n  , "x": 1\n}', 'jsonld')).toMatchObject({ line: 3, column: 3 });
    expect(await at('[{"@id": "http://a" "b": 1}]', 'jsonld')).toMatchObject({ line: 1, column: 21 });
  });

  it('gives every empty JSON-LD node object a blank node of its own, as jsonld.js does', async () => {
    // OSLO's DCAT-AP VL test data has "contactinformatie": {} beside "geografischeDekking": {}: two nodes.
    const ctx = {
      contactPoint: { '@id': 'http://www.w3.org/ns/dcat#contactPoint', '@type': '@id' },
      spatial: { '@id': 'http://purl.org/dc/terms/spatial', '@container': '@set', '@type': '@id' },
      sample: { '@id': 'http://www.w3.org/ns/adms#sample', '@type': '@id' },
      name: 'http://xmlns.com/foaf/0.1/name',
    };
    const docs = [
      { '@context': ctx, '@id': 'http://x.org/d', contactPoint: {}, spatial: {}, sample: {} },
      { '@context': ctx, '@id': 'http://x.org/d', contactPoint: {}, sample: { name: 'x' } },
      { '@context': ctx, '@id': 'http://x.org/d', spatial: [{}, { name: 'a' }, {}, {}] },
      { '@context': ctx, '@id': 'http://x.org/d', spatial: [{ name: 'a' }, {}, { name: 'b' }, {}] },
    ];
    for (const doc of docs) {
      const ours = await parseString(JSON.stringify(doc), { format: 'jsonld' });
      const theirs = await parseString((await jsonld.toRDF(doc as never, { format: 'application/n-quads' })) as unknown as string, { format: 'nquads' });
      expect(await canonical(ours), JSON.stringify(doc)).toBe(await canonical(theirs));
    }
  });

  it('refuses JSON-LD nested deeper than any document needs, at once and saying where, before the parser spends minutes on it', async () => {
    const nested = (n: number, open = '[', close = ']') => `{"@context": {"@vocab": "http://x.org/"}, "@id": "http://x.org/d",\n "deep": ${open.repeat(n)}${close.repeat(n)}}`;
    const started = Date.now();
    const e = await parseString(nested(5000), { format: 'jsonld' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(RdfSyntaxError);
    // The document is the first level: the 64th bracket is one too many.
    expect(e).toMatchObject({ line: 2, column: 9 + MAX_JSON_DEPTH });
    expect((e as Error).message).toContain(`more than ${MAX_JSON_DEPTH}`);
    await expect(parseString(nested(2000, '{"a": ', '}').replace('"a": }', '"a": 1}'), { format: 'jsonld' })).rejects.toThrow(/nested more than/);
    expect(Date.now() - started).toBeLessThan(5000);
    // Brackets in strings are text, and as deep as the limit is read.
    const deepest = `{"@context": {"@vocab": "http://x.org/"}, "@id": "http://x.org/d", "t": "${'[{'.repeat(100)}", "a": ${'{"a": '.repeat(MAX_JSON_DEPTH - 2)}"x"${'}'.repeat(MAX_JSON_DEPTH - 2)}}`;
    expect((await parseString(deepest, { format: 'jsonld' })).length).toBeGreaterThan(1);
  });

  it('refuses RDF/XML nested deeper than any document needs, at once and saying where, before the XML parser spends minutes on it', async () => {
    // rdf:RDF, rdf:Description, then `levels` more in (property, node) pairs.
    const nested = (levels: number) =>
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/">\n<rdf:Description rdf:about="http://x.org/d">${'<dct:relation><rdf:Description>'.repeat(levels / 2)}${'</rdf:Description></dct:relation>'.repeat(levels / 2)}</rdf:Description></rdf:RDF>`;
    const started = Date.now();
    // 20,000 levels took the XML parser 5 s of one core.
    const e = await parseString(nested(20000), { format: 'rdfxml' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e).toBeInstanceOf(RdfSyntaxError);
    expect((e as Error).message).toContain(`more than ${MAX_XML_DEPTH}`);
    // The element one too deep, on the document's second line.
    expect(e).toMatchObject({ line: 2 });
    // As deep as the limit is read.
    expect((await parseString(nested(MAX_XML_DEPTH - 2), { format: 'rdfxml' })).length).toBe((MAX_XML_DEPTH - 2) / 2);
    await expect(parseString(nested(MAX_XML_DEPTH), { format: 'rdfxml' })).rejects.toThrow(/nested more than/);
  });

  it('refuses a remote JSON-LD context unless allowed', async () => {
    const doc = JSON.stringify({ '@context': 'https://example.org/unknown-context.jsonld', '@id': 'http://x.org/d', title: 'x' });
    await expect(parseString(doc, { format: 'jsonld' })).rejects.toThrow(/not bundled/);
  });
});

describe.skipIf(!hasCorpus)('corpus files', () => {
  it('parses the same 100-dataset graph from Turtle, RDF/XML and JSON-LD into isomorphic graphs', async () => {
    const base = corpusPath('real/udata-harvest/legacy-2017/ckan');
    // Each export names its own page (catalog.ttl?page=1, catalog.rdf?page=1): compare the datasets.
    const datasets = (quads: Quad[]) => quads.filter((q) => !q.subject.value.startsWith('http://demo.ckan.org/catalog.'));
    const ttl = datasets(await parseFile(`${base}.ttl`));
    const rdf = datasets(await parseFile(`${base}.rdf`));
    const jsonld = datasets(await parseFile(`${base}.jsonld`));
    expect(ttl.length).toBeGreaterThan(1000);
    const c = await canonical(ttl);
    expect(await canonical(rdf)).toBe(c);
    expect(await canonical(jsonld)).toBe(c);
  });

  it('reads the SEMIC examples with a remote context through the bundled copy', async () => {
    const quads = await parseFile(corpusPath('examples/semic-dcat-ap-3.0.1/example-bee-population.jsonld'));
    const ttl = await parseFile(corpusPath('examples/semic-dcat-ap-3.0.1/example-bee-population.ttl'));
    expect(await canonical(quads)).toBe(await canonical(ttl));
  });

  it.each([
    ['examples/semic-dcat-ap-hvd-3.0.0/example-bees_wasps_dataset.ttl', 2, /dot/],
    ['examples/semic-dcat-ap-3.0.1/example-bee-population-dataset-series-api.ttl', 20, /BeePopulation2023\/biojson/],
    ['examples/ckanext-dcat/dcat/dataset.ttl', 149, /healthdcatap/],
    ['examples/ckanext-dcat/croissant/full_croissant_dataset.jsonld', 78, /JSON/],
    ['real/udata-harvest/geonetwork.xml', 13, /IRI/],
  ])('reports where %s is broken', async (file, line, message) => {
    const err = await errorOf(corpusPath(file));
    expect(err.line).toBe(line);
    expect(err.column).toBeGreaterThan(0);
    expect(err.message).toMatch(message);
  });

  it.each<RdfFormat>(['turtle', 'trig', 'ntriples', 'nquads', 'rdfxml', 'jsonld'])('writes %s that reads back isomorphic', async (format) => {
    const quads = await parseFile(corpusPath('examples/semic-dcat-ap-hvd-3.0.0/example-ms_dataset_2_distributions.ttl'));
    const text = await serialize(quads, format);
    const back = await parseString(text, { format });
    expect(await canonical(back)).toBe(await canonical(quads));
  });

  it('writes RDF/XML with escaped literals and language tags', async () => {
    const text = readFileSync(corpusPath('real/ckanext-dcat/dataset_gob_es.ttl'), 'utf8');
    const quads = await parseString(text, { format: 'turtle' });
    const xml = await serialize(quads, 'rdfxml');
    const back = await parseString(xml, { format: 'rdfxml' });
    expect(await canonical(back)).toBe(await canonical(quads));
  });

  it('refuses to write a character XML 1.0 cannot carry rather than replace it, and finds one in XML others wrote', async () => {
    const quads = await parseString('<http://x.org/d> <http://purl.org/dc/terms/title> "tab\\tok, bel\\u0007niet" .', { format: 'ntriples' });
    await expect(serialize(quads, 'rdfxml')).rejects.toThrow(RdfXmlCharacterError);
    await expect(serialize(quads, 'rdfxml')).rejects.toThrow(/U\+0007/);
    const tabOnly = await parseString('<http://x.org/d> <http://purl.org/dc/terms/title> "tab\\tok\\r\\n" .', { format: 'ntriples' });
    expect(await canonical(await parseString(await serialize(tabOnly, 'rdfxml'), { format: 'rdfxml' }))).toBe(await canonical(tabOnly));
    expect(xmlDocumentFault('<literal>a\u0001b</literal>')?.character).toBe('\u0001');
    expect(xmlDocumentFault('<literal>a&#x1F;b</literal>')?.character).toBe('\u001F');
    expect(xmlDocumentFault('<literal>a&#8;b</literal>')?.character).toBe('\u0008');
    expect(xmlDocumentFault('<literal>a&#9;&#10;&#xD;&amp;#1;b</literal>')).toBeUndefined();
  });
});

describe('remote JSON-LD contexts', () => {
  it('are fetched once while kept, not remembered when they fail, and at most a bounded number is kept', async () => {
    const { createServer } = await import('node:http');
    const { configureContexts, remoteContextsHeld } = await import('../src/rdf/jsonld-contexts.js');
    const served = new Map<string, number>();
    let failing = true;
    const server = createServer((req, res) => {
      served.set(req.url!, (served.get(req.url!) ?? 0) + 1);
      if (req.url === '/flaky.jsonld' && failing) {
        res.statusCode = 503;
        return res.end();
      }
      res.setHeader('content-type', 'application/ld+json');
      res.end(JSON.stringify({ '@context': { title: 'http://purl.org/dc/terms/title' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    configureContexts({ allowRemote: true, fetch: async (url) => { const r = await fetch(url); if (!r.ok) throw new Error(`HTTP ${r.status}`); return r.json(); } });
    const doc = (ctx: string, n: number) => JSON.stringify({ '@context': `${base}${ctx}`, '@id': `https://example.org/d${n}`, title: `t${n}` });
    try {
      // The same context in parses running at once: one request.
      const same = await Promise.all([1, 2, 3].map((n) => parseString(doc('/same.jsonld', n), { format: 'jsonld' })));
      expect(same.map((q) => q.length)).toEqual([1, 1, 1]);
      expect(served.get('/same.jsonld')).toBe(1);
      // A context that failed is asked for again the next time.
      await expect(parseString(doc('/flaky.jsonld', 1), { format: 'jsonld' })).rejects.toThrow(/503/);
      failing = false;
      expect(await parseString(doc('/flaky.jsonld', 2), { format: 'jsonld' })).toHaveLength(1);
      expect(served.get('/flaky.jsonld')).toBe(2);
      // Documents naming ever new contexts do not make the cache grow without end.
      for (let i = 0; i < 260; i++) await parseString(doc(`/c${i}.jsonld`, i), { format: 'jsonld' });
      expect(remoteContextsHeld()).toBeLessThanOrEqual(200);
      // The most recently used are the ones kept.
      await parseString(doc('/c259.jsonld', 1), { format: 'jsonld' });
      expect(served.get('/c259.jsonld')).toBe(1);
    } finally {
      configureContexts({});
      await new Promise((r) => server.close(r));
    }
  });
});
