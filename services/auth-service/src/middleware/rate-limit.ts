import { HttpError } from '@gatehouse/shared';
import type { Middleware } from 'koa';

/**
 * The endpoints worth hammering: starting sign-in, grant's redirect and callback, tokens, the
 * device flow, revocation and introspection.
 */
const RATE_LIMITED_PATHS = [
  '/auth/login',
  '/auth/connect/google',
  '/auth/connect/google/callback',
  '/auth/token',
  '/auth/device_authorization',
  '/auth/device',
  '/auth/revoke',
  '/auth/introspect',
] as const;

export interface RateLimitOptions {
  /** Requests per window per client IP; 0 turns the limit off. */
  limit: number;
  windowMs?: number;
  paths?: readonly string[];
  now: () => number;
  /** Clients tracked at once; beyond it the oldest entry is dropped, bounding memory. */
  maxClients?: number;
}

/**
 * Per-client-IP request budget on the sign-in and token endpoints. Enforces:
 * - at most `limit` requests per fixed window (one minute) per `ctx.ip`, which with
 *   `app.proxy` and `maxIpsCount: 1` is the last X-Forwarded-For hop, the one the gateway set;
 * - paths compared normalised (lower-case, repeated and trailing slashes dropped), so
 *   `/AUTH/token/` spends the same budget as `/auth/token` whatever the router makes of it;
 * - beyond it 429 `rate_limited` with `Retry-After` (seconds to the next window);
 * - bounded memory: counts live only for the current window, for at most `maxClients` IPs.
 * A fixed window can let through up to twice the limit around a window edge; that is fine
 * for slowing down abuse and costs one map lookup per request.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const { limit, now } = options;
  const windowMs = options.windowMs ?? 60_000;
  const paths = new Set((options.paths ?? RATE_LIMITED_PATHS).map(normalizePath));
  const maxClients = options.maxClients ?? 100_000;
  let windowStart = 0;
  const counts = new Map<string, number>();

  return async (ctx, next) => {
    if (limit === 0 || !paths.has(normalizePath(ctx.path))) return next();
    const at = now();
    const window = at - (at % windowMs);
    if (window !== windowStart) {
      counts.clear();
      windowStart = window;
    }
    const count = (counts.get(ctx.ip) ?? 0) + 1;
    if (count > limit) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000));
      throw new HttpError(429, 'rate_limited', `too many requests; retry in ${retryAfter} s`, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    if (count === 1 && counts.size >= maxClients) {
      counts.delete(counts.keys().next().value as string);
    }
    counts.set(ctx.ip, count);
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
