import { afterEach, describe, expect, it } from '@jest/globals';
import type { GatewayDeps } from '../src/app.js';
import { READINESS_CACHE_MS, sharedReadiness } from '../src/shared-readiness.js';
import { startGateway } from './support/gateway.js';
import { send } from './support/http.js';
import {
  echo,
  startUpstream,
  type TestUpstream,
  type UpstreamHandler,
} from './support/upstream.js';

/** A service whose own /readyz says 200; everything else is echoed. */
const service: UpstreamHandler = (req, res) => {
  if (req.url === '/readyz') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ready":true}');
    return;
  }
  echo(req, res);
};

describe('gateway health and readiness', () => {
  const running: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const thing of running.splice(0).reverse()) await thing.close();
  });

  async function setUp(env: Record<string, string> = {}, deps: Partial<GatewayDeps> = {}) {
    const auth = await startUpstream(service);
    let api: TestUpstream = await startUpstream(service);
    const gateway = await startGateway(
      {
        AUTH_SERVICE_URL: auth.url,
        API_SERVICE_URL: api.url,
        READINESS_TIMEOUT_MS: '300',
        ...env,
      },
      deps,
    );
    running.push(auth, { close: () => api.close() }, gateway);
    return {
      auth,
      gateway,
      api: () => api,
      restartApi: async () => {
        api = await startUpstream(service, api.port);
      },
    };
  }

  it('when the process runs, then /healthz answers 200 without asking upstreams', async () => {
    const { gateway, auth } = await setUp();
    const reply = await send(gateway.port, '/healthz');

    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ status: 'ok' });
    expect(auth.seen).toHaveLength(0);
  });

  it('when an upstream goes down, then /readyz is 503, and 200 again once it is back', async () => {
    // Readiness answers are reused for a second: the clock moves past that between checks.
    let clock = 0;
    const { gateway, api, restartApi } = await setUp({}, { now: () => clock });

    const ready = await send(gateway.port, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json()).toEqual({
      ready: true,
      checks: { auth: { ready: true }, api: { ready: true } },
    });

    await api().close();
    clock += READINESS_CACHE_MS;
    const down = await send(gateway.port, '/readyz');
    expect(down.status).toBe(503);
    expect(down.headers['cache-control']).toBe('no-store');
    expect(down.json()).toMatchObject({
      ready: false,
      checks: {
        auth: { ready: true },
        api: { ready: false, error: expect.stringContaining('ECONNREFUSED') },
      },
    });

    await restartApi();
    clock += READINESS_CACHE_MS;
    const back = await send(gateway.port, '/readyz');
    expect(back.status).toBe(200);
    expect(back.json()).toMatchObject({ ready: true });
  });

  it("when an upstream's own /readyz says 503, then the gateway is not ready either", async () => {
    const { gateway, auth } = await setUp();
    auth.handle((_req, res) => void res.writeHead(503).end());

    const reply = await send(gateway.port, '/readyz');

    expect(reply.status).toBe(503);
    expect(reply.json()).toMatchObject({
      checks: { auth: { ready: false, error: expect.stringContaining('503') } },
    });
  });

  it('when 50 /readyz requests arrive at once, then each upstream is asked once', async () => {
    // Not a timeout test: a loaded machine may take longer than 300 ms for 50 connections.
    const { gateway, auth, api } = await setUp({ READINESS_TIMEOUT_MS: '5000' });

    const replies = await Promise.all(
      Array.from({ length: 50 }, () => send(gateway.port, '/readyz')),
    );

    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(auth.seen.filter((r) => r.url === '/readyz')).toHaveLength(1);
    expect(api().seen.filter((r) => r.url === '/readyz')).toHaveLength(1);
  });

  it('when /readyz is asked again within a second, then the answer is reused; after it, upstreams are asked again', async () => {
    let clock = 5_000;
    const { gateway, auth } = await setUp({}, { now: () => clock });
    const asked = () => auth.seen.filter((r) => r.url === '/readyz').length;

    await send(gateway.port, '/readyz');
    clock += READINESS_CACHE_MS - 1;
    await send(gateway.port, '/readyz');
    expect(asked()).toBe(1);

    clock += 1;
    auth.handle((_req, res) => void res.writeHead(503).end());
    const reply = await send(gateway.port, '/readyz');
    expect(asked()).toBe(2);
    expect(reply.status).toBe(503);
  });

  it('when an upstream accepts but never answers, then /readyz answers 503 within its timeout', async () => {
    const { gateway, auth } = await setUp({ READINESS_TIMEOUT_MS: '200' });
    auth.handle(() => undefined);

    const started = performance.now();
    const reply = await send(gateway.port, '/readyz');

    expect(reply.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(reply.json()).toMatchObject({
      checks: { auth: { ready: false, error: 'no answer within 200 ms' } },
    });
  });
});

describe('sharedReadiness', () => {
  it('when a check throws, then the failure is not reused', async () => {
    let calls = 0;
    const readiness = sharedReadiness(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return { ready: true, checks: {} };
      },
      { ttlMs: READINESS_CACHE_MS, now: () => 0 },
    );

    await expect(readiness()).rejects.toThrow('boom');
    await expect(readiness()).resolves.toEqual({ ready: true, checks: {} });
    await readiness();
    expect(calls).toBe(2);
  });
});
