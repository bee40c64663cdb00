import { describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import request from 'supertest';
import { silentLogger } from '../../src/index.js';
import {
  errorHandler,
  mountRouter,
  readForm,
  requestContext,
  type ReadFormOptions,
} from '../../src/koa/index.js';

function formEcho(options: ReadFormOptions) {
  const koa = new Koa();
  koa.use(requestContext({ logger: silentLogger() }));
  koa.use(errorHandler());
  const router = new Router();
  router.post('/form', async (ctx) => {
    ctx.body = [...(await readForm(ctx, options))];
  });
  mountRouter(koa, router);
  return koa.callback();
}

/** Posts `body` as a form to an app that reads it with `options` and echoes its entries. */
function postForm(options: ReadFormOptions, body: string) {
  return request(formEcho(options))
    .post('/form')
    .type('application/x-www-form-urlencoded')
    .send(body);
}

describe('readForm', () => {
  it('when the form is within the limit, then its parameters are read', async () => {
    const res = await postForm({ limitBytes: 16 }, 'a=1&b=two');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      ['a', '1'],
      ['b', 'two'],
    ]);
  });

  it('when the form is one byte over the limit, then 413 payload_too_large', async () => {
    const res = await postForm({ limitBytes: 8 }, 'a=1234567');
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
  });

  it('when the form type is required, then a form passes and a JSON body is 415 unsupported_media_type', async () => {
    const required = { limitBytes: 64, requireFormType: true };
    expect((await postForm(required, 'a=1')).status).toBe(200);
    const res = await request(formEcho(required)).post('/form').send({ a: 1 });
    expect(res.status).toBe(415);
    expect(res.body.error).toBe('unsupported_media_type');
  });

  it('when repeats are refused and a parameter is sent twice, then 400 invalid_request naming it', async () => {
    const res = await postForm({ limitBytes: 64, rejectRepeated: true }, 'a=1&a=2');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.error_description).toBe('the "a" parameter is sent twice');
  });

  it('when repeats are allowed, then every value of a repeated parameter is read', async () => {
    const res = await postForm({ limitBytes: 64 }, 'a=1&a=2');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
  });
});
