import type { StoredKey } from './key-directory.js';

/** One stored entry that could not be read as a key, and why. */
export interface KeyProblem {
  /** The entry's name where it is kept (a file name). */
  readonly name: string;
  readonly error: Error;
}

/** What a listing found: the readable keys, and the entries that are not. */
export interface KeyListing {
  /** Ordered by kid. */
  readonly keys: StoredKey[];
  readonly problems: KeyProblem[];
}

/**
 * Where the signing keys are kept: DATA_DIR/keys (directory-key-repository.ts) or the
 * PostgreSQL table signing_keys (db/postgres/postgres-key-repository.ts). KeyStore reads it
 * in the background; the keys CLI writes it. Keys are written once and never edited, so an
 * adapter may cache what it has read.
 */
export interface KeyRepository {
  /** Where the keys are, for operator messages (a directory path). */
  readonly location: string;
  /** Every stored key; an unreadable entry is a problem, not a failed listing. */
  list(): Promise<KeyListing>;
  /** Stores a new key; a reader sees it whole or not at all. */
  add(key: StoredKey): Promise<void>;
  /** Deletes a key; an unknown kid is no error (another replica removed it first). */
  remove(kid: string): Promise<void>;
  /**
   * Runs `work` while no other `exclusive` work runs on the same keys, in this process or in
   * another replica, with the repository to use meanwhile. For decisions made from a listing
   * (generate the first key, rotate), so two replicas starting at once or two rotations at once
   * cannot each add a key.
   */
  exclusive<T>(work: (locked: KeyRepository) => Promise<T>): Promise<T>;
}
