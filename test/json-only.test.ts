// The API's JSON-only routes tell a client that asks for another type so (406 with what they give),
// and every one of them is documented as JSON only: what the schema says is what the route answers.
import { describe, it, expect } from 'vitest';
import { withEmbeddedApp } from './support/embedded-app.js';

const KEY = 'json-only-admin-key-0123456789abcdef';
const t = withEmbeddedApp(KEY);

describe('JSON-only routes', () => {
  it('answer 406 problem+json to an Accept that excludes JSON, and JSON to none, */*, a browser or application/*', async () => {
    for (const url of ['/api/v1/kpis', '/api/v1/sources', '/api/v1/catalogs', '/api/v1/profiles']) {
      const refused = await t.app.inject({ url, headers: { accept: 'text/turtle' } });
      expect(refused.statusCode, url).toBe(406);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ status: 406, available: ['application/json'] });
      for (const accept of [undefined, '*/*', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json', 'application/*']) {
        const r = await t.app.inject({ url, headers: accept === undefined ? {} : { accept } });
        expect(r.statusCode, `${url} ${accept}`).toBe(200);
        expect(r.headers['content-type']).toContain('application/json');
      }
      expect((await t.app.inject({ url, headers: { accept: 'application/json;q=0, */*' } })).statusCode).toBe(406);
    }
  });

  it('leave writes, routes that negotiate and the pages alone', async () => {
    expect((await t.app.inject({ url: '/api/v1/search?q=x', headers: { accept: 'application/ld+json' } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/kpis.csv', headers: { accept: 'text/csv' } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/', headers: { accept: 'text/html' } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/health', headers: { accept: 'text/plain' } })).statusCode).toBe(200);
  });

  it('are every GET of the API whose document lists JSON alone, and the document names their 406', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    let jsonOnly = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      const get = ops.get;
      if (!path.startsWith('/api/v1/') || !get) continue;
      const types = Object.keys(get.responses['200']?.content ?? {});
      if (types.length === 1 && types[0] === 'application/json') {
        jsonOnly++;
        expect(Object.keys(get.responses), path).toContain('406');
      }
    }
    expect(jsonOnly).toBeGreaterThan(15);
  });
});
