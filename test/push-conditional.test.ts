// Conditional writes through the push API: If-Match with the ETag a record was read with, If-None-Match: *.
import { describe, expect, it } from 'vitest';
import { withEmbeddedApp } from './support/embedded-app.js';

const ADMIN = 'conditional-test-admin-key-0123456789';
const t = withEmbeddedApp(ADMIN);

const IRI = 'http://data.gent.be/dataset/parkeren';
const PATH = `/api/v1/catalogs/gent/records/${encodeURIComponent(IRI)}`;
const doc = (title: string) => `<${IRI}> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "${title}"@nl.`;
const put = (title: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PUT', url: PATH, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/turtle', ...headers }, payload: doc(title) });
const read = async (accept = 'application/ld+json') => {
  const id = (await t.services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [IRI])).rows[0].id;
  return (await t.app.inject({ url: `/api/v1/records/${id}`, headers: { accept } })).headers.etag as string;
};
const title = async () => (await t.services.db.query<{ t: string }>(`SELECT json->'title'->>'nl' AS t FROM records WHERE iri = $1`, [IRI])).rows[0]?.t;

describe('conditional writes', () => {
  it('creates with If-None-Match: * only when the record does not exist', async () => {
    expect((await put('Parkeren', { 'if-none-match': '*' })).statusCode).toBe(201);
    const again = await put('Parkeren 2', { 'if-none-match': '*' });
    expect(again.statusCode).toBe(412);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json().detail).toBe('If-None-Match: * asks to create the record, and it exists already. Nothing was changed.');
    expect(await title()).toBe('Parkeren');
  });

  it('replaces with If-Match only the version that was read, in whatever syntax it was read', async () => {
    const etag = await read('text/turtle');
    expect((await put('Parkeren in Gent', { 'if-match': etag })).statusCode).toBe(200);
    // The same ETag again: the record has changed since.
    const stale = await put('Iets anders', { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().detail).toContain('changed since');
    expect(await title()).toBe('Parkeren in Gent');
    // A weak validator never matches for a write; "*" does while the record exists.
    expect((await put('Zwak', { 'if-match': `W/${await read()}` })).statusCode).toBe(412);
    expect((await put('Parkeren in Gent', { 'if-match': `"other", ${await read()}` })).statusCode).toBe(200);
    expect((await put('Ster', { 'if-match': '*' })).statusCode).toBe(200);
    expect(await title()).toBe('Ster');
  });

  it('withdraws with If-Match only the version that was read', async () => {
    const etag = await read();
    await put('Nog eens anders');
    const del = (headers: Record<string, string>) => t.app.inject({ method: 'DELETE', url: PATH, headers: { authorization: `Bearer ${ADMIN}`, ...headers } });
    expect((await del({ 'if-match': etag })).statusCode).toBe(412);
    expect(await title()).toBe('Nog eens anders');
    expect((await del({ 'if-match': await read() })).statusCode).toBe(204);
    // Gone: no version of it matches, not even "*".
    expect((await del({ 'if-match': '*' })).statusCode).toBe(412);
  });
});
