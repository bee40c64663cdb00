import type { JWTPayload } from 'jose';
import { TokenError } from './token-error.js';

/**
 * The claims of a verified Gatehouse access token (DESIGN.md, "Access tokens").
 *
 * @example
 * const { sub, email, roles } = ctx.state.auth as AccessTokenClaims;
 */
export interface AccessTokenClaims {
  readonly iss: string;
  /**
   * Stable user id from the directory, not the email; for a service client's own token
   * (client credentials) its `client_id`, and then no `email`, `name` or `roles`.
   */
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
  /** The client the token was issued to (RFC 9068), e.g. `gatehouse-web` for the browser. */
  readonly client_id?: string;
  /** The sign-in session or grant the token was issued for (a service client's grant). */
  readonly sid?: string;
  readonly email?: string;
  readonly name?: string | null;
  /** Directory roles; empty when the token carries none. */
  readonly roles: readonly string[];
  /** Space-separated OAuth scopes, as issued. */
  readonly scope?: string;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Checks the shape of claims jose has already verified (signature, iss, aud, exp, nbf) and
 * returns them typed and frozen. Wrong types are refused rather than coerced, so a route never
 * sees a `roles` that is a string or a `sub` that is a number.
 *
 * @example
 * const claims = toAccessTokenClaims((await jwtVerify(token, key, options)).payload);
 */
export function toAccessTokenClaims(payload: JWTPayload): AccessTokenClaims {
  const { sub, jti, iat, exp, client_id, sid, email, name, roles, scope } = payload;
  const problems: string[] = [];
  if (!nonEmpty(sub)) problems.push('sub');
  if (!nonEmpty(jti)) problems.push('jti');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) problems.push('iat');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) problems.push('exp');
  if (client_id !== undefined && !nonEmpty(client_id)) problems.push('client_id');
  if (sid !== undefined && typeof sid !== 'string') problems.push('sid');
  if (email !== undefined && typeof email !== 'string') problems.push('email');
  if (name !== undefined && name !== null && typeof name !== 'string') problems.push('name');
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((r) => typeof r === 'string')))
    problems.push('roles');
  if (scope !== undefined && typeof scope !== 'string') problems.push('scope');
  if (problems.length > 0) {
    throw new TokenError('invalid_claim', `claims with a wrong type: ${problems.join(', ')}`);
  }
  return Object.freeze({
    ...payload,
    roles: Object.freeze([...((roles as string[] | undefined) ?? [])]),
  }) as AccessTokenClaims;
}

/**
 * The scopes of a token as a set of names.
 *
 * @example
 * scopesOf({ scope: 'api admin' }).has('admin'); // true
 */
export function scopesOf(claims: Pick<AccessTokenClaims, 'scope'>): ReadonlySet<string> {
  return new Set((claims.scope ?? '').split(' ').filter((s) => s !== ''));
}
