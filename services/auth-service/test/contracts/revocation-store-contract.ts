import { describe, expect, it } from '@jest/globals';
import type { RevocationEntry } from '../../src/oauth/revocation-feed/revocation-recorder.js';
import type { RevocationStore } from '../../src/oauth/revocation-feed/revocation-store.js';
import type { OpenAdapter } from './open-adapter.js';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
/** Claims of a token issued at `issuedMs` (iat has whole seconds). */
const claims = (issuedMs: number, extra: { sub?: string; sid?: string; jti?: string } = {}) => ({
  sub: 'u1',
  jti: 'j1',
  sid: 's1',
  ...extra,
  iat: Math.floor(issuedMs / 1000),
});
const entry = (fields: Partial<RevocationEntry>): RevocationEntry => ({
  at: T0,
  expiresAt: T0 + 11 * MINUTE,
  reason: 'test',
  ...fields,
});

/**
 * What every RevocationStore adapter promises (revocation/revocation-store.ts): an entry
 * refuses exactly the tokens it names issued at or before its time; the feed returns every
 * entry once, in id order, page by page, with a cursor that survives purges; the purge drops
 * exactly the expired entries. Run it from a *.test.ts file.
 */
export function revocationStoreContract(name: string, open: OpenAdapter<RevocationStore>): void {
  describe(`RevocationStore contract (${name})`, () => {
    const withStore = async (test: (store: RevocationStore) => Promise<void>) => {
      const { store, close } = await open();
      try {
        await test(store);
      } finally {
        await close();
      }
    };

    it('when a sid, sub or jti is revoked, then tokens naming it issued at or before the time are revoked and later ones are not', () =>
      withStore(async (store) => {
        await store.record(entry({ sid: 's1', at: T0 + 500 }));
        await store.record(entry({ sub: 'u2', at: T0 }));
        await store.record(entry({ jti: 'j3', at: T0 }));
        expect(await store.isRevoked(claims(T0 - 5000))).toBe(true);
        // Same second as the revocation: iat cannot tell before from after, so it is refused.
        expect(await store.isRevoked(claims(T0 + 900))).toBe(true);
        expect(await store.isRevoked(claims(T0 + 1000))).toBe(false);
        expect(await store.isRevoked(claims(T0, { sid: 'other', sub: 'u2' }))).toBe(true);
        expect(await store.isRevoked(claims(T0 + 1000, { sid: 'other', sub: 'u2' }))).toBe(false);
        expect(await store.isRevoked(claims(T0, { sid: 'other', jti: 'j3' }))).toBe(true);
        expect(await store.isRevoked(claims(T0, { sid: 'other', sub: 'u9', jti: 'j9' }))).toBe(
          false,
        );
      }));

    it('when a token has no sid, then no sid entry matches it', () =>
      withStore(async (store) => {
        await store.record(entry({ sid: 's1' }));
        expect(await store.isRevoked({ sub: 'u1', jti: 'j1', iat: T0 / 1000 - 60 })).toBe(false);
      }));

    it('when the feed is read from the start, then every entry comes once, in order, with its fields, page by page', () =>
      withStore(async (store) => {
        await store.record(entry({ sid: 's1', at: T0 + 1, reason: 'session_ended' }));
        await store.record(entry({ sub: 'u1', at: T0 + 2, expiresAt: T0 + MINUTE }));
        await store.record(entry({ jti: 'j1', at: T0 + 3 }));
        const first = await store.since(0, 2);
        expect(first.more).toBe(true);
        expect(first.entries.map(({ id: _, ...rest }) => rest)).toEqual([
          { sid: 's1', at: T0 + 1, expiresAt: T0 + 11 * MINUTE, reason: 'session_ended' },
          { sub: 'u1', at: T0 + 2, expiresAt: T0 + MINUTE, reason: 'test' },
        ]);
        const [a, b] = first.entries;
        expect(b!.id).toBeGreaterThan(a!.id);
        const second = await store.since(first.cursor, 2);
        expect(second.more).toBe(false);
        expect(second.entries.map((e) => e.jti)).toEqual(['j1']);
        expect(second.entries[0]!.id).toBeGreaterThan(b!.id);
        const idle = await store.since(second.cursor, 2);
        expect(idle).toEqual({ entries: [], cursor: second.cursor, more: false });
      }));

    it('when expired entries are purged, then exactly they go and later ids still follow the cursor', () =>
      withStore(async (store) => {
        await store.record(entry({ sid: 'old', expiresAt: T0 + MINUTE }));
        await store.record(entry({ sid: 'live', expiresAt: T0 + 2 * MINUTE }));
        const { cursor } = await store.since(0, 10);
        expect(await store.purgeExpired(T0 + MINUTE)).toBe(1);
        expect((await store.since(0, 10)).entries.map((e) => e.sid)).toEqual(['live']);
        expect(await store.isRevoked(claims(T0 - 1000, { sid: 'old' }))).toBe(false);
        await store.record(entry({ sid: 'new' }));
        expect((await store.since(cursor, 10)).entries.map((e) => e.sid)).toEqual(['new']);
        expect(await store.purgeExpired(T0 + MINUTE)).toBe(0);
      }));

    it('when a cursor is past every id (a restored database), then the next cursor comes back so new entries are seen', () =>
      withStore(async (store) => {
        await store.record(entry({ sid: 'a' }));
        const last = (await store.since(0, 10)).cursor;
        const ahead = await store.since(last + 1000, 10);
        expect(ahead.entries).toEqual([]);
        expect(ahead.cursor).toBe(last);
        await store.record(entry({ sid: 'b' }));
        expect((await store.since(ahead.cursor, 10)).entries.map((e) => e.sid)).toEqual(['b']);
      }));
  });
}
