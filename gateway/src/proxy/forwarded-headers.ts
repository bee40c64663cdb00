import type { IncomingMessage } from 'node:http';
import type { BlockList } from 'node:net';
import { gatewayPassCookie } from '@gatehouse/shared';
import { removePassCookie } from './pass-cookie.js';
import { clientAddress } from './client-address.js';
import { removeRequestHopByHop } from './hop-by-hop.js';
import { isIdentityHeader } from './identity-headers.js';
import { isSpoofableHeader } from './spoofable-headers.js';

/**
 * Returns the step that rewrites a request's headers just before it is forwarded. Enforces:
 * - hop-by-hop headers removed (see `removeRequestHopByHop`);
 * - `X-Forwarded-For` = exactly one address, the client's: the socket peer, or when the peer
 *   is one of `trustedProxies` (TRUSTED_PROXIES), the hop `clientAddress` resolves from the
 *   peer's X-Forwarded-For. One address keeps the services' one-hop trust (Koa `maxIpsCount: 1`)
 *   correct; a client-written value never passes through;
 * - `X-Forwarded-Proto`/`-Host` = the scheme and host of PUBLIC_URL, so services build
 *   public URLs from configuration, not from a client-supplied Host;
 * - other forwarding headers (`Forwarded`, `X-Real-IP`, `X-Original-URL`, ...) and every
 *   header name with an underscore removed (see `isSpoofableHeader`).
 * - every client `X-Gatehouse-*` removed (see `isIdentityHeader`): only the gateway
 *   states the caller's identity;
 * - the gateway pass cookie removed (see `removePassCookie`): it is the gateway's credential,
 *   and no upstream, `/auth` included, needs it.
 * `X-Request-Id` was already normalised by the request context.
 */
export function forwardedHeaders(
  publicUrl: string,
  trustedProxies?: BlockList,
): (req: IncomingMessage) => void {
  const url = new URL(publicUrl);
  const proto = url.protocol.slice(0, -1);
  const host = url.host;
  const passCookie = gatewayPassCookie(publicUrl);
  return (req) => {
    const headers = req.headers;
    removeRequestHopByHop(headers);
    // One walk over the names for both rules: a client's header object is often in V8's
    // dictionary mode by now (hop-by-hop deletes), where each walk lists its keys anew.
    for (const name in headers) {
      if (isSpoofableHeader(name) || isIdentityHeader(name)) delete headers[name];
    }
    removePassCookie(headers, passCookie);
    const peer = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] =
      trustedProxies === undefined
        ? peer
        : clientAddress(peer, headers['x-forwarded-for'], trustedProxies);
    headers['x-forwarded-proto'] = proto;
    headers['x-forwarded-host'] = host;
  };
}
