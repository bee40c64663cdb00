import { describe, expect, it } from '@jest/globals';
import { errorHandler, requestContext } from '@gatehouse/shared/koa';
import { silentLogger } from '@gatehouse/shared';
import Koa from 'koa';
import request from 'supertest';
import { rateLimit } from '../../src/http/rate-limit.js';
import { manualClock } from '../support/key-fixtures.js';

function appWith(limit: number, clock = manualClock(), maxClients?: number) {
  const app = new Koa();
  app.proxy = true;
  app.use(requestContext({ logger: silentLogger() }));
  app.use(errorHandler());
  app.use(rateLimit({ limit, now: clock.now, maxClients }));
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  return { server: app.callback(), clock };
}

const from = (ip: string) => ({ 'X-Forwarded-For': ip });

describe('rate limit', () => {
  it('when a client exceeds the limit, then it gets 429 rate_limited with Retry-After', async () => {
    const { server, clock } = appWith(2);
    clock.advance(45_000);
    await request(server).get('/auth/login').set(from('10.0.0.1')).expect(200);
    await request(server).post('/auth/token').set(from('10.0.0.1')).expect(200);
    const refused = await request(server)
      .get('/auth/connect/google/callback')
      .set(from('10.0.0.1'));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('rate_limited');
    expect(refused.headers['retry-after']).toBe('15');
  });

  it('when the window passes, then the client may try again', async () => {
    const { server, clock } = appWith(1);
    await request(server).get('/auth/login').set(from('10.0.0.1')).expect(200);
    await request(server).get('/auth/login').set(from('10.0.0.1')).expect(429);
    clock.advance(60_000);
    await request(server).get('/auth/login').set(from('10.0.0.1')).expect(200);
  });

  it('when another client IP asks, then it has its own budget', async () => {
    const { server } = appWith(1);
    await request(server).get('/auth/login').set(from('10.0.0.1')).expect(200);
    await request(server).get('/auth/login').set(from('10.0.0.2')).expect(200);
  });

  it('when the path is not a sign-in or token endpoint, then it is not counted', async () => {
    const { server } = appWith(1);
    for (let i = 0; i < 3; i += 1) await request(server).get('/auth/session').expect(200);
    await request(server).get('/auth/login').expect(200);
  });

  it('when a path differs only by trailing slashes or letter case, then it shares the budget', async () => {
    const { server } = appWith(1);
    await request(server).post('/auth/token').set(from('10.0.0.1')).expect(200);
    for (const path of ['/auth/token/', '/AUTH/TOKEN', '/auth/token//', '/Auth/Token/']) {
      const response = await request(server).post(path).set(from('10.0.0.1'));
      expect([path, response.status]).toEqual([path, 429]);
    }
  });

  it('when the limit is 0, then nothing is limited', async () => {
    const { server } = appWith(0);
    for (let i = 0; i < 5; i += 1) await request(server).get('/auth/login').expect(200);
  });

  it('when more clients than it tracks arrive, then the oldest entry is dropped', async () => {
    const { server } = appWith(1, manualClock(), 2);
    await request(server).get('/auth/login').set(from('10.0.0.1')).expect(200);
    await request(server).get('/auth/login').set(from('10.0.0.2')).expect(200);
    await request(server).get('/auth/login').set(from('10.0.0.3')).expect(200);
    await request(server).get('/auth/login').set(from('10.0.0.2')).expect(429);
    await request(server).get('/auth/login').set(from('10.0.0.1')).expect(200);
  });
});
