/**
 * A person in the user directory. Sign-in finds them by a linked identity (provider, subject);
 * `issuer`/`subject` are the identity of the latest sign-in (kept for status and listings).
 */
export interface User {
  /** Stable id, the access token's `sub`; never the email. */
  id: string;
  issuer: string;
  /** Null for a pre-registered entry nobody has claimed yet. */
  subject: string | null;
  email: string;
  name: string | null;
  picture: string | null;
  /**
   * Effective roles, what tokens carry: the directory roles (set by administrators) and every
   * linked identity's mapped roles, sorted, without duplicates.
   */
  roles: string[];
  /** The roles administrators set (users CLI, account page); what setRoles replaces. */
  directoryRoles: string[];
  disabled: boolean;
  /** Milliseconds since the epoch. */
  createdAt: number;
  lastSignInAt: number | null;
}
