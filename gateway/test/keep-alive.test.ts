import { describe, expect, it } from '@jest/globals';
import { serve, silentLogger } from '@gatehouse/shared';
import { send } from './support/http.js';
import { startUpstream } from './support/upstream.js';
import { forwardedHeaders } from '../src/proxy/forwarded-headers.js';
import { createUpstreamProxy, UPSTREAM_IDLE_TIMEOUT_MS } from '../src/proxy/upstream-proxy.js';

describe('upstream keep-alive', () => {
  it('when a pooled upstream connection idles, then the gateway closes it before the service would', async () => {
    // The service side: whatever shared `serve` sets by default.
    const service = await serve(() => undefined, { port: 0, host: '127.0.0.1' });
    const serviceKeepAliveMs = service.server.keepAliveTimeout;
    await service.close(0);

    // A second of margin: the service's timer starts when it finishes writing, ours when we
    // finish reading.
    expect(UPSTREAM_IDLE_TIMEOUT_MS).toBeLessThan(serviceKeepAliveMs - 1_000);
  });

  it('when a response completes, then its socket goes back to the pool with the pool idle timeout, not UPSTREAM_TIMEOUT_MS', async () => {
    const service = await startUpstream();
    const { proxy, pool } = createUpstreamProxy({
      upstream: 'api-service',
      origins: [service.url],
      publicOrigin: 'http://localhost:8080',
      timeoutMs: 200,
      logger: silentLogger(),
      renderError: () => undefined,
    });
    const prepare = forwardedHeaders('http://localhost:8080');
    const front = await serve(
      (req, res) => {
        req.headers['x-request-id'] = 'pooled';
        prepare(req);
        proxy(req, res);
      },
      { port: 0, host: '127.0.0.1' },
    );
    try {
      for (let i = 0; i < 2; i++) expect((await send(front.port, '/api/me')).status).toBe(200);

      const pooled = Object.values(pool.members[0]!.agent.freeSockets).flat();
      expect(pooled).toHaveLength(1);
      expect(pooled[0]!.timeout).toBe(UPSTREAM_IDLE_TIMEOUT_MS);
      // Only the agent's own idle listener is left, no per-request one.
      expect(pooled[0]!.listenerCount('timeout')).toBe(1);
    } finally {
      await front.close(0);
      pool.close();
      await service.close();
    }
  });
});
