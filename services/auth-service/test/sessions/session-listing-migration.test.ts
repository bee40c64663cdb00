import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { migrations } from '../../src/db/sqlite/sqlite-migrations.js';
import { openDatabase } from '../../src/db/sqlite/open-database.js';
import { createSqliteSessionStore } from '../../src/db/sqlite/sqlite-session-store.js';

const LIFETIMES = { idleTimeoutMs: 30 * 60_000, maxAgeMs: 120 * 60_000 };
const START = Date.UTC(2026, 0, 1);

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
    const store = createSqliteSessionStore(openDatabase(dir), LIFETIMES, () => START);
    expect(await store.listOfUser('ada')).toEqual([
      { sid: 'sid-1', createdAt: START, lastUsedAt: START, ip: null, userAgent: null },
    ]);
  });
});
