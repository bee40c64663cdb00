import type { IncomingHttpHeaders } from 'node:http';
import type { AccessTokenClaims } from '@gatehouse/shared';

const PREFIX = 'x-gatehouse-';
/** Visible ASCII and space: what a header value can carry as it is. */
const PLAIN = /^[\x20-\x7e]*$/;

/**
 * True for a client-sent `X-Gatehouse-*` header, which is never forwarded (Node lowercases
 * names, so every case spelling is one name; underscore spellings such as `X_Gatehouse_Sub`
 * are refused with every other underscore name by `isSpoofableHeader`). Applied to every
 * forwarded request, public and `/auth` included: only the gateway states who the caller is.
 */
export function isIdentityHeader(name: string): boolean {
  return name.startsWith(PREFIX);
}

/**
 * States the verified caller to the upstream: `X-Gatehouse-Sub`, `-Email`, `-Roles` (comma
 * list), `-Scope`, `-Client`, and `-Assertion` when one was signed. A value outside visible
 * ASCII is percent-encoded (`encodeURIComponent`) rather than dropped. Absent claims set no
 * header. Call after client `X-Gatehouse-*` headers were removed (`isIdentityHeader`).
 */
export function setIdentityHeaders(
  headers: IncomingHttpHeaders,
  claims: AccessTokenClaims,
  assertion: string | undefined,
): void {
  headers['x-gatehouse-sub'] = plain(claims.sub);
  if (claims.email !== undefined) headers['x-gatehouse-email'] = plain(claims.email);
  if (claims.roles.length > 0) headers['x-gatehouse-roles'] = plain(claims.roles.join(','));
  if (claims.scope !== undefined) headers['x-gatehouse-scope'] = plain(claims.scope);
  if (claims.client_id !== undefined) headers['x-gatehouse-client'] = plain(claims.client_id);
  if (assertion !== undefined) headers['x-gatehouse-assertion'] = assertion;
}

const plain = (value: string) => (PLAIN.test(value) ? value : encodeURIComponent(value));
