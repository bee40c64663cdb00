import type { Context } from 'koa';

/** Where a request came from, as the account page shows it: address and browser or client. */
export interface RequestSource {
  /** The client's address: the gateway's X-Forwarded-For entry (app.ts trusts one hop). */
  readonly ip: string;
  /** The User-Agent header, cut to USER_AGENT_MAX characters; null when none was sent. */
  readonly userAgent: string | null;
}

/** Longer user agents are cut: the value is only ever displayed. */
export const USER_AGENT_MAX = 256;

/**
 * The request's source, recorded at sign-in and at every refresh.
 *
 * @example
 * const from = requestSource(ctx); // { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 ...' }
 */
export function requestSource(ctx: Pick<Context, 'ip' | 'get'>): RequestSource {
  const userAgent = ctx.get('User-Agent');
  return { ip: ctx.ip, userAgent: userAgent ? userAgent.slice(0, USER_AGENT_MAX) : null };
}
