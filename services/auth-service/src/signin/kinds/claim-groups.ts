/**
 * Why a claim gave fewer groups than it seemed to hold, for a log line (never the values):
 * - `overage`: Entra left `groups` out for having too many and points at Graph instead
 *   (`_claim_names`); map app roles (`<ID>_ROLES_CLAIM=roles`) instead;
 * - `not_strings`: an array with entries other than non-empty strings (those are skipped);
 * - `unsupported`: neither an array nor a string (a number, an object such as Zitadel's
 *   role map): no groups.
 */
export type ClaimOddity = 'overage' | 'not_strings' | 'unsupported';

export interface ClaimGroups {
  groups: string[];
  odd: ClaimOddity | undefined;
}

/**
 * The groups in an OpenID claim (`<ID>_ROLES_CLAIM`), from the verified id_token's or
 * userinfo's claims. Never throws: a provider's odd claim gives no groups and says why.
 *
 * - An array of strings is what Keycloak, Okta, Entra (`groups` object ids, `roles` app
 *   roles), Authentik and Cognito emit: each entry is a group.
 * - A single string is one group, never split: ADFS and single-valued mappers emit a lone
 *   string for one value, and group names contain spaces and commas (`Eng Admins`, LDAP
 *   `CN=admins,OU=...`), so splitting would invent groups the person is not in.
 * - Absent or null: no groups, not odd (Okta omits a filtered claim that matches nothing).
 * - The claim name is looked up as written first; when absent and it contains dots, as a path
 *   into nested objects (Keycloak's realm roles: `realm_access.roles`). URL-named claims
 *   (`https://example.com/groups`) are top-level and found by the first lookup.
 *
 * @example
 * claimGroups({ groups: ['eng', 'ops'] }, 'groups') // { groups: ['eng', 'ops'], odd: undefined }
 */
export function claimGroups(claims: Readonly<Record<string, unknown>>, claim: string): ClaimGroups {
  const value = lookUp(claims, claim);
  if (value === undefined || value === null) {
    return { groups: [], odd: isOverage(claims, claim) ? 'overage' : undefined };
  }
  if (typeof value === 'string') return { groups: value === '' ? [] : [value], odd: undefined };
  if (!Array.isArray(value)) return { groups: [], odd: 'unsupported' };
  const groups = value.filter((v): v is string => typeof v === 'string' && v !== '');
  return {
    groups: [...new Set(groups)],
    odd: groups.length === value.length ? undefined : 'not_strings',
  };
}

function lookUp(claims: Readonly<Record<string, unknown>>, claim: string): unknown {
  if (Object.hasOwn(claims, claim)) return claims[claim];
  if (!claim.includes('.')) return undefined;
  let value: unknown = claims;
  for (const part of claim.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Entra's groups overage: the claim is replaced by a pointer to a claim source. */
function isOverage(claims: Readonly<Record<string, unknown>>, claim: string): boolean {
  const names = claims['_claim_names'];
  return names !== null && typeof names === 'object' && Object.hasOwn(names, claim);
}
