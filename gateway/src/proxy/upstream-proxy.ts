import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { createProxyMiddleware } from 'http-proxy-middleware';
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

/**
 * A proxy to one service: a keep-alive agent and http-proxy-middleware with a pre-parsed
 * target, default plugins ejected and only the gateway's plugin registered.
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
  const plugin = proxyPlugin({
    upstream: options.upstream,
    upstreamOrigin: options.origin,
    publicOrigin: options.publicOrigin,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
    renderError: options.renderError,
    // Called only after `middleware` below exists.
    retry: (req, res) => void middleware(req, res),
  });
  // Errors never reach `next`: the plugin's error listener answers every failure.
  const middleware = createProxyMiddleware({
    target: new URL(options.origin),
    agent,
    selfHandleResponse: true,
    ejectPlugins: true,
    plugins: [plugin],
  });
  return { proxy: (req, res) => void middleware(req, res), agent };
}
