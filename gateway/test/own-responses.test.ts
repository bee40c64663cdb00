import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Script } from 'node:vm';
import request from 'supertest';
import { createHttpMetrics, FAVICON_SVG, silentLogger } from '@gatehouse/shared';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { metricsHandler } from '../src/routes/metrics-handler.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

describe('responses the gateway writes itself', () => {
  let auth: TestUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    auth = await startUpstream();
    gateway = await startGateway({
      AUTH_SERVICE_URL: auth.url,
      PUBLIC_URL: 'https://gatehouse.example',
    });
  });
  afterAll(async () => {
    await gateway.close();
    await auth.close();
  });

  it.each(['/', '/app.js', '/healthz', '/nowhere'])(
    'when %s is served by the gateway, then it carries the security headers',
    async (path) => {
      const reply = await send(gateway.port, path);

      expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
      expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(reply.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(reply.headers['content-security-policy']).toContain("form-action 'self';");
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('same-origin');
      expect(reply.headers['strict-transport-security']).toBe(
        'max-age=31536000; includeSubDomains',
      );
      expect(reply.headers['x-request-id']).toBeDefined();
      expect(reply.headers['x-powered-by']).toBeUndefined();
    },
  );

  it('when PUBLIC_URL is plain http, then no HSTS is sent', async () => {
    const { handler } = createApp(loadConfig({ METRICS_PORT: '0' }), { logger: silentLogger() });
    const reply = await request(handler).get('/healthz');

    expect(reply.headers['strict-transport-security']).toBeUndefined();
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('when a response is proxied, then the service headers pass and the gateway adds no CSP of its own', async () => {
    const reply = await send(gateway.port, '/auth/session');

    expect(reply.status).toBe(200);
    expect(reply.headers['content-security-policy']).toBeUndefined();
  });

  it('when GET / is requested, then the account page has its controls and loads /app.js (no inline script)', async () => {
    const page = await send(gateway.port, '/');
    const script = await send(gateway.port, '/app.js');

    expect(page.headers['content-type']).toMatch(/^text\/html/);
    for (const id of [
      'status',
      'error',
      'signin',
      'call-api',
      'api-result',
      'signout',
      'signout-everywhere',
      'account',
      'token-claims',
      'token-expiry',
      'copy-token',
      'copy-status',
      'notice',
      'wrong-origin',
      'public-url-link',
      'identities',
      'link-providers',
      'sessions',
      'grants',
      'admin',
      'users',
    ]) {
      expect(page.text).toContain(`id="${id}"`);
    }
    expect(page.text).toContain('href="/auth/login?returnTo=/"');
    expect(page.text).toMatch(/<script src="\/app.js" defer><\/script>/);
    expect(page.text).not.toMatch(/<script>/);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    // Compiles: one stray escape in the template would leave the page dead in every browser.
    expect(() => new Script(script.text)).not.toThrow();
    expect(script.text).toContain("fetch('/auth/account'");
    expect(script.text).toContain("fetch('/auth/admin/users'");
    expect(script.text).toContain("fetch('/auth/token'");
    expect(script.text).toContain("fetch('/api/me'");
    expect(script.text).toContain("post('/auth/logout'");
  });

  it('when /app.js is served, then it links with a same-origin POST and a navigation to a connect path only, unlinks with a same-origin form POST and writes no HTML', async () => {
    const script = (await send(gateway.port, '/app.js')).text;

    expect(script).toContain("const LINK_PATH = '/auth/account/identities/link';");
    expect(script).toContain("body.location.startsWith('/auth/connect/')");
    expect(script).toContain('window.location.assign(body.location)');
    expect(script).toContain(
      "post('/auth/account/identities/unlink', 'unlink that account', { provider, subject })",
    );
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  it('when GET / is requested, then it names PUBLIC_URL for the script, the empty result panel is hidden and no dev banner shows without DEV_IDP_URL', async () => {
    const page = await send(gateway.port, '/');

    expect(page.text).toContain('<pre id="api-result" hidden></pre>');
    expect(page.text).toContain(
      '<meta name="gatehouse-public-url" content="https://gatehouse.example" />',
    );
    expect(page.text).not.toContain('id="dev-mode"');
    expect(page.text).toContain('<link rel="icon" href="/favicon.svg"');
  });

  it.each(['/favicon.ico', '/favicon.svg'])(
    'when the browser asks for %s, then the gateway serves the icon itself',
    async (path) => {
      const reply = await send(gateway.port, path);

      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(reply.text).toBe(FAVICON_SVG);
    },
  );

  it('when requests complete, then each writes one access-log line without the query string', async () => {
    await send(gateway.port, '/auth/callback?code=secret-code&state=s', {
      headers: { 'X-Request-Id': 'log-line-check-1', Cookie: 'gh.sid=secret' },
    });
    // The line is written when the server side of the response closes, a tick after the
    // client has read it.
    const accessLines = () =>
      gateway.logs.filter((l) => l.msg === 'request' && l.request_id === 'log-line-check-1');
    for (let turn = 0; turn < 100 && accessLines().length === 0; turn++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }

    const lines = accessLines();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        method: 'GET',
        path: '/auth/callback',
        status: 200,
        duration_ms: expect.any(Number),
      }),
    ]);
    expect(JSON.stringify(gateway.logs)).not.toContain('secret');
  });

  it('when a health probe completes, then its access-log line is at debug level', async () => {
    await send(gateway.port, '/healthz', { headers: { 'X-Request-Id': 'probe-line-check-1' } });
    const probeLines = () =>
      gateway.logs.filter((l) => l.msg === 'request' && l.request_id === 'probe-line-check-1');
    for (let turn = 0; turn < 100 && probeLines().length === 0; turn++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(probeLines()).toEqual([expect.objectContaining({ level: 'debug', path: '/healthz' })]);
  });

  it('when /metrics is asked on the public port, then it is 404; the internal handler serves it', async () => {
    const metrics = createHttpMetrics('gateway', { defaults: false });
    const { handler } = createApp(loadConfig({ METRICS_PORT: '9999' }), {
      logger: silentLogger(),
      metrics,
    });
    metrics.observe('GET', '/api/*', 200, 0.002);

    expect((await request(handler).get('/metrics')).status).toBe(404);
    const internal = await request(metricsHandler(metrics)).get('/metrics');
    expect(internal.status).toBe(200);
    expect(internal.text).toContain(
      'http_requests_total{method="GET",route="/api/*",status="200",service="gateway"} 1',
    );
  });

  it('when proxied requests are counted, then the route label is the prefix, never the raw path', async () => {
    const metrics = createHttpMetrics('gateway', { defaults: false });
    const upstream = await startUpstream();
    const config = loadConfig({ METRICS_PORT: '9999', AUTH_SERVICE_URL: upstream.url });
    const { handler, close } = createApp(config, { logger: silentLogger(), metrics });
    try {
      await request(handler).get('/auth/users/123?x=1');
      const text = await metrics.registry.metrics();
      expect(text).toContain('route="/auth/*"');
      expect(text).not.toContain('/auth/users/123');
    } finally {
      close();
      await upstream.close();
    }
  });
});

describe('the demo page in dev mode', () => {
  it('when DEV_IDP_URL is set (npm start dev mode), then the page says sign-in runs against that dev-idp', async () => {
    const app = createApp(loadConfig({ DEV_IDP_URL: 'http://localhost:4003' }), {
      logger: silentLogger(),
    });
    const page = await request(app.handler).get('/');
    app.close();

    expect(page.text).toMatch(
      /<p id="dev-mode" class="banner">Development mode: .*local dev-idp at http:\/\/localhost:4003/,
    );
  });
});
