import type { IdTokenClaims } from '../verify-id-token.js';
import type { VerifiedIdentity } from './verified-identity.js';

/**
 * The VerifiedIdentity of an Entra id_token whose signature, issuer, audience, nonce, `tid`
 * and `oid` are already checked (microsoft-kind.ts).
 */
export function microsoftIdentity(options: {
  provider: string;
  claims: IdTokenClaims;
  tenant: string;
  oid: string;
  rolesClaim: string | undefined;
}): VerifiedIdentity {
  const { claims } = options;
  const email = verifiedEmail(claims);
  return {
    provider: options.provider,
    issuer: claims.iss,
    // `oid` is the person's id in the tenant, the same for every application; `sub` is
    // per application, and a guest's `oid` differs per resource tenant, hence `tid:oid`.
    subject: `${options.tenant}:${options.oid}`,
    email,
    emailVerified: email !== null,
    name: typeof claims.name === 'string' ? claims.name : null,
    picture: null,
    domain: email?.slice(email.lastIndexOf('@') + 1),
    groups: stringsOf(options.rolesClaim === undefined ? undefined : claims[options.rolesClaim]),
  };
}

/**
 * Entra's `email` is the account's mail attribute, which tenant admins (and in some setups
 * the users) set to any address: Microsoft does not verify it, and relying parties that
 * trusted it let anyone with a tenant of their own sign in as someone else ("nOAuth", 2023).
 * So it is trusted only with the optional claim `xms_edov: true`, which Microsoft documents
 * for exactly this (the email's domain is verified as owned by the user's tenant), or an
 * explicit `email_verified: true`; otherwise there is no email. `preferred_username` and
 * `upn` are sign-in names, never an email for admission. Claims are only as good as the app
 * registration: it must not set `acceptMappedClaims`, which lets any tenant's admin map
 * claims of their choosing into its tokens (Microsoft warns against it for multi-tenant apps).
 */
function verifiedEmail(claims: IdTokenClaims): string | null {
  const vouched = claims.xms_edov === true || claims.email_verified === true;
  if (!vouched || typeof claims.email !== 'string') return null;
  const email = claims.email.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  return at > 0 && at < email.length - 1 ? email : null;
}

/** `groups` (object ids) and `roles` (app roles) are arrays of strings; anything else: none. */
function stringsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string');
}
