import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { echo, startUpstream, type TestUpstream } from './support/upstream.js';

/**
 * An upstream that cuts the connection instead of answering the second request on it: the
 * keep-alive race (a reused socket dying as a request is written), made deterministic.
 */
function dropSecondRequestOnEachConnection(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket as typeof req.socket & { served?: number };
  socket.served = (socket.served ?? 0) + 1;
  if (socket.served === 2) socket.destroy();
  else echo(req, res);
}

/** Resolves when the upstream sees the connection of its current request close. */
function onUpstreamClose(upstream: TestUpstream): {
  received: Promise<void>;
  closed: Promise<void>;
} {
  let received!: () => void;
  let closed!: () => void;
  const result = {
    received: new Promise<void>((resolve) => (received = resolve)),
    closed: new Promise<void>((resolve) => (closed = resolve)),
  };
  upstream.handle((_req, res) => {
    // Never answers: the gateway or the client has to give up.
    res.once('close', closed);
    received();
  });
  return result;
}

describe('gateway upstream failures', () => {
  const started: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(thing: T): T => {
    started.push(thing);
    return thing;
  };

  afterEach(async () => {
    for (const thing of started.splice(0).reverse()) await thing.close();
  });

  async function gatewayFor(
    api: TestUpstream,
    env: Record<string, string> = {},
  ): Promise<TestGateway> {
    const auth = track(await startUpstream());
    return track(
      await startGateway({ AUTH_SERVICE_URL: auth.url, API_SERVICE_URL: api.url, ...env }),
    );
  }

  it('when the upstream is stopped, then the client gets 502 as JSON with the request id', async () => {
    const api = await startUpstream();
    const gateway = await gatewayFor(api);
    await api.close();

    const reply = await send(gateway.port, '/api/me', {
      headers: { 'X-Request-Id': 'req-502-check' },
    });

    expect(reply.status).toBe(502);
    expect(reply.headers['content-type']).toMatch(/application\/json/);
    expect(reply.headers['x-request-id']).toBe('req-502-check');
    expect(reply.json()).toEqual({
      error: 'bad_gateway',
      error_description: 'the upstream service could not be reached',
      request_id: 'req-502-check',
    });
    expect(gateway.logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        request_id: 'req-502-check',
        msg: 'request failed',
      }),
    );
  });

  it('when the upstream resets the connection, then the client gets 502', async () => {
    const api = track(await startUpstream((req) => req.socket.destroy()));
    const gateway = await gatewayFor(api);

    const reply = await send(gateway.port, '/api/me', { method: 'POST', body: 'x' });

    expect(reply.status).toBe(502);
    expect(reply.json()).toMatchObject({ error: 'bad_gateway' });
  });

  it('when the upstream is slower than UPSTREAM_TIMEOUT_MS, then 504 within +-20% and the upstream request is aborted', async () => {
    const timeoutMs = 500;
    const api = track(await startUpstream());
    const upstream = onUpstreamClose(api);
    const gateway = await gatewayFor(api, { UPSTREAM_TIMEOUT_MS: String(timeoutMs) });

    const started = performance.now();
    const reply = await send(gateway.port, '/api/slow');
    const elapsed = performance.now() - started;

    expect(reply.status).toBe(504);
    expect(reply.json()).toMatchObject({
      error: 'gateway_timeout',
      request_id: reply.headers['x-request-id'],
    });
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs * 0.8);
    expect(elapsed).toBeLessThanOrEqual(timeoutMs * 1.2);
    await upstream.closed;
  });

  it('when the upstream stalls mid-body for UPSTREAM_TIMEOUT_MS, then both connections are cut within +-20%', async () => {
    const timeoutMs = 500;
    const api = track(await startUpstream());
    const upstreamClosed = new Promise<void>((resolve) =>
      api.handle((_req, res) => {
        res.once('close', () => resolve());
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('partial');
        // ...and then nothing more.
      }),
    );
    const gateway = await gatewayFor(api, { UPSTREAM_TIMEOUT_MS: String(timeoutMs) });

    const client = await new Promise<{ status: number; body: string; elapsed: number }>(
      (resolve, reject) => {
        const guard = setTimeout(() => reject(new Error('still open after 3x timeout')), 1_500);
        const req = request(
          { host: '127.0.0.1', port: gateway.port, path: '/api/stream', agent: false },
          (res) => {
            const started = performance.now();
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('error', () => undefined);
            res.once('close', () => {
              clearTimeout(guard);
              expect(res.complete).toBe(false);
              resolve({ status: res.statusCode ?? 0, body, elapsed: performance.now() - started });
            });
          },
        );
        req.on('error', () => undefined);
        req.end();
      },
    );

    expect(client.status).toBe(200);
    expect(client.body).toBe('partial');
    expect(client.elapsed).toBeGreaterThanOrEqual(timeoutMs * 0.8);
    expect(client.elapsed).toBeLessThanOrEqual(timeoutMs * 1.2);
    await upstreamClosed;
    expect(gateway.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringContaining('stalled') }),
    );
  });

  it('when the client aborts, then the upstream request is aborted too', async () => {
    const api = track(await startUpstream());
    const upstream = onUpstreamClose(api);
    const gateway = await gatewayFor(api);

    const client = request({
      host: '127.0.0.1',
      port: gateway.port,
      path: '/api/slow',
      agent: false,
    });
    client.on('error', () => undefined);
    client.end();
    await upstream.received;
    client.destroy();

    await upstream.closed;
    expect(api.seen).toHaveLength(1);
  });

  it('when a kept-alive upstream socket dies as a GET is written into it, then the GET is retried once and succeeds', async () => {
    const api = track(await startUpstream(dropSecondRequestOnEachConnection));
    const gateway = await gatewayFor(api);

    const first = await send(gateway.port, '/api/one');
    const second = await send(gateway.port, '/api/two');

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(api.seen.map((r) => r.url)).toEqual(['/api/one', '/api/two', '/api/two']);
  });

  it('when the same race hits a POST, then it is not replayed (502)', async () => {
    const api = track(await startUpstream(dropSecondRequestOnEachConnection));
    const gateway = await gatewayFor(api);

    await send(gateway.port, '/api/one');
    const reply = await send(gateway.port, '/api/two', { method: 'POST', body: '{}' });

    expect(reply.status).toBe(502);
    expect(api.seen.map((r) => r.url)).toEqual(['/api/one', '/api/two']);
  });

  it('when requests follow one another, then they reuse one kept-alive upstream connection', async () => {
    const ports = new Set<number>();
    const api = track(
      await startUpstream((req, res) => {
        ports.add(req.socket.remotePort ?? 0);
        echo(req, res);
      }),
    );
    const gateway = await gatewayFor(api);

    for (let i = 0; i < 5; i++) expect((await send(gateway.port, '/api/me')).status).toBe(200);

    expect(ports.size).toBe(1);
  });
});
