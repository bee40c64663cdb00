import type Router from '@koa/router';
import { HttpError } from '@gatehouse/shared';
import type { FeedEntry, RevocationStore } from './revocation-store.js';
import { createAuthRouter } from '../../http/auth-router.js';
import { sendCachedJson, strongEtag } from '../../http/cached-json.js';
import { REVOCATIONS_PATH } from '../../http/endpoints.js';

/** Entries per response; a follower reads on at once while `more` is true. */
export const FEED_PAGE_LIMIT = 10_000;
/** Seconds a response may be cached: below the verifiers' poll interval (2 s by default). */
const FEED_MAX_AGE = 1;
/** A cursor is a decimal id, as the feed gave it; nothing else is accepted. */
const CURSOR = /^(0|[1-9][0-9]{0,15})$/;

/**
 * GET /auth/.well-known/revocations?since=CURSOR: the revocation feed every verifier follows
 * (shared createTokenVerifier's `revocations` option). Enforces:
 * - `since` absent (from the start) or a cursor this feed returned, else 400 `invalid_request`;
 * - entries after the cursor in feed order, each naming `sid`, `sub` or `jti` with `at` and
 *   `exp` in seconds: refuse the tokens it names whose `iat` <= `at`; forget it after `exp`;
 *   never an email or a reason, only the opaque ids tokens already carry;
 * - `cursor` to send next (it may repeat the tail; see revocation-store.ts) and `more` when
 *   the page was cut at FEED_PAGE_LIMIT;
 * - `Cache-Control: public, max-age=1`, a strong ETag over the body, 304 on `If-None-Match`.
 */
export function revocationFeedRoutes(options: { revocations: RevocationStore }): Router {
  const router = createAuthRouter();
  router.get(REVOCATIONS_PATH, async (ctx) => {
    const since = ctx.query.since ?? '0';
    if (typeof since !== 'string' || !CURSOR.test(since) || !Number.isSafeInteger(Number(since))) {
      throw new HttpError(400, 'invalid_request', 'since must be a cursor the feed returned');
    }
    const page = await options.revocations.since(Number(since), FEED_PAGE_LIMIT);
    const body = JSON.stringify({
      entries: page.entries.map(toWire),
      cursor: String(page.cursor),
      more: page.more,
    });
    sendCachedJson(ctx, body, strongEtag(body), FEED_MAX_AGE);
  });
  return router;
}

/** `at` rounds down, so `iat <= at` (whole seconds) is exactly "issued at or before". */
function toWire(entry: FeedEntry) {
  return {
    ...(entry.sid !== undefined && { sid: entry.sid }),
    ...(entry.sub !== undefined && { sub: entry.sub }),
    ...(entry.jti !== undefined && { jti: entry.jti }),
    at: Math.floor(entry.at / 1000),
    exp: Math.ceil(entry.expiresAt / 1000),
  };
}
