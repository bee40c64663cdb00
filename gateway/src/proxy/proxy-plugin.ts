import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Plugin } from 'http-proxy-middleware';
import type { HttpError, Logger } from '@gatehouse/shared';
import { denyFramingOfPages } from './deny-framing-of-pages.js';
import { buildResponseHeaders } from './hop-by-hop.js';
import type { UpstreamMember } from './upstream-pool.js';
import {
  isConnectionFailure,
  isRetryableElsewhere,
  isRetryableOnFreshSocket,
  toUpstreamHttpError,
  UpstreamTimeoutError,
} from './upstream-errors.js';

const kUpstreamRequest = Symbol('gateway.upstreamRequest');
const kDeadline = Symbol('gateway.deadline');
const kRetried = Symbol('gateway.retried');
/** The replica the request was sent to; set by the proxy before each attempt. */
export const kMember = Symbol('gateway.member');

/** What the plugin keeps on the incoming request while it is being proxied. */
interface ProxiedRequest extends IncomingMessage {
  [kUpstreamRequest]?: ClientRequest;
  [kDeadline]?: NodeJS.Timeout;
  [kRetried]?: true;
  [kMember]?: UpstreamMember;
}

export interface ProxyPluginOptions {
  /** Name used in messages and logs, e.g. `auth-service`. */
  upstream: string;
  publicOrigin: string;
  timeoutMs: number;
  logger: Logger;
  /** Writes the gateway's own error response (the Express app's one error renderer). */
  renderError: (req: IncomingMessage, res: ServerResponse, err: HttpError) => void;
  /** Sends the request again, to another replica when there is one; used at most once. */
  retry: (req: IncomingMessage, res: ServerResponse) => void;
  /** Whether another replica could take a retry (false for a single upstream). */
  hasOtherMembers: boolean;
  /** Passive health: the replica's connection failed. */
  markDown: (member: UpstreamMember, reason: string) => void;
  /** The replica answered although it was out of rotation: it is back. */
  markUp: (member: UpstreamMember) => void;
}

/**
 * The only http-proxy-middleware plugin the gateway registers (default plugins are ejected:
 * they log per request, parse URLs and write plain-text errors). Enforces:
 * - an upstream that has not sent its response head within `timeoutMs` is aborted (the
 *   service sees its connection close) and the client gets 504;
 * - once the head is out, an upstream that sends nothing for `timeoutMs` (an idle timeout on
 *   its socket) is cut, and so is the client: the status is already sent, so a cut
 *   connection is the only honest signal. A client that reads nothing for that long stalls
 *   the upstream socket too (backpressure) and is cut the same way;
 * - refused, reset or otherwise failed exchanges become 502, as the standard JSON error;
 * - a safe body-less request that died on a reused keep-alive socket is retried once (on
 *   another replica when there are several); with several replicas, so is a body-less
 *   request whose connection was never made;
 * - a connection failure (other than that keep-alive race) takes the replica out of rotation
 *   for the cooldown; any response from a replica out of rotation brings it back;
 * - the response head is written by `buildResponseHeaders` (hop-by-hop removed, request id,
 *   `Location` pointing at the upstream's own origin rewritten to the public origin), and
 *   an HTML page that states no framing policy gets one (`denyFramingOfPages`).
 * Client aborts need nothing here: httpxy destroys the upstream request when `res` closes.
 */
export function proxyPlugin(options: ProxyPluginOptions): Plugin {
  const { upstream, publicOrigin, timeoutMs, logger, renderError, retry } = options;
  const { hasOtherMembers, markDown, markUp } = options;
  const rewriteLocation = (upstreamOrigin: string, location: string) =>
    location.startsWith(upstreamOrigin) &&
    (location.length === upstreamOrigin.length || '/?#'.includes(location[upstreamOrigin.length]!))
      ? publicOrigin + location.slice(upstreamOrigin.length)
      : location;
  const abortSlowUpstream = (proxyReq: ClientRequest) =>
    proxyReq.destroy(new UpstreamTimeoutError(upstream, timeoutMs));

  return (proxyServer) => {
    proxyServer.on('proxyReq', (proxyReq, req: ProxiedRequest) => {
      req[kUpstreamRequest] = proxyReq;
      req[kDeadline] = setTimeout(abortSlowUpstream, timeoutMs, proxyReq);
    });

    proxyServer.on('proxyRes', (proxyRes: IncomingMessage, req: ProxiedRequest, res) => {
      clearTimeout(req[kDeadline]);
      const member = req[kMember]!;
      if (member.downUntil !== 0) markUp(member);
      let head: string[];
      try {
        head = buildResponseHeaders(
          proxyRes.rawHeaders,
          req.headers['x-request-id'] as string,
          (location) => rewriteLocation(member.origin, location),
        );
        denyFramingOfPages(head);
        res.writeHead(proxyRes.statusCode ?? 502, proxyRes.statusMessage, head);
      } catch (err) {
        // An upstream header Node refuses to write (invalid characters): not a valid answer.
        proxyRes.destroy();
        fail(err as Error, req, res);
        return;
      }
      proxyRes.pipe(res);
      // Node arms this on the upstream socket and disarms it when the response is complete.
      req[kUpstreamRequest]?.setTimeout(timeoutMs, () => {
        logger.warn(
          { request_id: req.headers['x-request-id'], upstream, timeout_ms: timeoutMs },
          'upstream stalled mid-response; connection cut',
        );
        proxyRes.destroy();
        res.destroy();
      });
    });

    proxyServer.on('econnreset', (_err, req: ProxiedRequest) => clearTimeout(req[kDeadline]));

    proxyServer.on('error', (err, req?: ProxiedRequest, res?: ServerResponse | Socket) => {
      if (!req || !res) return;
      clearTimeout(req[kDeadline]);
      if (!('writeHead' in res)) {
        res.destroy();
        return;
      }
      const raced =
        req[kUpstreamRequest]?.reusedSocket === true &&
        isRetryableOnFreshSocket(err, req.method, req.headers);
      const member = req[kMember];
      if (!raced && member !== undefined && isConnectionFailure(err)) {
        markDown(member, (err as NodeJS.ErrnoException).code!);
      }
      if (
        !req[kRetried] &&
        !res.headersSent &&
        (raced || (hasOtherMembers && isRetryableElsewhere(err, req.headers)))
      ) {
        req[kRetried] = true;
        logger.debug(
          { request_id: req.headers['x-request-id'], upstream, origin: member?.origin },
          hasOtherMembers ? 'retrying on another replica' : 'retrying on a fresh connection',
        );
        retry(req, res);
        return;
      }
      fail(err, req, res);
    });
  };

  function fail(err: Error, req: IncomingMessage, res: ServerResponse): void {
    renderError(req, res, toUpstreamHttpError(upstream, err));
  }
}
