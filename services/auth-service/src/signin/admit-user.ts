import type { DirectoryEntry, Identity, UserDirectory } from '../users/user-directory.js';
import { SignInError } from './sign-in-error.js';

export interface AdmissionPolicy {
  allowedEmails: readonly string[];
  allowedDomains: readonly string[];
  /** Development: the refusal page says which rule refused, for the operator at the keyboard. */
  explainRefusals?: boolean;
}

/**
 * Decides whether a verified identity may sign in, and records the sign-in. Admitted: an email
 * in ALLOWED_EMAILS, an `hd` in ALLOWED_DOMAINS, or an entry an administrator registered
 * (claimed here by its first verified sign-in). Entries created by an allowlist are re-checked
 * against it at every sign-in, so removing someone from the list takes effect. Disabled users
 * are refused. An email already held by another entry is refused (`account_conflict`) rather
 * than silently moved: a new subject presenting a claimed email, or a known subject whose
 * email changed to one another entry holds.
 */
export async function admitUser(options: {
  directory: UserDirectory;
  policy: AdmissionPolicy;
  identity: Identity;
  hd: string | undefined;
  now: number;
}): Promise<DirectoryEntry> {
  const { directory, policy, identity, now } = options;
  const email = identity.email.toLowerCase();
  const allowlisted =
    policy.allowedEmails.includes(email) ||
    (options.hd !== undefined && policy.allowedDomains.includes(options.hd.toLowerCase()));

  let entry = await directory.findBySubject(identity.issuer, identity.subject);
  const byEmail = await directory.findByEmail(email);
  if (!entry) {
    if (byEmail && byEmail.subject !== null) throw accountConflict();
    entry = byEmail;
  } else if (byEmail && byEmail.id !== entry.id) {
    // A known person whose provider email changed to one another entry holds: moving it
    // would break the directory's one-entry-per-email rule (and the UNIQUE column).
    throw accountConflict();
  }
  if (entry?.disabled) {
    throw new SignInError(403, 'access_denied', 'disabled', 'this account is disabled');
  }
  if (!allowlisted && !entry?.registered) {
    const rule = refusalRule(policy, email, options.hd);
    const description = policy.explainRefusals
      ? `this account is not allowed to sign in here: ${rule}`
      : 'this account is not allowed to sign in here';
    throw new SignInError(403, 'access_denied', 'not_allowed', description, {
      audit: { email, hd: options.hd ?? null, rule },
    });
  }
  return entry ? directory.recordSignIn(entry.id, identity, now) : directory.create(identity, now);
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
function refusalRule(policy: AdmissionPolicy, email: string, hd: string | undefined): string {
  const domains = policy.allowedDomains;
  const emails = policy.allowedEmails;
  if (emails.length === 0 && domains.length === 0) {
    return 'ALLOWED_EMAILS and ALLOWED_DOMAINS are empty and the user is not registered';
  }
  const byDomain =
    domains.length === 0
      ? 'ALLOWED_DOMAINS is empty'
      : hd === undefined
        ? `the id_token has no hd (not a Workspace account), so ALLOWED_DOMAINS=${domains.join(',')} cannot admit it`
        : `hd ${hd} is not in ALLOWED_DOMAINS=${domains.join(',')}`;
  const byEmail =
    emails.length === 0 ? 'ALLOWED_EMAILS is empty' : `${email} is not in ALLOWED_EMAILS`;
  return `${byEmail}; ${byDomain}; not registered with npm run users`;
}
