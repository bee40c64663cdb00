import type { User } from './user.js';

/** What a provider says about a person at sign-in, after its checks passed. */
export interface Identity {
  /** The provider id from PROVIDERS (`google` for every identity older than PROVIDERS). */
  provider: string;
  issuer: string;
  subject: string;
  /**
   * A verified email (lower-cased), or null when the provider vouched for none: the entry's
   * email is replaced only by a verified one.
   */
  email: string | null;
  name: string | null;
  picture: string | null;
}

/** A directory entry plus whether an administrator registered it (admitted without allowlist). */
export interface DirectoryEntry extends User {
  registered: boolean;
}

/** One (provider, subject) linked to a user; a person may have several. */
export interface LinkedIdentity {
  provider: string;
  issuer: string;
  subject: string;
  /** The email the provider gave at the last sign-in with it (lower-cased), or null. */
  email: string | null;
  /** Roles the provider's facts mapped to at the last sign-in or refresh (role-map.ts). */
  mappedRoles: string[];
  /** Milliseconds since the epoch. */
  linkedAt: number;
  lastSignInAt: number | null;
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
  /** The user an identity is linked to. */
  findByIdentity(provider: string, subject: string): Promise<DirectoryEntry | undefined>;
  /** The user's identities, oldest link first. */
  identities(userId: string): Promise<LinkedIdentity[]>;
  /** Every entry, ordered by email. */
  list(): Promise<DirectoryEntry[]>;
  /**
   * Adds an entry an administrator vouches for (`registered`, not signed in yet: issuer '',
   * subject null), claimed later by a verified sign-in. For an email already present it marks
   * that entry registered and adds `roles` to its roles. Roles are kept sorted, without
   * duplicates.
   */
  preRegister(email: string, roles: readonly string[], now: number): Promise<DirectoryEntry>;
  /**
   * Creates the entry, without directory roles, for someone admitted by an allowlist at first
   * sign-in, with `identity` linked to it.
   */
  create(identity: Identity, now: number): Promise<DirectoryEntry>;
  /**
   * Records a sign-in with `identity`: links it to entry `id` when not linked yet (claiming a
   * pre-registered entry), refreshes the profile and the identity's email and last sign-in.
   * Throws IdentityTakenError when the identity is linked to another entry.
   */
  recordSignIn(id: string, identity: Identity, now: number): Promise<DirectoryEntry>;
  /**
   * Links `identity` to entry `id` (the account page's "link another provider"): `linked`,
   * `already` when it is this entry's, `taken` when another entry holds it (nothing changes).
   */
  link(id: string, identity: Identity, now: number): Promise<'linked' | 'already' | 'taken'>;
  /**
   * Unlinks one identity from entry `id`: `unlinked`, `last` when it is the entry's only
   * identity (kept: a user must keep a way to sign in), `unknown` when not linked to `id`.
   */
  unlink(id: string, provider: string, subject: string): Promise<'unlinked' | 'last' | 'unknown'>;
  /** Replaces what an identity's provider facts map to (sorted, without duplicates). */
  setMappedRoles(provider: string, subject: string, roles: readonly string[]): Promise<void>;
  /**
   * The identity's provider credential as stored: sealed (signin/roles/credential-seal.ts),
   * never the plain token; null when it has none or is not linked.
   */
  providerCredential(provider: string, subject: string): Promise<string | null>;
  /**
   * Replaces the identity's sealed provider credential (null clears it). With `expected`, only
   * while the stored one is still `expected` (compare-and-set), so a refresh that read an older
   * credential never overwrites one stored meanwhile. True when the row was changed.
   */
  setProviderCredential(
    provider: string,
    subject: string,
    sealed: string | null,
    expected?: string | null,
  ): Promise<boolean>;
  /** Replaces the directory roles (stored sorted, without duplicates); mapped roles stay. */
  setRoles(id: string, roles: readonly string[]): Promise<void>;
  setDisabled(id: string, disabled: boolean): Promise<void>;
  /** Deletes the entry; an unknown id is no error. */
  remove(id: string): Promise<void>;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
