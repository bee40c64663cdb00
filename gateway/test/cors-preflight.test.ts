import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { startRoutedGateway, type RoutedGateway } from './support/routed-gateway.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

describe('CORS preflight on token routes', () => {
  let routed: RoutedGateway;
  let issuer: RoutedGateway['issuer'];
  let app: TestUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    app = await startUpstream();
    routed = await startRoutedGateway(
      `routes:
  - { name: reports, path: /reports, to: ${app.url}, allow: { roles: [admin] } }
  - { name: reads, path: /reads, to: ${app.url}, methods: [GET] }
`,
      app,
    );
    ({ issuer, gateway } = routed);
  });

  afterAll(() => routed.close());

  const preflight = (method: string) => ({
    origin: 'https://spa.example',
    'access-control-request-method': method,
    'access-control-request-headers': 'authorization',
  });

  it('when a browser preflights a token route, then it reaches the upstream without a token or identity', async () => {
    const before = app.seen.length;
    const reply = await send(gateway.port, '/reports/q1', {
      method: 'OPTIONS',
      headers: { ...preflight('POST'), 'x-gatehouse-sub': 'forged' },
    });

    expect(reply.status).toBe(200);
    expect(app.seen).toHaveLength(before + 1);
    const seen = app.seen.at(-1)!;
    expect(seen.method).toBe('OPTIONS');
    expect(seen.headers['access-control-request-method']).toBe('POST');
    expect(Object.keys(seen.headers).filter((name) => name.startsWith('x-gatehouse-'))).toEqual([]);
  });

  it('when the real request follows without a token, then the policy still refuses it (401)', async () => {
    const reply = await send(gateway.port, '/reports/q1', {
      method: 'POST',
      headers: { origin: 'https://spa.example' },
      body: '{}',
    });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
  });

  it.each([
    ['OPTIONS without Access-Control-Request-Method', { origin: 'https://spa.example' }],
    ['OPTIONS without Origin', { 'access-control-request-method': 'GET' }],
  ])('when %s reaches a token route, then it is not a preflight (401)', async (_name, headers) => {
    const before = app.seen.length;
    const reply = await send(gateway.port, '/reports/q1', { method: 'OPTIONS', headers });
    expect(reply.status).toBe(401);
    expect(app.seen).toHaveLength(before);
  });

  it('when a preflight asks for a method the route lists, then it is forwarded; one it does not list, then 405 with Allow', async () => {
    expect(
      (await send(gateway.port, '/reads/x', { method: 'OPTIONS', headers: preflight('GET') }))
        .status,
    ).toBe(200);

    const refused = await send(gateway.port, '/reads/x', {
      method: 'OPTIONS',
      headers: preflight('DELETE'),
    });
    expect(refused.status).toBe(405);
    expect(refused.headers.allow).toBe('GET, HEAD');
    expect(refused.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it('when a token is sent with a preflight, then the upstream still gets no identity for it', async () => {
    const token = await issuer.token({ roles: ['admin'] });
    await send(gateway.port, '/reports/q1', {
      method: 'OPTIONS',
      headers: { ...preflight('GET'), authorization: `Bearer ${token}` },
    });
    expect(app.seen.at(-1)!.headers['x-gatehouse-sub']).toBeUndefined();
  });
});
