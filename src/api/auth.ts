// Write routes need "Authorization: Bearer <key>". Administrator keys may do everything; publisher keys
// act for one organisation and may only touch that organisation's catalogues.
import type { FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import { KeyVerifier, type KeyPrincipal, type Role } from '../store/keys.js';
import { problem } from './problem.js';
import { looksLikeJwt, OidcVerifier } from './oidc.js';

const verifiers = new WeakMap<Services, KeyVerifier>();
const oidcVerifiers = new WeakMap<Services, OidcVerifier | null>();

export function keyVerifier(services: Services): KeyVerifier {
  let verifier = verifiers.get(services);
  if (!verifier) verifiers.set(services, (verifier = new KeyVerifier(services.db, services.config.adminKey)));
  return verifier;
}

function oidcVerifier(services: Services): OidcVerifier | null {
  let v = oidcVerifiers.get(services);
  if (v === undefined) {
    const { issuer, audience } = services.config.oidc;
    v = issuer && audience ? new OidcVerifier({ ...services.config.oidc, issuer, audience }) : null;
    oidcVerifiers.set(services, v);
  }
  return v;
}

/** Who a bearer credential speaks for: an API key, or (when configured) an OpenID Connect access token. */
export function verifyCredential(services: Services, credential: string): Promise<KeyPrincipal | undefined> {
  const oidc = oidcVerifier(services);
  if (oidc && looksLikeJwt(credential)) return oidc.verify(credential);
  return keyVerifier(services).verify(credential);
}

/** An onRequest hook (the key is checked before the body is read or validated): any valid key, or only keys of the given roles. */
export function requireKey(services: Services, roles: Role[] = ['admin']) {
  return async (req: FastifyRequest) => {
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw problem(401, 'Unauthorized', 'Send an API key as "Authorization: Bearer <key>".');
    const principal = await verifyCredential(services, m[1]);
    if (!principal) throw problem(401, 'Unauthorized', 'The API key or token is unknown, revoked, expired, or grants no role here.');
    if (!roles.includes(principal.role)) throw problem(403, 'Forbidden', `This needs an ${roles.join(' or ')} key; yours is a ${principal.role} key.`);
    (req as FastifyRequest & { principal?: KeyPrincipal }).principal = principal;
  };
}

export function principalOf(req: FastifyRequest): KeyPrincipal | undefined {
  return (req as FastifyRequest & { principal?: KeyPrincipal }).principal;
}

/** May this key write into the catalogue? A publisher may write into its organisation's catalogues and
 * create new ones (which become its organisation's); an administrator may write anywhere. Returns
 * whether this call created the catalogue: a write that then fails gives it up again (releaseCatalog),
 * so that a failed request leaves no catalogue behind. With `create` false (a deletion) an unknown
 * catalogue is a 404 and nothing is created. */
export async function checkCatalogAccess(services: Services, principal: KeyPrincipal | undefined, catalogId: string, create = true): Promise<{ created: boolean }> {
  if (!principal) throw problem(401, 'Unauthorized', 'Send an API key as "Authorization: Bearer <key>".');
  const r = await services.db.query<{ organisation: string | null }>('SELECT organisation FROM catalogs WHERE id = $1', [catalogId]);
  if (r.rows.length === 0 && !create) throw problem(404, 'Not Found', `There is no catalogue "${catalogId}".`);
  if (principal.role === 'admin') return { created: false };
  const owner = r.rows[0]?.organisation;
  if (r.rows.length === 0) {
    const made = await services.db.query('INSERT INTO catalogs (id, organisation) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [catalogId, principal.organisation ?? null]);
    const again = await services.db.query<{ organisation: string | null }>('SELECT organisation FROM catalogs WHERE id = $1', [catalogId]);
    if (again.rows[0]?.organisation === principal.organisation) return { created: made.rowCount > 0 };
  } else if (owner && owner === principal.organisation) return { created: false };
  throw problem(403, 'Forbidden', `Catalogue "${catalogId}" does not belong to ${principal.organisation ? `organisation "${principal.organisation}"` : 'your key'}; a publisher key may only change its own organisation's records.`);
}

/** Gives up a catalogue a failed write created, if nothing was stored in it meanwhile. */
export async function releaseCatalog(services: Services, catalogId: string): Promise<void> {
  await services.db
    .transaction(async (tx) => {
      // The push source a write that stored nothing may have left (every record turned away).
      await tx.query("DELETE FROM sources s WHERE s.id = $2 AND s.catalog_id = $1 AND s.kind = 'push' AND NOT EXISTS (SELECT 1 FROM records r WHERE r.source_id = s.id)", [catalogId, `push:${catalogId}`]);
      await tx.query('DELETE FROM catalogs c WHERE c.id = $1 AND NOT EXISTS (SELECT 1 FROM records r WHERE r.catalog_id = c.id) AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.catalog_id = c.id)', [catalogId]);
    })
    .catch(() => undefined);
}
