import type { UpstreamProxy } from '../proxy/upstream-proxy.js';
import type { RouteSpec } from './route-spec.js';
import type { ActiveRoute } from './route-table.js';

/** The one root-level path the auth-service answers: its RFC 8414 metadata. */
export const AUTHORIZATION_SERVER_METADATA = '/.well-known/oauth-authorization-server/auth';

/**
 * The auth-service's entries, which no routes file can change: `/auth` and, because RFC 8414
 * section 3.1 puts the metadata of the issuer PUBLIC_URL/auth at the root, that exact path.
 */
export function authServiceRoutes(auth: UpstreamProxy): ActiveRoute[] {
  const route = (prefix: string, label: string, exact: boolean): ActiveRoute => ({
    name: 'auth-service',
    prefix,
    exact,
    label,
    methods: undefined,
    allowHeader: '',
    stripPrefix: false,
    websocket: false,
    spec: undefined,
    upstream: auth,
  });
  return [
    route('/auth', '/auth/*', false),
    route(AUTHORIZATION_SERVER_METADATA, AUTHORIZATION_SERVER_METADATA, true),
  ];
}

/** What the gateway does without ROUTES_FILE, and what the default routes file declares. */
export function builtinApiRoute(apiOrigins: readonly string[]): RouteSpec {
  return {
    name: 'api',
    path: '/api',
    to: apiOrigins,
    stripPrefix: false,
    auth: 'public',
    allow: undefined,
    methods: undefined,
    websocket: false,
    timeoutMs: undefined,
  };
}
