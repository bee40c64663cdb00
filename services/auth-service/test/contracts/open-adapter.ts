/**
 * How a contract suite gets a fresh, empty adapter for one test and releases it after: a
 * SQLite `:memory:` database, or a PostgreSQL schema of its own.
 */
export type OpenAdapter<S> = () => Promise<{ store: S; close: () => Promise<void> }>;
