import { migratePostgres } from '../../src/db/postgres/postgres-migrate.js';
import { openPool, type Database } from '../../src/db/postgres/postgres-pool.js';
import { freshSchema } from '../support/postgres-schema.js';
import type { OpenAdapter } from './open-adapter.js';

/** Opens a PostgreSQL adapter over a fresh, migrated schema, dropped after the test. */
export function postgresAdapter<S>(create: (db: Database) => S): OpenAdapter<S> {
  return async () => {
    const schema = await freshSchema();
    const db = openPool({ url: schema.url, poolMax: 8, timeoutMs: 10_000 });
    await migratePostgres(db);
    return {
      store: create(db),
      close: async () => {
        await db.close();
        await schema.drop();
      },
    };
  };
}
