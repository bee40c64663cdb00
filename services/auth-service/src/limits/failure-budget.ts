import { retryAfterSeconds, windowStartOf, type CounterStore } from './counter-store.js';

/**
 * A budget of failures per key in fixed windows, counted in a CounterStore under its own
 * `name` prefix (so it never shares counts with another limit on the same store). Only
 * failures spend it; `spent` tells whether the key's window is used up and for how long.
 *
 * @example
 * const budget = createFailureBudget({ name: 'client-auth-ip', limit: 10, windowMs, now, counters });
 * const retryAfter = await budget.spent(ip); // seconds, or undefined while budget remains
 * await budget.fail(ip);
 */
export function createFailureBudget(options: {
  name: string;
  limit: number;
  windowMs: number;
  now: () => number;
  counters: CounterStore;
}) {
  const { name, limit, windowMs, now, counters } = options;
  const keyOf = (key: string) => `${name}:${key}`;
  return {
    /** Seconds until the window ends when `key` has spent its budget; undefined otherwise. */
    async spent(key: string): Promise<number | undefined> {
      const at = now();
      const windowStart = windowStartOf(at, windowMs);
      if ((await counters.get(keyOf(key), windowStart)) < limit) return undefined;
      return retryAfterSeconds(at, windowMs);
    },
    async fail(key: string): Promise<void> {
      await counters.increment(keyOf(key), windowStartOf(now(), windowMs), windowMs);
    },
  };
}

export type FailureBudget = ReturnType<typeof createFailureBudget>;
