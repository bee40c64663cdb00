import { describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { pino } from 'pino';
import request from 'supertest';
import { createHttpMetrics, createReadiness, HttpError, silentLogger } from '../src/index.js';
import { errorHandler, internalRoutes, requestContext } from '../src/koa/index.js';

function buildApp(route: Koa.Middleware, ready = true) {
  const app = new Koa();
  const metrics = createHttpMetrics('test', { defaults: false });
  app.use(requestContext({ logger: silentLogger(), metrics }));
  app.use(errorHandler());
  app.use(
    internalRoutes({
      metrics,
      readiness: createReadiness({
        upstream: async () => {
          if (!ready) throw new Error('down');
        },
      }),
    }),
  );
  app.use(route);
  return app;
}

describe('Koa adapters', () => {
  it('when a route throws an HttpError, then the body is the standard JSON with the request id', async () => {
    const app = buildApp(() => {
      throw new HttpError(403, 'forbidden', 'not yours');
    });
    const res = await request(app.callback()).get('/x').set('X-Request-Id', 'client-id-1234');
    expect(res.status).toBe(403);
    expect(res.headers['x-request-id']).toBe('client-id-1234');
    expect(res.body).toEqual({
      error: 'forbidden',
      error_description: 'not yours',
      request_id: 'client-id-1234',
    });
  });

  it('when a route throws a plain error, then a 500 hides its message', async () => {
    const app = buildApp(() => {
      throw new Error('db password is hunter2');
    });
    const res = await request(app.callback()).get('/x');
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('server_error');
    expect(res.text).not.toContain('hunter2');
    expect(res.body.request_id).toBe(res.headers['x-request-id']);
  });

  it('when no route matches, then 404 not_found as JSON', async () => {
    const res = await request(buildApp(async (_ctx, next) => next()).callback()).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  it('when a dependency is down, then /readyz is 503 and /healthz still 200', async () => {
    const app = buildApp(async (_ctx, next) => next(), false);
    const ready = await request(app.callback()).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.upstream).toEqual({ ready: false, error: 'down' });
    expect((await request(app.callback()).get('/healthz')).status).toBe(200);
  });

  it('when requests were served, then /metrics counts them by status', async () => {
    const app = buildApp((ctx) => {
      ctx.body = { ok: true };
    });
    await request(app.callback()).get('/thing');
    const res = await request(app.callback()).get('/metrics');
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="unmatched",status="200"[^}]*\} 1/);
    expect(res.text).not.toContain('/thing');
    expect(res.text).toContain('http_request_duration_seconds_bucket');
  });

  it('when a probe and a route are served, then both log at debug by default (the gateway logs requests at info)', async () => {
    const access = await accessLines({});
    expect(access).toEqual([
      ['/healthz', 20],
      ['/thing', 20],
    ]);
  });

  it('when info access logs are asked for, then routes log at info and probes stay at debug', async () => {
    const access = await accessLines({ accessLogLevel: 'info' });
    expect(access).toEqual([
      ['/healthz', 20],
      ['/thing', 30],
    ]);
  });
});

async function accessLines(options: { accessLogLevel?: 'info' | 'debug' }) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  const app = new Koa();
  app.use(requestContext({ logger, ...options }));
  app.use(errorHandler());
  app.use(internalRoutes({}));
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  await request(app.callback()).get('/healthz');
  await request(app.callback()).get('/thing');
  return lines.filter((l) => l.msg === 'request').map((l) => [l.path, l.level]);
}
