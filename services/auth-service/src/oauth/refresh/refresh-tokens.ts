import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { RequestSource } from '../../http/request-source.js';
import type { Client } from '../clients/client.js';
import type { AccessEnded } from '../revocation-feed/ended-access.js';
import { hashOpaqueToken, newOpaqueToken } from '../../tokens/opaque-token.js';
import type { RefreshFamily, RefreshTokenStore } from './refresh-token-store.js';

/**
 * How long after a rotation the old token still yields the same successor: two refreshes
 * racing on one token (a CLI and its retry) both succeed instead of revoking the family.
 */
export const ROTATION_GRACE_MS = 10_000;

/** Why a presented refresh token was refused; the grant maps every one to `invalid_grant`. */
export type RefreshRefusal =
  'unknown' | 'wrong_client' | 'revoked' | 'idle_expired' | 'absolute_expired' | 'reused';

export type RefreshOutcome =
  | { readonly ok: true; readonly token: string; readonly family: RefreshFamily }
  | { readonly ok: false; readonly reason: RefreshRefusal; readonly family?: RefreshFamily };

/**
 * Refresh tokens (RFC 6749 section 6, RFC 9700 section 4.14): opaque, stored as hashes,
 * bound to a client and a user, with the client's idle and absolute lifetimes, rotated on
 * every use. A successor is HMAC(family key, predecessor), so a racing duplicate within
 * ROTATION_GRACE_MS can be handed the very same successor without the store keeping any
 * token in the clear; presenting a rotated token later revokes the whole family.
 *
 * The caller's own checks (scope, the user's status) run through `admit`, after the token is
 * judged but before it is rotated: a request refused there leaves the presented token usable.
 *
 * A revoked family (reuse, or revocation) is told to `ended` by its id, the `sid` of its
 * access tokens, so the APIs refuse them too.
 *
 * @example
 * const refresh = createRefreshTokens({ store, now: Date.now, ended });
 * const first = await refresh.issue({ client, userId, scope, from });
 * const next = await refresh.rotate(first.token, client, from); // { ok: true, token, family }
 */
export function createRefreshTokens(options: {
  store: RefreshTokenStore;
  now: () => number;
  graceMs?: number;
  ended?: AccessEnded;
}) {
  const { store, now } = options;
  const ended = options.ended ?? (async () => {});
  const graceMs = options.graceMs ?? ROTATION_GRACE_MS;

  /** The one place a family is revoked: in the store, then in the revocation feed. */
  async function revokeFamily(familyId: string, reason: string, feedReason: string, at: number) {
    await store.revokeFamily(familyId, at, reason);
    await ended({ sid: familyId, reason: feedReason });
  }

  return {
    /**
     * Starts a family (one sign-in of `userId` through `client`, requested `from` there);
     * returns its first token.
     */
    async issue(grant: {
      client: Client;
      userId: string;
      scope: string;
      from: RequestSource;
    }): Promise<{
      token: string;
      family: RefreshFamily;
    }> {
      const token = newOpaqueToken();
      const createdAt = now();
      const family: RefreshFamily = {
        id: randomUUID(),
        clientId: grant.client.clientId,
        userId: grant.userId,
        scope: grant.scope,
        rotationKey: randomBytes(32).toString('base64url'),
        createdAt,
        revokedAt: null,
        lastUsedAt: createdAt,
        lastUsedFrom: grant.from,
      };
      await store.createFamily(family, hashOpaqueToken(token));
      return { token, family };
    },

    /**
     * Exchanges `presented` for its successor, or says why not (and revokes on reuse); the
     * family records the exchange as its last use, `from` where the request came.
     * `admit` sees the family of a token that may be exchanged and throws to refuse; it runs
     * before the rotation is written, so its refusal leaves `presented` as it was (a request
     * that loses a race runs it again, as the duplicate it has become).
     */
    async rotate(
      presented: string,
      client: Client,
      from: RequestSource,
      admit: (family: RefreshFamily) => void | Promise<void> = () => {},
    ): Promise<RefreshOutcome> {
      const hash = hashOpaqueToken(presented);
      let record = await store.find(hash);
      if (!record) return { ok: false, reason: 'unknown' };
      const { family } = record;
      if (family.clientId !== client.clientId) return { ok: false, reason: 'wrong_client' };
      if (family.revokedAt !== null) return { ok: false, reason: 'revoked', family };
      const at = now();
      if (at - family.createdAt > client.refreshAbsoluteTtl * 1000) {
        return { ok: false, reason: 'absolute_expired', family };
      }
      const successor = createHmac('sha256', family.rotationKey)
        .update(presented)
        .digest('base64url');
      if (record.rotatedAt === null) {
        if (at - record.issuedAt > client.refreshIdleTtl * 1000) {
          return { ok: false, reason: 'idle_expired', family };
        }
        await admit(family);
        if (await store.rotate(hash, hashOpaqueToken(successor), at, from)) {
          return { ok: true, token: successor, family };
        }
        record = (await store.find(hash))!; // lost a race: judged as a duplicate below
      }
      const next = await store.find(hashOpaqueToken(successor));
      if (at - record.rotatedAt! <= graceMs && next && next.rotatedAt === null) {
        await admit(family);
        return { ok: true, token: successor, family };
      }
      await revokeFamily(family.id, 'reuse', 'reuse', at);
      return { ok: false, reason: 'reused', family };
    },

    /**
     * Revokes a family (its user was disabled or removed, the client signed out, the user
     * revoked the grant) and tells the feed, as `feedReason` when the feed names it otherwise.
     */
    revokeFamily: (familyId: string, reason: string, feedReason: string = reason) =>
      revokeFamily(familyId, reason, feedReason, now()),

    /** The family `presented` belongs to (rotated or not), for revocation. */
    async find(presented: string): Promise<RefreshFamily | undefined> {
      return (await store.find(hashOpaqueToken(presented)))?.family;
    },

    /**
     * Whether `presented` could be exchanged now by `client` (its family's client), and until
     * when (ms): for introspection. A rotated token is no longer active, even in the grace
     * window that forgives a racing duplicate.
     */
    async inspect(
      presented: string,
      client: Client,
    ): Promise<
      { family: RefreshFamily; issuedAt: number; expiresAt: number; active: boolean } | undefined
    > {
      const record = await store.find(hashOpaqueToken(presented));
      if (!record || record.family.clientId !== client.clientId) return undefined;
      const { family, issuedAt } = record;
      const expiresAt = Math.min(
        issuedAt + client.refreshIdleTtl * 1000,
        family.createdAt + client.refreshAbsoluteTtl * 1000,
      );
      const active = family.revokedAt === null && record.rotatedAt === null && now() < expiresAt;
      return { family, issuedAt, expiresAt, active };
    },
  };
}

export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
