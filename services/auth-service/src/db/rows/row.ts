/**
 * A row as either driver returns it: node:sqlite gives integers for flags and numbers for
 * BIGINT columns, pg gives booleans and strings. The row mappers beside this file read both.
 */
export type Row = Readonly<Record<string, unknown>>;

/** A TEXT column that may be NULL. */
export function nullableText(value: unknown): string | null {
  return value === null ? null : String(value);
}

/** A millisecond or count column that may be NULL. */
export function nullableNumber(value: unknown): number | null {
  return value === null ? null : Number(value);
}

/** A flag column: SQLite's 0/1 integer or PostgreSQL's BOOLEAN. */
export function flag(value: unknown): boolean {
  return value === 1 || value === true;
}
