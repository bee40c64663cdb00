import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerLimits } from '../config/server-limits.js';

/** What the connection limits have done so far, for logs and tests. */
export interface ConnectionStats {
  /** Connections held now. */
  readonly held: number;
  /** Newcomers refused at a cap. */
  readonly refused: number;
  /** Connections without a request head dropped to make room for a newcomer. */
  readonly evicted: number;
}

/** The limiter's handle: its counts, and the word that an upgraded socket sent its head. */
export interface ConnectionLimiter {
  stats(): ConnectionStats;
  /**
   * Marks `socket` as having sent a whole request head; the server's owner calls it for every
   * request and for those Node hands to an `upgrade` listener instead (WebSockets): a client
   * whose request is in flight, kept alive after one, or upgraded is not an idle peer, so it
   * is never evicted for a newcomer.
   */
  sawHead(socket: Socket): void;
}

/**
 * Bounds the connections `server` holds. Enforces:
 * - at most `maxConnectionsPerAddress` per peer address (IPv4-mapped IPv6 counted as IPv4),
 *   except for peers `isExemptAddress` names (trusted proxies); a newcomer over it is closed;
 * - at most `maxConnections` in all: at the cap, the oldest connection that has not yet sent
 *   a whole request head is dropped for the newcomer (an idle or slow peer loses its place, a
 *   client whose request is in flight or kept alive after one does not); when every
 *   connection has sent one, the newcomer is closed.
 * Together with the header timeout this keeps a flood of connections that never finish a
 * request from locking out everyone else, `/healthz` included.
 *
 * @example
 * const limiter = limitConnections(server, DEFAULT_SERVER_LIMITS);
 * limiter.stats(); // { held, refused, evicted }
 */
export function limitConnections(
  server: Server,
  limits: Pick<ServerLimits, 'maxConnections' | 'maxConnectionsPerAddress' | 'isExemptAddress'>,
): ConnectionLimiter {
  const { maxConnections, maxConnectionsPerAddress, isExemptAddress } = limits;
  /** Every held connection and the address it counts against (undefined: not counted). */
  const held = new Map<Socket, string | undefined>();
  /** Held connections with no request head yet, oldest first (a Set keeps insertion order). */
  const headless = new Set<Socket>();
  const perAddress = new Map<string, number>();
  let refused = 0;
  let evicted = 0;

  const release = (socket: Socket) => {
    if (!held.has(socket)) return;
    const address = held.get(socket);
    held.delete(socket);
    headless.delete(socket);
    if (address === undefined) return;
    const count = (perAddress.get(address) ?? 1) - 1;
    if (count === 0) perAddress.delete(address);
    else perAddress.set(address, count);
  };
  const refuse = (socket: Socket) => {
    refused += 1;
    socket.destroy();
  };

  server.on('connection', (socket: Socket) => {
    const peer = unmapped(socket.remoteAddress ?? '');
    const address = maxConnectionsPerAddress > 0 && !isExemptAddress?.(peer) ? peer : undefined;
    if (address !== undefined && (perAddress.get(address) ?? 0) >= maxConnectionsPerAddress) {
      refuse(socket);
      return;
    }
    if (maxConnections > 0 && held.size >= maxConnections) {
      const oldest = headless.values().next().value;
      if (oldest === undefined) {
        refuse(socket);
        return;
      }
      evicted += 1;
      release(oldest);
      oldest.destroy();
    }
    held.set(socket, address);
    headless.add(socket);
    if (address !== undefined) perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    socket.once('close', () => release(socket));
  });
  // No listener of its own on 'request' or 'upgrade' (one on 'upgrade' would take upgrade
  // requests away from the handler): serve() calls sawHead from the listeners it installs.
  return {
    stats: () => ({ held: held.size, refused, evicted }),
    sawHead: (socket) => void headless.delete(socket),
  };
}

/** `::ffff:10.0.0.1` is the IPv4 peer 10.0.0.1 on a dual-stack socket. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
