import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** An HTTP server listening on 127.0.0.1 and a port of its own, for a provider double. */
export interface LoopbackServer {
  readonly server: Server;
  /** Its origin, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Cuts every open connection (keep-alive ones too), then closes the server. */
  close(): Promise<void>;
}

/**
 * Starts the server with no request handler: a double whose answers depend on its own origin
 * (an issuer) attaches `server.on('request', ...)` once it knows `url`, before anyone can send
 * a request.
 *
 * @example
 * const { server, url, close } = await startLoopbackServer();
 * server.on('request', routes({ issuer: url }));
 */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
