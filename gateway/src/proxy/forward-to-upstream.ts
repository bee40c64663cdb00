import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { HttpError, Logger } from '@gatehouse/shared';
import { denyFramingOfPages } from './deny-framing-of-pages.js';
import { buildResponseHeaders } from './hop-by-hop.js';
import type { UpstreamMember, UpstreamPool } from './upstream-pool.js';
import {
  isConnectionFailure,
  isRetryableElsewhere,
  isRetryableOnFreshSocket,
  toUpstreamHttpError,
  UpstreamTimeoutError,
} from './upstream-errors.js';
import type { ResponseRewrites } from './response-rewrites.js';
import { upstreamHeaderList } from './upstream-header-list.js';

export interface ForwardOptions {
  /** Name used in messages and logs, e.g. `auth-service`. */
  upstream: string;
  pool: UpstreamPool;
  timeoutMs: number;
  logger: Logger;
  /** Location and Set-Cookie rewriting for one replica's responses (`responseRewrites`). */
  rewrites: (member: UpstreamMember) => ResponseRewrites;
  /** Writes the gateway's own error response (the Express app's one error renderer). */
  renderError: (req: IncomingMessage, res: ServerResponse, err: HttpError) => void;
}

/** One request's passage to a replica; kept on the emitters, so listeners are shared. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly member: UpstreamMember;
  readonly upstreamReq: ClientRequest;
  upstreamRes: IncomingMessage | undefined;
  readonly retried: boolean;
}

const kExchange = Symbol('gateway.exchange');
type Carrying<T> = T & { [kExchange]: Exchange };

/**
 * Sends a request to a replica with node:http and relays the answer: one `request` over the
 * replica's keep-alive agent, the response head written once from the upstream's raw header
 * list, the body piped, as the minimal proxy in `bench/minimal-proxy.mjs` does; the request
 * head is written from a header list (`upstreamHeaderList`). Listeners are
 * module functions shared by every request (the exchange rides on the emitters), so a request
 * allocates no closures. Enforces:
 * - an upstream that sends nothing for `timeoutMs` is cut (the request's socket timeout): before
 *   its response head the service sees its connection close and the client gets 504; after it,
 *   the status is already sent, so the client connection is cut too, the only honest signal.
 *   A client that reads nothing for that long stalls the upstream socket (backpressure) and is
 *   cut the same way. Pooled idle sockets keep the agent's own `UPSTREAM_IDLE_TIMEOUT_MS`;
 * - refused, reset or otherwise failed exchanges become 502, as the standard JSON error;
 * - a safe body-less request that died on a reused keep-alive socket is retried once (on
 *   another replica when there are several); with several replicas, so is a body-less
 *   request whose connection was never made;
 * - a connection failure (other than that keep-alive race) takes the replica out of rotation
 *   for the cooldown; any response from a replica out of rotation brings it back;
 * - the response head is written by `buildResponseHeaders` (hop-by-hop removed, request id,
 *   `Location`/`Set-Cookie` through the route's rewrites), and an HTML page that states no
 *   framing policy gets one (`denyFramingOfPages`);
 * - a client that leaves aborts the upstream request; an upstream that dies mid-body cuts the
 *   client connection.
 * A request without a body (no Content-Length or Transfer-Encoding) is ended at once rather
 * than piped; one with a chunked body closes its upstream connection afterwards.
 */
