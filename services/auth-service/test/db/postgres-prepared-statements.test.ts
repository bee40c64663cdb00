import { afterEach, describe, expect, it } from '@jest/globals';
import { migratePostgres } from '../../src/db/postgres/postgres-migrate.js';
import { createPostgresClientRegistry } from '../../src/db/postgres/postgres-client-registry.js';
import { openPool, prepared, type Database } from '../../src/db/postgres/postgres-pool.js';
import { createPostgresSessionStore } from '../../src/db/postgres/postgres-session-store.js';
import { createPostgresUserDirectory } from '../../src/db/postgres/postgres-user-directory.js';
import { freshSchema, type TestSchema } from '../support/postgres-schema.js';

const LIFETIMES = { idleTimeoutMs: 30 * 60_000, maxAgeMs: 120 * 60_000 };

describe('prepared statements (PostgreSQL)', () => {
  let schema: TestSchema | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    await schema?.drop();
    db = schema = undefined;
  });
  /** One connection, so every statement lands where the previous one was prepared. */
  const openOneConnection = async () => {
    schema = await freshSchema();
    db = openPool({ url: schema.url, poolMax: 1, timeoutMs: 10_000 });
    await migratePostgres(db);
    return db;
  };

  it('when one text is prepared twice, then both have one name; two texts never share it', () => {
    const text = 'SELECT 1 AS one';
    expect(prepared(text).name).toBe(prepared(text).name);
    expect(prepared(text).name).not.toBe(prepared('SELECT 2 AS two').name);
    expect(prepared(text).name).toMatch(/^gatehouse_[0-9a-f]{24}$/);
  });

  it('when a prepared statement runs twice on a connection, then it is prepared there once', async () => {
    const pool = await openOneConnection();
    const statement = prepared('SELECT $1::int + 1 AS next');
    expect(await pool.query(statement, [1])).toEqual([{ next: 2 }]);
    expect(await pool.query(statement, [41])).toEqual([{ next: 42 }]);
    const held = await pool.query('SELECT name FROM pg_prepared_statements');
    expect(held).toEqual([{ name: statement.name }]);
  });

  it('when a migration adds columns after the per-request reads were prepared, then they still read', async () => {
    const pool = await openOneConnection();
    const directory = createPostgresUserDirectory(pool);
    const sessions = createPostgresSessionStore(pool, LIFETIMES, Date.now);
    const clients = createPostgresClientRegistry(pool);
    const cli = await clients.findWithSecretHashes('gatehouse-cli');
    expect(cli?.client.clientId).toBe('gatehouse-cli');
    const user = await directory.preRegister('ada@example.com', ['admin'], Date.now());
    await sessions.create('s1', { userId: user.id, sid: 'sid-1', signedInAt: Date.now() });
    expect(await directory.findById(user.id)).toEqual(user);
    expect(await sessions.get('s1')).toMatchObject({ userId: user.id });
    expect((await sessions.getWithUser('s1'))?.user).toEqual(user);

    // What a newer replica's migration may do while this one keeps its connections.
    await pool.query('ALTER TABLE users ADD COLUMN added_later TEXT');
    await pool.query('ALTER TABLE sessions ADD COLUMN added_later TEXT');
    await pool.query('ALTER TABLE identities ADD COLUMN added_later TEXT');
    await pool.query('ALTER TABLE clients ADD COLUMN added_later TEXT');

    expect(await directory.findById(user.id)).toEqual(user);
    expect(await directory.findByEmail('ada@example.com')).toEqual(user);
    expect(await sessions.get('s1')).toMatchObject({ userId: user.id });
    expect((await sessions.getWithUser('s1'))?.user).toEqual(user);
    expect(await clients.findWithSecretHashes('gatehouse-cli')).toEqual(cli);
  });

  it('when a prepared statement said `*`, then the same migration would break it (why none does)', async () => {
    const pool = await openOneConnection();
    const everything = prepared('SELECT * FROM users');
    await pool.query(everything);
    await pool.query('ALTER TABLE users ADD COLUMN added_later TEXT');
    await expect(pool.query(everything)).rejects.toMatchObject({ code: '0A000' });
  });
});
