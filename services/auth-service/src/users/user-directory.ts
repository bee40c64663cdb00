import type { User } from './user.js';

/** What the provider says about a person at sign-in, after the id_token was verified. */
export interface Identity {
  issuer: string;
  subject: string;
  email: string;
  name: string | null;
  picture: string | null;
}

/** A directory entry plus whether an administrator registered it (admitted without allowlist). */
export interface DirectoryEntry extends User {
  registered: boolean;
}

/**
 * The user directory: one entry per person, emails compared lower-cased (normalizeEmail).
 * Methods keyed by email serve the users CLI; sign-in works by (issuer, subject). One adapter
 * per database (db/sqlite/sqlite-user-directory.ts); every adapter passes
 * test/contracts/user-directory-contract.ts.
 */
export interface UserDirectory {
  findById(id: string): Promise<DirectoryEntry | undefined>;
  /** By email, compared normalised (trimmed, lower-cased). */
  findByEmail(email: string): Promise<DirectoryEntry | undefined>;
  findBySubject(issuer: string, subject: string): Promise<DirectoryEntry | undefined>;
  /** Every entry, ordered by email. */
  list(): Promise<DirectoryEntry[]>;
  /**
   * Adds an entry an administrator vouches for (`registered`, not signed in yet: issuer '',
   * subject null), claimed later by a verified sign-in. For an email already present it marks
   * that entry registered and adds `roles` to its roles. Roles are kept sorted, without
   * duplicates.
   */
  preRegister(email: string, roles: readonly string[], now: number): Promise<DirectoryEntry>;
  /** Creates the entry, without roles, for someone admitted by an allowlist at first sign-in. */
  create(identity: Identity, now: number): Promise<DirectoryEntry>;
  /** Records a sign-in: claims a pre-registered entry and refreshes the profile. */
  recordSignIn(id: string, identity: Identity, now: number): Promise<DirectoryEntry>;
  /** Replaces the roles (stored sorted, without duplicates). */
  setRoles(id: string, roles: readonly string[]): Promise<void>;
  setDisabled(id: string, disabled: boolean): Promise<void>;
  /** Deletes the entry; an unknown id is no error. */
  remove(id: string): Promise<void>;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
