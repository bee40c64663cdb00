import { describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import request from 'supertest';
import { HttpError } from '../src/errors/http-error.js';
import { framingHeaders } from '../src/http/framing-headers.js';
import { denyFraming } from '../src/koa/deny-framing.js';
import { errorHandler } from '../src/koa/error-handler.js';
import { requestContext } from '../src/koa/request-context.js';
import { silentLogger } from '../src/logger.js';

const DENIED = { 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "frame-ancestors 'none'" };

describe('framingHeaders', () => {
  it.each(['text/html', 'text/html; charset=utf-8', 'TEXT/HTML', 'application/xhtml+xml'])(
    'when a %s page states no policy, then DENY and frame-ancestors none',
    (contentType) => {
      expect(framingHeaders({ contentType })).toEqual(DENIED);
    },
  );

  it.each([undefined, '', 'application/json', 'text/plain', 'text/htmlx'])(
    'when the response is %j (not a page), then nothing is added',
    (contentType) => {
      expect(framingHeaders({ contentType })).toBeUndefined();
    },
  );

  it('when the page has a CSP without frame-ancestors, then the directive is appended to it', () => {
    expect(
      framingHeaders({ contentType: 'text/html', contentSecurityPolicy: "default-src 'self';  " }),
    ).toEqual({
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'",
    });
  });

  it.each([
    { frameOptions: 'DENY' },
    { frameOptions: ' sameorigin ' },
    { contentSecurityPolicy: "default-src 'none'; frame-ancestors 'self'" },
    { contentSecurityPolicy: "script-src 'self', frame-ancestors https://a.example" },
  ])('when the page states its own policy (%j), then it is kept', (state) => {
    expect(framingHeaders({ contentType: 'text/html', ...state })).toBeUndefined();
  });

  it('when X-Frame-Options holds a value browsers ignore (ALLOW-FROM), then the page is denied', () => {
    expect(
      framingHeaders({ contentType: 'text/html', frameOptions: 'ALLOW-FROM https://a.example' }),
    ).toEqual(DENIED);
  });

  it('when a directive only starts like frame-ancestors, then it does not count', () => {
    expect(
      framingHeaders({ contentType: 'text/html', contentSecurityPolicy: 'frame-ancestorsx a' }),
    ).toEqual({
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "frame-ancestorsx a; frame-ancestors 'none'",
    });
  });
});

describe('Koa denyFraming', () => {
  function app(route: Koa.Middleware) {
    const koa = new Koa();
    koa.use(requestContext({ logger: silentLogger() }));
    koa.use(denyFraming());
    koa.use(errorHandler({ html: (body) => `<p>${body.error}</p>` }));
    koa.use(route);
    return koa.callback();
  }

  it('when a route answers a page, then the page cannot be framed', async () => {
    const res = await request(
      app((ctx) => {
        ctx.set('Content-Security-Policy', "default-src 'none'");
        ctx.type = 'html';
        ctx.body = '<p>page</p>';
      }),
    ).get('/');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it('when the error renderer answers a browser with a page, then that page cannot be framed', async () => {
    const res = await request(
      app(() => {
        throw new HttpError(403, 'access_denied', 'no');
      }),
    )
      .get('/')
      .set('Accept', 'text/html')
      .expect(403);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toBe("frame-ancestors 'none'");
  });

  it('when a route answers JSON, then no framing header is added', async () => {
    const res = await request(
      app((ctx) => {
        ctx.body = { ok: true };
      }),
    ).get('/');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toBeUndefined();
  });
});
