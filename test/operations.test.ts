// Trust in production, first part: every keyed route refuses a missing key, a revoked key and another
// organisation's key (taken from the OpenAPI document, so a new route cannot be forgotten), and changes
// nothing then; each such request and each accepted write lands in the audit log; security headers on
// every answer; Prometheus metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';
import { logger } from '../src/log.js';
import Fastify from 'fastify';
import { expensiveRoutes } from '../src/api/expensive.js';

const ADMIN = 'operations-admin-key-0123456789ab';
const EX = 'https://data.example.be/id';
const TTL = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<${EX}/dataset/werk> a dcat:Dataset ; dct:title "Werk"@nl ; dct:description "Cijfers."@nl ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/RESTRICTED> .`;

let services: Services;
let app: FastifyInstance;
let dir: string;
let werkKey: string;
let otherKey: string;
let revokedKey: string;
let recordId: string;
let entryId: string;
let feedbackId: string;

const call = (method: string, url: string, key?: string, payload?: string, type = 'application/json') =>
  app.inject({ method: method as 'GET', url, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(payload !== undefined ? { 'content-type': type } : {}) }, payload });
const snapshot = async () =>
  (
    await services.db.query<{ s: string }>(
      `SELECT (SELECT count(*) FROM records WHERE deleted_at IS NULL) || '/' || (SELECT count(*) FROM api_keys WHERE revoked_at IS NULL) || '/' || (SELECT count(*) FROM access_register) || '/' ||
              (SELECT count(*) FROM sources) || '/' || (SELECT string_agg(status || coalesce(answer, ''), ',') FROM feedback) AS s`,
    )
  ).rows[0].s;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vb-ops-'));
  services = await createServices(loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_ADMIN_KEY: ADMIN, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_BASE_URL: 'http://vindbaar.test', VINDBAAR_LINK_CHECK: 'false' }), pino({ level: 'silent' }));
  app = await buildServer(services);
  const key = async (org?: string) => (await call('POST', '/api/v1/keys', ADMIN, JSON.stringify({ role: org ? 'publisher' : 'admin', ...(org ? { organisation: org } : {}), label: 'x' }))).json().key as string;
  werkKey = await key('Werk');
  otherKey = await key('Elders');
  revokedKey = await key();
  const revokedId = `key-${revokedKey.split('_')[1]}`;
  expect((await call('DELETE', `/api/v1/keys/${revokedId}`, ADMIN)).statusCode).toBe(204);
  expect((await call('POST', '/api/v1/catalogs/werk/records', werkKey, TTL, 'text/turtle')).statusCode).toBe(200);
  recordId = (await services.db.query<{ id: string }>('SELECT id FROM records WHERE iri = $1', [`${EX}/dataset/werk`])).rows[0].id;
  entryId = (await call('POST', `/api/v1/records/${recordId}/register`, werkKey, JSON.stringify({ access: 'restricted', recipients: [{ name: 'Steunpunt' }] }))).json().id;
  feedbackId = (await call('POST', `/api/v1/records/${recordId}/feedback`, undefined, JSON.stringify({ kind: 'question', message: 'Een vraag over de cijfers.' }))).json().id;
});

afterAll(async () => {
  await app?.close();
  await services?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('authorisation of every keyed route', () => {
  const fill = (path: string) =>
    path
      .replace('/catalogs/{id}', '/catalogs/werk')
      .replace('{recordId}', encodeURIComponent(recordId))
      .replace('/records/{id}', `/records/${recordId}`)
      .replace('/register/{id}', `/register/${entryId}`)
      .replace('/feedback/{id}', `/feedback/${feedbackId}`)
      .replace(/\{[^}]+\}/g, 'some-id');

  it('answers 401 to no key and to a revoked key on every route the OpenAPI document marks as keyed, and changes nothing', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const keyed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => op.security?.length).map(([method]) => [method.toUpperCase(), fill(path)] as const));
    expect(keyed.length).toBeGreaterThanOrEqual(15);
    const before = await snapshot();
    const wrong: string[] = [];
    for (const [method, url] of keyed)
      for (const key of [undefined, revokedKey, 'vb_notakey0_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'not even a key']) {
        const r = await call(method, url, key, method === 'GET' || method === 'DELETE' ? undefined : '{}');
        if (r.statusCode !== 401 || !/problem\+json/.test(String(r.headers['content-type']))) wrong.push(`${method} ${url} with ${key ? key.slice(0, 12) : 'no key'}: ${r.statusCode}`);
      }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it("refuses another organisation's publisher key on the first organisation's records, and administrators' routes to publishers", async () => {
    const before = await snapshot();
    const tries: [string, string, string?, string?][] = [
      ['POST', '/api/v1/catalogs/werk/records', TTL.replace('"Werk"', '"Gekaapt"'), 'text/turtle'],
      ['PUT', `/api/v1/catalogs/werk/records/${encodeURIComponent(recordId)}`, TTL.replace('"Werk"', '"Gekaapt"'), 'text/turtle'],
      ['DELETE', `/api/v1/catalogs/werk/records/${encodeURIComponent(recordId)}`],
      ['POST', `/api/v1/records/${recordId}/register`, JSON.stringify({ access: 'restricted' })],
      ['PUT', `/api/v1/register/${entryId}`, JSON.stringify({ access: 'restricted' })],
      ['DELETE', `/api/v1/register/${entryId}`],
      ['PATCH', `/api/v1/feedback/${feedbackId}`, JSON.stringify({ answer: 'gekaapt' })],
      ['GET', `/api/v1/feedback/${feedbackId}`],
      ['POST', '/api/v1/keys', JSON.stringify({ role: 'admin', label: 'x' })],
      ['GET', '/api/v1/keys'],
      ['POST', '/api/v1/sources', JSON.stringify({ id: 'x', type: 'dcat', url: 'https://example.org/' })],
      ['GET', '/api/v1/audit'],
    ];
    const wrong: string[] = [];
    for (const [method, url, body, type] of tries) {
      const r = await call(method, url, otherKey, body, type);
      if (![403, 404].includes(r.statusCode)) wrong.push(`${method} ${url}: ${r.statusCode}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toBe(before);
    // The owner may.
    expect((await call('PUT', `/api/v1/register/${entryId}`, werkKey, JSON.stringify({ access: 'non-public' }))).statusCode).toBe(200);
  });

  it('keeps an audit log of accepted writes and refused requests, readable by administrators only', async () => {
    const log = (await call('GET', '/api/v1/audit?limit=1000', ADMIN)).json().entries as { keyId: string | null; keyPrefix: string | null; method: string; path: string; status: number; address: string }[];
    expect(log.find((e) => e.method === 'PUT' && e.path === `/api/v1/register/${entryId}` && e.status === 200)).toMatchObject({ keyId: `key-${werkKey.split('_')[1]}` });
    expect(log.some((e) => e.status === 403 && e.keyPrefix === otherKey.split('_')[1])).toBe(true);
    expect(log.some((e) => e.status === 401 && e.keyPrefix === revokedKey.split('_')[1])).toBe(true);
    expect(log.some((e) => e.status === 401 && e.keyPrefix === null)).toBe(true);
    // Secrets never: only prefixes.
    expect(JSON.stringify(log)).not.toContain(werkKey.slice(werkKey.indexOf('_', 3) + 1));
    // A public write without a key (feedback) is not an administrative action.
    expect(log.some((e) => e.path.endsWith('/feedback') && e.method === 'POST')).toBe(false);
    expect((await call('GET', '/api/v1/audit', werkKey)).statusCode).toBe(403);
  });
});

