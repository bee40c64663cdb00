import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { limitConnections, type ConnectionStats } from './limit-connections.js';
import { PortInUseError } from './port-in-use-error.js';
import {
  DEFAULT_SERVER_LIMITS,
  serverTimeouts,
  type ServerLimits,
} from '../config/server-limits.js';

/** A listening HTTP server that can be drained and closed. */
export interface RunningServer {
  readonly server: Server;
  /** `http://127.0.0.1:PORT` (or the host given), useful when listening on port 0. */
  readonly url: string;
  readonly port: number;
  /** What the connection limits hold and have refused (limit-connections.ts). */
  connections(): ConnectionStats;
  /**
   * Stops accepting connections, lets in-flight requests finish, closes idle keep-alive
   * sockets, and after `deadlineMs` destroys whatever is left. Resolves once closed.
   */
  close(deadlineMs?: number): Promise<void>;
}

export interface ServeOptions {
  port: number;
  host?: string;
  /**
   * Idle keep-alive timeout. Must outlive the keep-alive idle time of any proxy in front
   * (the gateway's agent) so a proxy never writes into a socket this side is closing.
   */
  keepAliveTimeoutMs?: number;
  /** Upper bound on request head size (Node default 16 KiB). */
  maxHeaderSize?: number;
  /** Timeouts and connection caps against slow or idle peers; DEFAULT_SERVER_LIMITS by default. */
  limits?: ServerLimits;
  /** The variable that set `port`, named when the port is taken (default `PORT`). */
  portVariable?: string;
  /**
   * The server's `upgrade` listener (WebSockets). Given here rather than added to `server`
   * afterwards, so an upgraded socket counts as a client in session and is never evicted by
   * the connection cap (limit-connections.ts).
   */
  upgrade?: (req: IncomingMessage, socket: Socket, head: Buffer) => void;
}

/**
 * Listens with `handler` and returns a handle for graceful shutdown. A port another program
 * holds rejects with a PortInUseError naming `portVariable`.
 *
 * @example
 * const running = await serve(app.callback(), { port: 4002 });
 * process.once('SIGTERM', () => running.close(10_000));
 */
export async function serve(
  handler: RequestListener,
  options: ServeOptions,
): Promise<RunningServer> {
  const limits = options.limits ?? DEFAULT_SERVER_LIMITS;
  const server = createServer({
    maxHeaderSize: options.maxHeaderSize ?? 16 * 1024,
    ...serverTimeouts(limits),
  });
  const limiter = limitConnections(server, limits);
  const { upgrade } = options;
  if (upgrade) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Node hands an http server's upgrade the request's own net.Socket, typed as a Duplex.
      limiter.sawHead(req.socket);
      upgrade(req, socket as Socket, head);
    });
  }
  // One 'request' listener does the bookkeeping and calls `handler`, with one 'close' listener
  // shared by every response: listeners and a closure per request are measurable at the
  // gateway's request rates (bench/routes.mjs).
  const active = new Set<ServerResponse>();
  function untrack(this: ServerResponse): void {
    active.delete(this);
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    limiter.sawHead(req.socket);
    active.add(res);
    // 'close' is emitted once per response, so `on` needs no once-wrapper.
    res.on('close', untrack);
    handler(req, res);
  });
  // Node times an idle kept-alive socket by keepAliveTimeout alone; headersTimeout runs from a
  // new connection or a further request's first byte, so it can be far shorter without
  // closing kept-alive clients (the gateway's upstream agents) between requests.
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 65_000;
  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new PortInUseError(options.portVariable ?? 'PORT', options.port, host)
          : err,
      ),
    );
    server.listen(options.port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    port,
    url: `http://${shownHost}:${port}`,
    connections: limiter.stats,
    close: (deadlineMs) => drain(server, active, deadlineMs),
  };
}

async function drain(
  server: Server,
  active: Set<ServerResponse>,
  deadlineMs = 10_000,
): Promise<void> {
  if (!server.listening) return;
  // Responses still being written end their connection; later requests on a kept-alive
  // socket are answered and then the socket closes too.
  const endConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.shouldKeepAlive = false;
    res.once('close', () => server.closeIdleConnections());
  };
  for (const res of active) endConnection(res);
  const onRequest = (_req: IncomingMessage, res: ServerResponse) => endConnection(res);
  server.on('request', onRequest);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
  deadline.unref();
  try {
    await closed;
  } finally {
    clearTimeout(deadline);
    server.off('request', onRequest);
  }
}
