import type { DirectoryEntry, LinkedIdentity, UserDirectory } from '../users/user-directory.js';
import { USER_STATUS_TEXT, userStatus } from '../users/user-status.js';

/**
 * One user on one line, as `npm run users -- list` prints them:
 * `ada@example.com  roles=admin  providers=google,github  active  last sign-in 2026-...`.
 * `roles` are the directory roles (what grant and revoke change); `mapped` appears when an
 * identity's provider facts add others, which only the provider's answer takes away.
 */
export async function describeUser(
  directory: Pick<UserDirectory, 'identities'>,
  user: DirectoryEntry,
): Promise<string> {
  const identities = await directory.identities(user.id);
  const mapped = user.roles.filter((role) => !user.directoryRoles.includes(role));
  const providers = [...new Set(identities.map((identity) => identity.provider))];
  return [
    user.email,
    `roles=${list(user.directoryRoles)}`,
    ...(mapped.length > 0 ? [`mapped=${list(mapped)}`] : []),
    `providers=${list(providers)}`,
    USER_STATUS_TEXT[userStatus(user)],
    `last sign-in ${when(user.lastSignInAt)}`,
  ].join('  ');
}

/**
 * `npm run users -- show EMAIL`'s lines after the user's own: each linked identity, oldest
 * link first, with its subject, email, mapped roles and dates.
 */
export function describeIdentities(identities: readonly LinkedIdentity[]): string[] {
  if (identities.length === 0) return ['  no linked identity: nobody has signed in as this user'];
  return identities.map((identity) =>
    [
      `  ${identity.provider}`,
      `subject=${identity.subject}`,
      `email=${identity.email ?? '-'}`,
      `mapped=${list(identity.mappedRoles)}`,
      `linked ${when(identity.linkedAt)}`,
      `last sign-in ${when(identity.lastSignInAt)}`,
    ].join('  '),
  );
}

function list(values: readonly string[]): string {
  return values.length > 0 ? values.join(',') : '-';
}

function when(at: number | null): string {
  return at === null ? 'never' : new Date(at).toISOString();
}
