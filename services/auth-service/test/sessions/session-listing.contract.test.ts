import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { migrations } from '../../src/db/migrations.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createSessionStore, type SessionStore } from '../../src/sessions/session-store.js';

const MINUTE = 60_000;
const LIFETIMES = { idleTimeoutMs: 30 * MINUTE, maxAgeMs: 120 * MINUTE };
const START = Date.UTC(2026, 0, 1);

/** Every SessionStore adapter passes this suite; a new adapter adds its factory here. */
const ADAPTERS: [string, (now: () => number) => SessionStore][] = [
  ['sqlite', (now) => createSessionStore(openDatabase(':memory:'), LIFETIMES, now)],
];

const session = (userId: string, sid: string, ip = '192.0.2.1', userAgent = 'Firefox') => ({
  userId,
  sid,
  signedInAt: START,
  from: { ip, userAgent },
});

describe.each(ADAPTERS)('session listing per user (%s)', (_name, open) => {
  function storeAt() {
    let now = START;
    return { store: open(() => now), advance: (ms: number) => (now += ms) };
  }

  it("when a user has sessions, then listOfUser gives theirs (sid, times, source), newest first, and no one else's", async () => {
    const { store, advance } = storeAt();
    await store.set('cookie-1', session('ada', 'sid-1', '198.51.100.1', 'Laptop'));
    advance(MINUTE);
    await store.set('cookie-2', session('ada', 'sid-2', '198.51.100.2', 'Phone'));
    await store.set('cookie-3', session('bob', 'sid-3'));
    await store.set('pending', { returnTo: '/' });
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
    const { store, advance } = storeAt();
    await store.set('cookie-1', session('ada', 'sid-1'));
    await store.set('cookie-2', session('ada', 'sid-2'));
    advance(20 * MINUTE);
    await store.get('cookie-1');
    advance(15 * MINUTE); // sid-2 is now 35 minutes idle
    const listed = await store.listOfUser('ada');
    expect(listed).toEqual([
      expect.objectContaining({ sid: 'sid-1', lastUsedAt: START + 20 * MINUTE }),
    ]);
  });

  it("when a session is ended by sid, then only that user's session by that sid ends", async () => {
    const { store } = storeAt();
    await store.set('cookie-1', session('ada', 'sid-1'));
    await store.set('cookie-2', session('bob', 'sid-2'));
    expect(await store.endBySid('ada', 'sid-2')).toBe(false);
    expect(await store.get('cookie-2')).toBeDefined();
    expect(await store.endBySid('ada', 'sid-1')).toBe(true);
    expect(await store.get('cookie-1')).toBeUndefined();
    expect(await store.endBySid('ada', 'sid-1')).toBe(false);
  });

  it("when all of a user's sessions end, then every one of theirs is gone and others' live", async () => {
    const { store } = storeAt();
    await store.set('cookie-1', session('ada', 'sid-1'));
    await store.set('cookie-2', session('ada', 'sid-2'));
    await store.set('cookie-3', session('bob', 'sid-3'));
    expect(await store.endAllOfUser('ada')).toBe(2);
    expect(await store.listOfUser('ada')).toEqual([]);
    expect(await store.get('cookie-3')).toBeDefined();
  });
});

describe('migration 007-account-sessions', () => {
  it('when sessions from before it are migrated, then signed-in ones are listed by their sid without a source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-migration-'));
    const old = openDatabase(
      dir,
      migrations.filter((migration) => migration.name < '007'),
    );
    const insert = old.prepare(
      'INSERT INTO sessions (id, data, signed_in, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run('cookie-1', JSON.stringify({ userId: 'ada', sid: 'sid-1' }), 1, START, START);
    insert.run('pending', JSON.stringify({ returnTo: '/' }), 0, START, START);
    old.close();
    const store = createSessionStore(openDatabase(dir), LIFETIMES, () => START);
    expect(await store.listOfUser('ada')).toEqual([
      { sid: 'sid-1', createdAt: START, lastUsedAt: START, ip: null, userAgent: null },
    ]);
  });
});
