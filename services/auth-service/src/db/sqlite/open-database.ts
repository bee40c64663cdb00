import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { isRecorded, type Migration } from '../rows/migration.js';
import { migrations as defaultMigrations } from './sqlite-migrations.js';

/** The database file inside DATA_DIR. */
const DATABASE_FILE = 'gatehouse.sqlite';

/**
 * Opens (creating if needed) the embedded database under `dataDir` and brings its schema up
 * to date. `:memory:` opens a private in-memory database, for tests.
 *
 * @example
 * const db = openDatabase(config.dataDir);
 */
export function openDatabase(
  dataDir: string,
  migrations: readonly Migration[] = defaultMigrations,
): DatabaseSync {
  let location = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    location = join(dataDir, DATABASE_FILE);
  }
  const db = new DatabaseSync(location);
  // WAL lets the users CLI write while the service reads; the busy timeout covers the rest.
  // synchronous=NORMAL is durable across process crashes in WAL mode (a power cut may lose the
  // last commits: session touches, not users or keys, which live elsewhere or change rarely).
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;',
  );
  migrate(db, migrations);
  return db;
}

function migrate(db: DatabaseSync, migrations: readonly Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(
    db
      .prepare('SELECT name FROM migrations')
      .all()
      .map((row) => String(row.name)),
  );
  const record = db.prepare('INSERT INTO migrations (name, applied_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (isRecorded(migration, applied)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      record.run(migration.name, Date.now());
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new Error(`migration ${migration.name} failed`, { cause: err });
    }
  }
}