describe('operations', () => {
  it('sends security headers on API answers and pages', async () => {
    for (const url of ['/api/v1/datasets', `/datasets/${recordId}`, '/catalog']) {
      const r = await app.inject({ url });
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['x-frame-options'], url).toBeDefined();
      expect(r.headers['referrer-policy'], url).toBeDefined();
    }
    expect((await app.inject({ url: `/datasets/${recordId}` })).headers['content-security-policy']).toMatch(/default-src 'none'/);
  });

  it('exposes Prometheus metrics: request latency per route and the state of the index, links, mail and feedback', async () => {
    await app.inject({ url: '/api/v1/datasets?q=werk' });
    const m = (await app.inject({ url: '/metrics' })).body;
    expect(m).toMatch(/vindbaar_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/datasets"/);
    expect(m).toMatch(/^vindbaar_index_pending \d+/m);
    expect(m).toMatch(/^vindbaar_feedback_open 1$/m);
    expect(m).toMatch(/^vindbaar_harvest_records_last_hour\{outcome="created"\} \d+$/m);
    expect(m).toMatch(/^vindbaar_mail_waiting \d+/m);
    expect(m).toMatch(/^vindbaar_process_resident_memory_bytes \d+/m);
  });
});

describe('findings of schemathesis, kept as regression tests', () => {
  it('takes a date-time whose offset Postgres cannot hold (-18:51) as the UTC instant it is, not a 500', async () => {
    const r = await call('GET', `/api/v1/audit?since=${encodeURIComponent('8910-07-26T06:51:13.413-18:51')}`, ADMIN);
    expect(r.statusCode, r.body).toBe(200);
    expect(Array.isArray(r.json().entries)).toBe(true);
  });

  it('answers a method no route takes (QUERY, TRACE) with 405 before reading a body', async () => {
    for (const method of ['QUERY', 'TRACE']) {
      const r = await app.inject({ method: method as 'GET', url: '/api/v1/datasets' });
      expect(r.statusCode, method).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
  });

  it('checks an id longer than its route takes with 400 saying so, not a bare 414 from the router', async () => {
    const r = await call('DELETE', `/api/v1/catalogs/werk/records/${'x'.repeat(2500)}`, ADMIN);
    expect(r.statusCode).toBe(400);
    expect(r.json().detail).toMatch(/2000/);
  });

  it('refuses JSON bodies with values of the wrong type (no quiet coercion) and names the field', async () => {
    const r = await call('POST', '/api/v1/keys', ADMIN, JSON.stringify({ role: 'publisher', organisation: 'Werk', label: 7 }));
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toBe('label');
    const extra = await call('POST', '/api/v1/keys', ADMIN, JSON.stringify({ role: 'admin', label: 'x', colour: 'blue' }));
    expect(extra.statusCode).toBe(400);
    expect(extra.json().detail).toMatch(/colour/);
  });

  it('refuses a JSON-LD document that is a bare string', async () => {
    const r = await call('POST', '/api/v1/validate?profile=dcat-ap-3.0.1', undefined, '""', 'application/ld+json');
    expect(r.statusCode).toBe(400);
    expect(r.json().title).toBe('Malformed RDF');
  });

  it('documents every status and media type it answers with: errors as problem+json, RDF where RDF is offered', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    const record = doc.paths['/api/v1/records/{id}'].get.responses;
    expect(Object.keys(record['200'].content!)).toEqual(expect.arrayContaining(['application/json', 'application/ld+json', 'text/turtle', 'text/html']));
    expect(Object.keys(record['404'].content!)).toEqual(['application/problem+json']);
    const push = doc.paths['/api/v1/catalogs/{id}/records'].post.responses;
    for (const status of ['400', '401', '403', '413', '415', '429', '503']) expect(push[status], status).toBeDefined();
    // Every documented answer says when it is given: none is a bare "Error".
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        for (const [status, r] of Object.entries(op.responses)) expect((r as { description?: string }).description, `${method} ${path} ${status}`).not.toBe('Error');
  });
});

