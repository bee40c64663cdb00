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
 * only a live session is updated (an ended or expired one never comes back),
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

    it('when a session is created, then get returns an equal copy and update replaces it', () =>
      withStore(async (store) => {
        const data = { ...signedIn(), nested: { list: [1, 'two', null], flag: true } };
        await store.create('s1', data);
        expect(await store.get('s1')).toEqual(data);
        expect(await store.update('s1', signedIn({ n: 2 }))).toBe(true);
        expect(await store.get('s1')).toEqual(signedIn({ n: 2 }));
        expect(await store.get('unknown')).toBeUndefined();
        expect(await store.size()).toBe(1);
      }));

    it('when destroyed, then the session is gone and destroying again is harmless', () =>
      withStore(async (store) => {
        await store.create('s1', signedIn());
        await store.destroy('s1');
        await store.destroy('s1');
        expect(await store.get('s1')).toBeUndefined();
        expect(await store.size()).toBe(0);
      }));

    it.each([
      ['destroyed', (store: SessionStore) => store.destroy('s1')],
      ['ended by sid', (store: SessionStore) => store.endBySid('u1', 's')],
      ['ended with every session of its user', (store: SessionStore) => store.endAllOfUser('u1')],
    ])('when a session was %s, then saving its id again does not bring it back', (_, end) =>
      withStore(async (store) => {
        await store.create('s1', signedIn());
        await end(store);
        expect(await store.update('s1', signedIn({ revived: true }))).toBe(false);
        expect(await store.get('s1')).toBeUndefined();
        expect(await store.listOfUser('u1')).toEqual([]);
        expect(await store.size()).toBe(0);
      }),
    );

    it('when a session expired on read, then saving its id again does not bring it back', () =>
      withStore(async (store, advance) => {
        await store.create('s1', signedIn());
        advance(30 * MINUTE + 1);
        expect(await store.get('s1')).toBeUndefined();
        expect(await store.update('s1', signedIn({ revived: true }))).toBe(false);
        expect(await store.get('s1')).toBeUndefined();
      }));

    it('when a session expired but is not yet purged, then an update leaves it expired', () =>
      withStore(async (store, advance) => {
        await store.create('s1', signedIn());
        await store.create('p1', pending());
        advance(PENDING_SIGN_IN_TTL_MS + 1);
        expect(await store.update('p1', signedIn())).toBe(false);
        advance(30 * MINUTE);
        expect(await store.update('s1', signedIn({ n: 2 }))).toBe(false);
        expect(await store.get('s1')).toBeUndefined();
        expect(await store.get('p1')).toBeUndefined();
      }));

    it('when an id was never created, then an update stores nothing', () =>
      withStore(async (store) => {
        expect(await store.update('never', signedIn())).toBe(false);
        expect(await store.get('never')).toBeUndefined();
        expect(await store.size()).toBe(0);
      }));

    it('when used within the idle timeout, then it lives until the absolute lifetime', () =>
      withStore(async (store, advance) => {
        await store.create('s1', signedIn());
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
        await store.create('s1', signedIn());
        advance(30 * MINUTE + 1);
        expect(await store.get('s1')).toBeUndefined();
        expect(await store.size()).toBe(0);
      }));

    it('when saved again, then its creation time (absolute lifetime) is kept', () =>
      withStore(async (store, advance) => {
        await store.create('s1', signedIn({ n: 1 }));
        for (let i = 0; i < 4; i++) {
          advance(25 * MINUTE);
          await store.get('s1');
        }
        expect(await store.update('s1', signedIn({ n: 2 }))).toBe(true);
        advance(25 * MINUTE);
        expect(await store.get('s1')).toBeUndefined();
      }));

    it('when a pending sign-in outlives PENDING_SIGN_IN_TTL, then it is absent; a signed-in one lives', () =>
      withStore(async (store, advance) => {
        await store.create('p1', pending());
        await store.create('u1', signedIn());
        advance(5 * MINUTE);
        expect(await store.get('p1')).toEqual(pending());
        advance(PENDING_SIGN_IN_TTL_MS - 5 * MINUTE + 1000);
        expect(await store.get('p1')).toBeUndefined();
        expect(await store.get('u1')).toEqual(signedIn());
      }));

    it('when a pending sign-in becomes signed in, then it gets the signed-in lifetime', () =>
      withStore(async (store, advance) => {
        await store.create('s1', pending());
        advance(MINUTE);
        expect(await store.update('s1', { ...pending(), ...signedIn() })).toBe(true);
        advance(PENDING_SIGN_IN_TTL_MS);
        expect(await store.get('s1')).toEqual({ ...pending(), ...signedIn() });
      }));

    it('when purging, then exactly the idle, too old and stale pending sessions go', () =>
      withStore(async (store, advance) => {
        await store.create('old', signedIn());
        await store.create('stale-pending', pending());
        advance(20 * MINUTE);
        await store.create('fresh', signedIn());
        await store.create('fresh-pending', pending());
        expect(await store.purgeExpired()).toBe(1); // stale-pending
        advance(15 * MINUTE);
        expect(await store.purgeExpired()).toBe(2); // old (idle), fresh-pending
        expect(await store.size()).toBe(1);
        expect(await store.get('fresh')).toEqual(signedIn());
        expect(await store.purgeExpired()).toBe(0);
      }));

    it('when reads keep a session busy, then the idle timeout counts from the last read', () =>
      withStore(async (store, advance) => {
        await store.create('s1', signedIn());
        advance(20 * MINUTE);
        expect(await store.get('s1')).toEqual(signedIn());
        advance(20 * MINUTE); // 40 minutes after the set, 20 after the read
        expect(await store.purgeExpired()).toBe(0);
        expect(await store.get('s1')).toEqual(signedIn());
      }));
  });
}
