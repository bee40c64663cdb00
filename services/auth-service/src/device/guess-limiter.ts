import { HttpError } from '@gatehouse/shared';

export interface GuessLimits {
  /** Wrong user codes one client IP may enter per window. */
  perIp: number;
  /** Wrong user codes all clients together may enter per window (a distributed guesser). */
  total: number;
  windowMs: number;
}

export const DEFAULT_GUESS_LIMITS: GuessLimits = { perIp: 10, total: 1000, windowMs: 10 * 60_000 };

/**
 * Budget of wrong user-code guesses (RFC 8628 section 5.1): a fixed window per client IP and
 * one across all IPs. Only wrong guesses spend it; once spent, every lookup from that IP (or
 * every lookup at all) is 429 `rate_limited` until the window ends, right code or not, so
 * guessing cannot continue. 20^8 codes against at most `total` guesses per window, each code
 * living at most DEVICE_CODE_TTL, leave a guesser with odds below 1 in 10^6.
 *
 * @example
 * const guesses = createGuessLimiter(DEFAULT_GUESS_LIMITS, Date.now);
 * guesses.check(ctx.ip); // throws 429 when spent
 * if (!found) guesses.wrong(ctx.ip);
 */
export function createGuessLimiter(limits: GuessLimits, now: () => number) {
  let windowStart = 0;
  let total = 0;
  const perIp = new Map<string, number>();
  const roll = () => {
    const at = now();
    const window = at - (at % limits.windowMs);
    if (window !== windowStart) {
      windowStart = window;
      total = 0;
      perIp.clear();
    }
    return at;
  };
  return {
    check(ip: string): void {
      const at = roll();
      if ((perIp.get(ip) ?? 0) >= limits.perIp || total >= limits.total) {
        const retryAfter = Math.max(1, Math.ceil((windowStart + limits.windowMs - at) / 1000));
        throw new HttpError(
          429,
          'rate_limited',
          `too many wrong codes; try again in ${retryAfter} s`,
          { headers: { 'Retry-After': String(retryAfter) } },
        );
      }
    },
    wrong(ip: string): void {
      roll();
      total += 1;
      if (perIp.size >= 100_000 && !perIp.has(ip)) perIp.delete(perIp.keys().next().value!);
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    },
  };
}

export type GuessLimiter = ReturnType<typeof createGuessLimiter>;
