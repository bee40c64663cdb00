import { request, Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { send } from './support/http.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';
import { tempRoutesFile } from './support/routes-file.js';
import { frame, openWebSocket, parseFrame, startWebSocketEcho } from './support/websocket.js';

/**
 * Issue 20, item 6: connections that never finish a request head once starved /healthz.
 * Loopback only (127.0.0.0/8: the attackers use 127.0.0.2 and up, the probe 127.0.0.1),
 * bounded to a few thousand sockets, far below `ulimit -n`.
 */
const opened: Socket[] = [];
let gateway: TestGateway | undefined;
let upstream: TestUpstream | undefined;
// Thousands of handshakes on a shared machine: the kernel's accept queue takes its time.
jest.setTimeout(60_000);

afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  await gateway?.close();
  await upstream?.close();
  gateway = upstream = undefined;
});

/** Opens `count` connections from `localAddress` that send half a request head or nothing. */
async function idleConnections(port: number, localAddress: string, count: number) {
  const settled = await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<Socket>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port, localAddress });
          opened.push(socket);
          socket.on('error', () => {});
          socket.once('connect', () => {
            if (i % 2 === 0) socket.write('GET /healthz HTTP/1.1\r\nHost: gatehouse\r\n');
            resolve(socket);
          });
          socket.once('close', () => resolve(socket));
        }),
    ),
  );
  return { stillOpen: () => settled.filter((s) => !s.destroyed && !s.closed).length };
}

/** Polls (never a fixed sleep) until `check` holds, for at most `ms`. */
async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function healthzWithin(port: number): Promise<number> {
  const started = Date.now();
  expect((await send(port, '/healthz')).status).toBe(200);
  return Date.now() - started;
}

describe('the gateway under connections that never finish a request', () => {
  it('when one address opens 1,000 idle connections, then the gateway holds at most MAX_CONNECTIONS_PER_ADDRESS (default 256) and /healthz answers at once', async () => {
    gateway = await startGateway({});
    const flood = await idleConnections(gateway.port, '127.0.0.2', 1_000);
    await until(() => flood.stillOpen() <= 256);
    expect(gateway.server.public.connections()).toMatchObject({ refused: 1_000 - 256 });
    expect(await healthzWithin(gateway.port)).toBeLessThan(1_000);
  });

  it('when many addresses fill MAX_CONNECTIONS, then the oldest connections without a request make room, a kept-alive client keeps its socket, and /healthz answers at once', async () => {
    upstream = await startUpstream();
    gateway = await startGateway({ API_SERVICE_URL: upstream.url, MAX_CONNECTIONS: '300' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const viaAgent = () =>
      new Promise<{ status: number; port: number }>((resolve, reject) => {
        request(`${gateway!.url}/api/me`, { agent }, (res) => {
          const port = res.socket.localPort!;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, port }));
        })
          .on('error', reject)
          .end();
      });
    try {
      const first = await viaAgent();
      expect(first.status).toBe(200);
      const floods: Awaited<ReturnType<typeof idleConnections>>[] = [];
      for (let i = 2; i < 12; i++) {
        floods.push(await idleConnections(gateway.port, `127.0.0.${i}`, 100));
      }
      await until(() => floods.reduce((sum, f) => sum + f.stillOpen(), 0) < 300);
      expect(gateway.server.public.connections().evicted).toBeGreaterThan(0);
      expect(await healthzWithin(gateway.port)).toBeLessThan(1_000);
      // The same kept-alive socket (same local port) still carries requests.
      expect(await viaAgent()).toEqual({ status: 200, port: first.port });
    } finally {
      agent.destroy();
    }
  });

  it('when a trusted proxy holds more connections than the per-address cap, then none are refused', async () => {
    gateway = await startGateway({
      TRUSTED_PROXIES: '127.0.0.3',
      MAX_CONNECTIONS_PER_ADDRESS: '20',
    });
    const proxy = await idleConnections(gateway.port, '127.0.0.3', 100);
    const other = await idleConnections(gateway.port, '127.0.0.4', 100);
    await until(() => other.stillOpen() <= 20);
    expect(await healthzWithin(gateway.port)).toBeLessThan(1_000);
    expect(proxy.stillOpen()).toBe(100);
    expect(gateway.server.public.connections()).toMatchObject({ refused: 80 });
  });

  it('when MAX_CONNECTIONS_PER_ADDRESS or the timeouts are malformed, then start-up fails naming them', async () => {
    await expect(
      startGateway({
        MAX_CONNECTIONS_PER_ADDRESS: '-1',
        HEADERS_TIMEOUT_MS: '20000',
        REQUEST_TIMEOUT_MS: '10000',
      }),
    ).rejects.toThrow(
      /MAX_CONNECTIONS_PER_ADDRESS[\s\S]*REQUEST_TIMEOUT_MS must be at least HEADERS_TIMEOUT_MS/,
    );
  });
  it('when idle connections fill MAX_CONNECTIONS while a WebSocket is open, then the upgraded socket is never the one evicted', async () => {
    const echo = await startWebSocketEcho();
    const file = tempRoutesFile(`routes:
  - { name: live, path: /live, to: ${echo.url}, auth: public, websocket: true }
`);
    try {
      gateway = await startGateway({ ROUTES_FILE: file.path, MAX_CONNECTIONS: '50' });
      const ws = await openWebSocket(gateway.port, '/live');
      if (!ws.upgraded) throw new Error(`refused with ${ws.status}`);
      // The oldest connection of all: without the upgrade counted as a head, it goes first.
      const flood = await idleConnections(gateway.port, '127.0.0.2', 120);
      await until(
        () => gateway!.server.public.connections().evicted > 0 && flood.stillOpen() < 120,
      );
      expect(ws.socket.destroyed).toBe(false);
      ws.socket.write(frame('still here', true));
      expect(parseFrame(await ws.next()).payload.toString()).toBe('echo: still here');
      ws.socket.destroy();
    } finally {
      await echo.close();
      file.remove();
    }
  });
});
