/**
 * The schema, as an ordered list of migrations. Each runs once, in order, inside a
 * transaction, and is recorded by name in `migrations`; append new ones, never edit old ones.
 */
export interface Migration {
  /** Unique and stable: the record of what ran. */
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    name: '001-users',
    // `issuer` is '' and `subject` NULL for a pre-registered entry until its first sign-in
    // claims it. `registered` marks entries an administrator added: they are admitted
    // without an allowlist match. Emails are stored lower-cased.
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        issuer TEXT NOT NULL DEFAULT '',
        subject TEXT,
        email TEXT NOT NULL UNIQUE,
        name TEXT,
        picture TEXT,
        roles TEXT NOT NULL DEFAULT '[]',
        disabled INTEGER NOT NULL DEFAULT 0,
        registered INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        last_sign_in_at INTEGER,
        UNIQUE (issuer, subject)
      );
    `,
  },
  {
    name: '002-sessions',
    // koa-session's external store: the cookie carries only `id`.
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_last_seen_at ON sessions (last_seen_at);
      CREATE INDEX sessions_created_at ON sessions (created_at);
    `,
  },
  {
    name: '003-sessions-signed-in',
    // A pending sign-in (no `userId` yet) ends after PENDING_SIGN_IN_TTL_MS; the flag lets the
    // purge find those without parsing every row. Existing rows are classified by their data.
    sql: `
      ALTER TABLE sessions ADD COLUMN signed_in INTEGER NOT NULL DEFAULT 0;
      UPDATE sessions SET signed_in = 1 WHERE json_type(data, '$.userId') = 'text';
    `,
  },
];
