import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../src/db/sqlite/open-database.js';
import type { OpenAdapter } from './open-adapter.js';

/** Opens a SQLite adapter over a fresh `:memory:` database, closed after the test. */
export function sqliteAdapter<S>(create: (db: DatabaseSync) => S): OpenAdapter<S> {
  return async () => {
    const db = openDatabase(':memory:');
    return { store: create(db), close: async () => db.close() };
  };
}
