// What to fix first: the validation findings an organisation's records have most often, counted by
// records and grouped whatever the value, over the API and on the organisation's page; they follow a
// fix (a record that conforms no longer counts).
import { describe, it, expect } from 'vitest';
import { withEmbeddedApp } from './support/embedded-app.js';

const KEY = 'findings-admin-key-0123456789abcdef';
const auth = { authorization: `Bearer ${KEY}` };
const ORG = 'https://data.example.be/id/org/werk';
const OTHER = 'https://data.example.be/id/org/ander';
const LANDING = 'http://www.w3.org/ns/dcat#landingPage';
const t = withEmbeddedApp(KEY, { VINDBAAR_DEFAULT_PROFILE: 'dcat-ap-3.0.1' });

const PREFIXES = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .`;

/** A dataset of `org` whose landing page is not said to be a foaf:Document (a class violation of DCAT-AP 3,
 * each with a value of its own), or one whose landing page is. */
function dataset(n: number, org: string, bad: boolean): string {
  return `<https://data.example.be/ds/${n}> a dcat:Dataset ; dct:title "Vacatures ${n}"@nl ; dct:description "Openstaande vacatures, deel ${n}."@nl ;
  dct:publisher <${org}> ; dcat:landingPage <https://data.example.be/page/${n}> .
${bad ? '' : `<https://data.example.be/page/${n}> a foaf:Document .`}
<${org}> a foaf:Agent ; foaf:name "Organisatie"@nl .`;
}

async function push(body: string) {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/catalogs/werk/records', headers: { ...auth, 'content-type': 'text/turtle' }, payload: `${PREFIXES}\n${body}` });
  expect(r.statusCode, r.body).toBe(200);
  // The facts follow the change feed (once a minute in a running service).
  await t.services.links.discover();
}

describe('what to fix first', () => {
  it('counts the findings of one organisation by records, whatever the value, violations first, with examples', async () => {
    await push([1, 2, 3, 4].map((n) => dataset(n, ORG, n <= 3)).join('\n') + '\n' + dataset(9, OTHER, true));
    const r = await t.app.inject({ url: `/api/v1/kpis/findings?publisher=${encodeURIComponent(ORG)}` });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ publisher: ORG, validated: 4, withViolations: 3 });
    const page = body.findings.find((f: { path?: string }) => f.path === LANDING);
    // Three records with three different wrong values: one line, said of "the value".
    expect(page).toMatchObject({ severity: 'Violation', component: 'ClassConstraintComponent', records: 3 });
    expect(page.message.en).toBe('dcat:landingPage: the value must be of type foaf:Document.');
    expect(page.message.nl).toBe('dcat:landingPage: de waarde moet van het type foaf:Document zijn.');
    expect(page.examples).toHaveLength(3);
    expect(page.examples[0]).toMatchObject({ kind: 'Dataset', title: { nl: expect.stringMatching(/^Vacatures [123]$/) } });
    const severities = body.findings.map((f: { severity: string }) => f.severity);
    expect(severities).toEqual([...severities].sort((a: string, b: string) => ['Violation', 'Warning', 'Info'].indexOf(a) - ['Violation', 'Warning', 'Info'].indexOf(b)));
    // The other organisation's record is not counted; a catalogue counts all of its records.
    const catalog = (await t.app.inject({ url: '/api/v1/kpis/findings?catalog=werk' })).json();
    expect(catalog.findings.find((f: { path?: string }) => f.path === LANDING).records).toBe(4);
  });

  it('follows a fix: a record that conforms again is no longer counted', async () => {
    await push(dataset(1, ORG, false));
    const body = (await t.app.inject({ url: `/api/v1/kpis/findings?publisher=${encodeURIComponent(ORG)}` })).json();
    expect(body.findings.find((f: { path?: string }) => f.path === LANDING).records).toBe(2);
  });

  it('shows the list on the organisation page, linking to the records, in Dutch and English', async () => {
    const nl = await t.app.inject({ url: `/publisher?iri=${encodeURIComponent(ORG)}` });
    expect(nl.statusCode).toBe(200);
    expect(nl.body).toContain('Wat eerst verbeteren');
    expect(nl.body).toContain('dcat:landingPage: de waarde moet van het type foaf:Document zijn.');
    expect(nl.body).toMatch(/<a href="\/datasets\/[a-z2-7]{16}#quality-title">Vacatures [23]<\/a>/);
    const en = await t.app.inject({ url: `/en/publisher?iri=${encodeURIComponent(ORG)}` });
    expect(en.body).toContain('What to fix first');
    expect(en.body).toContain('dcat:landingPage: the value must be of type foaf:Document.');
  });

  it('refuses a request for no organisation and no catalogue, and answers an unknown one with nothing', async () => {
    const none = await t.app.inject({ url: '/api/v1/kpis/findings' });
    expect(none.statusCode).toBe(400);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect((await t.app.inject({ url: '/api/v1/kpis/findings?limit=0&catalog=werk' })).statusCode).toBe(400);
    const unknown = (await t.app.inject({ url: '/api/v1/kpis/findings?publisher=https://nobody.example/' })).json();
    expect(unknown).toMatchObject({ validated: 0, withViolations: 0, findings: [] });
  });
});