describe('the log and the query limits', () => {
  it('never writes credentials to the log', () => {
    const lines: string[] = [];
    const log = logger('info', { write: (l: string) => void lines.push(l) });
    log.info({ req: { method: 'POST', headers: { authorization: 'Bearer vb_abcdefgh_supersecret' } }, source: { id: 's', credentials: 'Basic c2VjcmV0' }, smtpUrl: 'smtp://u:hunter2@mail' }, 'x');
    expect(lines.join('')).not.toMatch(/supersecret|c2VjcmV0|hunter2/);
    expect(lines.join('')).toMatch(/\[redacted\]/);
  });

  it('never writes the key of an answer link (or another secret in a query) to the request log', async () => {
    const lines: string[] = [];
    const server = Fastify({ loggerInstance: logger('info', { write: (l: string) => void lines.push(l) }) });
    server.get('/feedback/:id/answer', async () => 'ok');
    await server.inject({ url: '/feedback/fb-1/answer?key=s3cretAnswerKey&lang=en&access_token=t0ken' });
    await server.close();
    const log = lines.join('');
    expect(log).not.toMatch(/s3cretAnswerKey|t0ken/);
    expect(log).toContain('/feedback/fb-1/answer?key=(hidden)&lang=en&access_token=(hidden)');
    expect(log).toContain('"method":"GET"');
  });

  it('gives every answer a request id of its own that its log lines carry, and names it in a 500', async () => {
    const lines: string[] = [];
    const server = await buildServer({ ...services, log: logger('info', { write: (l: string) => void lines.push(l) }) });
    server.get('/boom', async () => {
      throw new Error('kaboom');
    });
    try {
      const boom = await server.inject({ url: '/boom' });
      expect(boom.statusCode).toBe(500);
      const id = boom.headers['x-request-id'] as string;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(boom.json()).toMatchObject({ requestId: id, detail: `The error has been logged with request id ${id}.` });
      const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; msg: string; err?: { message: string } }).find((l) => l.msg === 'unhandled error');
      expect(logged).toMatchObject({ reqId: id, err: { message: 'kaboom' } });
      // Not "req-1" in every process: another server's first request has another id.
      const other = await app.inject({ url: '/health' });
      expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(other.headers['x-request-id']).not.toBe(id);
    } finally {
      await server.close();
    }
  });

  it('leaves probes and scrapes out of the log while they succeed, and logs a failing /ready', async () => {
    const lines: string[] = [];
    const quietDb = { ...services.db, query: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })) };
    const server = await buildServer({ ...services, log: logger('info', { write: (l: string) => void lines.push(l) }) });
    const down = await buildServer({ ...services, db: quietDb as unknown as Services['db'], log: logger('info', { write: (l: string) => void lines.push(l) }) });
    try {
      for (const url of ['/health', '/ready', '/metrics']) expect((await server.inject({ url })).statusCode, url).toBe(200);
      expect(lines.filter((l) => /"url":"\/(health|ready|metrics)"/.test(l) || /request completed/.test(l))).toEqual([]);
      await server.inject({ url: '/api/v1/catalogs' });
      expect(lines.some((l) => l.includes('"url":"/api/v1/catalogs"'))).toBe(true);
      expect((await down.inject({ url: '/ready' })).statusCode).toBe(503);
      expect(lines.some((l) => l.includes('not ready: the store does not answer') && l.includes('ECONNREFUSED'))).toBe(true);
    } finally {
      await server.close();
      await down.close();
    }
  });

  it('refuses a query of more words than are searched for (400), without searching', async () => {
    const q = Array.from({ length: 40 }, (_, i) => `woord${i}`).join(' ');
    const r = await app.inject({ url: `/api/v1/datasets?q=${encodeURIComponent(q)}` });
    expect(r.statusCode).toBe(400);
    expect(r.json().detail).toMatch(/40 words; at most 32/);
  });
});

