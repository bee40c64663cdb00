import { isRecorded, type Migration } from '../rows/migration.js';
import type { Database } from './postgres-pool.js';
import { postgresMigrations } from './postgres-migrations.js';

/**
 * The advisory lock every replica takes before migrating ("gatehouse" as a 64-bit number):
 * replicas starting together wait for the first, then find nothing left to do.
 */
const MIGRATION_LOCK = 0x6761746568_6f757365n & 0x7fff_ffff_ffff_ffffn;

/**
 * Brings the schema up to date: under a session-level advisory lock, each migration not yet
 * recorded in `migrations` runs in its own transaction with its record. Resolves to the names
 * it applied (empty when another replica, or an earlier start, already did).
 *
 * @example
 * await migratePostgres(db); // ['001-users', ...] on a new database, [] afterwards
 */
export async function migratePostgres(
  db: Database,
  migrations: readonly Migration[] = postgresMigrations,
): Promise<string[]> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)',
      );
      const done = new Set(
        (await client.query<{ name: string }>('SELECT name FROM migrations')).rows.map(
          (r) => r.name,
        ),
      );
      const applied: string[] = [];
      for (const migration of migrations) {
        if (isRecorded(migration, done)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO migrations (name, applied_at) VALUES ($1, $2)', [
            migration.name,
            Date.now(),
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${migration.name} failed`, { cause: err });
        }
        applied.push(migration.name);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}
