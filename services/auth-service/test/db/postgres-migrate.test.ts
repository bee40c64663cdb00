import { describe, expect, it } from '@jest/globals';
import { migratePostgres } from '../../src/db/postgres/postgres-migrate.js';
import { postgresMigrations } from '../../src/db/postgres/postgres-migrations.js';
import { openPool } from '../../src/db/postgres/postgres-pool.js';
import { freshSchema } from '../support/postgres-schema.js';

describe('PostgreSQL migrations', () => {
  it('when several replicas start together, then each migration runs exactly once', async () => {
    const schema = await freshSchema();
    const replicas = Array.from({ length: 4 }, () =>
      openPool({ url: schema.url, poolMax: 2, timeoutMs: 10_000 }),
    );
    try {
      const applied = await Promise.all(replicas.map((db) => migratePostgres(db)));
      expect(applied.flat().sort()).toEqual(postgresMigrations.map((m) => m.name).sort());
      expect(applied.filter((names) => names.length > 0)).toHaveLength(1);
      const rows = await replicas[0]!.query('SELECT name FROM migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(postgresMigrations.map((m) => m.name));
      expect(await migratePostgres(replicas[1]!)).toEqual([]);
    } finally {
      await Promise.all(replicas.map((db) => db.close()));
      await schema.drop();
    }
  });

  it('when a migration fails, then nothing of it stays, it is not recorded, and the error names it', async () => {
    const schema = await freshSchema();
    const db = openPool({ url: schema.url, poolMax: 2, timeoutMs: 10_000 });
    try {
      const broken = [
        { name: '001-ok', sql: 'CREATE TABLE a (x INT)' },
        { name: '002-broken', sql: 'CREATE TABLE b (x INT); SELECT no_such_function()' },
      ];
      await expect(migratePostgres(db, broken)).rejects.toThrow('migration 002-broken failed');
      const tables = await db.query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
        [schema.name],
      );
      expect(tables.map((t) => t.table_name)).toEqual(['a', 'migrations']);
      expect((await db.query('SELECT name FROM migrations')).map((r) => r.name)).toEqual([
        '001-ok',
      ]);
    } finally {
      await db.close();
      await schema.drop();
    }
  });

  it('when a database migrated under the former names starts, then no migration runs again', async () => {
    const schema = await freshSchema();
    const db = openPool({ url: schema.url, poolMax: 2, timeoutMs: 10_000 });
    try {
      // What a release before the shared numbering recorded: the same steps, their old names.
      const earlier = postgresMigrations.map((m) => ({ name: m.formerly ?? m.name, sql: m.sql }));
      await migratePostgres(db, earlier);
      expect(await migratePostgres(db)).toEqual([]);
      const rows = await db.query('SELECT name FROM migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(earlier.map((m) => m.name));
    } finally {
      await db.close();
      await schema.drop();
    }
  });
});
