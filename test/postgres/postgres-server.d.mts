export interface TestPostgres {
  /** The superuser's URL to the `postgres` database (trust authentication, loopback). */
  readonly url: string;
  readonly port: number;
  /** Starts it again after `stop`, on the same port and data. */
  start(): void;
  /** Stops it (fast shutdown: connections are cut). */
  stop(): void;
  /** Creates an empty database `name` (letters, digits, _) and returns its URL. */
  createDatabase(name: string): string;
  /** Stops it and deletes its data. */
  close(): void;
}
export function postgresBinDir(): string;
export function startPostgres(): Promise<TestPostgres>;
