import { HttpError } from '@gatehouse/shared';
import type { JWTPayload } from 'jose';
import { discoverProvider } from '../provider/discover-provider.js';
import { SignInError } from '../sign-in-error.js';
import { createIdTokenVerifier, type IdTokenClaims } from '../verify-id-token.js';
import { idTokenOf } from './id-token-of.js';
import { microsoftIdentity } from './microsoft-identity.js';
import { microsoftTenancy, TENANT_ID, tenantIssuer } from './microsoft-tenancy.js';
import type { Fetch, KindModule, ProviderEndpoints, ProviderSettings } from './provider-kind.js';
import { claimsReread, OFFLINE_ACCESS, readsClaimGroups } from './refreshed-claims.js';

/**
 * Microsoft Entra ID (work and school accounts), for a tenant's issuer or the multi-tenant
 * `organizations` (or `common`) one. Enforces, beyond the OpenID checks of verify-id-token.ts:
 * - `iss` is the issuer of the token's own `tid` (multi-tenant: the published template with
 *   `tid` in it, since every tenant's tokens share one key set; tenant: the configured issuer),
 *   and a tenant issuer's tokens carry that tenant as `tid`;
 * - `tid` is in `<ID>_TENANTS` (multi-tenant always; tenant when listed), else 403 `tenant`;
 * - `oid` is present: the subject is `tid:oid`;
 * - the email only when Microsoft vouches for it (microsoft-identity.ts).
 * With `<ID>_ROLES_CLAIM` and `<ID>_ROLE_MAP` it also asks `offline_access` and reads the
 * claim again at refresh from a refreshed id_token that must name the same `tid:oid`.
 */
export const microsoftKind: KindModule = {
  scopes,

  async discover(settings, deps) {
    const tenancy = microsoftTenancy(settings.issuer);
    if (!tenancy) {
      throw new HttpError(
        502,
        'discovery_failed',
        `${settings.issuer} is not a Microsoft Entra issuer; check ${issuerVariable(settings)}`,
      );
    }
    return discoverProvider({
      issuer: settings.issuer,
      publishedIssuer: tenancy.multiTenant ? tenancy.template : undefined,
      issuerVariable: issuerVariable(settings),
      backchannelUrl: settings.backchannelUrl,
      fetch: deps.fetch,
      signal: deps.signal,
    });
  },

  identify(settings, endpoints, deps) {
    const tenancy = tenancyOf(settings, endpoints);
    const admitted = new Set(settings.tenants.map((tenant) => tenant.toLowerCase()));
    const verify = verifier(settings, endpoints, deps, false);

    return async (response, expectedNonce) => {
      const claims = await verify(idTokenOf(response), expectedNonce);
      const tenant = tenantOf(claims);
      if (!tenancy.multiTenant && tenant !== tenancy.tenant) {
        throw invalid('tid', "the id_token tid is not its issuer's tenant");
      }
      if ((tenancy.multiTenant || admitted.size > 0) && !admitted.has(tenant)) {
        throw new SignInError(
          403,
          'access_denied',
          'tenant',
          'this Microsoft Entra tenant is not admitted',
          { audit: { tid: tenant } },
        );
      }
      return identityOf(settings, claims, tenant);
    };
  },

  // The subject comparison (tid:oid) also keeps the tenant the one admitted at sign-in.
  reread: claimsReread({
    scopes,
    refreshedVerifier: (settings, endpoints, deps) => verifier(settings, endpoints, deps, true),
    identityOf: (settings, claims) => identityOf(settings, claims, tenantOf(claims)),
  }),
};

/** The identity of a verified id_token of `tenant`: subject `tid:oid`, so `oid` is required. */
function identityOf(settings: ProviderSettings, claims: IdTokenClaims, tenant: string) {
  if (typeof claims.oid !== 'string' || claims.oid === '') {
    throw invalid('oid', 'the id_token carries no oid');
  }
  return microsoftIdentity({
    provider: settings.id,
    claims,
    tenant,
    oid: claims.oid,
    rolesClaim: settings.rolesClaim,
  });
}

function scopes(settings: ProviderSettings): string[] {
  return readsClaimGroups(settings)
    ? ['openid', 'email', 'profile', OFFLINE_ACCESS]
    : ['openid', 'email', 'profile'];
}

function tenancyOf(settings: ProviderSettings, endpoints: ProviderEndpoints) {
  const tenancy = microsoftTenancy(settings.issuer);
  if (!tenancy || !endpoints.jwksUri) {
    throw new Error(`provider ${settings.id}: not an Entra issuer, or no jwks_uri discovered`);
  }
  return tenancy;
}

/** The id_token verifier: a sign-in's (nonce checked), or `refreshed` for a refresh's. */
function verifier(
  settings: ProviderSettings,
  endpoints: ProviderEndpoints,
  deps: { fetch: Fetch; now: () => number; timeoutMs: number },
  refreshed: boolean,
) {
  const tenancy = tenancyOf(settings, endpoints);
  return createIdTokenVerifier({
    provider: { ...endpoints, jwksUri: endpoints.jwksUri! },
    clientId: settings.clientId,
    fetch: deps.fetch,
    now: deps.now,
    timeoutMs: deps.timeoutMs,
    // Discovery confirmed the provider publishes this template, or this tenant's issuer.
    issuer: (payload) =>
      tenancy.multiTenant ? tenantIssuer(tenancy.template, tenantOf(payload)) : settings.issuer,
    refreshed,
  });
}

function issuerVariable(settings: ProviderSettings): string {
  return `${settings.id.toUpperCase()}_ISSUER`;
}

/** The token's `tid`; a token without a well-formed one is not an Entra work account's. */
function tenantOf(payload: JWTPayload): string {
  if (typeof payload.tid !== 'string' || !TENANT_ID.test(payload.tid)) {
    throw invalid('tid', 'the id_token carries no tenant id (tid)');
  }
  return payload.tid;
}

function invalid(reason: string, description: string): SignInError {
  return new SignInError(401, 'invalid_id_token', reason, description);
}
