import { describe, expect, it } from '@jest/globals';
import { errorHandler, requestContext } from '@gatehouse/shared/koa';
import { silentLogger } from '@gatehouse/shared';
import Koa from 'koa';
import request from 'supertest';
import { requireSameOrigin } from '../../src/http/require-same-origin.js';

function app() {
  const koa = new Koa();
  koa.use(requestContext({ logger: silentLogger() }));
  koa.use(errorHandler());
  koa.use(requireSameOrigin('https://app.example.com'));
  koa.use((ctx) => {
    ctx.status = 204;
  });
  return koa.callback();
}

describe('requireSameOrigin', () => {
  it('when the Origin is PUBLIC_URL, then the POST passes', async () => {
    await request(app()).post('/x').set('Origin', 'https://app.example.com').expect(204);
  });

  it('when there is no Origin but Sec-Fetch-Site is same-origin, then the POST passes', async () => {
    await request(app()).post('/x').set('Sec-Fetch-Site', 'same-origin').expect(204);
  });

  it.each([
    [{ Origin: 'https://evil.example' }],
    [{ Origin: 'http://app.example.com' }],
    [{ Origin: 'null' }],
    [{ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-origin' }],
    [{ 'Sec-Fetch-Site': 'cross-site' }],
    [{ 'Sec-Fetch-Site': 'same-site' }],
    [{}],
  ])('when the headers are %j, then 403 cross_site_request', async (headers) => {
    const response = await request(app()).post('/x').set(headers).expect(403);
    expect(response.body.error).toBe('cross_site_request');
  });

  it('when a request sends neither Origin nor Sec-Fetch-Site, then the refusal says what is needed instead of blaming an Origin', async () => {
    const response = await request(app()).post('/x').expect(403);
    expect(response.body.error).toBe('cross_site_request');
    expect(response.body.error_description).not.toMatch(/cross-site request refused/);
    expect(response.body.error_description).toMatch(/neither Origin nor Sec-Fetch-Site/);
    expect(response.body.error_description).toMatch(/session of https:\/\/app\.example\.com/);
    expect(response.body.error_description).toMatch(/gatehouse CLI/);
  });

  it('when the Origin is another site, then the refusal names the Origin required', async () => {
    const response = await request(app())
      .post('/x')
      .set('Origin', 'https://evil.example')
      .expect(403);
    expect(response.body.error_description).toBe(
      'cross-site request refused: the Origin must be https://app.example.com',
    );
  });

  it('when the method is safe, then no check applies', async () => {
    await request(app()).get('/x').set('Origin', 'https://evil.example').expect(204);
  });
});
