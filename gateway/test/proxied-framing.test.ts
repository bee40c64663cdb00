import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OutgoingHttpHeaders } from 'node:http';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

describe('framing of proxied pages (defence in depth for upstreams)', () => {
  let auth: TestUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    auth = await startUpstream();
    gateway = await startGateway({ AUTH_SERVICE_URL: auth.url });
  });
  afterAll(async () => {
    await gateway.close();
    await auth.close();
  });

  /** The gateway's answer when the auth-service answers with `headers` and a small body. */
  async function proxied(headers: OutgoingHttpHeaders) {
    auth.handle((_req, res) => {
      res.writeHead(200, headers);
      res.end('<!doctype html><p>upstream page</p>');
    });
    return send(gateway.port, '/auth/some-page');
  }

  it('when an upstream page states no framing policy, then the gateway adds DENY and frame-ancestors none', async () => {
    const reply = await proxied({ 'Content-Type': 'text/html; charset=utf-8' });
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['content-security-policy']).toBe("frame-ancestors 'none'");
  });

  it('when an upstream page has a CSP without frame-ancestors, then the directive is merged into it', async () => {
    const reply = await proxied({
      'Content-Type': 'text/html',
      'Content-Security-Policy': "default-src 'self'; script-src 'self';",
    });
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; frame-ancestors 'none'",
    );
  });

  it.each([
    ['X-Frame-Options', 'SAMEORIGIN', 'x-frame-options'],
    ['Content-Security-Policy', "frame-ancestors 'self'", 'content-security-policy'],
  ])(
    'when an upstream page states its own policy (%s: %s), then it is kept as sent',
    async (name, value, lower) => {
      const reply = await proxied({ 'Content-Type': 'text/html', [name]: value });
      expect(reply.headers[lower]).toBe(value);
      expect(
        lower === 'x-frame-options'
          ? reply.headers['content-security-policy']
          : reply.headers['x-frame-options'],
      ).toBeUndefined();
    },
  );

  it('when an upstream answers JSON, then no framing header is added', async () => {
    const reply = await proxied({ 'Content-Type': 'application/json' });
    expect(reply.headers['x-frame-options']).toBeUndefined();
    expect(reply.headers['content-security-policy']).toBeUndefined();
  });
});
