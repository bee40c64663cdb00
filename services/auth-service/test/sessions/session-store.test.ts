import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { migrations } from '../../src/db/sqlite/sqlite-migrations.js';
import { openDatabase } from '../../src/db/sqlite/open-database.js';
import { createSqliteSessionStore } from '../../src/db/sqlite/sqlite-session-store.js';
import { PENDING_SIGN_IN_TTL_MS } from '../../src/sessions/session-store.js';

const MINUTE = 60_000;
/** A session with a user is signed in; one without is a pending sign-in. */
const signedIn = (extra: Record<string, unknown> = {}) => ({ userId: 'u1', sid: 's', ...extra });
const pending = () => ({ returnTo: '/', grant: { provider: 'google', state: 'x', nonce: 'y' } });

function storeAt(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  const store = createSqliteSessionStore(
    openDatabase(':memory:'),
    { idleTimeoutMs: 30 * MINUTE, maxAgeMs: 120 * MINUTE },
    () => now,
  );
  return { store, advance: (ms: number) => (now += ms) };
}

describe('session store', () => {
  it('when a session is used within the idle timeout, then it lives until the absolute lifetime', async () => {
    const { store, advance } = storeAt();
    await store.create('s1', { userId: 'u1' });
    for (let i = 0; i < 4; i++) {
      advance(29 * MINUTE);
      expect(await store.get('s1')).toEqual({ userId: 'u1' });
    }
    advance(5 * MINUTE); // 121 minutes after creation
    expect(await store.get('s1')).toBeUndefined();
    expect(await store.size()).toBe(0);
  });

  it('when a session is idle past the timeout, then it reads as absent and is deleted', async () => {
    const { store, advance } = storeAt();
    await store.create('s1', { userId: 'u1' });
    advance(30 * MINUTE + 1);
    expect(await store.get('s1')).toBeUndefined();
    expect(await store.size()).toBe(0);
  });

  it('when a session is saved again, then its creation time (absolute lifetime) is kept', async () => {
    const { store, advance } = storeAt();
    await store.create('s1', signedIn({ n: 1 }));
    for (let i = 0; i < 4; i++) {
      advance(25 * MINUTE);
      await store.get('s1');
    }
    expect(await store.update('s1', signedIn({ n: 2 }))).toBe(true);
    advance(25 * MINUTE);
    expect(await store.get('s1')).toBeUndefined();
  });

  it('when purging, then only idle or too old sessions are removed', async () => {
    const { store, advance } = storeAt();
    await store.create('old', signedIn());
    advance(20 * MINUTE);
    await store.create('fresh', signedIn());
    advance(15 * MINUTE);
    expect(await store.purgeExpired()).toBe(1);
    expect(await store.get('fresh')).toEqual(signedIn());
  });

  it('when a pending sign-in is read after PENDING_SIGN_IN_TTL, then it reads as absent and is deleted', async () => {
    expect(PENDING_SIGN_IN_TTL_MS).toBe(10 * MINUTE);
    const { store, advance } = storeAt();
    await store.create('p1', pending());
    advance(5 * MINUTE);
    expect(await store.get('p1')).toEqual(pending());
    advance(5 * MINUTE + 1000); // kept busy, but 10 min + 1 s after creation
    expect(await store.get('p1')).toBeUndefined();
    expect(await store.size()).toBe(0);
  });

  it('when a signed-in session is read after PENDING_SIGN_IN_TTL, then it still lives', async () => {
    const { store, advance } = storeAt();
    await store.create('s1', signedIn());
    advance(PENDING_SIGN_IN_TTL_MS + 1000);
    expect(await store.get('s1')).toEqual(signedIn());
  });

  it('when a signed-in session starts another sign-in, then it keeps the signed-in lifetime', async () => {
    const { store, advance } = storeAt();
    await store.create('s1', signedIn());
    advance(MINUTE);
    expect(await store.update('s1', { ...signedIn(), ...pending() })).toBe(true);
    advance(PENDING_SIGN_IN_TTL_MS + 1000);
    expect(await store.get('s1')).toEqual({ ...signedIn(), ...pending() });
  });

  it('when purging, then pending sign-ins older than PENDING_SIGN_IN_TTL are removed and signed-in ones kept', async () => {
    const { store, advance } = storeAt();
    await store.create('stale-pending', pending());
    await store.create('user', signedIn());
    advance(PENDING_SIGN_IN_TTL_MS - 1000);
    await store.create('fresh-pending', pending());
    expect(await store.purgeExpired()).toBe(0);
    advance(2000);
    expect(await store.purgeExpired()).toBe(1);
    expect(await store.size()).toBe(2);
    expect(await store.get('fresh-pending')).toEqual(pending());
    expect(await store.get('user')).toEqual(signedIn());
  });

  it('when destroyed, then the session is gone', async () => {
    const { store } = storeAt();
    await store.create('s1', {});
    await store.destroy('s1');
    expect(await store.get('s1')).toBeUndefined();
  });

  it('when a database from before the pending TTL is migrated, then its pending rows get the short lifetime', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-migration-'));
    const before = migrations.filter((migration) => migration.name < '003');
    const old = openDatabase(dir, before);
    const insert = old.prepare(
      'INSERT INTO sessions (id, data, created_at, last_seen_at) VALUES (?, ?, 0, 0)',
    );
    insert.run('user', JSON.stringify(signedIn()));
    insert.run('pending', JSON.stringify(pending()));
    old.close();
    const now = PENDING_SIGN_IN_TTL_MS + 1000;
    const store = createSqliteSessionStore(
      openDatabase(dir),
      { idleTimeoutMs: 30 * MINUTE, maxAgeMs: 120 * MINUTE },
      () => now,
    );
    expect(await store.get('pending')).toBeUndefined();
    expect(await store.get('user')).toEqual(signedIn());
  });
});
