import type { IncomingMessage, ServerResponse } from 'node:http';
import { createProxyMiddleware, type Plugin } from 'http-proxy-middleware';
import type { HttpError, Logger } from '@gatehouse/shared';
import { kMember, proxyPlugin } from './proxy-plugin.js';
import { createUpstreamPool, type UpstreamMember, type UpstreamPool } from './upstream-pool.js';

export { UPSTREAM_IDLE_TIMEOUT_MS } from './upstream-pool.js';

export interface UpstreamProxy {
  readonly proxy: (req: IncomingMessage, res: ServerResponse) => void;
  /** The replicas requests are spread over, each with its own keep-alive agent. */
  readonly pool: UpstreamPool;
}

/** The httpxy server http-proxy-middleware builds and hands to its plugins. */
type ProxyServer = Parameters<Plugin>[0];

/**
 * A proxy to one service: its pool of replicas (one keep-alive agent each, see
 * `createUpstreamPool`) and http-proxy-middleware with pre-parsed targets, default plugins
 * ejected and only the gateway's plugin registered.
 *
 * http-proxy-middleware builds the proxy server and registers the plugin, but requests go
 * straight to that server's `web` with options built once: the middleware's per-request
 * work (path filter parsing `req.url` with `new URL`, copying its options, two awaited
 * preparation steps) is about a fifth of the gateway's CPU per request and does nothing
 * here, since the gateway has already routed the request and does not rewrite paths; the
 * replica is picked from the pool, whose options for `web` are built once per replica.
 *
 * Paths are forwarded unchanged (`/auth/login` reaches the auth-service as `/auth/login`),
 * so nothing is rewritten on the way back: services build redirects from PUBLIC_URL or as
 * relative paths, and scope cookies to their public prefix without a Domain (host-only, so
 * they belong to the public host). The one exception, a `Location` naming the service's own
 * origin, is rewritten to the public origin by the plugin.
 */
export function createUpstreamProxy(options: {
  upstream: string;
  /** One origin, or several replicas of the service. */
  origins: readonly string[];
  publicOrigin: string;
  timeoutMs: number;
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
  const target = pool.members[0]!.target;
  const plugin = proxyPlugin({
    upstream: options.upstream,
    publicOrigin: options.publicOrigin,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
    renderError: options.renderError,
    hasOtherMembers: pool.members.length > 1,
    markDown: pool.markDown,
    markUp: pool.markUp,
    // Called only after `send` below exists.
    retry: (req, res) => send(req, res, pool.pick((req as Tagged)[kMember])),
  });
  let server: ProxyServer | undefined;
  const capture: Plugin = (proxyServer) => {
    server = proxyServer;
  };
  createProxyMiddleware({
    target,
    agent: pool.members[0]!.agent,
    selfHandleResponse: true,
    ejectPlugins: true,
    plugins: [plugin, capture],
  });
  if (server === undefined) throw new Error('http-proxy-middleware did not call its plugins');
  const proxyServer: ProxyServer = server;
  // `web` rejects only when `res` emits an error; the middleware turns that into the proxy
  // `error` event, which the plugin answers, and so does this.
  const send = (req: IncomingMessage, res: ServerResponse, member: UpstreamMember) => {
    (req as Tagged)[kMember] = member;
    proxyServer
      .web(req, res, member.webOptions)
      .catch((err: Error) => proxyServer.emit('error', err, req, res, member.target));
  };
  const proxy = (req: IncomingMessage, res: ServerResponse) => send(req, res, pool.pick());
  return { proxy, pool };
}

type Tagged = IncomingMessage & { [kMember]?: UpstreamMember };
