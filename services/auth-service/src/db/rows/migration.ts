/**
 * One step of a dialect's schema (sqlite/sqlite-migrations.ts, postgres/postgres-migrations.ts).
 * Names are `NNN-what`, numbered across both dialects: a number names the same change in each,
 * and a dialect that folded a change into an earlier step skips its number. PostgreSQL's
 * schema started from SQLite's as of 009, with 003, 007 and 008 folded into its 002, 004 and
 * 006; 010 and 011 are PostgreSQL's alone. The next new step is 014, in both.
 */
export interface Migration {
  /** Unique and stable: the record of what ran. */
  readonly name: string;
  /**
   * The name an earlier release recorded this step under, before the numbering was shared: a
   * database with that record has run it (nothing is renamed, so an older release still
   * recognises its own records).
   */
  readonly formerly?: string;
  readonly sql: string;
}

/** Whether `migration` is among the `recorded` names, by its name or its former one. */
export function isRecorded(migration: Migration, recorded: ReadonlySet<string>): boolean {
  return (
    recorded.has(migration.name) ||
    (migration.formerly !== undefined && recorded.has(migration.formerly))
  );
}
