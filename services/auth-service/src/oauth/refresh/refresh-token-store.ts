import type { RequestSource } from '../../http/request-source.js';

/**
 * A refresh token family: one grant (a device login) and every token rotated from it. The
 * family carries the binding (client, user, scope) and the absolute lifetime; revocation
 * names it.
 */
export interface RefreshFamily {
  readonly id: string;
  readonly clientId: string;
  readonly userId: string;
  readonly scope: string;
  /** Secret per family: a successor is HMAC(rotationKey, predecessor), see rotate-refresh-token.ts. */
  readonly rotationKey: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  /** The last token request of the grant (its creation, then every refresh), and its source. */
  readonly lastUsedAt: number;
  readonly lastUsedFrom: RequestSource | null;
}

/** One issued refresh token, known only by its hash. */
export interface RefreshTokenRecord {
  readonly tokenHash: string;
  readonly issuedAt: number;
  /** When it was exchanged for its successor; null while it is the family's current token. */
  readonly rotatedAt: number | null;
  readonly successorHash: string | null;
  readonly family: RefreshFamily;
}

/**
 * Persistence of refresh tokens (one adapter per database,
 * db/sqlite/sqlite-refresh-token-store.ts). Rotation is conditional: of two requests racing
 * on one token exactly one rotates it.
 */
export interface RefreshTokenStore {
  createFamily(family: Omit<RefreshFamily, 'revokedAt'>, firstTokenHash: string): Promise<void>;
  find(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Marks `tokenHash` rotated, stores its successor and records the use (`at`, `from`) on the
   * family; false when it was already rotated.
   */
  rotate(
    tokenHash: string,
    successorHash: string,
    at: number,
    from: RequestSource,
  ): Promise<boolean>;
  /** Revokes every token of the family; `reason` is kept for the audit trail. */
  revokeFamily(familyId: string, at: number, reason: string): Promise<void>;
  /**
   * Deletes, with all their tokens, the families that ended at or before `endedBy`: revoked,
   * past their client's absolute lifetime, or whose current token went unused past the idle
   * lifetime. A live family keeps every rotated token, so presenting one is still reuse.
   * Returns how many families were deleted.
   */
  purgeEnded(endedBy: number): Promise<number>;
  /**
   * The user's live families at `at` (not revoked, within their client's absolute and idle
   * lifetimes), most recently used first: the account page's device grants.
   */
  listLiveOfUser(userId: string, at: number): Promise<RefreshFamily[]>;
  /** Revokes every live family of the user; returns the ids it revoked. */
  revokeAllOfUser(userId: string, at: number, reason: string): Promise<string[]>;
}
