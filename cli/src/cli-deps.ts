import type { Fetch } from './http-client.js';

/** Everything a command uses from outside; the process boundary passes the real ones. */
export interface CliDeps {
  env: Record<string, string | undefined>;
  fetch: Fetch;
  /** Milliseconds since the epoch. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Standard output: only what scripts read (the token). */
  out: (line: string) => void;
  /** Standard error: instructions and messages for the person. */
  err: (line: string) => void;
}

/** The built-in public client of this tool. */
export const CLIENT_ID = 'gatehouse-cli';
export const DEFAULT_SERVER = 'http://localhost:8080';
