import { afterEach, describe, expect, it } from '@jest/globals';
import type { SessionStore } from '../../src/sessions/session-store.js';
import type { OpenAdapter } from './open-adapter.js';

/** The lifetimes every adapter is opened with. */
export const LISTING_LIFETIMES = { idleTimeoutMs: 30 * 60_000, maxAgeMs: 120 * 60_000 };
const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 1);

const session = (userId: string, sid: string, ip = '192.0.2.1', userAgent = 'Firefox') => ({
  userId,
  sid,
  signedInAt: START,
  from: { ip, userAgent },
});

/**
 * What every SessionStore adapter promises for the account page (sessions/session-store.ts):
 * a user's signed-in sessions listed by `sid` with times and source, and ended by `sid` or
 * all at once, never another user's. `open` gets the store's clock. Run it from a *.test.ts
 * file with the adapter's opener.
 */
export function sessionListingContract(
  name: string,
  open: (now: () => number) => ReturnType<OpenAdapter<SessionStore>>,
): void {
  describe(`SessionStore listing contract (${name})`, () => {
    let close: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await close?.();
      close = undefined;
    });
    async function storeAt() {
      let now = START;
      const opened = await open(() => now);
      close = opened.close;
      return { store: opened.store, advance: (ms: number) => (now += ms) };
    }

    it("when a user has sessions, then listOfUser gives theirs (sid, times, source), newest first, and no one else's", async () => {
      const { store, advance } = await storeAt();
      await store.create('cookie-1', session('ada', 'sid-1', '198.51.100.1', 'Laptop'));
      advance(MINUTE);
      await store.create('cookie-2', session('ada', 'sid-2', '198.51.100.2', 'Phone'));
      await store.create('cookie-3', session('bob', 'sid-3'));
      await store.create('pending', { returnTo: '/' });
      expect(await store.listOfUser('ada')).toEqual([
        {
          sid: 'sid-2',
          createdAt: START + MINUTE,
          lastUsedAt: START + MINUTE,
          ip: '198.51.100.2',
          userAgent: 'Phone',
        },
        {
          sid: 'sid-1',
          createdAt: START,
          lastUsedAt: START,
          ip: '198.51.100.1',
          userAgent: 'Laptop',
        },
      ]);
      expect((await store.listOfUser('bob')).map((s) => s.sid)).toEqual(['sid-3']);
      expect(await store.listOfUser('nobody')).toEqual([]);
    });

    it('when a session is used, then its last use moves; when it has gone idle, then it is not listed', async () => {
      const { store, advance } = await storeAt();
      await store.create('cookie-1', session('ada', 'sid-1'));
      await store.create('cookie-2', session('ada', 'sid-2'));
      advance(20 * MINUTE);
      await store.get('cookie-1');
      advance(15 * MINUTE); // sid-2 is now 35 minutes idle
      const listed = await store.listOfUser('ada');
      expect(listed).toEqual([
        expect.objectContaining({ sid: 'sid-1', lastUsedAt: START + 20 * MINUTE }),
      ]);
    });

    it("when a session is ended by sid, then only that user's session by that sid ends", async () => {
      const { store } = await storeAt();
      await store.create('cookie-1', session('ada', 'sid-1'));
      await store.create('cookie-2', session('bob', 'sid-2'));
      expect(await store.endBySid('ada', 'sid-2')).toBe(false);
      expect(await store.get('cookie-2')).toBeDefined();
      expect(await store.endBySid('ada', 'sid-1')).toBe(true);
      expect(await store.get('cookie-1')).toBeUndefined();
      expect(await store.endBySid('ada', 'sid-1')).toBe(false);
    });

    it("when all of a user's sessions end, then every one of theirs is gone and others' live", async () => {
      const { store } = await storeAt();
      await store.create('cookie-1', session('ada', 'sid-1'));
      await store.create('cookie-2', session('ada', 'sid-2'));
      await store.create('cookie-3', session('bob', 'sid-3'));
      expect(await store.endAllOfUser('ada')).toBe(2);
      expect(await store.listOfUser('ada')).toEqual([]);
      expect(await store.get('cookie-3')).toBeDefined();
    });
  });
}
