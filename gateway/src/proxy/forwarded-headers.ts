import type { IncomingMessage } from 'node:http';
import { removeRequestHopByHop } from './hop-by-hop.js';

/**
 * Headers a client could use to impersonate the gateway toward a service. The gateway is the
 * only party allowed to state them, so whatever the client sent is dropped.
 */
const SPOOFABLE = [
  'forwarded',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-forwarded-server',
  'x-real-ip',
] as const;

/**
 * Returns the step that rewrites a request's headers just before it is forwarded. Enforces:
 * - hop-by-hop headers removed (see `removeRequestHopByHop`);
 * - `X-Forwarded-For` = the client socket's address, never a value from the client;
 * - `X-Forwarded-Proto`/`-Host` = the scheme and host of PUBLIC_URL, so services build
 *   public URLs from configuration, not from a client-supplied Host;
 * - other forwarding headers (`Forwarded`, `X-Real-IP`, ...) removed.
 * `X-Request-Id` was already normalised by the request context.
 */
export function forwardedHeaders(publicUrl: string): (req: IncomingMessage) => void {
  const url = new URL(publicUrl);
  const proto = url.protocol.slice(0, -1);
  const host = url.host;
  return (req) => {
    const headers = req.headers;
    removeRequestHopByHop(headers);
    for (const name of SPOOFABLE) {
      if (headers[name] !== undefined) delete headers[name];
    }
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
    headers['x-forwarded-proto'] = proto;
    headers['x-forwarded-host'] = host;
  };
}
