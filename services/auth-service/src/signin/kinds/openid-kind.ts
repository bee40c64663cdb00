import { discoverProvider } from '../provider/discover-provider.js';
import { fetchUserinfo } from '../fetch-userinfo.js';
import { claimGroups } from './claim-groups.js';
import { createIdTokenVerifier, type IdTokenClaims } from '../verify-id-token.js';
import { idTokenOf } from './id-token-of.js';
import type { Fetch, KindModule, ProviderEndpoints, ProviderSettings } from './provider-kind.js';
import { claimsReread, OFFLINE_ACCESS, readsClaimGroups } from './refreshed-claims.js';
import type { VerifiedIdentity } from './verified-identity.js';

/**
 * The OpenID kinds: `google` and `oidc` (Okta, Keycloak, Authentik, GitLab, Auth0, Dex, the
 * dev-idp). Endpoints by discovery; the id_token verified in full (verify-id-token.ts) against
 * the nonce this browser session sent; the profile, or the email, from userinfo only when the
 * id_token lacks it (OpenID Core 5.4: with an access token issued, a provider may return the
 * `email` and `profile` scopes' claims from userinfo alone, as node-oidc-provider does by
 * default); `email` and `email_verified` are read from the same answer. The email counts as
 * verified only with `email_verified: true`. `google` alone reads
 * `hd` as the domain (a Workspace account; a gmail address at a custom domain has none);
 * `oidc` uses a verified email's domain.
 *
 * `oidc` with `<ID>_ROLES_CLAIM` and `<ID>_ROLE_MAP` also asks `offline_access` with
 * `prompt=consent` (OpenID Core 11: without it a provider must ignore `offline_access`, and
 * node-oidc-provider does), keeps the refresh token, and reads the claim again at refresh from
 * a refreshed id_token (refreshed-claims.ts). `google` does neither: Google issues refresh
 * tokens only for `access_type=offline`, and its groups are Workspace groups, read with a
 * service account.
 */
export function openIdKind(kind: 'google' | 'oidc'): KindModule {
  const scopes = (settings: ProviderSettings) =>
    kind === 'oidc' && readsClaimGroups(settings)
      ? ['openid', 'email', 'profile', OFFLINE_ACCESS]
      : ['openid', 'email', 'profile'];
  return {
    scopes,
    promptsConsent: (settings) => scopes(settings).includes(OFFLINE_ACCESS),
    async discover(settings, { fetch, signal }) {
      return discoverProvider({
        issuer: settings.issuer,
        backchannelUrl: settings.backchannelUrl,
        fetch,
        signal,
        issuerVariable: `${settings.id.toUpperCase()}_ISSUER`,
      });
    },
    identify(settings, endpoints, deps) {
      const verifyIdToken = verifier(settings, endpoints, deps, false);
      return async (response, expectedNonce) => {
        const claims = await verifyIdToken(idTokenOf(response), expectedNonce);
        let profile: Profile = claims;
        if (
          (claims.name === undefined || claims.email === undefined) &&
          endpoints.userinfoEndpoint &&
          typeof response.access_token === 'string'
        ) {
          profile = await fetchUserinfo({
            endpoint: endpoints.userinfoEndpoint,
            accessToken: response.access_token,
            expectedSubject: claims.sub,
            fetch: deps.fetch,
            timeoutMs: deps.timeoutMs,
          });
        }
        return toIdentity(kind, settings, claims, profile);
      };
    },
    ...(kind === 'oidc' && {
      reread: claimsReread({
        scopes,
        refreshedVerifier: (settings, endpoints, deps) => verifier(settings, endpoints, deps, true),
        identityOf: (settings, claims) => toIdentity(kind, settings, claims, claims),
      }),
    }),
  };
}

/** Where the name, picture and email come from: the id_token, or userinfo when it lacks them. */
type Profile = Pick<IdTokenClaims, 'name' | 'picture' | 'email' | 'email_verified'>;

function toIdentity(
  kind: 'google' | 'oidc',
  settings: ProviderSettings,
  claims: IdTokenClaims,
  profile: Profile,
): VerifiedIdentity {
  // The email and its verification from one answer, never one from each.
  const emailed = claims.email !== undefined ? claims : profile;
  const email = typeof emailed.email === 'string' ? emailed.email.toLowerCase() : null;
  const emailVerified = emailed.email_verified === true && email !== null && email.includes('@');
  const domain =
    kind === 'google'
      ? typeof claims.hd === 'string'
        ? claims.hd.toLowerCase()
        : undefined
      : emailVerified
        ? email!.slice(email!.lastIndexOf('@') + 1)
        : undefined;
  return {
    provider: settings.id,
    issuer: claims.iss,
    subject: claims.sub,
    email,
    emailVerified,
    name: typeof profile.name === 'string' ? profile.name : null,
    picture: typeof profile.picture === 'string' ? profile.picture : null,
    domain,
    groups:
      settings.rolesClaim === undefined ? [] : claimGroups(claims, settings.rolesClaim).groups,
  };
}

/** The id_token verifier: a sign-in's (nonce checked), or `refreshed` for a refresh's. */
function verifier(
  settings: ProviderSettings,
  endpoints: ProviderEndpoints,
  deps: { fetch: Fetch; now: () => number; timeoutMs: number },
  refreshed: boolean,
) {
  const { jwksUri } = endpoints;
  if (jwksUri === undefined) throw new Error(`provider ${settings.id} has no jwks_uri`);
  return createIdTokenVerifier({
    provider: { ...endpoints, jwksUri },
    clientId: settings.clientId,
    fetch: deps.fetch,
    now: deps.now,
    timeoutMs: deps.timeoutMs,
    refreshed,
  });
}
