import { describe, expect, it } from '@jest/globals';
import { migratePostgres } from '../../src/db/postgres/postgres-migrate.js';
import { postgresMigrations } from '../../src/db/postgres/postgres-migrations.js';
import { openPool } from '../../src/db/postgres/postgres-pool.js';
import { postgresStores } from '../../src/db/postgres/postgres-stores.js';
import { freshSchema } from '../support/postgres-schema.js';
import { AT, LIFETIMES, expectKept, insertRows } from '../support/before-identities.js';

const BEFORE = postgresMigrations.findIndex((m) => m.name === '012-identities');

describe('PostgreSQL migration 012-identities', () => {
  it('when a populated database migrates, then each signed-in user has their Google identity linked and sessions, grants and roles are kept', async () => {
    const schema = await freshSchema();
    const db = openPool({ url: schema.url, poolMax: 2, timeoutMs: 10_000 });
    try {
      await migratePostgres(db, postgresMigrations.slice(0, BEFORE));
      await insertRows(
        (sql, values) => db.execute(sql, values),
        (n) => `$${n}`,
      );
      expect(await migratePostgres(db)).toEqual(['012-identities', '013-identity-credentials']);
      await expectKept(postgresStores(db, LIFETIMES, () => AT, []));
    } finally {
      await db.close();
      await schema.drop();
    }
  });
});
