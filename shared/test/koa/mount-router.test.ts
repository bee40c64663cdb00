import { describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import request from 'supertest';
import { silentLogger } from '../../src/index.js';
import { errorHandler, mountRouter, requestContext } from '../../src/koa/index.js';

function app() {
  const koa = new Koa();
  koa.use(requestContext({ logger: silentLogger() }));
  koa.use(errorHandler());
  const router = new Router();
  router.get('/api/things', (ctx) => {
    ctx.body = [];
  });
  router.post('/api/things', (ctx) => {
    ctx.status = 201;
  });
  mountRouter(koa, router);
  return koa.callback();
}

describe('mountRouter', () => {
  it('when a known path is asked with another method, then 405 JSON with an Allow header', async () => {
    const res = await request(app()).delete('/api/things');
    expect(res.status).toBe(405);
    expect(res.body.error).toBe('method_not_allowed');
    expect(res.headers.allow).toBe('HEAD, GET, POST');
  });

  it('when a method the router does not know is used, then 405 as well, not a 5xx', async () => {
    const res = await request(app()).propfind('/api/things');
    expect(res.status).toBe(405);
    expect(res.body.error).toBe('method_not_allowed');
  });

  it('when the path is unknown, then 404 not_found', async () => {
    const res = await request(app()).get('/api/nothing');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });
});
