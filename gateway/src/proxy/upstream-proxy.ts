import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { createProxyMiddleware, type Plugin } from 'http-proxy-middleware';
import type { HttpError, Logger } from '@gatehouse/shared';
import { proxyPlugin } from './proxy-plugin.js';

/**
 * How long a kept-alive upstream socket may sit idle in the pool before the gateway closes it.
 * Invariant: shorter than the services' keepAliveTimeout (65 s, the shared `serve()` default),
 * so it is always the gateway that closes an idle connection, never the service while a
 * request is being written into it. Node also honours the service's `Keep-Alive: timeout=`
 * hint (minus 1 s) if that is ever shorter. The rare race left (a service shutting down)
 * is covered by the one retry in `proxyPlugin`.
 */
export const UPSTREAM_IDLE_TIMEOUT_MS = 30_000;

export interface UpstreamProxy {
  readonly proxy: (req: IncomingMessage, res: ServerResponse) => void;
  readonly agent: Agent;
}

/** The httpxy server http-proxy-middleware builds and hands to its plugins. */
type ProxyServer = Parameters<Plugin>[0];

/**
 * A proxy to one service: a keep-alive agent and http-proxy-middleware with a pre-parsed
 * target, default plugins ejected and only the gateway's plugin registered.
 *
 * http-proxy-middleware builds the proxy server and registers the plugin, but requests go
 * straight to that server's `web` with options built once: the middleware's per-request
 * work (path filter parsing `req.url` with `new URL`, copying its options, two awaited
 * preparation steps) is about a fifth of the gateway's CPU per request and does nothing
 * here, since the gateway has already routed the request and neither rewrites paths nor
 * picks targets per request.
 *
 * Paths are forwarded unchanged (`/auth/login` reaches the auth-service as `/auth/login`),
 * so nothing is rewritten on the way back: services build redirects from PUBLIC_URL or as
 * relative paths, and scope cookies to their public prefix without a Domain (host-only, so
 * they belong to the public host). The one exception, a `Location` naming the service's own
 * origin, is rewritten to the public origin by the plugin.
 */
export function createUpstreamProxy(options: {
  upstream: string;
  origin: string;
  publicOrigin: string;
  timeoutMs: number;
  logger: Logger;
  renderError: (req: IncomingMessage, res: ServerResponse, err: HttpError) => void;
}): UpstreamProxy {
  const agent = new Agent({
    keepAlive: true,
    timeout: UPSTREAM_IDLE_TIMEOUT_MS,
    scheduling: 'lifo',
  });
  const target = new URL(options.origin);
  const plugin = proxyPlugin({
    upstream: options.upstream,
    upstreamOrigin: options.origin,
    publicOrigin: options.publicOrigin,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
    renderError: options.renderError,
    // Called only after `proxy` below exists.
    retry: (req, res) => proxy(req, res),
  });
  let server: ProxyServer | undefined;
  const capture: Plugin = (proxyServer) => {
    server = proxyServer;
  };
  createProxyMiddleware({
    target,
    agent,
    selfHandleResponse: true,
    ejectPlugins: true,
    plugins: [plugin, capture],
  });
  if (server === undefined) throw new Error('http-proxy-middleware did not call its plugins');
  const proxyServer: ProxyServer = server;
  // What the middleware would pass to `web` for every request, built once.
  const webOptions = { target, agent, selfHandleResponse: true };
  // `web` rejects only when `res` emits an error; the middleware turns that into the proxy
  // `error` event, which the plugin answers, and so does this.
  const proxy = (req: IncomingMessage, res: ServerResponse) => {
    proxyServer
      .web(req, res, webOptions)
      .catch((err: Error) => proxyServer.emit('error', err, req, res, target));
  };
  return { proxy, agent };
}
