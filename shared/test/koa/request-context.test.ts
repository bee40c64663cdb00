import { describe, expect, it, jest } from '@jest/globals';
import Koa from 'koa';
import request from 'supertest';
import { createLogger } from '../../src/logger.js';
import { requestContext } from '../../src/koa/request-context.js';

/** An app whose route logs through `ctx.state.log` when asked, with every line kept. */
function app(level: string, accessLogLevel: 'info' | 'debug') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'test',
    level,
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  const child = jest.spyOn(logger, 'child');
  const koa = new Koa();
  koa.use(requestContext({ logger, accessLogLevel }));
  koa.use((ctx) => {
    if (ctx.query.log) ctx.state.log.info({ audit: 'x' }, 'route line');
    ctx.body = 'ok';
  });
  return { server: koa.callback(), lines, child };
}

describe('requestContext', () => {
  it('when a route logs, then its line carries the request id, as does the access line', async () => {
    const { server, lines } = app('info', 'info');
    await request(server).get('/?log=1').set('X-Request-Id', 'req-12345678').expect(200);
    expect(lines.map((l) => [l.msg, l.request_id])).toEqual([
      ['route line', 'req-12345678'],
      ['request', 'req-12345678'],
    ]);
  });

  it('when nothing is logged (access line off), then no child logger is made and the id is still echoed', async () => {
    const { server, lines, child } = app('info', 'debug');
    const res = await request(server).get('/').set('X-Request-Id', 'req-12345678').expect(200);
    expect(res.headers['x-request-id']).toBe('req-12345678');
    expect(lines).toEqual([]);
    expect(child).not.toHaveBeenCalled();
  });
});
