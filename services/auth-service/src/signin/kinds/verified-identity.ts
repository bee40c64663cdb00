/** The kinds of identity provider (`<ID>_KIND`). */
export const PROVIDER_KINDS = ['google', 'microsoft', 'github', 'oidc'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/**
 * What one provider vouched for at sign-in, after every check of its kind passed (signature,
 * issuer, audience, nonce for OpenID kinds; the REST answers for GitHub). Kinds never decide
 * admission: admit-user.ts does, from this.
 */
export interface VerifiedIdentity {
  /** The provider id from PROVIDERS (`google`, `okta`, ...). */
  provider: string;
  /** Who vouched: the id_token's `iss` (Entra: the tenant's issuer), GitHub's web origin. */
  issuer: string;
  /**
   * Stable for the person at this provider and never reassigned: OpenID `sub` (Entra: `oid`
   * within `tid`, written `tid:oid`), GitHub's numeric user id (never the login, which can
   * be renamed and taken by someone else).
   */
  subject: string;
  /** Lower-cased; null when the provider gave none. */
  email: string | null;
  /**
   * True only when the provider itself vouches that the person controls `email` (see each
   * kind for the claim it trusts). Admission by email and linking by email require it.
   */
  emailVerified: boolean;
  name: string | null;
  picture: string | null;
  /**
   * What ALLOWED_DOMAINS / `<ID>_ALLOWED_DOMAINS` match: Google's `hd` (a Workspace domain,
   * never a gmail address's domain); for other kinds the domain of a verified email.
   */
  domain: string | undefined;
  /**
   * Group-like facts the role map reads (`<ID>_ROLE_MAP`): the values of `<ID>_ROLES_CLAIM`
   * (OpenID kinds), GitHub `org` and `org/team` slugs, Google Workspace group emails.
   */
  groups: string[];
}
