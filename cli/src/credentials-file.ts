import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './cli-error.js';

/** What `gatehouse login` keeps between runs. */
export interface Credentials {
  server: string;
  clientId: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  refreshToken: string;
  accessToken?: string;
  /** Milliseconds since the epoch. */
  accessTokenExpiresAt?: number;
}

/**
 * `$XDG_CONFIG_HOME/gatehouse/credentials.json`, `~/.config/gatehouse/credentials.json` when
 * XDG_CONFIG_HOME is unset or not absolute (the XDG Base Directory rule).
 */
export function credentialsPath(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(env.HOME ?? homedir(), '.config');
  return join(base, 'gatehouse', 'credentials.json');
}

/** The stored credentials; undefined when there are none; CliError when unreadable. */
export function readCredentials(path: string): Credentials | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(
      `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); fix its permissions or run "gatehouse login" again`,
    );
  }
  let parsed: Partial<Credentials>;
  try {
    parsed = JSON.parse(text) as Partial<Credentials>;
  } catch {
    throw new CliError(`${path} is not valid JSON; delete it and run "gatehouse login"`);
  }
  for (const key of [
    'server',
    'clientId',
    'tokenEndpoint',
    'revocationEndpoint',
    'refreshToken',
  ] as const) {
    if (typeof parsed[key] !== 'string') {
      throw new CliError(`${path} has no ${key}; delete it and run "gatehouse login"`);
    }
  }
  return parsed as Credentials;
}

/**
 * Writes the credentials readable by their owner only: directory 0700, file 0600, written to
 * a temporary file then renamed, so a crash never leaves half a refresh token.
 */
export function writeCredentials(path: string, credentials: Credentials): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function removeCredentials(path: string): void {
  rmSync(path, { force: true });
}
