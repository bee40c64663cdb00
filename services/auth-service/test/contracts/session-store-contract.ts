import { describe, expect, it } from '@jest/globals';
import {
  PENDING_SIGN_IN_TTL_MS,
  type SessionLifetimes,
  type SessionStore,
} from '../../src/sessions/session-store.js';

const MINUTE = 60_000;
/** Idle 30 min, absolute 120 min: the touch interval is then one minute. */
export const CONTRACT_LIFETIMES: SessionLifetimes = {
  idleTimeoutMs: 30 * MINUTE,
  maxAgeMs: 120 * MINUTE,
};

/** Opens an empty session store with CONTRACT_LIFETIMES on the clock `now`. */
export type OpenSessionStore = (
  now: () => number,
) => Promise<{ store: SessionStore; close: () => Promise<void> }>;

const signedIn = (extra: Record<string, unknown> = {}) => ({ userId: 'u1', sid: 's', ...extra });
const pending = () => ({ returnTo: '/', grant: { state: 'x', nonce: 'y' } });

/**
 * What every SessionStore adapter promises (sessions/session-store.ts): data round-trips,
 * idle, absolute and pending lifetimes on the injected clock, reads count as use (within the
 * touch interval), creation time survives a save, purge and size agree. Run it from a
 * *.test.ts file with an opener taking the clock.
 */
export function sessionStoreContract(name: string, open: OpenSessionStore): void {
  describe(`SessionStore contract (${name})`, () => {
    const withStore = async (
      test: (store: SessionStore, advance: (ms: number) => void) => Promise<void>,
    ) => {
      let now = Date.UTC(2026, 0, 1);
      const { store, close } = await open(() => now);
      try {
        await test(store, (ms) => (now += ms));
      } finally {
        await close();
      }
    };

    it('when data is set, then get returns an equal copy and set replaces it', () =>
      withStore(async (store) => {
        const data = { ...signedIn(), nested: { list: [1, 'two', null], flag: true } };
        await store.set('s1', data);
        expect(await store.get('s1')).toEqual(data);
        await store.set('s1', signedIn({ n: 2 }));
        expect(await store.get('s1')).toEqual(signedIn({ n: 2 }));
        expect(await store.get('unknown')).toBeUndefined();
        expect(await store.size()).toBe(1);
      }));

    it('when destroyed, then the session is gone and destroying again is harmless', () =>
      withStore(async (store) => {
        await store.set('s1', signedIn());
        await store.destroy('s1');
        await store.destroy('s1');
        expect(await store.get('s1')).toBeUndefined();
        expect(await store.size()).toBe(0);
      }));

    it('when used within the idle timeout, then it lives until the absolute lifetime', () =>
      withStore(async (store, advance) => {
        await store.set('s1', signedIn());
        for (let i = 0; i < 4; i++) {
          advance(29 * MINUTE);
          expect(await store.get('s1')).toEqual(signedIn());
        }
        advance(5 * MINUTE); // 121 minutes after creation
        expect(await store.get('s1')).toBeUndefined();
        expect(await store.size()).toBe(0);
      }));

    it('when idle past the timeout, then it reads as absent and is deleted', () =>
      withStore(async (store, advance) => {
        await store.set('s1', signedIn());
        advance(30 * MINUTE + 1);
        expect(await store.get('s1')).toBeUndefined();
        expect(await store.size()).toBe(0);
      }));

    it('when saved again, then its creation time (absolute lifetime) is kept', () =>
      withStore(async (store, advance) => {
        await store.set('s1', signedIn({ n: 1 }));
        advance(100 * MINUTE);
        await store.set('s1', signedIn({ n: 2 }));
        advance(25 * MINUTE);
        expect(await store.get('s1')).toBeUndefined();
      }));

    it('when a pending sign-in outlives PENDING_SIGN_IN_TTL, then it is absent; a signed-in one lives', () =>
      withStore(async (store, advance) => {
        await store.set('p1', pending());
        await store.set('u1', signedIn());
        advance(5 * MINUTE);
        expect(await store.get('p1')).toEqual(pending());
        advance(PENDING_SIGN_IN_TTL_MS - 5 * MINUTE + 1000);
        expect(await store.get('p1')).toBeUndefined();
        expect(await store.get('u1')).toEqual(signedIn());
      }));

    it('when a pending sign-in becomes signed in, then it gets the signed-in lifetime', () =>
      withStore(async (store, advance) => {
        await store.set('s1', pending());
        advance(MINUTE);
        await store.set('s1', { ...pending(), ...signedIn() });
        advance(PENDING_SIGN_IN_TTL_MS);
        expect(await store.get('s1')).toEqual({ ...pending(), ...signedIn() });
      }));

    it('when purging, then exactly the idle, too old and stale pending sessions go', () =>
      withStore(async (store, advance) => {
        await store.set('old', signedIn());
        await store.set('stale-pending', pending());
        advance(20 * MINUTE);
        await store.set('fresh', signedIn());
        await store.set('fresh-pending', pending());
        expect(await store.purgeExpired()).toBe(1); // stale-pending
        advance(15 * MINUTE);
        expect(await store.purgeExpired()).toBe(2); // old (idle), fresh-pending
        expect(await store.size()).toBe(1);
        expect(await store.get('fresh')).toEqual(signedIn());
        expect(await store.purgeExpired()).toBe(0);
      }));

    it('when reads keep a session busy, then the idle timeout counts from the last read', () =>
      withStore(async (store, advance) => {
        await store.set('s1', signedIn());
        advance(20 * MINUTE);
        expect(await store.get('s1')).toEqual(signedIn());
        advance(20 * MINUTE); // 40 minutes after the set, 20 after the read
        expect(await store.purgeExpired()).toBe(0);
        expect(await store.get('s1')).toEqual(signedIn());
      }));
  });
}
