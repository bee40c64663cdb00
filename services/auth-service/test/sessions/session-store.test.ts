import { describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../src/db/open-database.js';
import { createSessionStore } from '../../src/sessions/session-store.js';

const MINUTE = 60_000;

function storeAt(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  const store = createSessionStore(
    openDatabase(':memory:'),
    { idleTimeoutMs: 30 * MINUTE, maxAgeMs: 120 * MINUTE },
    () => now,
  );
  return { store, advance: (ms: number) => (now += ms) };
}

describe('session store', () => {
  it('when a session is used within the idle timeout, then it lives until the absolute lifetime', async () => {
    const { store, advance } = storeAt();
    await store.set('s1', { userId: 'u1' });
    for (let i = 0; i < 4; i++) {
      advance(29 * MINUTE);
      expect(await store.get('s1')).toEqual({ userId: 'u1' });
    }
    advance(5 * MINUTE); // 121 minutes after creation
    expect(await store.get('s1')).toBeUndefined();
    expect(store.size()).toBe(0);
  });

  it('when a session is idle past the timeout, then it reads as absent and is deleted', async () => {
    const { store, advance } = storeAt();
    await store.set('s1', { userId: 'u1' });
    advance(30 * MINUTE + 1);
    expect(await store.get('s1')).toBeUndefined();
    expect(store.size()).toBe(0);
  });

  it('when a session is saved again, then its creation time (absolute lifetime) is kept', async () => {
    const { store, advance } = storeAt();
    await store.set('s1', { n: 1 });
    advance(100 * MINUTE);
    await store.set('s1', { n: 2 });
    advance(25 * MINUTE);
    expect(await store.get('s1')).toBeUndefined();
  });

  it('when purging, then only idle or too old sessions are removed', async () => {
    const { store, advance } = storeAt();
    await store.set('old', {});
    advance(20 * MINUTE);
    await store.set('fresh', {});
    advance(15 * MINUTE);
    expect(store.purgeExpired()).toBe(1);
    expect(await store.get('fresh')).toEqual({});
  });

  it('when destroyed, then the session is gone', async () => {
    const { store } = storeAt();
    await store.set('s1', {});
    await store.destroy('s1');
    expect(await store.get('s1')).toBeUndefined();
  });
});
