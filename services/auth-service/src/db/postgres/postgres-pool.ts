import { createHash } from 'node:crypto';
import pg from 'pg';
import { databaseUnavailable, isDatabaseUnavailable } from './database-unavailable.js';

export interface PoolOptions {
  readonly url: string;
  /** Most connections this process opens. */
  readonly poolMax: number;
  /** Bound on connecting and on each statement, in ms. */
  readonly timeoutMs: number;
}

/**
 * A statement each connection parses and plans once, then only binds and executes (a named
 * prepared statement): for the statements every request runs. Its text must name its columns,
 * never `*`: a prepared `SELECT *` fails ("cached plan must not change result type") on every
 * connection that prepared it once a migration, from another replica, adds a column.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * `text` as a PreparedStatement, named after its content, so one text is one statement on
 * every connection and two texts never share a name.
 *
 * @example
 * const byId = prepared('SELECT id, email FROM users WHERE id = $1');
 * const [row] = await db.query(byId, [id]);
 */
export function prepared(text: string): PreparedStatement {
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 24);
  return Object.freeze({ name: `gatehouse_${digest}`, text });
}

/** SQL text, parsed and planned on every run, or a statement prepared once per connection. */
export type Statement = string | PreparedStatement;

/** Runs one statement; what every PostgreSQL adapter is given instead of a driver. */
export type Query = <R extends Record<string, unknown> = Record<string, unknown>>(
  sql: Statement,
  params?: readonly unknown[],
) => Promise<R[]>;

/** A query function bound to one connection inside a transaction. */
export type Transaction = <T>(work: (query: Query) => Promise<T>) => Promise<T>;

/** The pool as the adapters use it. */
export interface Database {
  readonly query: Query;
  /** Runs one statement; resolves to how many rows it changed. */
  execute(sql: Statement, params?: readonly unknown[]): Promise<number>;
  /** Runs `work` in one transaction (BEGIN ... COMMIT, ROLLBACK on a throw). */
  readonly transaction: Transaction;
  /** Resolves when a trivial statement succeeds (readiness). */
  ping(): Promise<void>;
  /** The pool itself, for the migrator's session-level lock. */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * A bounded pool: at most `poolMax` connections, connecting and each statement bounded by
 * `timeoutMs`, idle connections closed after 30 s. A connection the server drops while idle
 * is discarded, never thrown into the process. Errors that say the database is out of reach
 * become HttpError 503 (database-unavailable.ts), so routes answer JSON 503 and recover on
 * their own once it is back.
 *
 * @example
 * const db = openPool({ url: config.database.url, poolMax: 10, timeoutMs: 5000 });
 * const rows = await db.query('SELECT 1 AS one');
 */
export function openPool(options: PoolOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    connectionTimeoutMillis: options.timeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.timeoutMs,
    query_timeout: options.timeoutMs + 1000,
    application_name: 'gatehouse-auth-service',
  });
  // An idle client losing its connection emits here; without a listener the process would crash.
  pool.on('error', () => {});
  const run = async (sql: Statement, params?: readonly unknown[]) => {
    try {
      return await pool.query(queryConfig(sql, params));
    } catch (err) {
      throw isDatabaseUnavailable(err) ? databaseUnavailable(err) : err;
    }
  };
  const query: Query = async <R extends Record<string, unknown>>(
    sql: Statement,
    params?: readonly unknown[],
  ) => (await run(sql, params)).rows as R[];
  const transaction: Transaction = async (work) => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw isDatabaseUnavailable(err) ? databaseUnavailable(err) : err;
    }
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const inTransaction: Query = async <R extends Record<string, unknown>>(
        sql: Statement,
        params?: readonly unknown[],
      ) => (await client.query(queryConfig(sql, params))).rows as R[];
      const result = await work(inTransaction);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: unknown) => (broken = rollbackErr));
      throw isDatabaseUnavailable(err) ? databaseUnavailable(err) : err;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  };
  return {
    query,
    execute: async (sql, params) => (await run(sql, params)).rowCount ?? 0,
    transaction,
    async ping() {
      await query('SELECT 1');
    },
    pool,
    close: () => pool.end(),
  };
}

/** node-postgres's form of a statement: a name makes it a prepared statement. */
function queryConfig(sql: Statement, params?: readonly unknown[]): pg.QueryConfig {
  const values = params as unknown[] | undefined;
  return typeof sql === 'string'
    ? { text: sql, values }
    : { name: sql.name, text: sql.text, values };
}
