// Every stored API key can read its own facts and rotate itself: a portal renews its key without an
// administrator, and the old key keeps working for a grace period so that the new one can be deployed.
import { describe, expect, it } from 'vitest';
import { withEmbeddedApp } from './support/embedded-app.js';
import { startRun } from '../src/store/runs.js';

const ADMIN = 'keys-test-admin-key-0123456789abcdef';
const t = withEmbeddedApp(ADMIN);

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const newKey = async (expiresAt?: string) =>
  (await t.app.inject({ method: 'POST', url: '/api/v1/keys', headers: as(ADMIN), payload: { role: 'publisher', organisation: 'Stad Gent', label: 'portaal', ...(expiresAt ? { expiresAt } : {}) } })).json() as { key: string; id: string };
const push = (key: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/catalogs/gent/records',
    headers: { ...as(key), 'content-type': 'text/turtle' },
    payload: '<http://data.gent.be/d/1> a <http://www.w3.org/ns/dcat#Dataset>; <http://purl.org/dc/terms/title> "Eén"@nl.',
  });

describe('a key of its own', () => {
  it('tells a publisher its role, organisation and end, never its secret', async () => {
    const { key, id } = await newKey('2099-01-01T00:00:00Z');
    const self = await t.app.inject({ url: '/api/v1/keys/self', headers: as(key) });
    expect(self.statusCode).toBe(200);
    expect(self.json()).toMatchObject({ id, role: 'publisher', organisation: 'Stad Gent', label: 'portaal', expiresAt: '2099-01-01T00:00:00.000Z', revokedAt: null });
    expect(self.body).not.toContain(key.slice('vb_12345678_'.length));
    expect((await t.app.inject({ url: '/api/v1/keys/self' })).statusCode).toBe(401);
    // The key from the environment is not a stored key: said so, not a 500.
    const env = await t.app.inject({ url: '/api/v1/keys/self', headers: as(ADMIN) });
    expect(env.statusCode).toBe(400);
    expect(env.headers['content-type']).toContain('application/problem+json');
  });

  it('rotates: a new key for the same organisation, the old one working for the grace period only', async () => {
    const { key: old, id } = await newKey();
    expect((await push(old)).statusCode).toBe(200);
    const rotated = await t.app.inject({ method: 'POST', url: '/api/v1/keys/self/rotate', headers: as(old), payload: { graceHours: 1 } });
    expect(rotated.statusCode).toBe(201);
    const body = rotated.json();
    expect(body.key).toMatch(/^vb_[a-z0-9]{8}_/);
    expect(body).toMatchObject({ role: 'publisher', organisation: 'Stad Gent', label: 'portaal', expiresAt: null });
    const ends = new Date(body.previous.expiresAt).getTime();
    expect(ends).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect(ends).toBeLessThan(Date.now() + 61 * 60_000);
    // Both work during the grace period; the new one writes into the same organisation's catalogue.
    expect((await push(body.key)).statusCode).toBe(200);
    expect((await push(old)).statusCode).toBe(200);
    // Rotating the new one at once (no body: 24 hours; 0: now) ends the old one at once.
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/keys/self/rotate', headers: as(body.key), payload: { graceHours: 0 } });
    expect(again.statusCode).toBe(201);
    expect((await push(body.key)).statusCode).toBe(401);
    expect((await push(again.json().key)).statusCode).toBe(200);
    const listed = (await t.app.inject({ url: '/api/v1/keys', headers: as(ADMIN) })).json().member as { id: string; expiresAt: string | null }[];
    expect(listed.find((k) => k.id === id)?.expiresAt).toBe(body.previous.expiresAt);
  });

  it('rotated a second time during its grace (the new key was lost), still hands out a key of the old one\'s full term', async () => {
    const { key: old } = await newKey();
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/keys/self/rotate', headers: as(old), payload: { graceHours: 1 } });
    expect(first.statusCode).toBe(201);
    const second = await t.app.inject({ method: 'POST', url: '/api/v1/keys/self/rotate', headers: as(old), payload: { graceHours: 1 } });
    expect(second.statusCode).toBe(201);
    // The old key had no end of its own: neither has the key made by the second rotation (it used to end
    // with the first rotation's hour of grace).
    expect(second.json().expiresAt).toBeNull();
    expect((await push(second.json().key)).statusCode).toBe(200);
  });

  it('revokes itself at once, as a holder does with a key that leaked', async () => {
    const { key } = await newKey();
    expect((await push(key)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/keys/self', headers: as(key) })).statusCode).toBe(204);
    expect((await push(key)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/keys/self', headers: as(ADMIN) })).statusCode).toBe(400);
  });

  it('never outlives the old key: a key that ends soon gives its successor the same end', async () => {
    const soon = new Date(Date.now() + 30 * 60_000).toISOString();
    const { key } = await newKey(soon);
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/keys/self/rotate', headers: as(key) });
    expect(r.statusCode).toBe(201);
    expect(new Date(r.json().expiresAt).getTime()).toBe(new Date(soon).getTime());
    // The old key's end stays where it was (earlier than the 24 hours of grace).
    expect(new Date(r.json().previous.expiresAt).getTime()).toBe(new Date(soon).getTime());
    // A grace period out of range is refused.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/keys/self/rotate', headers: as(r.json().key), payload: { graceHours: 1000 } })).statusCode).toBe(400);
  });
});

describe('an organisation and its sources', () => {
  it('may harvest its own sources now and answer their runs, not those of another organisation', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/sources', headers: as(ADMIN), payload: { id: 'gent-dcat', type: 'dcat', url: 'http://example.org/gent.ttl', organisation: 'Stad Gent' } });
    expect(created.statusCode, created.body).toBe(201);
    const { key: gent } = await newKey();
    const other = (await t.app.inject({ method: 'POST', url: '/api/v1/keys', headers: as(ADMIN), payload: { role: 'publisher', organisation: 'Stad Brugge', label: 'b' } })).json().key as string;
    const harvest = (key: string) => t.app.inject({ method: 'POST', url: '/api/v1/sources/gent-dcat/harvest', headers: as(key) });
    expect((await harvest(gent)).statusCode).toBe(202);
    const refused = await harvest(other);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('gent-dcat');
    expect((await harvest(ADMIN)).statusCode).toBe(202);
    // Answering a run's held withdrawals: its own organisation gets as far as the run's state (this one
    // holds none back: 409), another organisation not past the door.
    const run = await startRun(t.services.db, 'gent-dcat', 'api', 'test');
    const answer = (key: string) => t.app.inject({ method: 'POST', url: `/api/v1/runs/${run}/dismiss-withdrawal`, headers: as(key) });
    expect((await answer(other)).statusCode).toBe(403);
    expect((await answer(gent)).statusCode).toBe(409);
    // Managing sources stays the administrator's.
    expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/sources/gent-dcat', headers: as(gent), payload: { enabled: false } })).statusCode).toBe(403);
  });
});
