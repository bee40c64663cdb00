import type { DirectoryEntry } from './user-directory.js';

/**
 * Where a directory entry stands, one answer for the users CLI and the admin list:
 * `disabled`; `not_signed_in` (registered by an administrator, no sign-in has claimed it yet);
 * otherwise `active`.
 */
export type UserStatus = 'active' | 'disabled' | 'not_signed_in';

export function userStatus(user: Pick<DirectoryEntry, 'disabled' | 'subject'>): UserStatus {
  if (user.disabled) return 'disabled';
  return user.subject === null ? 'not_signed_in' : 'active';
}

/** The words people read for each status (the CLI, the account page). */
export const USER_STATUS_TEXT: Readonly<Record<UserStatus, string>> = {
  active: 'active',
  disabled: 'disabled',
  not_signed_in: 'not signed in yet',
};
