/** A person in the user directory, keyed by the provider's (issuer, subject). */
export interface User {
  /** Stable id, the access token's `sub`; never the email. */
  id: string;
  issuer: string;
  /** Null for a pre-registered entry nobody has claimed yet. */
  subject: string | null;
  email: string;
  name: string | null;
  picture: string | null;
  roles: string[];
  disabled: boolean;
  /** Milliseconds since the epoch. */
  createdAt: number;
  lastSignInAt: number | null;
}