describe('expensive answers (dumps, exports, SPARQL)', () => {
  it('run a few at a time: one more gets 503 with Retry-After at once, and a slot is freed when its client goes away', async () => {
    const bare = Fastify();
    await bare.register(expensiveRoutes, { max: 1 });
    let release: () => void = () => undefined;
    bare.get('/slow', { config: { expensive: true } }, async () => {
      await new Promise<void>((r) => (release = r));
      return 'done';
    });
    const base = await bare.listen({ port: 0, host: '127.0.0.1' });
    try {
      const abort = new AbortController();
      const first = fetch(`${base}/slow`, { signal: abort.signal }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
      const second = await fetch(`${base}/slow`);
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('5');
      // The first client hangs up: its slot is free although its handler has not finished.
      abort.abort();
      await first;
      await new Promise((r) => setTimeout(r, 100));
      const third = fetch(`${base}/slow`);
      await new Promise((r) => setTimeout(r, 100));
      release();
      expect((await third).status).toBe(200);
    } finally {
      release();
      await bare.close();
    }
  });
});

describe('request rates', () => {
  let limited: Services;
  let limitedApp: FastifyInstance;
  let limitedDir: string;
  beforeAll(async () => {
    limitedDir = mkdtempSync(join(tmpdir(), 'vb-limits-'));
    limited = await createServices(
      loadConfig({ VINDBAAR_DATA_DIR: limitedDir, VINDBAAR_ADMIN_KEY: ADMIN, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_LINK_CHECK: 'false', VINDBAAR_RATE_LIMIT_PER_ADDRESS: '5', VINDBAAR_RATE_LIMIT_PER_KEY: '8' }),
      pino({ level: 'silent' }),
    );
    limitedApp = await buildServer(limited);
  });
  afterAll(async () => {
    await limitedApp?.close();
    await limited?.close();
    if (limitedDir) rmSync(limitedDir, { recursive: true, force: true });
  });
  const get = (url: string, headers: Record<string, string> = {}) => limitedApp.inject({ url, headers });

  it('limits each address and each key on its own, with 429 problem+json and Retry-After; probes are never limited', async () => {
    for (let i = 0; i < 5; i++) expect((await get('/api/v1/datasets', { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(200);
    const over = await get('/api/v1/datasets', { 'x-forwarded-for': '198.51.100.7' });
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Another address (behind the same trusted proxy) is counted on its own.
    expect((await get('/api/v1/datasets', { 'x-forwarded-for': '198.51.100.8' })).statusCode).toBe(200);
    // A made-up key buys nothing: it is counted under its sender's address.
    expect((await get('/api/v1/datasets', { authorization: `Bearer vb_abcdefgh_${'k'.repeat(40)}`, 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(429);
    // A valid key is counted on its own, with its own limit, from any address.
    const key = { authorization: `Bearer ${ADMIN}`, 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < 8; i++) expect((await get('/api/v1/datasets', key)).statusCode).toBe(200);
    expect((await get('/api/v1/datasets', key)).statusCode).toBe(429);
    for (let i = 0; i < 20; i++) expect((await get('/health', { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(200);
  });
});

describe('methods a path does not take', () => {
  it('answer 405 with Allow, and unknown paths 404', async () => {
    for (const [method, url, allow] of [
      ['POST', '/health', 'GET, HEAD'],
      ['DELETE', '/api/v1/datasets', 'GET, HEAD'],
      ['PUT', '/api/v1/register', 'GET, HEAD'],
      ['GET', '/api/v1/keys/key-x', 'DELETE'],
    ] as const) {
      const r = await app.inject({ method, url });
      expect(r.statusCode, `${method} ${url}`).toBe(405);
      expect(r.headers.allow, `${method} ${url}`).toBe(allow);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await app.inject({ url: '/no/such/thing' })).statusCode).toBe(404);
  });
});
