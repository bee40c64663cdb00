import type { Migration } from '../rows/migration.js';

/**
 * The PostgreSQL schema, as ordered migrations (postgres-migrate.ts runs each once, under an
 * advisory lock). The same tables and columns as the SQLite schema (sqlite/sqlite-migrations.ts), in
 * PostgreSQL's types: times are BIGINT milliseconds, flags BOOLEAN, lists JSON text. It
 * starts from today's SQLite schema; from here on both lists grow together. Append, never edit.
 */
export const postgresMigrations: readonly Migration[] = [
  {
    name: '001-users',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        issuer TEXT NOT NULL DEFAULT '',
        subject TEXT,
        email TEXT NOT NULL UNIQUE,
        name TEXT,
        picture TEXT,
        roles TEXT NOT NULL DEFAULT '[]',
        disabled BOOLEAN NOT NULL DEFAULT FALSE,
        registered BOOLEAN NOT NULL DEFAULT FALSE,
        created_at BIGINT NOT NULL,
        last_sign_in_at BIGINT,
        UNIQUE (issuer, subject)
      );
    `,
  },
  {
    name: '002-sessions',
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        signed_in BOOLEAN NOT NULL DEFAULT FALSE,
        user_id TEXT,
        sid TEXT,
        ip TEXT,
        user_agent TEXT
      );
      CREATE INDEX sessions_last_seen_at ON sessions (last_seen_at);
      CREATE INDEX sessions_created_at ON sessions (created_at);
      CREATE INDEX sessions_user ON sessions (user_id);
    `,
  },
  {
    name: '004-clients',
    formerly: '003-clients',
    sql: `
      CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        grant_types TEXT NOT NULL,
        scopes TEXT NOT NULL,
        refresh_idle_ttl BIGINT NOT NULL,
        refresh_absolute_ttl BIGINT NOT NULL,
        built_in BOOLEAN NOT NULL DEFAULT FALSE,
        created_at BIGINT NOT NULL,
        secret_hash TEXT,
        previous_secret_hash TEXT,
        previous_secret_expires_at BIGINT,
        grant_id TEXT
      );
      INSERT INTO clients (client_id, name, type, grant_types, scopes, refresh_idle_ttl,
        refresh_absolute_ttl, built_in, created_at) VALUES
        ('gatehouse-cli', 'Gatehouse command line', 'public',
          '["urn:ietf:params:oauth:grant-type:device_code","refresh_token"]', '["api"]',
          1209600, 2592000, TRUE, 0),
        ('gatehouse-web', 'Gatehouse web session', 'public', '[]', '["api"]', 0, 0, TRUE, 0);
    `,
  },
  {
    name: '005-device-authorizations',
    formerly: '004-device-authorizations',
    sql: `
      CREATE TABLE device_authorizations (
        device_code_hash TEXT PRIMARY KEY,
        user_code TEXT NOT NULL UNIQUE,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        status TEXT NOT NULL,
        user_id TEXT,
        interval_seconds INTEGER NOT NULL,
        last_polled_at BIGINT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX device_authorizations_expires_at ON device_authorizations (expires_at);
    `,
  },
  {
    name: '006-refresh-tokens',
    formerly: '005-refresh-tokens',
    sql: `
      CREATE TABLE refresh_families (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        rotation_key TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT,
        revoked_reason TEXT,
        last_used_at BIGINT,
        ip TEXT,
        user_agent TEXT
      );
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
        issued_at BIGINT NOT NULL,
        rotated_at BIGINT,
        successor_hash TEXT
      );
      CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
      CREATE INDEX refresh_families_user ON refresh_families (user_id);
    `,
  },
  {
    name: '009-revocations',
    formerly: '006-revocations',
    // `recorded_at` is the database's clock, so the feed's settle window (settled-cursor.ts)
    // compares times from one clock whatever replica wrote the row.
    sql: `
      CREATE TABLE revocations (
        id BIGSERIAL PRIMARY KEY,
        sid TEXT,
        sub TEXT,
        jti TEXT,
        at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        reason TEXT NOT NULL,
        recorded_at BIGINT NOT NULL
          DEFAULT (floor(extract(epoch FROM clock_timestamp()) * 1000))::BIGINT
      );
      CREATE INDEX revocations_sid ON revocations (sid);
      CREATE INDEX revocations_sub ON revocations (sub);
      CREATE INDEX revocations_jti ON revocations (jti);
      CREATE INDEX revocations_expires_at ON revocations (expires_at);
    `,
  },
  {
    name: '010-counters',
    formerly: '007-counters',
    // Rate-limit counts shared by every replica: one row per key and fixed window.
    sql: `
      CREATE TABLE counters (
        key TEXT NOT NULL,
        window_start BIGINT NOT NULL,
        count INTEGER NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (key, window_start)
      );
      CREATE INDEX counters_expires_at ON counters (expires_at);
    `,
  },
  {
    name: '011-signing-keys',
    formerly: '008-signing-keys',
    // Private JWKs sealed with AES-256-GCM (keys/key-encryption.ts) under the
    // KEY_ENCRYPTION_KEY entry named by encryption_key_id; the public half in the clear.
    sql: `
      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL,
        encryption_key_id TEXT NOT NULL,
        iv BYTEA NOT NULL,
        ciphertext BYTEA NOT NULL,
        created_at BIGINT NOT NULL,
        activates_at BIGINT NOT NULL
      );
    `,
  },
  {
    name: '012-identities',
    // As SQLite's 012: every signed-in user's identity moves here as `google`.
    sql: `
      CREATE TABLE identities (
        provider TEXT NOT NULL,
        subject TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        issuer TEXT NOT NULL,
        email TEXT,
        mapped_roles TEXT NOT NULL DEFAULT '[]',
        linked_at BIGINT NOT NULL,
        last_sign_in_at BIGINT,
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
    // As SQLite's 013: the sealed provider credential for re-reading groups at refresh.
    sql: `
      ALTER TABLE identities ADD COLUMN provider_credential TEXT;
    `,
  },
];
