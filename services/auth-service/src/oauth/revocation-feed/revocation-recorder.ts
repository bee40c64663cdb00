/**
 * One revocation: every access token naming `sid`, `sub` or `jti` (whichever is set) and
 * issued at or before `at` is refused from now on. Times in ms since the epoch.
 */
export interface RevocationEntry {
  readonly sid?: string;
  readonly sub?: string;
  readonly jti?: string;
  readonly at: number;
  /** After this no token the entry names is alive: the entry may be forgotten. */
  readonly expiresAt: number;
  /** For the audit trail, e.g. `revoked_by_client`, `client_removed`. */
  readonly reason: string;
}

/** What a token is judged by: the claims an entry can name, and when it was issued (s). */
export interface RevocableClaims {
  readonly sub: string;
  readonly jti: string;
  readonly iat: number;
  readonly sid?: string;
}

/**
 * Where access token revocations go: the revocation feed publishes them to every verifier
 * (the `revocation` branch builds that store); introspection asks it too.
 */
export interface RevocationRecorder {
  record(entry: RevocationEntry): Promise<void>;
  isRevoked(claims: RevocableClaims): Promise<boolean>;
}

/**
 * A recorder in this process's memory, until the revocation feed's store is wired in: enough
 * for introspection on one replica, not seen by the APIs. Entries are dropped once expired.
 *
 * @example
 * const revocations = createMemoryRevocations(Date.now);
 * await revocations.record({ jti, at: Date.now(), expiresAt: (exp + 60) * 1000, reason: 'revoked_by_client' });
 */
export function createMemoryRevocations(now: () => number): RevocationRecorder {
  let entries: RevocationEntry[] = [];
  return {
    async record(entry) {
      const at = now();
      entries = entries.filter((e) => e.expiresAt > at);
      entries.push(entry);
    },
    async isRevoked(claims) {
      return entries.some(
        (e) =>
          claims.iat * 1000 <= e.at &&
          ((e.jti !== undefined && e.jti === claims.jti) ||
            (e.sid !== undefined && e.sid === claims.sid) ||
            (e.sub !== undefined && e.sub === claims.sub)),
      );
    },
  };
}
