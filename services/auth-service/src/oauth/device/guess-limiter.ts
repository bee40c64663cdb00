import { HttpError } from '@gatehouse/shared';
import { retryAfterSeconds, windowStartOf, type CounterStore } from '../../limits/counter-store.js';
import { createMemoryCounterStore } from '../../limits/memory-counter-store.js';

export interface GuessLimits {
  /** Wrong user codes one signed-in user may enter per window, from wherever. */
  perUser: number;
  /**
   * Wrong user codes all users together may enter per window: the last resort against many
   * accounts guessing at once. One account adds at most `perUser` to it.
   */
  total: number;
  windowMs: number;
}

export const DEFAULT_GUESS_LIMITS: GuessLimits = {
  perUser: 10,
  total: 1000,
  windowMs: 10 * 60_000,
};

/** The counter of every wrong guess, whoever made it. */
const TOTAL_KEY = 'guess-total';

/**
 * Budget of wrong user-code guesses (RFC 8628 section 5.1), keyed to the one who pays for
 * them: the signed-in user who types the codes (lookups need a signed-in session), whatever
 * addresses they come from. Enforces:
 * - a user who spent `perUser` wrong codes in the window gets 429 `rate_limited` on every
 *   lookup until it ends, right code or not, so guessing cannot continue;
 * - a wrong guess counts towards `total` only while its user is within budget (counted
 *   after the user's own count, so concurrent lookups cannot slip more in), so one account
 *   adds at most `perUser`: exhausting the total takes total / perUser accounts;
 * - once `total` is spent, only users who guessed wrong in this window are refused; a user
 *   with a clean record still looks up their code, so even many colluding accounts cannot
 *   stop device approval for everyone else (issue 20, item 5).
 * 20^8 codes against at most `total` + one guess per other account per window, each code
 * living at most DEVICE_CODE_TTL, leave guessers odds far below 1 in 10^6. Counts are kept
 * in `counters` (process memory by default, bounded; a shared store counts across replicas).
 *
 * @example
 * const guesses = createGuessLimiter(DEFAULT_GUESS_LIMITS, Date.now);
 * await guesses.check(user.id); // rejects with 429 when spent
 * if (!found) await guesses.wrong(user.id);
 */
export function createGuessLimiter(
  limits: GuessLimits,
  now: () => number,
  counters: CounterStore = createMemoryCounterStore({ maxKeys: 100_001 }),
) {
  const userKey = (userId: string) => `guess-user:${userId}`;
  return {
    async check(userId: string): Promise<void> {
      const at = now();
      const windowStart = windowStartOf(at, limits.windowMs);
      const [byUser, total] = await Promise.all([
        counters.get(userKey(userId), windowStart),
        counters.get(TOTAL_KEY, windowStart),
      ]);
      if (byUser >= limits.perUser || (byUser > 0 && total >= limits.total)) {
        const retryAfter = retryAfterSeconds(at, limits.windowMs);
        throw new HttpError(
          429,
          'rate_limited',
          `too many wrong codes; try again in ${retryAfter} s`,
          { headers: { 'Retry-After': String(retryAfter) } },
        );
      }
    },
    async wrong(userId: string): Promise<void> {
      const windowStart = windowStartOf(now(), limits.windowMs);
      const byUser = await counters.increment(userKey(userId), windowStart, limits.windowMs);
      // Lookups racing past check() still add at most perUser per account to the total.
      if (byUser <= limits.perUser) {
        await counters.increment(TOTAL_KEY, windowStart, limits.windowMs);
      }
    },
  };
}

export type GuessLimiter = ReturnType<typeof createGuessLimiter>;
