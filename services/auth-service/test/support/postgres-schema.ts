import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A schema of one test's own on the run's server, and the URL that works inside it. */
export interface TestSchema {
  /** TEST_DATABASE_URL with `search_path` set to the schema, for a pool or a child process. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty schema on TEST_DATABASE_URL (test/postgres/global-setup.mjs starts the
 * server), so tests never share tables; `drop` removes it with everything in it.
 *
 * @example
 * const schema = await freshSchema();
 * const db = openPool({ url: schema.url, poolMax: 4, timeoutMs: 5000 });
 */
export async function freshSchema(): Promise<TestSchema> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest.config.js');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA ${name}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${name}`);
  return { url: url.toString(), name, drop: () => admin(`DROP SCHEMA ${name} CASCADE`) };
}
