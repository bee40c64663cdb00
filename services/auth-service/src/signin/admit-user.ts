import { IdentityTakenError } from '../users/identity-taken-error.js';
import type { DirectoryEntry, UserDirectory } from '../users/user-directory.js';
import { directoryIdentity, identityTaken } from './directory-identity.js';
import type { VerifiedIdentity } from './kinds/verified-identity.js';
import { SignInError } from './sign-in-error.js';

export interface AdmissionPolicy {
  allowedEmails: readonly string[];
  allowedDomains: readonly string[];
  /** Development: the refusal page says which rule refused, for the operator at the keyboard. */
  explainRefusals?: boolean;
}

/**
 * Decides whether a verified identity may sign in, and records the sign-in.
 * - An identity already linked to an entry signs in as that entry (no email needed: the link
 *   was made by a verified sign-in or by the signed-in user). A verified email it brings
 *   refreshes the entry's, unless another entry holds that email (`account_conflict`); without
 *   one, the allowlists judge the entry's email and its domain.
 * - A new identity needs a verified email (`email_not_verified`). Its email may claim an entry
 *   an administrator registered and nobody claimed yet. An entry some identity already claimed
 *   is never joined because the emails match (`account_conflict`): another provider asserting
 *   the same address may be an attacker's; only with LINK_BY_VERIFIED_EMAIL (`linkByEmail`)
 *   is it linked, both emails being verified (the directory keeps verified emails only).
 * - Admitted: an email in ALLOWED_EMAILS or the provider's `<ID>_ALLOWED_EMAILS`, a domain
 *   (Google's `hd`, else a verified email's) in ALLOWED_DOMAINS or `<ID>_ALLOWED_DOMAINS`, or
 *   an entry an administrator registered. Entries created by an allowlist are re-checked at
 *   every sign-in, so removing someone from the list takes effect. Disabled users are refused.
 */
export async function admitUser(options: {
  directory: UserDirectory;
  policy: AdmissionPolicy;
  /** The provider's own allowlists, on top of the policy's. */
  provider: { allowedEmails: readonly string[]; allowedDomains: readonly string[] };
  identity: VerifiedIdentity;
  linkByEmail: boolean;
  now: number;
}): Promise<DirectoryEntry> {
  const { directory, identity, now } = options;
  const record = directoryIdentity(identity);
  const verifiedEmail = record.email;
  let entry = await directory.findByIdentity(identity.provider, identity.subject);
  const byEmail = verifiedEmail === null ? undefined : await directory.findByEmail(verifiedEmail);
  if (entry) {
    // A known person whose provider email changed to one another entry holds: moving it
    // would break the directory's one-entry-per-email rule (and the UNIQUE column).
    if (byEmail && byEmail.id !== entry.id) throw accountConflict();
  } else {
    if (verifiedEmail === null) {
      throw new SignInError(
        403,
        'access_denied',
        'email_not_verified',
        'the provider has not verified this email address',
        { audit: { email: identity.email } },
      );
    }
    if (byEmail && byEmail.subject !== null && !options.linkByEmail) throw accountConflict();
    entry = byEmail;
  }
  if (entry?.disabled) {
    throw new SignInError(403, 'access_denied', 'disabled', 'this account is disabled');
  }
  const email = verifiedEmail ?? entry!.email;
  const emails = [...options.policy.allowedEmails, ...options.provider.allowedEmails];
  const domains = [...options.policy.allowedDomains, ...options.provider.allowedDomains];
  // A linked identity without a verified email of its own (an Entra account without
  // xms_edov, say) is judged by the entry's email, which a provider verified when stored.
  const domain =
    verifiedEmail === null
      ? email.slice(email.lastIndexOf('@') + 1)
      : identity.domain?.toLowerCase();
  const allowlisted = emails.includes(email) || (domain !== undefined && domains.includes(domain));
  if (!allowlisted && !entry?.registered) {
    const rule = refusalRule({ emails, domains }, identity.provider, email, domain);
    const description = options.policy.explainRefusals
      ? `this account is not allowed to sign in here: ${rule}`
      : 'this account is not allowed to sign in here';
    throw new SignInError(403, 'access_denied', 'not_allowed', description, {
      audit: { email, hd: domain ?? null, rule },
    });
  }
  try {
    return entry
      ? await directory.recordSignIn(entry.id, record, now)
      : await directory.create(record, now);
  } catch (err) {
    // Another replica linked this identity to someone else between our read and this write.
    if (err instanceof IdentityTakenError) throw identityTaken(err);
    throw err;
  }
}

function accountConflict(): SignInError {
  return new SignInError(
    403,
    'access_denied',
    'account_conflict',
    'this email belongs to another account in the directory',
  );
}

/** Which allowlist rule refused, in the operator's variable names. */
function refusalRule(
  lists: { emails: readonly string[]; domains: readonly string[] },
  provider: string,
  email: string,
  domain: string | undefined,
): string {
  const { emails, domains } = lists;
  if (emails.length === 0 && domains.length === 0) {
    return 'ALLOWED_EMAILS and ALLOWED_DOMAINS are empty and the user is not registered';
  }
  const byDomain =
    domains.length === 0
      ? 'ALLOWED_DOMAINS is empty'
      : domain === undefined
        ? provider === 'google'
          ? `the id_token has no hd (not a Workspace account), so ALLOWED_DOMAINS=${domains.join(',')} cannot admit it`
          : `no verified email domain, so ALLOWED_DOMAINS=${domains.join(',')} cannot admit it`
        : `${provider === 'google' ? 'hd' : 'domain'} ${domain} is not in ALLOWED_DOMAINS=${domains.join(',')}`;
  const byEmail =
    emails.length === 0 ? 'ALLOWED_EMAILS is empty' : `${email} is not in ALLOWED_EMAILS`;
  return `${byEmail}; ${byDomain}; not registered with npm run users`;
}
