import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpError, Logger } from '@gatehouse/shared';
import { forwardToUpstream } from './forward-to-upstream.js';
import { responseRewrites } from './response-rewrites.js';
import { createUpstreamPool, type UpstreamPool } from './upstream-pool.js';

export { UPSTREAM_IDLE_TIMEOUT_MS } from './upstream-pool.js';

export interface UpstreamProxy {
  readonly proxy: (req: IncomingMessage, res: ServerResponse) => void;
  /** The replicas requests are spread over, each with its own keep-alive agent. */
  readonly pool: UpstreamPool;
}

/**
 * A proxy to one service: its pool of replicas (one keep-alive agent each, see
 * `createUpstreamPool`) and `forwardToUpstream`, a direct node:http exchange. The gateway has
 * already routed the request and set its path and headers, so nothing here parses URLs or
 * copies options per request.
 *
 * Paths are forwarded as the route table made them (`/auth/login` reaches the auth-service as
 * `/auth/login`), so without `strippedPrefix` nothing is rewritten on the way back but a
 * `Location` naming the service's own origin, which points at the public origin instead:
 * services build redirects from PUBLIC_URL or as relative paths, and scope cookies to their
 * public prefix without a Domain (host-only, so they belong to the public host). A route with
 * `strip_prefix` gets its prefix put back into `Location` and cookie paths
 * (`responseRewrites`).
 */
export function createUpstreamProxy(options: {
  upstream: string;
  /** One origin, or several replicas of the service. */
  origins: readonly string[];
  publicOrigin: string;
  timeoutMs: number;
  /** The public prefix the upstream does not see (a route with `strip_prefix: true`). */
  strippedPrefix?: string;
  /** How long a replica that failed gets no requests. */
  cooldownMs?: number;
  /** Milliseconds, monotonic; the cooldown's clock. */
  now?: () => number;
  logger: Logger;
  renderError: (req: IncomingMessage, res: ServerResponse, err: HttpError) => void;
}): UpstreamProxy {
  const pool = createUpstreamPool({
    upstream: options.upstream,
    origins: options.origins,
    cooldownMs: options.cooldownMs ?? 5_000,
    now: options.now ?? (() => performance.now()),
    logger: options.logger,
  });
  const forward = forwardToUpstream({
    upstream: options.upstream,
    pool,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
    renderError: options.renderError,
    rewrites: (member) =>
      responseRewrites(member.origin, options.publicOrigin, options.strippedPrefix),
  });
  const proxy = (req: IncomingMessage, res: ServerResponse) => forward(req, res, pool.pick());
  return { proxy, pool };
}
