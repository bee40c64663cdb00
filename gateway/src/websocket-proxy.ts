import { request, STATUS_CODES, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { Counter, Gauge } from 'prom-client';
import {
  type AccessTokenClaims,
  HttpError,
  type HttpMetrics,
  type Logger,
  resolveRequestId,
} from '@gatehouse/shared';
import type { RouteAuthorizer } from './policy/route-authorizer.js';
import { normaliseTarget } from './route-table/normalise-path.js';
import { type ActiveRoute, type RouteTable, upstreamTarget } from './route-table/route-table.js';
import { setIdentityHeaders } from './proxy/identity-headers.js';

/** A WebSocket close frame, code 1001 "going away", as a server sends it (unmasked). */
const GOING_AWAY_TO_CLIENT = Buffer.from([0x88, 0x02, 0x03, 0xe9]);
/** The same frame as a client must send it (masked, with an all-zero mask). */
const GOING_AWAY_TO_UPSTREAM = Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe9]);

export interface WebSocketProxy {
  /** The server's `upgrade` listener. */
  readonly upgrade: (req: IncomingMessage, socket: Socket, head: Buffer) => void;
  /** Sends 1001 "going away" both ways and closes every proxied socket (shutdown). */
  closeAll(): void;
}

/**
 * WebSocket upgrades on routes with `websocket: true`. Enforces:
 * - only `GET` upgrades to `websocket` on such a route (normalised path, as requests are);
 *   anything else gets an HTTP answer (400, 403, 404, 405, 401 from the policy), never a
 *   dropped socket;
 * - the route's policy and identity exactly as for requests (`authorize`, `prepare`, the
 *   assertion), the `Upgrade`/`Connection` pair restored after hop-by-hop removal;
 * - an upstream that answers without upgrading has its answer relayed, then the socket ends;
 *   one that does not answer within the route's timeout is 504, unreachable is 502;
 * - once upgraded, bytes flow both ways until either side closes; on shutdown both sides
 *   get a close frame (1001) and the sockets end; so do they after `idleTimeoutMs` without a
 *   byte either way (WEBSOCKET_IDLE_TIMEOUT_MS; 0: never), and a side that does not close
 *   within another such period is cut;
 * - one log line when a socket opens and one when it closes (with its duration and why);
 *   refusals at debug, as 4xx are;
 * - metrics: `gateway_websockets_open{route}` and
 *   `gateway_websocket_closes_total{route, reason}` (reason: ended, idle, shutdown).
 */
