import { setTimeout as delay } from 'node:timers/promises';

const POLL_MS = 200;

/**
 * Polls until `check` returns a value (undefined or false: not yet; a throw: not yet, and the
 * reason kept); fails with the last reason after `ms`. Checks every `everyMs` (200 ms unless
 * a test must see a change sooner). The one polling helper of the cross-service tests.
 *
 * @example
 * await until('every service healthy', 60_000, () => stack.healthy(SERVICES));
 */
export async function until<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined | false>,
  { everyMs = POLL_MS }: { everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = 'never checked';
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await delay(everyMs);
  }
  throw new Error(`${what} not within ${ms} ms (last: ${String(last)})`);
}
