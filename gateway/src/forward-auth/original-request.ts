import type { IncomingMessage } from 'node:http';
import type { BlockList } from 'node:net';
import { isTrusted } from '../proxy/client-address.js';

/** The request another proxy asks about, as it described it. */
export interface OriginalRequest {
  /**
   * `forwarded`: Traefik, Caddy and others that pass the auth answer on to the browser, so a
   * 302 to sign-in works; `original`: nginx `auth_request`, which turns anything but 2xx, 401
   * and 403 into a 500, so sign-in is a 401 naming where to go.
   */
  readonly style: 'forwarded' | 'original';
  readonly method: string;
  /** The request target, e.g. `/grafana/d/1?orgId=1`. */
  readonly uri: string;
}

const one = (value: string | string[] | undefined) =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The original request described by a trusted proxy: `X-Forwarded-Method` and
 * `X-Forwarded-Uri` (Traefik ForwardAuth, Caddy `forward_auth`), else `X-Original-Method` and
 * `X-Original-URI` (nginx `auth_request`) or `X-Original-URL`, a whole URL (Kubernetes
 * ingress-nginx's `auth-url`), of which only the path and query count. A peer outside TRUSTED_PROXIES describes nothing:
 * its headers are ignored, so a client cannot pick the route its credential is judged by.
 * Undefined when nothing trusted describes a request.
 */
export function originalRequest(
  req: IncomingMessage,
  trustedProxies: BlockList | undefined,
): OriginalRequest | undefined {
  const peer = req.socket.remoteAddress;
  if (trustedProxies === undefined || peer === undefined || !isTrusted(peer, trustedProxies)) {
    return undefined;
  }
  const headers = req.headers;
  const forwarded = one(headers['x-forwarded-uri']);
  if (forwarded !== undefined) {
    const method = one(headers['x-forwarded-method']) ?? req.method ?? 'GET';
    return { style: 'forwarded', method: method.toUpperCase(), uri: forwarded };
  }
  const original = one(headers['x-original-uri']) ?? targetOf(one(headers['x-original-url']));
  if (original !== undefined) {
    const method = one(headers['x-original-method']) ?? req.method ?? 'GET';
    return { style: 'original', method: method.toUpperCase(), uri: original };
  }
  return undefined;
}

/** The path and query of an absolute URL; undefined when it is not one. */
function targetOf(url: string | undefined): string | undefined {
  if (url === undefined || !/^https?:\/\//i.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return undefined;
  }
}
