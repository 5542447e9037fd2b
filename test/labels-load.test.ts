// Names for IRIs that records use without naming them, loaded by an administrator from any RDF: the
// enterprise numbers data.gov.be gives as publishers become names on pages, in facets and in exports.
import { describe, it, expect } from 'vitest';
import { withEmbeddedApp } from './support/embedded-app.js';

const KEY = 'labels-admin-key-0123456789abcdef';
const auth = { authorization: `Bearer ${KEY}` };
const STATBEL = 'https://org.belgif.be/id/CbeRegisteredEntity/0314595348';
const t = withEmbeddedApp(KEY);

const facetLabel = async (lang: string) => {
  const r = (await t.app.inject({ url: `/api/v1/search?lang=${lang}&limit=1` })).json();
  return r.facets.publisher.find((f: { value: string }) => f.value === STATBEL)?.label as string | undefined;
};
const load = (body: string, type = 'text/turtle', headers: Record<string, string> = auth) =>
  t.app.inject({ method: 'POST', url: '/api/v1/labels', headers: { ...headers, 'content-type': type }, payload: body });

describe('names loaded for IRIs', () => {
  it('names a publisher that records give by its enterprise number only, in each language, on pages and in facets', async () => {
    const push = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalogs/federaal/records',
      headers: { ...auth, 'content-type': 'text/turtle' },
      payload: `<https://data.example.be/ds/bevolking> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> "Bevolking"@nl ; <http://purl.org/dc/terms/publisher> <${STATBEL}> .`,
    });
    expect(push.statusCode, push.body).toBe(200);
    expect(await facetLabel('nl')).toBe('KBO-nummer 0314.595.348');
    const r = await load(`@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<${STATBEL}> foaf:name "Statbel"@nl, "Statbel"@fr ; skos:prefLabel "Algemene Directie Statistiek"@nl, "Statistics Belgium"@en ; foaf:homepage <https://statbel.fgov.be/> .
_:x foaf:name "a blank node is nobody's name" .`);
    expect(r.statusCode, r.body).toBe(200);
    // nl and fr from foaf:name (before skos:prefLabel), en from skos:prefLabel; the blank node is skipped.
    expect(r.json()).toEqual({ read: 3, changed: 3 });
    expect(await facetLabel('nl')).toBe('Statbel');
    expect(await facetLabel('en')).toBe('Statistics Belgium');
    const page = await t.app.inject({ url: `/publisher?iri=${encodeURIComponent(STATBEL)}` });
    expect(page.body).toContain('<h1>Statbel</h1>');
    // The same file again changes nothing.
    expect((await load(`<${STATBEL}> <http://xmlns.com/foaf/0.1/name> "Statbel"@nl .`)).json()).toEqual({ read: 1, changed: 0 });
  });

  it('takes a key of an administrator, RDF it can read, and a document that names something', async () => {
    const body = `<${STATBEL}> <http://xmlns.com/foaf/0.1/name> "Iemand anders"@nl .`;
    expect((await load(body, 'text/turtle', {})).statusCode).toBe(401);
    const publisher = (await t.app.inject({ method: 'POST', url: '/api/v1/keys', headers: auth, payload: { role: 'publisher', organisation: 'Stad Gent', label: 'p' } })).json().key;
    expect((await load(body, 'text/turtle', { authorization: `Bearer ${publisher}` })).statusCode).toBe(403);
    expect((await load(body, 'application/pdf')).statusCode).toBe(415);
    const broken = await load(`<${STATBEL}> <http://xmlns.com/foaf/0.1/name> "unclosed .`);
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toContain('application/problem+json');
    expect(broken.json().detail).toMatch(/line 1/);
    const nameless = await load(`<${STATBEL}> <http://xmlns.com/foaf/0.1/homepage> <https://statbel.fgov.be/> .`);
    expect(nameless.statusCode).toBe(400);
    expect(nameless.json().detail).toMatch(/names no IRI/);
    // None of these changed the name.
    expect(await facetLabel('nl')).toBe('Statbel');
  });
});
