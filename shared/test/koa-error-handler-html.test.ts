import { describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import request from 'supertest';
import { HttpError } from '../src/errors/http-error.js';
import { silentLogger } from '../src/logger.js';
import { errorHandler } from '../src/koa/error-handler.js';
import { requestContext } from '../src/koa/request-context.js';

function app(options?: Parameters<typeof errorHandler>[0]) {
  const koa = new Koa();
  koa.use(requestContext({ logger: silentLogger() }));
  koa.use(errorHandler(options));
  koa.use(() => {
    throw new HttpError(403, 'access_denied', 'not <yours>');
  });
  return koa.callback();
}

const html = (body: { error: string }, status: number) => `<p>${status} ${body.error}</p>`;

describe('Koa errorHandler html option', () => {
  it('when a browser prefers HTML and html is given, then the error is rendered as HTML', async () => {
    const response = await request(app({ html }))
      .get('/')
      .set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8')
      .expect(403);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toBe('<p>403 access_denied</p>');
  });

  it.each(['application/json', '*/*', ''])(
    'when Accept is %j, then the error stays JSON',
    async (accept) => {
      const response = await request(app({ html })).get('/').set('Accept', accept).expect(403);
      expect(response.body.error).toBe('access_denied');
    },
  );

  it('when html is not given, then browsers get JSON as before', async () => {
    const response = await request(app()).get('/').set('Accept', 'text/html').expect(403);
    expect(response.body).toMatchObject({
      error: 'access_denied',
      error_description: 'not <yours>',
    });
  });
});

describe('Koa errorHandler jsonOnly option', () => {
  function jsonOnlyApp() {
    const koa = new Koa();
    koa.use(requestContext({ logger: silentLogger() }));
    koa.use(errorHandler({ html, jsonOnly: (path) => path === '/token' }));
    koa.use(() => {
      throw new HttpError(400, 'invalid_scope', 'scope must be within "api"');
    });
    return koa.callback();
  }

  it("when a jsonOnly path is refused and Accept prefers HTML (Java's default), then the error is JSON", async () => {
    const response = await request(jsonOnlyApp())
      .post('/token')
      .set('Accept', 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2')
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.error).toBe('invalid_scope');
  });

  it('when another path is refused and Accept prefers HTML, then it is still a page', async () => {
    const response = await request(jsonOnlyApp())
      .get('/page')
      .set('Accept', 'text/html')
      .expect(400);
    expect(response.text).toBe('<p>400 invalid_scope</p>');
  });
});
