import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestGateway } from './support/gateway.js';
import { ISSUER_PUBLIC_URL } from './support/issuer.js';
import { startRoutedGateway, type RoutedGateway } from './support/routed-gateway.js';
import { openWebSocket, startWebSocketEcho } from './support/websocket.js';

describe('websockets on a session route', () => {
  let routed: RoutedGateway;
  let issuer: RoutedGateway['issuer'];
  let echo: Awaited<ReturnType<typeof startWebSocketEcho>>;
  let gateway: TestGateway;

  beforeAll(async () => {
    echo = await startWebSocketEcho();
    routed = await startRoutedGateway(
      `routes:
  - { name: live, path: /live, to: ${echo.url}, auth: session, websocket: true }
`,
      echo,
    );
    ({ issuer, gateway } = routed);
  });

  afterAll(() => routed.close());

  const pass = async () => `gatehouse=${await issuer.token({ aud: ISSUER_PUBLIC_URL })}`;

  it("when the app's own page opens a socket with the pass, then it is upgraded with the identity", async () => {
    const ws = await openWebSocket(gateway.port, '/live/feed', {
      cookie: await pass(),
      origin: ISSUER_PUBLIC_URL,
    });
    if (!ws.upgraded) throw new Error(`refused with ${ws.status}`);
    expect(echo.seen.at(-1)!['x-gatehouse-email']).toBe('ada@example.com');
    expect(echo.seen.at(-1)!.cookie).toBeUndefined();
    ws.socket.destroy();
  });

  it.each([
    ['another origin', { origin: 'http://evil.test' }],
    ['no Origin', {}],
  ])(
    'when a socket carried by the pass comes from %s, then 403 and no upgrade (cross-site WebSocket hijacking)',
    async (_, headers) => {
      const before = echo.seen.length;
      const ws = await openWebSocket(gateway.port, '/live/feed', {
        cookie: await pass(),
        ...headers,
      });
      expect(ws.upgraded).toBe(false);
      if (ws.upgraded) return;
      expect(ws.status).toBe(403);
      expect(JSON.parse(ws.body)).toMatchObject({ error: 'cross_site_request' });
      expect(echo.seen.length).toBe(before);
    },
  );

  it('when a socket comes without a pass, then 401, never a redirect', async () => {
    const ws = await openWebSocket(gateway.port, '/live/feed', {
      accept: 'text/html',
      origin: ISSUER_PUBLIC_URL,
    });
    expect(ws.upgraded).toBe(false);
    if (!ws.upgraded) expect(ws.status).toBe(401);
  });
});
