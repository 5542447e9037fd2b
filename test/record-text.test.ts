// A record's JSON answer built around its stored JSON text (src/api/record-text.ts) is the same JSON as
// the one built from the parsed record, whatever the stored text holds.
import { describe, expect, it } from 'vitest';
import { jsonPage, membersWithoutIri, recordJsonText, type RecordText } from '../src/api/record-text.js';
import { recordJson, type RecordSummary } from '../src/api/records.js';

const base = (json: unknown, warnings: unknown = null): RecordText => ({
  id: 'abc',
  iri: 'http://example.org/ds/1',
  kind: 'Dataset',
  json: typeof json === 'string' ? json : JSON.stringify(json),
  catalog_id: 'cat',
  first_seen: new Date('2026-01-02T03:04:05Z'),
  last_modified: new Date('2026-02-03T04:05:06Z'),
  warnings: warnings === null ? null : JSON.stringify(warnings),
});
const viaObjects = (r: RecordText): unknown =>
  recordJson({ ...r, json: JSON.parse(r.json), warnings: r.warnings === null ? null : JSON.parse(r.warnings) } as RecordSummary, 'http://x', false);

describe('record JSON as text', () => {
  it.each([
    ['an IRI first, then members', { iri: 'http://example.org/ds/1', type: 'Dataset', title: { nl: 'Titel "met" aanhalingstekens \\ en \u00e9' } }],
    ['an IRI with escaped characters', { iri: 'http://example.org/ds/"quoted"\\back', title: 'x' }],
    ['only an IRI', { iri: 'http://example.org/ds/1' }],
    ['no IRI (a blank-node resource)', { type: 'Resource', title: 'x' }],
    ['an empty object', {}],
    ['a key that merely contains "iri"', { iriLike: 'y', iri: 'z' }],
  ])('%s', (_name, json) => {
    const r = base(json, ['a warning']);
    expect(JSON.parse(recordJsonText(r, 'http://x'))).toEqual(viaObjects(r));
    expect(Object.keys(JSON.parse(recordJsonText(r, 'http://x')))).toEqual(Object.keys(viaObjects(r) as object));
  });

  it('leaves out empty warnings and appends extra members', () => {
    for (const w of [null, []]) {
      const r = base({ iri: 'http://example.org/ds/1', title: 't' }, w);
      expect(JSON.parse(recordJsonText(r, 'http://x'))).toEqual(viaObjects(r));
    }
    const r = base({ iri: 'http://example.org/ds/1' });
    expect(JSON.parse(recordJsonText(r, 'http://x', '"highlight":{"title":"<mark>t</mark>"}')).highlight).toEqual({ title: '<mark>t</mark>' });
  });

  it('splices text as Postgres prints jsonb, and parses text it does not recognise', () => {
    expect(membersWithoutIri('{"iri": "a", "title": "t"}')).toBe(' "title": "t"');
    expect(membersWithoutIri(' {\n "iri" : "a\\"b" }\n')).toBe('');
    expect(membersWithoutIri('{ }')).toBe('');
    for (const text of ['[1]', '{"title": "t", "iri": "a"}', '{"iri": 1, "t": 2}', '{"iri": "a" "t": 2}', '{', '"x"', '']) expect(membersWithoutIri(text)).toBeUndefined();
    for (const text of ['{"iri": "http://example.org/ds/1", "title": {"nl": "t"}}', '{ "title": "t", "iri": "http://example.org/other" }']) {
      const r = base(text, []);
      expect(JSON.parse(recordJsonText(r, 'http://x'))).toEqual(viaObjects(r));
      expect(JSON.parse(recordJsonText(r, 'http://x', '"highlight":{"title":"x"}')).highlight).toEqual({ title: 'x' });
    }
  });

  it('writes a page in UTF-8, whatever the characters', () => {
    const members = ['{"t":"plain"}', '{"t":"één – ‘quoted’ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 中文"}', '{}'];
    const page = jsonPage('{"member":[', members, '],"n":3}');
    expect(page.toString('utf8')).toBe(`{"member":[${members.join(',')}],"n":3}`);
    expect(JSON.parse(page.toString('utf8')).member[1].t).toBe('één – ‘quoted’ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 中文');
    expect(jsonPage('[', [], ']').toString()).toBe('[]');
  });
});
