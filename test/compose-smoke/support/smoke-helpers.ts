import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const POLL_MS = 200;

/**
 * Polls until `check` returns a value; fails with the last reason after `ms`.
 *
 * @example
 * await until('every service healthy', 60_000, () => stack.healthy(SERVICES));
 */
export async function until<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = 'never checked';
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await delay(POLL_MS);
  }
  throw new Error(`${what} not within ${ms} ms (last: ${String(last)})`);
}

/**
 * An empty env file in a scratch directory: compose reads it instead of a developer's `.env`,
 * so a smoke run sees only the compose files' own defaults. `remove` deletes the directory.
 */
export function emptyEnvFile(prefix: string): { path: string; remove(): void } {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  const path = join(scratch, 'empty.env');
  writeFileSync(path, '');
  return { path, remove: () => rmSync(scratch, { recursive: true, force: true }) };
}
