// OpenID Connect bearer tokens next to API keys: an organisation that signs its people in with its own
// identity provider (the Flemish government's ACM/IDM, Keycloak, Entra ID…) sends their access tokens
// instead of a shared key. A token is accepted when its signature checks against the issuer's published
// keys (JWKS, fetched and cached by jose, refreshed when a token names a key it does not know), it is
// unexpired, and issuer and audience are ours. The role and organisation come from claims; a token that
// grants no Vindbaar role is refused like an unknown key.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { OidcConfig } from '../config.js';
import type { KeyPrincipal, Role } from '../store/keys.js';

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function looksLikeJwt(token: string): boolean {
  return JWT.test(token);
}

export class OidcVerifier {
  private keys?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: OidcConfig & { issuer: string; audience: string }) {}

  /** Where the issuer publishes its keys: configured, or named by its discovery document. */
  private async jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.keys) return this.keys;
    let url = this.config.jwksUrl;
    if (!url) {
      const res = await fetch(`${this.config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`OIDC discovery at ${this.config.issuer}: HTTP ${res.status}`);
      url = ((await res.json()) as { jwks_uri?: string }).jwks_uri;
      if (!url) throw new Error(`OIDC discovery at ${this.config.issuer} names no jwks_uri`);
    }
    this.keys = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    return this.keys;
  }

  async verify(token: string): Promise<KeyPrincipal | undefined> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.jwks(), { issuer: this.config.issuer, audience: this.config.audience, clockTolerance: 30 }));
    } catch {
      return undefined;
    }
    const role = roleOf(payload[this.config.roleClaim]);
    if (!role || !payload.sub) return undefined;
    const organisation = payload[this.config.organisationClaim];
    if (role === 'publisher' && (typeof organisation !== 'string' || organisation === '')) return undefined;
    return { keyId: `oidc:${payload.sub}`, role, ...(role === 'publisher' ? { organisation: organisation as string } : {}) };
  }
}

/** A role claim is a string or a list of roles; an administrator role wins over a publisher one. */
function roleOf(claim: unknown): Role | undefined {
  const roles = Array.isArray(claim) ? claim : [claim];
  if (roles.includes('admin')) return 'admin';
  if (roles.includes('publisher')) return 'publisher';
  return undefined;
}
