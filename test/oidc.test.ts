// OpenID Connect access tokens as bearer credentials, against a real issuer on loopback (a discovery
// document and a JWKS, tokens signed with jose): the role and organisation come from claims, the
// organisation scoping is the same as for API keys, and a token that is expired, for another audience,
// from another issuer, signed by another key, unsigned, or granting no role is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/app.js';
import { buildServer } from '../src/server.js';

const TTL = (name: string) => `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://data.example.be/id/dataset/${name}> a dcat:Dataset ; dct:title "${name}"@nl ; dct:description "Cijfers."@nl .`;

let issuerServer: Server;
let issuer: string;
let services: Services;
let app: FastifyInstance;
let dir: string;
type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let key: SigningKey;
let otherKey: SigningKey;

async function token(claims: Record<string, unknown>, options: { audience?: string; issuer?: string; expires?: string; signWith?: SigningKey; subject?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? 'vindbaar')
    .setSubject(options.subject ?? 'alice')
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '5m')
    .sign(options.signWith ?? key);
}

const push = (bearer: string, catalog: string, name: string) =>
  app.inject({ method: 'POST', url: `/api/v1/catalogs/${catalog}/records`, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'text/turtle' }, payload: TTL(name) });

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
    else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(issuerServer.address() as { port: number }).port}`;
  dir = mkdtempSync(join(tmpdir(), 'vb-oidc-'));
  services = await createServices(
    loadConfig({ VINDBAAR_DATA_DIR: dir, VINDBAAR_SAMPLE_DATA: 'false', VINDBAAR_LINK_CHECK: 'false', VINDBAAR_OIDC_ISSUER: issuer, VINDBAAR_OIDC_AUDIENCE: 'vindbaar', VINDBAAR_ADMIN_KEY: 'oidc-admin-key-0123456789abcdef' }),
    pino({ level: 'silent' }),
  );
  app = await buildServer(services);
});

afterAll(async () => {
  await app?.close();
  await services?.close();
  await new Promise((r) => issuerServer?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('OpenID Connect bearer tokens', () => {
  it("accept a publisher's token for its organisation's catalogue, and log who it was", async () => {
    const werk = await token({ vindbaar_role: 'publisher', vindbaar_organisation: 'Werk' });
    const r = await push(werk, 'werk', 'a');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ created: 1 });
    const admin = await token({ vindbaar_role: ['reader', 'admin'] }, { subject: 'root' });
    const log = (await app.inject({ url: '/api/v1/audit', headers: { authorization: `Bearer ${admin}` } })).json().entries as { keyId: string; keyPrefix: string }[];
    expect(log.some((e) => e.keyId === 'oidc:alice' && e.keyPrefix === 'token')).toBe(true);
  });

  it("refuse another organisation's token on that catalogue (403), and a publisher's on administrators' routes", async () => {
    const elders = await token({ vindbaar_role: 'publisher', vindbaar_organisation: 'Elders' }, { subject: 'bob' });
    expect((await push(elders, 'werk', 'b')).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/keys', headers: { authorization: `Bearer ${elders}` } })).statusCode).toBe(403);
  });

  it('refuse tokens that are expired, for another audience, from another issuer, signed by another key, unsigned, or without a role (401)', async () => {
    const claims = { vindbaar_role: 'publisher', vindbaar_organisation: 'Werk' };
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, iss: issuer, aud: 'vindbaar', sub: 'eve', exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url')}.`;
    const bad = {
      expired: await token(claims, { expires: '-10m' }),
      'other audience': await token(claims, { audience: 'another-service' }),
      'other issuer': await token(claims, { issuer: 'https://idp.elders.example' }),
      'other key': await token(claims, { signWith: otherKey }),
      unsigned: `${unsigned}x`,
      'no role': await token({ vindbaar_organisation: 'Werk' }),
      'publisher without organisation': await token({ vindbaar_role: 'publisher' }),
    };
    for (const [why, t] of Object.entries(bad)) {
      const r = await push(t, 'werk', `c-${why.replace(/\W/g, '')}`);
      expect(r.statusCode, why).toBe(401);
      expect(r.headers['content-type'], why).toMatch(/problem\+json/);
    }
    expect((await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE iri LIKE '%/dataset/c-%'")).rows[0].n).toBe(0);
  });

  it('keeps API keys working next to tokens', async () => {
    const r = await push('oidc-admin-key-0123456789abcdef', 'werk', 'd');
    expect(r.statusCode).toBe(200);
  });

  it('refuses to start with an issuer but no audience', () => {
    expect(() => loadConfig({ VINDBAAR_OIDC_ISSUER: 'https://idp.example' })).toThrow(/AUDIENCE/);
  });
});
