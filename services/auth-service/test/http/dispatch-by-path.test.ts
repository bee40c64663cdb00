import { describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import { silentLogger } from '@gatehouse/shared';
import { errorHandler, requestContext } from '@gatehouse/shared/koa';
import Koa from 'koa';
import request from 'supertest';
import { createAuthRouter } from '../../src/http/auth-router.js';
import { dispatchByPath } from '../../src/http/dispatch-by-path.js';

/** A strict, case-sensitive router answering `name` on each GET or POST path given. */
function router(name: string, routes: { get?: string[]; post?: string[] }) {
  const r = createAuthRouter();
  for (const path of routes.get ?? [])
    r.get(path, (ctx) => void (ctx.body = { name, ...ctx.params }));
  for (const path of routes.post ?? []) r.post(path, (ctx) => void (ctx.body = { name }));
  return r;
}

function app(routers: Router[]) {
  const koa = new Koa();
  koa.use(requestContext({ logger: silentLogger() }));
  koa.use(errorHandler());
  koa.use(dispatchByPath(routers));
  return { callback: koa.callback() };
}

const routers = () => [
  router('session', { get: ['/auth/session'], post: ['/auth/logout'] }),
  router('token', { post: ['/auth/token'] }),
  router('admin', { get: ['/auth/admin/users'], post: ['/auth/admin/users/:id/disable'] }),
  router('account', { get: ['/auth/account/sessions/:id'] }),
];

describe('dispatchByPath', () => {
  it('when a fixed path is asked, then the one router naming it answers', async () => {
    const { callback } = app(routers());
    expect((await request(callback).post('/auth/token').expect(200)).body).toEqual({
      name: 'token',
    });
    expect((await request(callback).get('/auth/session').expect(200)).body).toEqual({
      name: 'session',
    });
  });

  it('when a path matches a pattern, then its router answers with the parameters', async () => {
    const { callback } = app(routers());
    const response = await request(callback).get('/auth/account/sessions/abc').expect(200);
    expect(response.body).toEqual({ name: 'account', id: 'abc' });
    await request(callback).post('/auth/admin/users/u1/disable').expect(200);
  });

  it('when a path differs by letter case or a trailing slash, then 404 not_found', async () => {
    const { callback } = app(routers());
    for (const path of ['/auth/token/', '/AUTH/token', '/auth/Token', '/auth/%74oken']) {
      const response = await request(callback).post(path);
      expect([path, response.status, response.body.error]).toEqual([path, 404, 'not_found']);
    }
    await request(callback).get('/auth/account/sessions/abc/').expect(404);
  });

  it("when a known path is asked with another method, then 405 with that route's Allow", async () => {
    const { callback } = app(routers());
    const response = await request(callback).get('/auth/token').expect(405);
    expect(response.body.error).toBe('method_not_allowed');
    expect(response.headers.allow).toBe('POST');
    const pattern = await request(callback).delete('/auth/admin/users/u1/disable').expect(405);
    expect(pattern.headers.allow).toBe('POST');
  });

  it('when two routers name the same path, then it refuses to start', () => {
    const twice = [router('a', { get: ['/auth/x'] }), router('b', { post: ['/auth/x'] })];
    expect(() => dispatchByPath(twice)).toThrow('two routers serve /auth/x');
  });

  it("when a fixed path matches another router's pattern, then it refuses to start", () => {
    const overlap = [
      router('a', { get: ['/auth/users/me'] }),
      router('b', { get: ['/auth/users/:id'] }),
    ];
    expect(() => dispatchByPath(overlap)).toThrow('two routers serve /auth/users/me');
  });

  it('when a router is not strict and case-sensitive, then it refuses to start', () => {
    const loose = new Router();
    loose.get('/auth/x', (ctx) => void (ctx.body = {}));
    expect(() => dispatchByPath([loose])).toThrow('strict and case-sensitive');
  });
});
