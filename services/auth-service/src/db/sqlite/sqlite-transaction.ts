import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` in one write transaction (BEGIN IMMEDIATE: the write lock is taken at once, so
 * the users CLI writing beside the service waits on the busy timeout instead of failing mid-way).
 * Commits what it returns, rolls back what it throws.
 */
export function sqliteTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
