import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type TestGateway } from './support/gateway.js';
import { ISSUER_PUBLIC_URL, testIssuer } from './support/issuer.js';
import { tempRoutesFile } from './support/routes-file.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';
import { frame, openWebSocket, parseFrame, startWebSocketEcho } from './support/websocket.js';

describe('websocket routes', () => {
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  let auth: TestUpstream;
  let echo: Awaited<ReturnType<typeof startWebSocketEcho>>;
  let gateway: TestGateway;
  let file: ReturnType<typeof tempRoutesFile>;

  beforeAll(async () => {
    issuer = await testIssuer();
    [auth, echo] = await Promise.all([startUpstream(issuer.handler), startWebSocketEcho()]);
    file = tempRoutesFile(`routes:
  - { name: live, path: /live, to: ${echo.url}, auth: public, websocket: true, strip_prefix: true }
  - { name: feed, path: /feed, to: ${echo.url}, websocket: true, allow: { roles: [analyst] } }
  - { name: plain, path: /plain, to: ${echo.url}, auth: public }
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

  it('when a public websocket route is opened, then frames flow both ways and no X-Gatehouse-* passes', async () => {
    const ws = await openWebSocket(gateway.port, '/live/socket', { 'x-gatehouse-sub': 'admin' });
    if (!ws.upgraded) throw new Error(`refused with ${ws.status}`);
    ws.socket.write(frame('hello', true));
    expect(parseFrame(await ws.next()).payload.toString()).toBe('echo: hello');
    expect(echo.seen.at(-1)!['x-gatehouse-sub']).toBeUndefined();
    ws.socket.destroy();
  });

  it('when a token websocket route is opened by an allowed caller, then the upstream gets the identity', async () => {
    const token = await issuer.token({ roles: ['analyst'] });
    const ws = await openWebSocket(gateway.port, '/feed', { authorization: `Bearer ${token}` });
    if (!ws.upgraded) throw new Error(`refused with ${ws.status}`);
    ws.socket.write(frame('hi', true));
    expect(parseFrame(await ws.next()).payload.toString()).toBe('echo: hi');
    expect(echo.seen.at(-1)).toMatchObject({
      'x-gatehouse-sub': 'user-1',
      'x-gatehouse-roles': 'analyst',
    });
    expect(echo.seen.at(-1)!['x-gatehouse-assertion']).toEqual(expect.any(String));
    ws.socket.destroy();
  });

  it.each([
    ['no token', {}, 401, 'unauthorized'],
    ['a caller without the role', { roles: ['user'] }, 403, 'insufficient_scope'],
  ])(
    'when a token websocket route is opened with %s, then an HTTP %i answers',
    async (_what, claims, status, error) => {
      const headers =
        status === 401 ? {} : { authorization: `Bearer ${await issuer.token(claims)}` };
      const ws = await openWebSocket(gateway.port, '/feed', headers);
      expect(ws).toMatchObject({ upgraded: false, status });
      if (!ws.upgraded) expect(JSON.parse(ws.body)).toMatchObject({ error });
    },
  );

  it('when a route without websocket: true is upgraded, then an HTTP 404 answers', async () => {
    expect(await openWebSocket(gateway.port, '/plain/x')).toMatchObject({
      upgraded: false,
      status: 404,
    });
  });

  it('when the gateway shuts down, then open websockets get a 1001 close frame', async () => {
    const other = await startGateway({ AUTH_SERVICE_URL: auth.url, ROUTES_FILE: file.path });
    const ws = await openWebSocket(other.port, '/live/x');
    if (!ws.upgraded) throw new Error(`refused with ${ws.status}`);
    const closed = new Promise((resolve) => ws.socket.on('close', resolve));
    await other.close();
    const { opcode, payload } = parseFrame(await ws.next());
    expect(opcode).toBe(8);
    expect(payload.readUInt16BE(0)).toBe(1001);
    await closed;
  });
});
