// Property-based fuzzing (fast-check): the RDF parsers on broken documents either parse or throw a
// syntax error that says where (never another kind of error, never a hang); the search API and the
// results page, on any query string, answer 200 or 400, never 500. FUZZ_RUNS scales the runs (CI uses
// the default; `npm run fuzz` more).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { parseString } from '../src/rdf/parse.js';
import { RdfSyntaxError } from '../src/rdf/errors.js';
import { ContextNotAvailableError } from '../src/rdf/jsonld-contexts.js';
import type { RdfFormat } from '../src/rdf/formats.js';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const VALID: Record<string, string> = {
  turtle: `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/d/1> a dcat:Dataset ; dct:title "Werk \\"en\\" inkomen"@nl , "Work"@en ;
  dcat:keyword "a", "b" ; dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://example.org/x.csv> ; dcat:byteSize "12"^^<http://www.w3.org/2001/XMLSchema#decimal> ] .`,
  ntriples: `<https://example.org/d/1> <http://purl.org/dc/terms/title> "Werk"@nl .
_:b0 <http://www.w3.org/ns/dcat#accessURL> <https://example.org/x.csv> .
<https://example.org/d/1> <http://www.w3.org/ns/dcat#distribution> _:b0 .`,
  rdfxml: `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/" xmlns:dcat="http://www.w3.org/ns/dcat#">
<dcat:Dataset rdf:about="https://example.org/d/1"><dct:title xml:lang="nl">Werk</dct:title><dcat:distribution><dcat:Distribution><dcat:accessURL rdf:resource="https://example.org/x.csv"/></dcat:Distribution></dcat:distribution></dcat:Dataset></rdf:RDF>`,
  jsonld: JSON.stringify({
    '@context': { dct: 'http://purl.org/dc/terms/', dcat: 'http://www.w3.org/ns/dcat#' },
    '@id': 'https://example.org/d/1',
    '@type': 'dcat:Dataset',
    'dct:title': { '@value': 'Werk', '@language': 'nl' },
    'dcat:distribution': { '@type': 'dcat:Distribution', 'dcat:accessURL': { '@id': 'https://example.org/x.csv' } },
  }),
};

/** A valid document with a few random edits: characters deleted, replaced or inserted, from the syntax's own alphabet and beyond. */
const mutated = (text: string) =>
  fc
    .array(
      fc.record({
        at: fc.nat({ max: text.length }),
        cut: fc.nat({ max: 6 }),
        put: fc.oneof(fc.constantFrom('"', '<', '>', '@', '.', ';', ',', '[', ']', '{', '}', ':', '\\', '_:', '^^', '\n', '#', '\u0000', '\uFFFD', '"""', '</', '&'), fc.string({ maxLength: 4 })),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) => edits.reduce((t, e) => t.slice(0, Math.min(e.at, t.length)) + e.put + t.slice(Math.min(e.at, t.length) + e.cut), text));

describe('the RDF parsers on broken input', () => {
  const cases: [RdfFormat, string][] = [
    ['turtle', VALID.turtle],
    ['trig', VALID.turtle.replace('<https://example.org/d/1> a', '<https://example.org/g> { <https://example.org/d/1> a') + ' }'],
    ['ntriples', VALID.ntriples],
    ['nquads', VALID.ntriples],
    ['rdfxml', VALID.rdfxml],
    ['jsonld', VALID.jsonld],
  ];
  for (const [format, valid] of cases)
    it(`${format}: parses or throws a syntax error, nothing else`, async () => {
      await parseString(valid, { format, baseIRI: 'https://example.org/' });
      await fc.assert(
        fc.asyncProperty(mutated(valid), async (text) => {
          try {
            await parseString(text, { format, baseIRI: 'https://example.org/' });
          } catch (e) {
            if (!(e instanceof RdfSyntaxError || e instanceof ContextNotAvailableError)) throw new Error(`${(e as Error).name}: ${(e as Error).message}`);
          }
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: 60_000 },
      );
    }, 120_000);
});

describe('findings of the fuzzing, kept as regression tests', () => {
  it('a prefix IRI that cannot be resolved is a syntax error with its line (N3.js threw a TypeError)', async () => {
    const e = await parseString('@prefix dct: <://purl.org/dc/terms/> .\n<https://example.org/d/1> dct:title "x" .', { format: 'turtle', baseIRI: 'https://example.org/' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RdfSyntaxError);
    expect((e as RdfSyntaxError).line).toBe(1);
  });
});

describe('search on any query string', () => {
  let services: Services;
  let app: FastifyInstance;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vb-fuzz-'));
    services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: 'fuzz-admin-key-0123456789abcdef', VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_LINK_CHECK: 'false', VINDBAAR_RATE_LIMIT_PER_ADDRESS: '0', VINDBAAR_RATE_LIMIT_PER_KEY: '0' }), pino({ level: 'silent' }));
    app = await buildServer(services);
    const r = await app.inject({ method: 'POST', url: '/api/v1/catalogs/fuzz/records', headers: { 'content-type': 'text/turtle', authorization: 'Bearer fuzz-admin-key-0123456789abcdef' }, payload: VALID.turtle });
    expect(r.statusCode).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Query text as people and robots type it: words, web search syntax, Lucene and SQL fragments, odd characters. */
  const queryText = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.array(fc.constantFrom('werk', 'Werk', '"', '-', 'or', 'OR', 'AND', '*', '?', '~2', '^3', 'title:werk', '(', ')', '[', 'TO', ']', '{', '}', '\\', '/', "'", ';', '--', '&', '|', '!', ':*', '<', '>', '%', '\u0000', 'ß', 'é', '中文', '😀', ' '), { maxLength: 12 }).map((a) => a.join(' ')),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );

  it('answers 200 or 400 through the API, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(queryText, fc.constantFrom('relevance', 'title', '-modified'), fc.integer({ min: -5, max: 200_000 }), async (q, sort, page) => {
        const r = await app.inject({ url: `/api/v1/search?q=${encodeURIComponent(q)}&sort=${sort}&page=${page}` });
        if (r.statusCode >= 500) throw new Error(`${r.statusCode} for q=${JSON.stringify(q)} page=${page}: ${r.body.slice(0, 300)}`);
        expect([200, 400]).toContain(r.statusCode);
      }),
      { numRuns: RUNS * 2 },
    );
  }, 120_000);

  it('answers a NUL character in any parameter or body text with 400 (Postgres refused it with a 500)', async () => {
    for (const url of ['/api/v1/search?q=%00', '/api/v1/search?theme=%00', '/search?q=a%00b'])
      expect((await app.inject({ url, headers: { accept: 'application/json' } })).statusCode, url).toBe(400);
    const id = (await app.inject({ url: '/api/v1/search?q=werk' })).json().member[0].id;
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/records/${id}/register`,
      headers: { 'content-type': 'application/json', authorization: 'Bearer fuzz-admin-key-0123456789abcdef' },
      payload: JSON.stringify({ access: 'restricted', conditions: 'a\u0000b' }),
    });
    expect(r.statusCode, r.body).toBe(400);
    expect((await services.db.query('SELECT 1 FROM access_register')).rows).toHaveLength(0);
  });

  it('answers the results page, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(queryText, async (q) => {
        const r = await app.inject({ url: `/search?q=${encodeURIComponent(q)}`, headers: { accept: 'text/html' } });
        if (r.statusCode >= 500) throw new Error(`${r.statusCode} for q=${JSON.stringify(q)}: ${r.body.slice(0, 300)}`);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
