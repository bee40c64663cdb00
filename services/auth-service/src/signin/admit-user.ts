import type { DirectoryEntry, Identity, UserDirectory } from '../users/user-directory.js';
import { SignInError } from './sign-in-error.js';

export interface AdmissionPolicy {
  allowedEmails: readonly string[];
  allowedDomains: readonly string[];
}

/**
 * Decides whether a verified identity may sign in, and records the sign-in. Admitted: an email
 * in ALLOWED_EMAILS, an `hd` in ALLOWED_DOMAINS, or an entry an administrator registered
 * (claimed here by its first verified sign-in). Entries created by an allowlist are re-checked
 * against it at every sign-in, so removing someone from the list takes effect. Disabled users
 * are refused. An email already claimed by another (issuer, subject) is refused rather than
 * silently moved to a new account.
 */
export function admitUser(options: {
  directory: UserDirectory;
  policy: AdmissionPolicy;
  identity: Identity;
  hd: string | undefined;
  now: number;
}): DirectoryEntry {
  const { directory, policy, identity, now } = options;
  const email = identity.email.toLowerCase();
  const allowlisted =
    policy.allowedEmails.includes(email) ||
    (options.hd !== undefined && policy.allowedDomains.includes(options.hd.toLowerCase()));

  let entry = directory.findBySubject(identity.issuer, identity.subject);
  if (!entry) {
    const byEmail = directory.findByEmail(email);
    if (byEmail && byEmail.subject !== null) {
      throw new SignInError(
        403,
        'access_denied',
        'account_conflict',
        'this email belongs to another account in the directory',
      );
    }
    entry = byEmail;
  }
  if (entry?.disabled) {
    throw new SignInError(403, 'access_denied', 'disabled', 'this account is disabled');
  }
  if (!allowlisted && !entry?.registered) {
    throw new SignInError(
      403,
      'access_denied',
      'not_allowed',
      'this account is not allowed to sign in here',
    );
  }
  return entry ? directory.recordSignIn(entry.id, identity, now) : directory.create(identity, now);
}
