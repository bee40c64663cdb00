import { SignInError } from '../sign-in-error.js';
import type { IdTokenClaims, VerifyIdToken } from '../verify-id-token.js';
import type {
  GroupReread,
  ProviderCredential,
  ProviderEndpoints,
  ProviderSettings,
  ReadGroups,
  TokenResponse,
} from './provider-kind.js';
import { redeemRefreshToken } from './redeem-refresh-token.js';

/** The scope that makes an OpenID provider issue a refresh token (OpenID Core 11). */
export const OFFLINE_ACCESS = 'offline_access';

/** An OpenID kind's groups come from `<ID>_ROLES_CLAIM`, and only matter with a role map. */
export function readsClaimGroups(settings: ProviderSettings): boolean {
  return settings.rolesClaim !== undefined && settings.roleMap.size > 0;
}

/** The sign-in's refresh token, when the provider issued one. */
export function keepRefreshToken(response: TokenResponse): ProviderCredential | null {
  const token = response.refresh_token;
  return typeof token === 'string' && token !== '' ? { refresh_token: token } : null;
}

/**
 * The GroupReread of an OpenID kind whose groups are the `<ID>_ROLES_CLAIM` claim: it applies
 * with a role map over that claim, keeps the sign-in's refresh token, and reads the groups again
 * as `refreshedClaimsReader` does, with the kind's own scopes, its verifier for refreshed
 * id_tokens and its identity (whose subject the refreshed id_token must name).
 *
 * @example
 * reread: claimsReread({ scopes, refreshedVerifier, identityOf: (settings, claims) => ... }),
 */
export function claimsReread(kind: {
  scopes(settings: ProviderSettings): readonly string[];
  refreshedVerifier(
    settings: ProviderSettings,
    endpoints: ProviderEndpoints,
    deps: Parameters<GroupReread['reader']>[2],
  ): VerifyIdToken;
  identityOf(
    settings: ProviderSettings,
    claims: IdTokenClaims,
  ): { subject: string; groups: string[] };
}): GroupReread {
  return {
    applies: readsClaimGroups,
    keep: keepRefreshToken,
    reader: (settings, endpoints, deps) =>
      refreshedClaimsReader({
        settings,
        endpoints,
        scope: kind.scopes(settings),
        verify: kind.refreshedVerifier(settings, endpoints, deps),
        identityOf: (claims) => kind.identityOf(settings, claims),
        deps,
      }),
  };
}

/**
 * Reads an OpenID kind's claim groups again: redeems the kept refresh token
 * (redeem-refresh-token.ts), verifies the id_token that comes back with `verify` (built with
 * `refreshed`: every check but the nonce), requires the identity it names to be the one the
 * token was kept for, and returns its groups, with the rotated refresh token when the provider
 * issued a new one. An answer without an id_token leaves the groups unknown: refused (400
 * `no_id_token`), so the roles are dropped rather than kept on trust; userinfo is not asked,
 * since most providers leave group claims out of it unless configured to add them.
 */
function refreshedClaimsReader(options: {
  settings: ProviderSettings;
  endpoints: ProviderEndpoints;
  scope: readonly string[];
  verify: VerifyIdToken;
  /** The identity's subject and groups from verified claims; may throw a SignInError. */
  identityOf(claims: IdTokenClaims): { subject: string; groups: string[] };
  deps: Parameters<GroupReread['reader']>[2];
}): ReadGroups {
  const { settings, deps } = options;
  return async (subject, credential) => {
    const refreshToken = credential.refresh_token;
    if (typeof refreshToken !== 'string' || refreshToken === '') {
      throw new SignInError(400, 'invalid_grant', 'no_refresh_token', 'no refresh token is kept');
    }
    const answer = await redeemRefreshToken({
      tokenEndpoint: options.endpoints.tokenEndpoint,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      refreshToken,
      scope: options.scope,
      fetch: deps.fetch,
      timeoutMs: deps.timeoutMs,
    });
    if (typeof answer.id_token !== 'string') {
      throw new SignInError(
        400,
        'invalid_grant',
        'no_id_token',
        'the provider refreshed without an id_token: the groups are unknown',
      );
    }
    const identity = options.identityOf(await options.verify(answer.id_token, undefined));
    if (identity.subject !== subject) {
      throw new SignInError(
        401,
        'invalid_id_token',
        'sub',
        'the refreshed id_token names another subject than the identity it was kept for',
      );
    }
    const next = keepRefreshToken(answer);
    const rotated = next !== null && next.refresh_token !== refreshToken;
    return { groups: identity.groups, ...(rotated && { credential: next }) };
  };
}
