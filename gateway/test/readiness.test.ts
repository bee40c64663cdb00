import { afterEach, describe, expect, it } from '@jest/globals';
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

  async function setUp(env: Record<string, string> = {}) {
    const auth = await startUpstream(service);
    let api: TestUpstream = await startUpstream(service);
    const gateway = await startGateway({
      AUTH_SERVICE_URL: auth.url,
      API_SERVICE_URL: api.url,
      READINESS_TIMEOUT_MS: '300',
      ...env,
    });
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
    const { gateway, api, restartApi } = await setUp();

    const ready = await send(gateway.port, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json()).toEqual({
      ready: true,
      checks: { auth: { ready: true }, api: { ready: true } },
    });

    await api().close();
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
