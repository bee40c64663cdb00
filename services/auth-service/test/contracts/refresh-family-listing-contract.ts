import { afterEach, describe, expect, it } from '@jest/globals';
import type {
  RefreshFamily,
  RefreshTokenStore,
} from '../../src/oauth/refresh/refresh-token-store.js';
import type { OpenAdapter } from './open-adapter.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);
/** gatehouse-cli, seeded by the migrations: 14 days idle, 30 days absolute. */
const CLI = 'gatehouse-cli';

function family(id: string, userId = 'ada', createdAt = START): Omit<RefreshFamily, 'revokedAt'> {
  return {
    id,
    clientId: CLI,
    userId,
    scope: 'api',
    rotationKey: `key-${id}`,
    createdAt,
    lastUsedAt: createdAt,
    lastUsedFrom: { ip: '198.51.100.1', userAgent: 'gatehouse/1' },
  };
}

/**
 * What every RefreshTokenStore adapter promises for the account page
 * (refresh/refresh-token-store.ts): a family's last use and its source, recorded at creation
 * and rotation; a user's live families listed and revoked all at once, no one else's. Run it
 * from a *.test.ts file with the adapter's opener.
 */
export function refreshFamilyListingContract(
  name: string,
  open: OpenAdapter<RefreshTokenStore>,
): void {
  describe(`RefreshTokenStore listing contract (${name})`, () => {
    let close: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await close?.();
      close = undefined;
    });
    const fresh = async () => {
      const opened = await open();
      close = opened.close;
      return opened.store;
    };
    it('when a family is created, then it is listed with its creation as last use and its source', async () => {
      const store = await fresh();
      await store.createFamily(family('f1'), 'h1');
      expect(await store.listLiveOfUser('ada', START + 1)).toEqual([
        { ...family('f1'), revokedAt: null },
      ]);
      expect(await store.find('h1')).toMatchObject({ family: { lastUsedAt: START } });
    });

    it('when a token is rotated, then the family records that use and its source', async () => {
      const store = await fresh();
      await store.createFamily(family('f1'), 'h1');
      const from = { ip: '203.0.113.5', userAgent: null };
      expect(await store.rotate('h1', 'h2', START + DAY, from)).toBe(true);
      expect((await store.find('h2'))?.family).toMatchObject({
        lastUsedAt: START + DAY,
        lastUsedFrom: from,
      });
      // A lost race records nothing.
      expect(await store.rotate('h1', 'h3', START + 2 * DAY, { ip: 'x', userAgent: 'y' })).toBe(
        false,
      );
      expect((await store.find('h2'))?.family.lastUsedAt).toBe(START + DAY);
    });

    it('when families are revoked, idle, too old or of another user, then they are not listed', async () => {
      const store = await fresh();
      await store.createFamily(family('live', 'ada', START + 20 * DAY), 'h-live');
      await store.createFamily(family('used', 'ada', START + 10 * DAY), 'h-used');
      await store.rotate('h-used', 'h-used-2', START + 21 * DAY, { ip: '1', userAgent: null });
      await store.createFamily(family('revoked', 'ada', START + 20 * DAY), 'h-revoked');
      await store.revokeFamily('revoked', START + 20 * DAY, 'test');
      await store.createFamily(family('idle', 'ada', START + 5 * DAY), 'h-idle'); // unused 17 days
      await store.createFamily(family('old', 'ada', START), 'h-old');
      await store.rotate('h-old', 'h-old-2', START + 20 * DAY, { ip: '1', userAgent: null }); // 31 days old
      await store.createFamily(family('bob', 'bob', START + 20 * DAY), 'h-bob');
      // Most recently used first; "old" is 22 days old here and past 30 days below.
      expect((await store.listLiveOfUser('ada', START + 22 * DAY)).map((f) => f.id)).toEqual([
        'used',
        'live',
        'old',
      ]);
      expect((await store.listLiveOfUser('ada', START + 31 * DAY)).map((f) => f.id)).toEqual([
        'used',
        'live',
      ]);
    });

    it("when all of a user's families are revoked, then only their live ones are, and they say which", async () => {
      const store = await fresh();
      await store.createFamily(family('a1'), 'h1');
      await store.createFamily(family('a2'), 'h2');
      await store.createFamily(family('b1', 'bob'), 'h3');
      await store.revokeFamily('a2', START, 'earlier');
      expect(await store.revokeAllOfUser('ada', START + 1, 'user_disabled')).toEqual(['a1']);
      expect((await store.find('h1'))?.family.revokedAt).toBe(START + 1);
      expect((await store.find('h2'))?.family.revokedAt).toBe(START);
      expect((await store.find('h3'))?.family.revokedAt).toBeNull();
    });
  });
}
