import { createHash } from 'node:crypto';
import type { Context } from 'koa';

/** A strong ETag over the exact bytes of `body`. */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/**
 * Answers a public JSON document verifiers poll: `Cache-Control: public, max-age`, its ETag,
 * and 304 without a body when `If-None-Match` matches it.
 *
 * @example
 * sendCachedJson(ctx, body, strongEtag(body), 1);
 */
export function sendCachedJson(ctx: Context, body: string, etag: string, maxAge: number): void {
  ctx.set('Cache-Control', `public, max-age=${maxAge}`);
  ctx.set('ETag', etag);
  ctx.type = 'application/json';
  ctx.status = 200;
  // koa's `fresh` compares If-None-Match with the ETag just set (weak comparison, RFC 9110).
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.body = body;
}
