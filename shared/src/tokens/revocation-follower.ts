import { outageLog } from '../retry-log.js';
import type { VerifierLogger } from './jwks-cache.js';
import {
  createRevocationList,
  type FeedRevocation,
  type RevocableToken,
} from './revocation-list.js';

/** What `/readyz` reports about the feed; it never fails readiness. */
export interface RevocationFeedStatus {
  /** False while the last poll failed: the verifier judges by the last list it got. */
  readonly current: boolean;
  readonly entries: number;
  /** Epoch ms of the last successful poll; undefined before the first. */
  readonly polledAt: number | undefined;
  /** Why the last poll failed, while it does. */
  readonly error?: string;
}

export interface RevocationFollower {
  isRevoked(token: RevocableToken): boolean;
  /** Polls once now (the timer does it every interval); resolves whether or not it worked. */
  poll(): Promise<void>;
  status(): RevocationFeedStatus;
  stop(): void;
}

/** Pages read in one poll at most: a follower that is far behind catches up over several. */
const MAX_PAGES_PER_POLL = 20;

/**
 * Follows the auth-service's revocation feed (GET /auth/.well-known/revocations?since=) every
 * `intervalMs`, sending the last ETag, into a bounded in-memory list (revocation-list.ts).
 * When the feed cannot be reached the last list stays in force; the outage is logged once at
 * its start and once at recovery, and the cursor is kept, so revocations recorded meanwhile
 * apply at the first poll that works.
 *
 * @example
 * const follower = createRevocationFollower({ url, intervalMs: 2000, maxEntries: 100_000, clockTolerance: 30, timeoutMs: 3000, fetch, now, logger });
 * if (follower.isRevoked(claims)) throw new TokenError('revoked', 'the token has been revoked');
 */
export function createRevocationFollower(options: {
  url: string;
  intervalMs: number;
  maxEntries: number;
  /** The verifier's clock tolerance (s): entries are held that long past their `exp`. */
  clockTolerance: number;
  timeoutMs: number;
  fetch: typeof globalThis.fetch;
  now: () => number;
  logger: VerifierLogger;
}): RevocationFollower {
  const { now, logger } = options;
  // Services start together: the feed not answering before its first answer is logged at debug.
  const outage = outageLog({ logger, now });
  const list = createRevocationList(options.maxEntries, options.clockTolerance);
  let cursor = '0';
  let etag: string | undefined;
  let polledAt: number | undefined;
  let error: string | undefined;
  let running: Promise<void> | undefined;

  async function fetchPage(): Promise<boolean> {
    const url = new URL(options.url);
    url.searchParams.set('since', cursor);
    const res = await options.fetch(url, {
      headers: { accept: 'application/json', ...(etag !== undefined && { 'if-none-match': etag }) },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (res.status === 304) return false;
    if (!res.ok) throw new Error(`the revocation feed answered ${res.status}`);
    const body = (await res.json()) as { entries?: unknown; cursor?: unknown; more?: unknown };
    if (!Array.isArray(body.entries) || typeof body.cursor !== 'string') {
      throw new Error('the revocation feed sent an unexpected body');
    }
    for (const entry of body.entries as FeedRevocation[]) {
      if (typeof entry?.at === 'number' && typeof entry.exp === 'number') list.add(entry);
    }
    const moved = body.cursor !== cursor;
    cursor = body.cursor;
    etag = res.headers.get('etag') ?? undefined;
    return body.more === true && moved;
  }

  async function pollOnce(): Promise<void> {
    try {
      for (let page = 0; page < MAX_PAGES_PER_POLL && (await fetchPage()); page++) {
        etag = undefined; // the next page is another resource
      }
      list.sweep(now() / 1000);
      outage.up({ url: options.url }, 'revocation feed reachable again');
      error = undefined;
      polledAt = now();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      outage.down(
        { url: options.url, err: message },
        'revocation feed unreachable: judging tokens by the last revocations received',
      );
      error = message;
    }
  }

  const poll = () => (running ??= pollOnce().finally(() => (running = undefined)));
  const timer = setInterval(() => void poll(), options.intervalMs);
  timer.unref();
  void poll();

  return {
    isRevoked: (token) => list.isRevoked(token, now() / 1000),
    poll,
    status: () => ({
      current: error === undefined && polledAt !== undefined,
      entries: list.size,
      polledAt,
      ...(error !== undefined && { error }),
    }),
    stop: () => clearInterval(timer),
  };
}
