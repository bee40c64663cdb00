import { HttpError } from '@gatehouse/shared';
import type { Middleware } from 'koa';
import { retryAfterSeconds, windowStartOf, type CounterStore } from '../limits/counter-store.js';
import { createMemoryCounterStore } from '../limits/memory-counter-store.js';
import { RATE_LIMITED_PATHS, RATE_LIMITED_PREFIXES } from './endpoints.js';

export interface RateLimitOptions {
  /** Requests per window per client IP; 0 turns the limit off. */
  limit: number;
  windowMs?: number;
  paths?: readonly string[];
  /** Every path starting with one of these (after normalising) is limited too. */
  prefixes?: readonly string[];
  now: () => number;
  /** Where counts are kept; by default in process memory for at most `maxClients` IPs. */
  counters?: CounterStore;
  /** With the default counters: clients tracked at once; beyond it the oldest is dropped. */
  maxClients?: number;
}

/**
 * Per-client-IP request budget on the sign-in and token endpoints. Enforces:
 * - at most `limit` requests per fixed window (one minute) per `ctx.ip`, which with
 *   `app.proxy` and `maxIpsCount: 1` is the last X-Forwarded-For hop, the one the gateway set;
 * - paths compared normalised (lower-case, repeated and trailing slashes dropped), so
 *   `/AUTH/token/` spends the same budget as `/auth/token` whatever the router makes of it;
 * - beyond it 429 `rate_limited` with `Retry-After` (seconds to the next window);
 * - bounded memory: counts live only for the current window, for at most `maxClients` IPs
 *   (or as bounded as the CounterStore given, which may count across replicas).
 * A fixed window can let through up to twice the limit around a window edge; that is fine
 * for slowing down abuse and costs one counter increment per limited request.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const { limit, now } = options;
  const windowMs = options.windowMs ?? 60_000;
  const paths = new Set((options.paths ?? RATE_LIMITED_PATHS).map(normalizePath));
  const prefixes = options.prefixes ?? (options.paths ? [] : RATE_LIMITED_PREFIXES);
  const limited = (path: string) => {
    const normal = normalizePath(path);
    return paths.has(normal) || prefixes.some((prefix) => normal.startsWith(prefix));
  };
  const counters =
    options.counters ?? createMemoryCounterStore({ maxKeys: options.maxClients ?? 100_000 });

  return async (ctx, next) => {
    if (limit === 0 || !limited(ctx.path)) return next();
    const at = now();
    const windowStart = windowStartOf(at, windowMs);
    const count = await counters.increment(`rate:${ctx.ip}`, windowStart, windowMs);
    if (count > limit) {
      const retryAfter = retryAfterSeconds(at, windowMs);
      throw new HttpError(429, 'rate_limited', `too many requests; retry in ${retryAfter} s`, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    return next();
  };
}

/** `/Auth//Token/` -> `/auth/token`: the form every limited path is compared in. */
function normalizePath(path: string): string {
  return path
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/(.)\/$/, '$1');
}
