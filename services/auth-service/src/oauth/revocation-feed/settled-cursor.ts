/** A row as a multi-writer adapter reads it: its feed id and when the database recorded it. */
export interface RecordedRow {
  readonly id: number;
  /** The database's clock (ms) at insert, never a replica's: replicas' clocks differ. */
  readonly recordedAt: number;
}

/**
 * The cursor a feed read may hand out when several writers share the database (PostgreSQL
 * replicas): a sequence id is taken at insert but becomes visible at commit, so id 11 can be
 * seen before id 10 commits. The cursor advances only over the prefix of `rows` (id order)
 * recorded at least `settleMs` before `dbNow`: a later commit with a smaller id is then
 * still ahead of the cursor, and the unsettled tail is served again on the next read. An
 * insert is one autocommit statement, so commits lag their ids by far less than `settleMs`.
 *
 * @example
 * const cursor = settledCursor(rows, since, dbNow, 2000); // SQLite (one writer) needs none
 */
export function settledCursor(
  rows: readonly RecordedRow[],
  cursor: number,
  dbNow: number,
  settleMs: number,
): number {
  let settled = cursor;
  for (const row of rows) {
    if (row.recordedAt > dbNow - settleMs) break;
    settled = row.id;
  }
  return settled;
}
