import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../src/db/sqlite/open-database.js';
import { migrations } from '../../src/db/sqlite/sqlite-migrations.js';
import { sqliteStores } from '../../src/db/sqlite/sqlite-stores.js';
import { AT, LIFETIMES, expectKept, insertRows } from '../support/before-identities.js';

const BEFORE = migrations.findIndex((m) => m.name === '012-identities');

describe('SQLite migration 012-identities', () => {
  it('when a populated database migrates, then each signed-in user has their Google identity linked and sessions, grants and roles are kept', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'identities-migration-'));
    const before = openDatabase(dataDir, migrations.slice(0, BEFORE));
    try {
      // node:sqlite binds no booleans: flags are SQLite's 0/1.
      await insertRows(
        (sql, values) =>
          before.prepare(sql).run(...values.map((v) => (typeof v === 'boolean' ? Number(v) : v))),
        () => '?',
      );
    } finally {
      before.close();
    }

    const db = openDatabase(dataDir);
    try {
      const names = db.prepare('SELECT name FROM migrations ORDER BY name').all();
      expect(names.map((row) => row.name)).toEqual(migrations.map((m) => m.name));
      await expectKept(sqliteStores(db, LIFETIMES, () => AT));
    } finally {
      db.close();
    }
  });
});
