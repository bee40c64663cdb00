import type { Migration } from '../rows/migration.js';

/**
 * SQLite's schema, as an ordered list of migrations. Each runs once, in order, inside a
 * transaction, and is recorded by name in `migrations`; append new ones, never edit old ones.
 */
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
  {
    name: '004-clients',
    // Registered OAuth clients. `built_in` rows are seeded here and cannot be removed; lists
    // are JSON arrays; lifetimes are seconds.
    sql: `
      CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        grant_types TEXT NOT NULL,
        scopes TEXT NOT NULL,
        refresh_idle_ttl INTEGER NOT NULL,
        refresh_absolute_ttl INTEGER NOT NULL,
        built_in INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      INSERT INTO clients VALUES ('gatehouse-cli', 'Gatehouse command line', 'public',
        '["urn:ietf:params:oauth:grant-type:device_code","refresh_token"]', '["api"]',
        1209600, 2592000, 1, 0);
      INSERT INTO clients VALUES ('gatehouse-web', 'Gatehouse web session', 'public',
        '[]', '["api"]', 0, 0, 1, 0);
    `,
  },
  {
    name: '005-device-authorizations',
    // RFC 8628: only a hash of the device code is kept; `user_code` is stored normalised
    // (8 letters, no dash). `status`: pending, approved, denied, used.
    sql: `
      CREATE TABLE device_authorizations (
        device_code_hash TEXT PRIMARY KEY,
        user_code TEXT NOT NULL UNIQUE,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        status TEXT NOT NULL,
        user_id TEXT,
        interval_seconds INTEGER NOT NULL,
        last_polled_at INTEGER,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX device_authorizations_expires_at ON device_authorizations (expires_at);
    `,
  },
  {
    name: '006-refresh-tokens',
    // One row per refresh token ever issued (hash only), grouped in families: a family is one
    // grant (a device login) and what revocation names. `rotated_at` is set once a token has
    // a successor; `successor_hash` names it.
    sql: `
      CREATE TABLE refresh_families (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        rotation_key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        revoked_reason TEXT
      );
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
        issued_at INTEGER NOT NULL,
        rotated_at INTEGER,
        successor_hash TEXT
      );
      CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
      CREATE INDEX refresh_families_user ON refresh_families (user_id);
    `,
  },
  {
    name: '007-account-sessions',
    // The account page lists a user's sessions and device grants. Sessions get their user,
    // `sid` (the opaque id the page and access tokens name; never the cookie id), and where
    // the sign-in came from; refresh families when and from where they were last used.
    // Existing rows are filled from their data; addresses stay NULL where nothing was kept.
    sql: `
      ALTER TABLE sessions ADD COLUMN user_id TEXT;
      ALTER TABLE sessions ADD COLUMN sid TEXT;
      ALTER TABLE sessions ADD COLUMN ip TEXT;
      ALTER TABLE sessions ADD COLUMN user_agent TEXT;
      UPDATE sessions SET user_id = json_extract(data, '$.userId'), sid = json_extract(data, '$.sid')
        WHERE signed_in = 1;
      CREATE INDEX sessions_user ON sessions (user_id);
      ALTER TABLE refresh_families ADD COLUMN last_used_at INTEGER;
      ALTER TABLE refresh_families ADD COLUMN ip TEXT;
      ALTER TABLE refresh_families ADD COLUMN user_agent TEXT;
      `,
  },
  {
    name: '008-clients-secrets',
    // Confidential clients: the SHA-256 (base64url) of the current secret, the one it replaced
    // while its overlap lasts (ms), and the grant id their tokens carry as `sid`. NULL for
    // public clients.
    sql: `
      ALTER TABLE clients ADD COLUMN secret_hash TEXT;
      ALTER TABLE clients ADD COLUMN previous_secret_hash TEXT;
      ALTER TABLE clients ADD COLUMN previous_secret_expires_at INTEGER;
      ALTER TABLE clients ADD COLUMN grant_id TEXT;
    `,
  },
  {
    name: '009-revocations',
    // The revocation feed: access that ended (a session or grant by `sid`, a user or client by
    // `sub`, one token by `jti`) at `at`; tokens the entry names issued at or before `at` are
    // refused. `id` orders the feed (AUTOINCREMENT: never reused, so a cursor stays valid
    // across purges); a row is purged once `expires_at` passed, when no token it names lives.
    sql: `
      CREATE TABLE revocations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sid TEXT,
        sub TEXT,
        jti TEXT,
        at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        recorded_at INTEGER NOT NULL
      );
      CREATE INDEX revocations_sid ON revocations (sid);
      CREATE INDEX revocations_sub ON revocations (sub);
      CREATE INDEX revocations_jti ON revocations (jti);
      CREATE INDEX revocations_expires_at ON revocations (expires_at);
    `,
  },
  {
    name: '012-identities',
    // A person may sign in through several providers: each (provider, subject) is linked to
    // one user. Every signed-in user so far signed in with the one provider before PROVIDERS
    // (GOOGLE_ISSUER, whatever its issuer), so their identity moves here as `google`, with its
    // issuer, subject and email; users keep their ids, hence their
    // sessions, grants and roles. users.issuer/subject stay: the identity of the latest
    // sign-in. `mapped_roles` is what the provider's facts map to (JSON array), beside the
    // directory roles in users.roles.
    sql: `
      CREATE TABLE identities (
        provider TEXT NOT NULL,
        subject TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        issuer TEXT NOT NULL,
        email TEXT,
        mapped_roles TEXT NOT NULL DEFAULT '[]',
        linked_at INTEGER NOT NULL,
        last_sign_in_at INTEGER,
        PRIMARY KEY (provider, subject)
      );
      CREATE INDEX identities_user ON identities (user_id);
      INSERT INTO identities (provider, subject, user_id, issuer, email, linked_at,
        last_sign_in_at)
        SELECT 'google', subject, id, issuer, email, created_at, last_sign_in_at
        FROM users WHERE subject IS NOT NULL;
    `,
  },
  {
    name: '013-identity-credentials',
    // The provider credential that lets the service re-read an identity's groups at refresh
    // (a refresh token, GitHub's access token), sealed with a key derived from SESSION_KEYS
    // (signin/roles/credential-seal.ts); NULL when there is none.
    sql: `
      ALTER TABLE identities ADD COLUMN provider_credential TEXT;
    `,
  },
];
