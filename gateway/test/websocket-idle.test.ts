import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpMetrics, type HttpMetrics } from '@gatehouse/shared';
import { startGateway, type TestGateway } from './support/gateway.js';
import { tempRoutesFile } from './support/routes-file.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';
import { frame, openWebSocket, parseFrame, startWebSocketEcho } from './support/websocket.js';

const IDLE_MS = 400;

/** The value of one series in the text exposition, 0 when absent. */
async function series(metrics: HttpMetrics, line: string): Promise<number> {
  const text = await metrics.registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.slice(line.length + 1));
}

describe('websocket idle timeout and metrics', () => {
  let auth: TestUpstream;
  let echo: Awaited<ReturnType<typeof startWebSocketEcho>>;
  let gateway: TestGateway;
  let metrics: HttpMetrics;
  let file: ReturnType<typeof tempRoutesFile>;
  const open = 'gateway_websockets_open{route="live",service="gateway"}';
  const closed = (reason: string) =>
    `gateway_websocket_closes_total{route="live",reason="${reason}",service="gateway"}`;

  beforeAll(async () => {
    [auth, echo] = await Promise.all([startUpstream(), startWebSocketEcho()]);
    file = tempRoutesFile(`routes:
  - { name: live, path: /live, to: ${echo.url}, auth: public, websocket: true }
`);
    metrics = createHttpMetrics('gateway', { defaults: false });
    gateway = await startGateway(
      {
        AUTH_SERVICE_URL: auth.url,
        ROUTES_FILE: file.path,
        WEBSOCKET_IDLE_TIMEOUT_MS: String(IDLE_MS),
      },
      { metrics },
    );
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth.close(), echo.close()]);
    file.remove();
  });

  it('when a websocket carries nothing for WEBSOCKET_IDLE_TIMEOUT_MS, then it gets a 1001 close frame after that long (+20% at most) and is counted as idle', async () => {
    // The gateway's timer starts somewhere between these two instants: the close comes no
    // sooner than IDLE_MS after the first and not much later than IDLE_MS after the second,
    // however long a loaded machine takes to set the socket up.
    const beforeOpen = performance.now();
    const ws = await openWebSocket(gateway.port, '/live/x');
    const afterOpen = performance.now();
    if (!ws.upgraded) throw new Error(`refused with ${ws.status}`);
    const socketClosed = new Promise((resolve) => ws.socket.on('close', resolve));
    expect(await series(metrics, open)).toBe(1);

    const { opcode, payload } = parseFrame(await ws.next());
    const closedAt = performance.now();

    expect(opcode).toBe(8);
    expect(payload.readUInt16BE(0)).toBe(1001);
    expect(closedAt - beforeOpen).toBeGreaterThanOrEqual(IDLE_MS * 0.95);
    expect(closedAt - afterOpen).toBeLessThanOrEqual(IDLE_MS * 1.2);
    ws.socket.end();
    await socketClosed;
    for (let i = 0; i < 50 && (await series(metrics, open)) !== 0; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await series(metrics, open)).toBe(0);
    expect(await series(metrics, closed('idle'))).toBe(1);
    expect(gateway.logs).toContainEqual(
      expect.objectContaining({ msg: 'websocket closed', route: 'live', reason: 'idle' }),
    );
  });

  it('when frames keep flowing, then the websocket stays open past the idle timeout', async () => {
    const ws = await openWebSocket(gateway.port, '/live/y');
    if (!ws.upgraded) throw new Error(`refused with ${ws.status}`);
    const until = performance.now() + IDLE_MS * 2;
    while (performance.now() < until) {
      ws.socket.write(frame('ping', true));
      const { opcode, payload } = parseFrame(await ws.next());
      expect(opcode).toBe(1);
      expect(payload.toString()).toBe('echo: ping');
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 4));
    }
    const socketClosed = new Promise((resolve) => ws.socket.on('close', resolve));
    ws.socket.destroy();
    await socketClosed;
    // The echo service never closes its half, so the idle timer ends the pair.
    for (let i = 0; i < 100 && (await series(metrics, closed('ended'))) !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await series(metrics, closed('ended'))).toBe(1);
  });
});
