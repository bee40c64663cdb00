import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type TestGateway } from './support/gateway.js';
import { ISSUER_PUBLIC_URL, testIssuer } from './support/issuer.js';
import { tempRoutesFile } from './support/routes-file.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';
import { openWebSocket, startWebSocketEcho } from './support/websocket.js';

describe('websockets on a session route', () => {
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  let auth: TestUpstream;
  let echo: Awaited<ReturnType<typeof startWebSocketEcho>>;
  let gateway: TestGateway;
  let file: ReturnType<typeof tempRoutesFile>;

  beforeAll(async () => {
    issuer = await testIssuer();
    [auth, echo] = await Promise.all([startUpstream(issuer.handler), startWebSocketEcho()]);
    file = tempRoutesFile(`routes:
  - { name: live, path: /live, to: ${echo.url}, auth: session, websocket: true }
`);
    gateway = await startGateway({
      AUTH_SERVICE_URL: auth.url,
      PUBLIC_URL: ISSUER_PUBLIC_URL,
      ROUTES_FILE: file.path,
      REVOCATION_CHECK: 'off',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth.close(), echo.close()]);
    file.remove();
  });

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
