import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { echo, startUpstream, type TestUpstream } from './support/upstream.js';

describe('gateway routing', () => {
  let auth: TestUpstream;
  let api: TestUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    auth = await startUpstream();
    api = await startUpstream();
    gateway = await startGateway({
      AUTH_SERVICE_URL: auth.url,
      API_SERVICE_URL: api.url,
      PUBLIC_URL: 'https://gatehouse.example',
    });
  });

  afterEach(() => {
    auth.handle(echo);
    api.handle(echo);
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth.close(), api.close()]);
  });

  const lastSeen = (upstream: TestUpstream) => upstream.seen[upstream.seen.length - 1]!;

  it('when a path is under /auth, then the auth-service sees it with path and query unchanged', async () => {
    const reply = await send(gateway.port, '/auth/session?returnTo=%2Fa%2Fb&x=1&x=2');

    expect(reply.status).toBe(200);
    expect(reply.json().url).toBe('/auth/session?returnTo=%2Fa%2Fb&x=1&x=2');
    expect(lastSeen(auth).url).toBe('/auth/session?returnTo=%2Fa%2Fb&x=1&x=2');
  });

  it('when a path is under /api, then the api-service sees it with path and query unchanged', async () => {
    const before = auth.seen.length;
    const reply = await send(gateway.port, '/api/me/items/42?fields=a,b', { method: 'DELETE' });

    expect(reply.status).toBe(200);
    expect(lastSeen(api)).toMatchObject({ method: 'DELETE', url: '/api/me/items/42?fields=a,b' });
    expect(auth.seen.length).toBe(before);
  });

  it('when the path is the bare prefix, then it is forwarded too', async () => {
    await send(gateway.port, '/auth');
    expect(lastSeen(auth).url).toBe('/auth');
    await send(gateway.port, '/api?q=1');
    expect(lastSeen(api).url).toBe('/api?q=1');
  });

  it('when the RFC 8414 metadata path is asked, then the auth-service answers it unchanged', async () => {
    const path = '/.well-known/oauth-authorization-server/auth';
    for (const url of [path, `${path}?x=1`]) {
      const reply = await send(gateway.port, url);

      expect(reply.status).toBe(200);
      expect(lastSeen(auth).url).toBe(url);
    }
  });

  it.each([
    '/.well-known/oauth-authorization-server/auth/',
    '/.well-known/oauth-authorization-server/auth/metrics',
    '/.well-known/oauth-authorization-server/authx',
    '/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration',
  ])('when %s is asked, then it is not forwarded (404)', async (path) => {
    const before = auth.seen.length + api.seen.length;
    const reply = await send(gateway.port, path);

    expect(reply.status).toBe(404);
    expect(reply.json()).toMatchObject({ error: 'not_found' });
    expect(auth.seen.length + api.seen.length).toBe(before);
  });

  it('when a path only starts with the prefix letters, then it is not forwarded (404)', async () => {
    const before = auth.seen.length;
    const reply = await send(gateway.port, '/authx/session');

    expect(reply.status).toBe(404);
    expect(reply.json()).toMatchObject({ error: 'not_found' });
    expect(auth.seen.length).toBe(before);
  });

  it.each([
    ['/metrics', 404],
    ['/auth%2f..%2fmetrics', 404],
    ['/auth/../metrics', 400],
    ['/api/../readyz', 400],
    ['/auth/./../healthz', 400],
    ['/auth/..', 400],
    ['/auth/%2e%2e/metrics', 400],
    ['/auth/%2E./metrics', 400],
    ['/api/.%2e/metrics', 400],
    ['/auth/..%2fmetrics', 400],
    ['/auth/..%5cmetrics', 400],
    ['/auth/..\\metrics', 400],
    ['/api/%00/metrics', 400],
    ['/auth/%252e%252e/metrics', 400],
    ['/api/%252F..%252Fmetrics', 400],
    ['/auth/..#', 400],
    ['/auth/x/%2E%2E#/metrics', 400],
  ])('when %s is requested, then no service sees it (%d)', async (path, status) => {
    const before = auth.seen.length + api.seen.length;
    const reply = await send(gateway.port, path);

    expect(reply.status).toBe(status);
    expect(reply.json()).toMatchObject({
      error: status === 400 ? 'invalid_request' : 'not_found',
      request_id: reply.headers['x-request-id'],
    });
    expect(auth.seen.length + api.seen.length).toBe(before);
  });

  it('when the client sends forwarding headers, then the gateway overwrites or drops them', async () => {
    await send(gateway.port, '/api/me', {
      headers: {
        'X-Forwarded-For': '203.0.113.9',
        'X-Forwarded-Proto': 'http',
        'X-Forwarded-Host': 'evil.example',
        'X-Forwarded-Port': '1234',
        Forwarded: 'for=203.0.113.9;host=evil.example',
        'X-Real-IP': '203.0.113.9',
      },
    });

    const { headers } = lastSeen(api);
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('https');
    expect(headers['x-forwarded-host']).toBe('gatehouse.example');
    expect(headers.forwarded).toBeUndefined();
    expect(headers['x-forwarded-port']).toBeUndefined();
    expect(headers['x-real-ip']).toBeUndefined();
  });

  it('when the client sends hop-by-hop headers, then none reaches the service', async () => {
    await send(gateway.port, '/api/me', {
      headers: {
        Connection: 'keep-alive, X-Hop-Secret',
        'X-Hop-Secret': 'only for the gateway',
        'Keep-Alive': 'timeout=5',
        TE: 'trailers',
        'Proxy-Authorization': 'Basic Zm9vOmJhcg==',
        Authorization: 'Bearer end-to-end',
      },
    });

    const { headers } = lastSeen(api);
    expect(headers['x-hop-secret']).toBeUndefined();
    expect(headers['keep-alive']).toBeUndefined();
    expect(headers.te).toBeUndefined();
    expect(headers['proxy-authorization']).toBeUndefined();
    expect(headers.connection).toBe('keep-alive'); // the gateway's own, to its pool
    expect(headers.authorization).toBe('Bearer end-to-end');
  });

  it('when the service names a header in Connection, then the client does not get it', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, {
        Connection: 'keep-alive, X-Internal-Hop',
        'X-Internal-Hop': '1',
        'X-Kept': '1',
      });
      res.end('ok');
    });
    const reply = await send(gateway.port, '/api/hop');

    expect(reply.status).toBe(200);
    expect(reply.headers['x-internal-hop']).toBeUndefined();
    expect(reply.headers['x-kept']).toBe('1');
  });

  it('when no request id is sent, then one is generated, sent upstream and returned', async () => {
    const reply = await send(gateway.port, '/api/me');

    const id = reply.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lastSeen(api).headers['x-request-id']).toBe(id);
    expect(reply.rawHeaders.filter((h) => h.toLowerCase() === 'x-request-id')).toHaveLength(1);
  });

  it('when a well-formed request id is sent, then it is kept end to end', async () => {
    const reply = await send(gateway.port, '/api/me', {
      headers: { 'X-Request-Id': 'client-req-0001' },
    });

    expect(reply.headers['x-request-id']).toBe('client-req-0001');
    expect(lastSeen(api).headers['x-request-id']).toBe('client-req-0001');
  });

  it('when a malformed request id is sent, then it is replaced before the service sees it', async () => {
    const reply = await send(gateway.port, '/api/me', {
      headers: { 'X-Request-Id': 'bad id <script>' },
    });

    const id = reply.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lastSeen(api).headers['x-request-id']).toBe(id);
  });

  it('when a 1 MB body is posted, then it arrives intact byte for byte', async () => {
    const body = randomBytes(1024 * 1024);
    api.handle((req, res) => {
      const hash = createHash('sha256');
      let length = 0;
      req.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        length += chunk.length;
      });
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ length, sha256: hash.digest('hex'), type: req.headers['content-type'] }),
        );
      });
    });

    const reply = await send(gateway.port, '/api/upload', {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length },
      body,
    });

    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({
      length: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      type: 'application/octet-stream',
    });
  });

  it('when the service redirects and sets cookies under its prefix, then both come back unchanged', async () => {
    auth.handle((_req, res) => {
      res.writeHead(302, {
        Location: '/auth/done?x=1',
        'Set-Cookie': [
          'gh.sid=abc; Path=/auth; HttpOnly; SameSite=Lax',
          'gh.sid.sig=def; Path=/auth; HttpOnly',
        ],
      });
      res.end();
    });
    const reply = await send(gateway.port, '/auth/login?returnTo=/');

    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('/auth/done?x=1');
    expect(reply.headers['set-cookie']).toEqual([
      'gh.sid=abc; Path=/auth; HttpOnly; SameSite=Lax',
      'gh.sid.sig=def; Path=/auth; HttpOnly',
    ]);
  });

  it('when a service redirects to its own internal origin, then Location is rewritten to the public origin', async () => {
    auth.handle((_req, res) => {
      res.writeHead(303, { Location: `${auth.url}/auth/after?y=2` });
      res.end();
    });
    const reply = await send(gateway.port, '/auth/x');

    expect(reply.headers.location).toBe('https://gatehouse.example/auth/after?y=2');
  });

  it('when the request head is larger than allowed, then the gateway answers 431', async () => {
    const reply = await send(gateway.port, '/api/me', {
      headers: { 'X-Big': 'a'.repeat(20 * 1024) },
    });

    expect(reply.status).toBe(431);
  });
});
