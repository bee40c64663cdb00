/**
 * Every path the auth-service serves, named once. Routers mount these; the rate limiter, the
 * OAuth-client guards and the issuer metadata read them; config builds each provider's redirect
 * URI from connectPaths. All are under `/auth` but ASSERTION_JWKS_PATH and
 * AUTHORIZATION_SERVER_METADATA_PATH, which the gateway routes from the root.
 */

/** Browser sign-in (signin/). grant mounts under GRANT_PREFIX. */
export const LOGIN_PATH = '/auth/login';
export const GRANT_PREFIX = '/auth/connect';

/**
 * Where grant starts sign-in with provider `id`, and its callback: the redirect URI registered
 * with the provider is PUBLIC_URL + `callback`.
 *
 * @example
 * connectPaths('google'); // { connect: '/auth/connect/google', callback: '/auth/connect/google/callback' }
 */
export function connectPaths(id: string): { connect: string; callback: string } {
  const connect = `${GRANT_PREFIX}/${id}`;
  return { connect, callback: `${connect}/callback` };
}

/** The browser session (sessions/). */
export const SESSION_PATH = '/auth/session';
export const LOGOUT_PATH = '/auth/logout';
/**
 * The gateway pass for `auth: session` routes (signin/gateway-pass-routes.ts); named in
 * @gatehouse/shared, since the gateway sends browsers there.
 */
export { GATEWAY_PASS_PATH } from '@gatehouse/shared';

/** The account page and administration (account/). */
export const ACCOUNT_PATH = '/auth/account';
export const ACCOUNT_SESSION_END_PATH = '/auth/account/sessions/:id/end';
export const ACCOUNT_GRANT_REVOKE_PATH = '/auth/account/grants/:id/revoke';
/** "Link another provider": a form post starting a sign-in bound to the session. */
export const ACCOUNT_LINK_PATH = '/auth/account/identities/link';
/** Unlink one identity: form fields `provider` and `subject` (a subject may hold any character). */
export const ACCOUNT_UNLINK_PATH = '/auth/account/identities/unlink';
export const ADMIN_USERS_PATH = '/auth/admin/users';
export const ADMIN_USER_DISABLE_PATH = '/auth/admin/users/:id/disable';

/** The OAuth server (oauth/). */
export const TOKEN_PATH = '/auth/token';
export const DEVICE_AUTHORIZATION_PATH = '/auth/device_authorization';
/** The device flow's page for the person (RFC 8628 verification_uri). */
export const DEVICE_PATH = '/auth/device';
export const REVOCATION_PATH = '/auth/revoke';
export const INTROSPECTION_PATH = '/auth/introspect';

/** Published keys and metadata (oauth/metadata/, oauth/revocation-feed/). */
export const JWKS_PATH = '/auth/.well-known/jwks.json';
/**
 * The gateway's JWKS of `X-Gatehouse-Assertion` (the identity it signs for routes' upstreams),
 * named by the metadata as `assertion_jwks_uri` so upstreams find it from the issuer.
 */
export const ASSERTION_JWKS_PATH = '/.well-known/gatehouse-assertion-jwks.json';
/** OpenID Discovery's location for the issuer `PUBLIC_URL/auth`. */
export const DISCOVERY_PATH = '/auth/.well-known/openid-configuration';
/** RFC 8414 section 3.1: the well-known suffix inserted before the issuer's path `/auth`. */
export const AUTHORIZATION_SERVER_METADATA_PATH = '/.well-known/oauth-authorization-server/auth';
/** The revocation feed the APIs poll. */
export const REVOCATIONS_PATH = '/auth/.well-known/revocations';

/**
 * The endpoints OAuth clients call with a form (device authorization, token, revocation,
 * introspection): their errors are always JSON, and a form POST to them needs no Origin.
 */
export const OAUTH_CLIENT_ENDPOINTS: readonly string[] = [
  DEVICE_AUTHORIZATION_PATH,
  TOKEN_PATH,
  REVOCATION_PATH,
  INTROSPECTION_PATH,
];

/**
 * The endpoints worth hammering: starting sign-in, grant's redirects and callbacks (every path
 * under GRANT_PREFIX), tokens, the device flow, revocation and introspection.
 */
export const RATE_LIMITED_PREFIXES: readonly string[] = [`${GRANT_PREFIX}/`];
export const RATE_LIMITED_PATHS: readonly string[] = [
  LOGIN_PATH,
  TOKEN_PATH,
  DEVICE_AUTHORIZATION_PATH,
  DEVICE_PATH,
  REVOCATION_PATH,
  INTROSPECTION_PATH,
];
