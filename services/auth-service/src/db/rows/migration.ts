/** One step of a dialect's schema (sqlite/sqlite-migrations.ts, postgres/postgres-migrations.ts). */
export interface Migration {
  /** Unique and stable: the record of what ran. */
  readonly name: string;
  readonly sql: string;
}
