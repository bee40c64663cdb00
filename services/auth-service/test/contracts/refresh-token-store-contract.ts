import { describe, expect, it } from '@jest/globals';
import type {
  RefreshFamily,
  RefreshTokenStore,
} from '../../src/oauth/refresh/refresh-token-store.js';
import type { OpenAdapter } from './open-adapter.js';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
/** The built-in CLI client every adapter's database holds: idle 14 days, absolute 30. */
const CLIENT = 'gatehouse-cli';

const FROM = { ip: '192.0.2.1', userAgent: 'contract test' };

const family = (id = 'f1', createdAt = T0): Omit<RefreshFamily, 'revokedAt'> => ({
  id,
  clientId: CLIENT,
  userId: 'u1',
  scope: 'api',
  rotationKey: `key-${id}`,
  createdAt,
  lastUsedAt: createdAt,
  lastUsedFrom: FROM,
});

/**
 * What every RefreshTokenStore adapter promises (refresh/refresh-token-store.ts): a token
 * found with its family, rotation exactly once, revocation of the whole family, and a purge
 * of exactly the ended families (revoked, past the client's absolute or idle lifetime) with
 * their tokens. The database must hold the built-in `gatehouse-cli` client. Run it from a
 * *.test.ts file.
 */
export function refreshTokenStoreContract(
  name: string,
  open: OpenAdapter<RefreshTokenStore>,
): void {
  describe(`RefreshTokenStore contract (${name})`, () => {
    const withStore = async (test: (store: RefreshTokenStore) => Promise<void>) => {
      const { store, close } = await open();
      try {
        await test(store);
      } finally {
        await close();
      }
    };

    it('when a family is created, then its first token is found with the family, current and live', () =>
      withStore(async (store) => {
        await store.createFamily(family(), 'h1');
        expect(await store.find('h1')).toEqual({
          tokenHash: 'h1',
          issuedAt: T0,
          rotatedAt: null,
          successorHash: null,
          family: { ...family(), revokedAt: null },
        });
        expect(await store.find('unknown')).toBeUndefined();
      }));

    it('when a token is rotated, then exactly once: the successor is current, the token marked', () =>
      withStore(async (store) => {
        await store.createFamily(family(), 'h1');
        const attempts = await Promise.all([
          store.rotate('h1', 'h2', T0 + 1_000, FROM),
          store.rotate('h1', 'h2-other', T0 + 1_001, FROM),
        ]);
        expect(attempts.sort()).toEqual([false, true]);
        const rotated = await store.find('h1');
        expect(rotated).toMatchObject({ rotatedAt: expect.any(Number) });
        const successor = await store.find(rotated!.successorHash!);
        expect(successor).toMatchObject({ rotatedAt: null, issuedAt: rotated!.rotatedAt });
        expect(successor!.family.id).toBe('f1');
        expect(successor!.family).toMatchObject({
          lastUsedAt: rotated!.rotatedAt,
          lastUsedFrom: FROM,
        });
        expect(await store.rotate('unknown', 'h3', T0, FROM)).toBe(false);
        expect(await store.find('h3')).toBeUndefined();
      }));

    it('when a family is revoked, then every token of it shows the revocation, once', () =>
      withStore(async (store) => {
        await store.createFamily(family(), 'h1');
        await store.createFamily(family('f2'), 'other');
        await store.rotate('h1', 'h2', T0 + 1_000, FROM);
        await store.revokeFamily('f1', T0 + 2_000, 'reuse');
        await store.revokeFamily('f1', T0 + 3_000, 'again');
        expect((await store.find('h1'))?.family.revokedAt).toBe(T0 + 2_000);
        expect((await store.find('h2'))?.family.revokedAt).toBe(T0 + 2_000);
        expect((await store.find('other'))?.family.revokedAt).toBeNull();
      }));

    it('when purging, then revoked families go with their tokens once revoked by then', () =>
      withStore(async (store) => {
        await store.createFamily(family(), 'h1');
        await store.rotate('h1', 'h2', T0 + 1_000, FROM);
        await store.revokeFamily('f1', T0 + 2_000, 'reuse');
        expect(await store.purgeEnded(T0 + 1_999)).toBe(0);
        expect(await store.purgeEnded(T0 + 2_000)).toBe(1);
        expect(await store.find('h1')).toBeUndefined();
        expect(await store.find('h2')).toBeUndefined();
      }));

    it('when purging, then a family past the absolute lifetime goes; a live one keeps its rotated tokens', () =>
      withStore(async (store) => {
        await store.createFamily(family('old'), 'o1');
        await store.createFamily(family('live', T0 + 10 * DAY), 'l1');
        // Both used daily, so neither is idle; `old` reaches 30 days first.
        for (let day = 1; day <= 30; day++) {
          const at = T0 + day * DAY;
          await store.rotate(day === 1 ? 'o1' : `o${day}`, `o${day + 1}`, at, FROM);
          if (at > T0 + 10 * DAY) {
            await store.rotate(`l${day - 10}`, `l${day - 9}`, at, FROM);
          }
        }
        expect(await store.purgeEnded(T0 + 30 * DAY - 1)).toBe(0);
        expect(await store.purgeEnded(T0 + 30 * DAY)).toBe(1);
        expect(await store.find('o5')).toBeUndefined();
        expect((await store.find('l1'))?.rotatedAt).not.toBeNull();
      }));

    it('when purging, then a family whose current token went unused past the idle lifetime goes', () =>
      withStore(async (store) => {
        await store.createFamily(family('idle'), 'i1');
        await store.createFamily(family('used'), 'u1');
        await store.rotate('u1', 'u2', T0 + 10 * DAY, FROM);
        expect(await store.purgeEnded(T0 + 14 * DAY - 1)).toBe(0);
        expect(await store.purgeEnded(T0 + 14 * DAY)).toBe(1);
        expect(await store.find('i1')).toBeUndefined();
        expect(await store.find('u2')).toBeDefined();
        expect(await store.find('u1')).toBeDefined();
      }));
  });
}
