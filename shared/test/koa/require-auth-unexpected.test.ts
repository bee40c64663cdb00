import { describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { pino } from 'pino';
import request from 'supertest';
import { createHttpMetrics } from '../../src/index.js';
import { errorHandler, requestContext, requireAuth } from '../../src/koa/index.js';

describe('requireAuth when the verifier fails in a way it did not classify', () => {
  it('when verify throws a plain Error, then the client gets 401 invalid_token and a warning is logged', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const app = new Koa();
    app.use(requestContext({ logger, metrics: createHttpMetrics('t', { defaults: false }) }));
    app.use(errorHandler());
    app.use(
      requireAuth({
        verify: async () => {
          throw new TypeError('cannot read properties of undefined');
        },
      }),
    );
    const res = await request(app.callback())
      .get('/api/me')
      .set('Authorization', 'Bearer abc.def.ghi');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
    expect(res.text).not.toContain('cannot read');
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, msg: 'token verification failed unexpectedly' }),
    );
  });
});
