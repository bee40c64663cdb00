import { scopesOf, type AccessTokenClaims } from '@gatehouse/shared';
import type { RouteAllow } from '../route-table/route-spec.js';

/** The outcome of a route's `allow` for one verified caller; `rule` names what decided. */
export type PolicyDecision =
  | { readonly allowed: true; readonly rule: string }
  | {
      readonly allowed: false;
      /** The `allow` key that refused, e.g. `roles`. */
      readonly rule: keyof RouteAllow;
      /** Safe to send: names what is required, never what the token holds. */
      readonly reason: string;
      /** For the RFC 6750 challenge's `scope` parameter when the refusal is about scopes. */
      readonly scope?: string;
    };

type Claims = Pick<AccessTokenClaims, 'roles' | 'scope' | 'email' | 'client_id'>;

const either = (values: readonly string[]) =>
  values.length === 1 ? values[0]! : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;

/** Each key: whether the caller has one of its values, and how a refusal reads. */
const RULES: {
  readonly [K in keyof Required<RouteAllow>]: {
    has(claims: Claims, values: readonly string[]): boolean;
    reason(values: readonly string[]): string;
  };
} = {
  roles: {
    // A role counts only with its same-named scope, as every requireRole decides: `roles` says
    // who the user is, `scope` what this token was granted (an admin's narrow grant is no admin).
    has: (claims, values) => {
      const held = scopesOf(claims);
      return claims.roles.some((role) => values.includes(role) && held.has(role));
    },
    reason: (values) => `the ${either(values)} role is required`,
  },
  scopes: {
    has: (claims, values) => {
      const held = scopesOf(claims);
      return values.some((scope) => held.has(scope));
    },
    reason: (values) => `the ${either(values)} scope is required`,
  },
  emails: {
    has: (claims, values) =>
      claims.email !== undefined &&
      values.some((email) => email.toLowerCase() === claims.email!.toLowerCase()),
    reason: () => 'this account is not allowed here',
  },
  domains: {
    has: (claims, values) => {
      const at = claims.email?.lastIndexOf('@') ?? -1;
      const domain = at === -1 ? undefined : claims.email!.slice(at + 1).toLowerCase();
      return domain !== undefined && values.some((d) => d.toLowerCase() === domain);
    },
    reason: () => "this account's domain is not allowed here",
  },
  clients: {
    has: (claims, values) => claims.client_id !== undefined && values.includes(claims.client_id),
    reason: () => 'this client is not allowed here',
  },
};

const ORDER = ['roles', 'scopes', 'emails', 'domains', 'clients'] as const;

/**
 * A route's `allow` applied to a verified caller: any of the values within a key, every key
 * present. Absent `allow`: any signed-in caller (`rule` `signed-in`). Pure, so it is tested as
 * a table; the first key that refuses is the reason.
 *
 * @example
 * evaluatePolicy({ roles: ['admin'] }, claims); // { allowed: false, rule: 'roles', reason: 'the admin role is required' }
 */
export function evaluatePolicy(allow: RouteAllow | undefined, claims: Claims): PolicyDecision {
  if (allow === undefined) return { allowed: true, rule: 'signed-in' };
  const matched: string[] = [];
  for (const key of ORDER) {
    const values = allow[key];
    if (values === undefined) continue;
    if (!RULES[key].has(claims, values)) {
      return {
        allowed: false,
        rule: key,
        reason: RULES[key].reason(values),
        ...(key === 'scopes' && { scope: values.join(' ') }),
      };
    }
    matched.push(key);
  }
  return { allowed: true, rule: matched.length > 0 ? matched.join('+') : 'signed-in' };
}
