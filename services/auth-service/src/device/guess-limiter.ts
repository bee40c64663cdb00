import { HttpError } from '@gatehouse/shared';
import { windowStartOf, type CounterStore } from '../limits/counter-store.js';
import { createMemoryCounterStore } from '../limits/memory-counter-store.js';

export interface GuessLimits {
  /** Wrong user codes one client IP may enter per window. */
  perIp: number;
  /** Wrong user codes all clients together may enter per window (a distributed guesser). */
  total: number;
  windowMs: number;
}

export const DEFAULT_GUESS_LIMITS: GuessLimits = { perIp: 10, total: 1000, windowMs: 10 * 60_000 };

/** The counter of every wrong guess, whatever the IP. */
const TOTAL_KEY = 'guess-total';

/**
 * Budget of wrong user-code guesses (RFC 8628 section 5.1): a fixed window per client IP and
 * one across all IPs. Only wrong guesses spend it; once spent, every lookup from that IP (or
 * every lookup at all) is 429 `rate_limited` until the window ends, right code or not, so
 * guessing cannot continue. 20^8 codes against at most `total` guesses per window, each code
 * living at most DEVICE_CODE_TTL, leave a guesser with odds below 1 in 10^6. Counts are kept
 * in `counters` (process memory by default, bounded; a shared store counts across replicas).
 *
 * @example
 * const guesses = createGuessLimiter(DEFAULT_GUESS_LIMITS, Date.now);
 * await guesses.check(ctx.ip); // rejects with 429 when spent
 * if (!found) await guesses.wrong(ctx.ip);
 */
export function createGuessLimiter(
  limits: GuessLimits,
  now: () => number,
  counters: CounterStore = createMemoryCounterStore({ maxKeys: 100_001 }),
) {
  const ipKey = (ip: string) => `guess:${ip}`;
  return {
    async check(ip: string): Promise<void> {
      const at = now();
      const windowStart = windowStartOf(at, limits.windowMs);
      const [byIp, total] = await Promise.all([
        counters.get(ipKey(ip), windowStart),
        counters.get(TOTAL_KEY, windowStart),
      ]);
      if (byIp >= limits.perIp || total >= limits.total) {
        const retryAfter = Math.max(1, Math.ceil((windowStart + limits.windowMs - at) / 1000));
        throw new HttpError(
          429,
          'rate_limited',
          `too many wrong codes; try again in ${retryAfter} s`,
          { headers: { 'Retry-After': String(retryAfter) } },
        );
      }
    },
    async wrong(ip: string): Promise<void> {
      const windowStart = windowStartOf(now(), limits.windowMs);
      await Promise.all([
        counters.increment(TOTAL_KEY, windowStart, limits.windowMs),
        counters.increment(ipKey(ip), windowStart, limits.windowMs),
      ]);
    },
  };
}

export type GuessLimiter = ReturnType<typeof createGuessLimiter>;
