// API keys: "vb_<prefix>_<secret>". Only a scrypt hash of the secret is stored; the prefix finds the
// row. A verified key is remembered briefly so that scrypt does not run on every request.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash } from 'node:crypto';
import { promisify } from 'node:util';
import type { Queryable } from './db.js';

const scrypt = promisify(scryptCb) as (password: string, salt: string, keylen: number) => Promise<Buffer>;

export type Role = 'admin' | 'publisher';

export interface KeyPrincipal {
  keyId: string;
  role: Role;
  /** Publisher keys act for one organisation: its catalogues only. */
  organisation?: string;
}

export interface KeyInfo {
  id: string;
  prefix: string;
  role: Role;
  organisation: string | null;
  label: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

function parseKey(key: string): { prefix: string; secret: string } | undefined {
  const m = /^vb_([a-z0-9]{8})_([A-Za-z0-9_-]{32,})$/.exec(key);
  return m ? { prefix: m[1], secret: m[2] } : undefined;
}

async function hashSecret(secret: string, salt: string): Promise<string> {
  return `${salt}:${(await scrypt(secret, salt, 32)).toString('base64url')}`;
}

export async function createKey(db: Queryable, role: Role, label: string, organisation?: string, expiresAt?: Date): Promise<string> {
  const prefix = randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 8);
  const secret = randomBytes(24).toString('base64url');
  const salt = randomBytes(16).toString('base64url');
  await db.query('INSERT INTO api_keys (id, prefix, secret_hash, role, label, organisation, expires_at, term_ends_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)', [
    `key-${prefix}`,
    prefix,
    await hashSecret(secret, salt),
    role,
    label,
    organisation ?? null,
    expiresAt ?? null,
  ]);
  return `vb_${prefix}_${secret}`;
}

/** Creates the first administrator key when there is none; returns it so it can be shown once. */
export async function ensureAdminKey(db: Queryable): Promise<string | undefined> {
  const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL");
  if ((r.rows[0]?.n ?? 0) > 0) return undefined;
  return createKey(db, 'admin', 'generated on first start');
}

export async function listKeys(db: Queryable): Promise<KeyInfo[]> {
  const r = await db.query<{ id: string; prefix: string; role: Role; organisation: string | null; label: string | null; created_at: Date; expires_at: Date | null; revoked_at: Date | null }>(
    'SELECT id, prefix, role, organisation, label, created_at, expires_at, revoked_at FROM api_keys ORDER BY created_at',
  );
  return r.rows.map((k) => ({ id: k.id, prefix: k.prefix, role: k.role, organisation: k.organisation, label: k.label, createdAt: k.created_at, expiresAt: k.expires_at, revokedAt: k.revoked_at }));
}

/** One key's facts (never its secret). */
export async function getKey(db: Queryable, id: string): Promise<KeyInfo | undefined> {
  return (await listKeys(db)).find((k) => k.id === id);
}

/**
 * A new key for the same role, organisation and label (and the same end, if the old one had one); the
 * old key keeps working for `graceSeconds` more, so that a portal can deploy the new one before the old
 * one stops, and no longer than it would have. Returns the new key, or undefined when the old one is no
 * longer active.
 */
export async function rotateKey(db: Queryable, id: string, graceSeconds: number): Promise<string | undefined> {
  const ended = await db.query<{ role: Role; organisation: string | null; label: string | null; term_ends_at: Date | null }>(
    `WITH old AS (SELECT id, role, organisation, label, expires_at, term_ends_at FROM api_keys
                  WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) FOR UPDATE)
     UPDATE api_keys k SET expires_at = LEAST(COALESCE(old.expires_at, 'infinity'), now() + make_interval(secs => $2))
     FROM old WHERE k.id = old.id
     RETURNING old.role, old.organisation, old.label, old.term_ends_at`,
    [id, graceSeconds],
  );
  const old = ended.rows[0];
  if (!old) return undefined;
  // The new key ends when the old one's term would have, not when its grace (from this or an earlier
  // rotation) runs out.
  return createKey(db, old.role, old.label ?? 'rotated', old.organisation ?? undefined, old.term_ends_at ?? undefined);
}

export async function revokeKey(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id]);
  return r.rows.length > 0;
}

export class KeyVerifier {
  private readonly cache = new Map<string, { principal: KeyPrincipal; until: number }>();

  constructor(
    private readonly db: Queryable,
    private readonly envAdminKey?: string,
  ) {}

  /** Forgets remembered keys (after a revocation, so that it takes effect at once in this process). */
  forget(): void {
    this.cache.clear();
  }

  async verify(key: string): Promise<KeyPrincipal | undefined> {
    if (this.envAdminKey && key.length === this.envAdminKey.length && timingSafeEqual(Buffer.from(key), Buffer.from(this.envAdminKey)))
      return { keyId: 'env:VINDBAAR_ADMIN_KEY', role: 'admin' };
    const cacheKey = createHash('sha256').update(key).digest('base64url');
    const hit = this.cache.get(cacheKey);
    if (hit && hit.until > Date.now()) return hit.principal;
    const parsed = parseKey(key);
    if (!parsed) return undefined;
    const r = await this.db.query<{ id: string; secret_hash: string; role: Role; organisation: string | null }>(
      'SELECT id, secret_hash, role, organisation FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())',
      [parsed.prefix],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    const [salt] = row.secret_hash.split(':');
    const expected = Buffer.from(row.secret_hash);
    const actual = Buffer.from(await hashSecret(parsed.secret, salt));
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    const principal: KeyPrincipal = { keyId: row.id, role: row.role, ...(row.organisation ? { organisation: row.organisation } : {}) };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cacheKey, { principal, until: Date.now() + 60_000 });
    return principal;
  }
}