export function webSocketProxy(options: {
  table: () => RouteTable;
  authorize: RouteAuthorizer;
  prepare: (req: IncomingMessage) => void;
  assert: (route: ActiveRoute, claims: AccessTokenClaims) => string | undefined;
  timeoutMs: (route: ActiveRoute) => number;
  /** Milliseconds without a byte either way after which a socket is closed; 0: never. */
  idleTimeoutMs: number;
  logger: Logger;
  metrics?: HttpMetrics;
}): WebSocketProxy {
  const { table, authorize, prepare, assert, logger, idleTimeoutMs } = options;
  const open = new Set<OpenSocket>();
  const registers = options.metrics ? [options.metrics.registry] : [];
  const openGauge = new Gauge({
    name: 'gateway_websockets_open',
    help: 'Proxied WebSockets open now, by route',
    labelNames: ['route'] as const,
    registers,
  });
  const closes = new Counter({
    name: 'gateway_websocket_closes_total',
    help: 'Proxied WebSockets closed, by route and reason (ended by a side, idle, shutdown)',
    labelNames: ['route', 'reason'] as const,
    registers,
  });
  /** Sends 1001 "going away" both ways and ends both sockets. */
  const goAway = (pair: OpenSocket, reason: CloseReason) => {
    pair.reason = reason;
    pair.client.end(GOING_AWAY_TO_CLIENT);
    pair.upstream.end(GOING_AWAY_TO_UPSTREAM);
  };

  const refuse = (socket: Socket, requestId: string, err: HttpError) => {
    logger.debug(
      { request_id: requestId, status: err.status, error: err.code },
      'websocket refused',
    );
    const body = JSON.stringify({
      error: err.code,
      error_description: err.expose ? err.description : 'the upgrade failed',
      request_id: requestId,
    });
    const headers = Object.entries({ ...err.headers })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(
      `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? ''}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n${headers}Connection: close\r\n\r\n${body}`,
    );
  };

  const forward = (
    req: IncomingMessage,
    socket: Socket,
    head: Buffer,
    route: ActiveRoute,
    path: string,
    claims: AccessTokenClaims | undefined,
  ) => {
    const requestId = req.headers['x-request-id'] as string;
    prepare(req);
    req.headers.connection = 'upgrade';
    req.headers.upgrade = 'websocket';
    if (claims !== undefined) setIdentityHeaders(req.headers, claims, assert(route, claims));
    const member = route.upstream.pool.pick();
    const send = member.target.protocol === 'https:' ? httpsRequest : request;
    const upstreamReq = send({
      host: member.target.hostname,
      port: member.target.port,
      protocol: member.target.protocol,
      path,
      method: 'GET',
      headers: req.headers,
      agent: false,
      timeout: options.timeoutMs(route),
    });
    upstreamReq.on('timeout', () =>
      upstreamReq.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT_UPGRADE' })),
    );
    upstreamReq.on('error', (err: NodeJS.ErrnoException) => {
      if (socket.destroyed) return;
      logger.warn({ request_id: requestId, route: route.name, err }, 'websocket upstream failed');
      refuse(
        socket,
        requestId,
        err.code === 'ETIMEDOUT_UPGRADE'
          ? new HttpError(504, 'gateway_timeout', `${route.name} did not answer in time`)
          : new HttpError(502, 'bad_gateway', `${route.name} could not be reached`),
      );
    });
    upstreamReq.on('response', (res) => {
      // No upgrade: relay the answer as it is, then end (the client asked for a socket).
      const lines = [`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        const name = res.rawHeaders[i]!.toLowerCase();
        if (name !== 'connection' && name !== 'transfer-encoding' && name !== 'keep-alive') {
          lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        }
      }
      socket.write(`${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`);
      res.pipe(socket);
    });
    upstreamReq.on('upgrade', (res, upstream: Socket, upstreamHead: Buffer) => {
      const lines = [`HTTP/1.1 101 Switching Protocols`];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstream.write(head);
      const pair: OpenSocket = { client: socket, upstream, reason: 'ended' };
      open.add(pair);
      openGauge.inc({ route: route.name });
      const opened = performance.now();
      logger.info({ request_id: requestId, route: route.name, status: 101 }, 'websocket opened');
      upstream.setTimeout(0);
      // Bytes either way pass through the client socket, so its timer sees both directions.
      socket.setTimeout(idleTimeoutMs);
      if (idleTimeoutMs > 0) {
        socket.on('timeout', () => {
          // One side closed its half and the other never followed: the socket is done.
          if (pair.reason === 'idle' || socket.readableEnded || upstream.readableEnded) end();
          else goAway(pair, 'idle');
        });
      }
      upstream.pipe(socket).pipe(upstream);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        open.delete(pair);
        openGauge.dec({ route: route.name });
        closes.inc({ route: route.name, reason: pair.reason });
        logger.info(
          {
            request_id: requestId,
            route: route.name,
            duration_ms: Math.round(performance.now() - opened),
            reason: pair.reason,
          },
          'websocket closed',
        );
        socket.destroy();
        upstream.destroy();
      };
      socket.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    upstreamReq.end();
  };

  return {
    upgrade(req, socket, head) {
      const requestId = resolveRequestId(req.headers['x-request-id']);
      req.headers['x-request-id'] = requestId;
      socket.on('error', () => socket.destroy());
      const target = normaliseTarget(req.url ?? '/');
      const route = target && table().match(target.path);
      if (target === undefined || route === undefined || !route.websocket) {
        refuse(socket, requestId, new HttpError(404, 'not_found', 'no websocket route here'));
        return;
      }
      if (req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket') {
        refuse(
          socket,
          requestId,
          new HttpError(400, 'invalid_request', 'only GET upgrades to websocket'),
        );
        return;
      }
      if (route.methods !== undefined && !route.methods.has('GET')) {
        refuse(
          socket,
          requestId,
          new HttpError(405, 'method_not_allowed', 'GET is not allowed here', {
            headers: { Allow: route.allowHeader },
          }),
        );
        return;
      }
      authorize(req, route).then(
        (claims) => forward(req, socket, head, route, upstreamTarget(route, target), claims),
        (err: unknown) =>
          refuse(
            socket,
            requestId,
            err instanceof HttpError
              ? err
              : new HttpError(500, 'server_error', 'the upgrade failed', { cause: err }),
          ),
      );
    },
    closeAll() {
      for (const pair of open) goAway(pair, 'shutdown');
      open.clear();
    },
  };
}

type CloseReason = 'ended' | 'idle' | 'shutdown';

/** A proxied WebSocket: its two sockets and, once known, why it is closing. */
interface OpenSocket {
  readonly client: Socket;
  readonly upstream: Socket;
  reason: CloseReason;
}