export function forwardToUpstream(
  options: ForwardOptions,
): (req: IncomingMessage, res: ServerResponse, member: UpstreamMember) => void {
  const { upstream, pool, timeoutMs, logger, renderError } = options;
  const hasOtherMembers = pool.members.length > 1;
  const rewrites = new Map(pool.members.map((member) => [member, options.rewrites(member)]));

  const fail = (exchange: Exchange, err: Error) =>
    renderError(exchange.req, exchange.res, toUpstreamHttpError(upstream, err));

  function onResponse(this: Carrying<ClientRequest>, upstreamRes: IncomingMessage): void {
    const exchange = this[kExchange];
    const { req, res, member } = exchange;
    exchange.upstreamRes = upstreamRes;
    if (member.downUntil !== 0) pool.markUp(member);
    let head: string[];
    try {
      head = buildResponseHeaders(
        upstreamRes.rawHeaders,
        req.headers['x-request-id'] as string,
        rewrites.get(member)!,
      );
      denyFramingOfPages(head);
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, head);
    } catch (err) {
      // An upstream header Node refuses to write (invalid characters): not a valid answer.
      upstreamRes.destroy();
      fail(exchange, err as Error);
      return;
    }
    (upstreamRes as Carrying<IncomingMessage>)[kExchange] = exchange;
    upstreamRes.on('close', onUpstreamResponseClose);
    upstreamRes.on('error', ignore);
    upstreamRes.pipe(res);
  }

  function onTimeout(this: Carrying<ClientRequest>): void {
    const exchange = this[kExchange];
    if (exchange.upstreamRes === undefined) {
      this.destroy(new UpstreamTimeoutError(upstream, timeoutMs));
      return;
    }
    logger.warn(
      { request_id: exchange.req.headers['x-request-id'], upstream, timeout_ms: timeoutMs },
      'upstream stalled mid-response; connection cut',
    );
    exchange.upstreamRes.destroy();
    exchange.res.destroy();
  }

  function onError(this: Carrying<ClientRequest>, err: NodeJS.ErrnoException): void {
    const exchange = this[kExchange];
    const { req, res, member } = exchange;
    // The client left (its close aborted this request), or the answer was already under way.
    if (res.destroyed || exchange.upstreamRes !== undefined) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const raced = this.reusedSocket && isRetryableOnFreshSocket(err, req.method, req.headers);
    if (!raced && isConnectionFailure(err)) pool.markDown(member, err.code!);
    if (
      !exchange.retried &&
      (raced || (hasOtherMembers && isRetryableElsewhere(err, req.headers)))
    ) {
      logger.debug(
        { request_id: req.headers['x-request-id'], upstream, origin: member.origin },
        hasOtherMembers ? 'retrying on another replica' : 'retrying on a fresh connection',
      );
      send(req, res, pool.pick(member), true);
      return;
    }
    fail(exchange, err);
  }

  function onClientClose(this: Carrying<ServerResponse>): void {
    if (!this.writableFinished) this[kExchange].upstreamReq.destroy();
  }

  function onUpstreamResponseClose(this: Carrying<IncomingMessage>): void {
    if (!this.complete) this[kExchange].res.destroy();
  }

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    member: UpstreamMember,
    retried: boolean,
  ) => {
    // A chunked body is re-framed by Node, but its connection is not reused afterwards (as
    // httpxy did): should the service read the framing differently, no later request on that
    // connection can be desynchronised (request smuggling).
    if (req.headers['transfer-encoding'] !== undefined) req.headers.connection = 'close';
    const upstreamReq = member.request({
      host: member.hostname,
      port: member.port,
      method: req.method,
      path: req.url,
      // A list node:http writes as it is, not an object it copies into a table of its own first.
      headers: upstreamHeaderList(req.headers, member.target.host),
      agent: member.agent,
      // Armed on the socket for this exchange; the agent restores its idle timeout
      // (UPSTREAM_IDLE_TIMEOUT_MS) when the socket goes back to the pool.
      timeout: timeoutMs,
      // The TLS server name (SNI); the agent otherwise parses it out of the Host header on
      // every request, which plain http never uses.
      servername: member.servername,
    }) as Carrying<ClientRequest>;
    const exchange: Exchange = {
      req,
      res,
      member,
      upstreamReq,
      upstreamRes: undefined,
      retried,
    };
    upstreamReq[kExchange] = exchange;
    upstreamReq.on('response', onResponse);
    upstreamReq.on('timeout', onTimeout);
    upstreamReq.on('error', onError);
    const tracked = res as Carrying<ServerResponse>;
    if (tracked[kExchange] === undefined) res.on('close', onClientClose);
    tracked[kExchange] = exchange;
    const headers = req.headers;
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
      upstreamReq.end();
    } else {
      req.pipe(upstreamReq);
    }
  };
  return (req, res, member) => send(req, res, member, false);
}

/** Errors of a response being relayed end in its `close`, which cuts the client. */
function ignore(): void {}
