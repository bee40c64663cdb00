import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import Koa from 'koa';
import request from 'supertest';
import { isWellFormedRequestId, resolveRequestId, silentLogger } from '../src/index.js';
import { requestContext } from '../src/koa/index.js';

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/** Strings near the boundary: the allowed alphabet, lengths around 8 and 128, hostile extras. */
const candidate = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._:-]{0,140}$/),
  fc.string({ unit: 'binary', maxLength: 140 }),
  fc
    .tuple(
      fc.stringMatching(/^[A-Za-z0-9._:-]{4,130}$/),
      fc.constantFrom('\r\nSet-Cookie: a=b', '<script>', ' ', '\u0000', 'é', '\u2028', '%0d%0a'),
    )
    .map(([id, extra]) => id + extra),
);

describe('request ids on hostile input', () => {
  it('when any value arrives, then the id used is well formed, and it is the client value only when that was', () => {
    fc.assert(
      fc.property(fc.oneof(candidate, fc.constant(undefined)), (incoming) => {
        const id = resolveRequestId(incoming);
        expect(id).toMatch(WELL_FORMED);
        expect(id === incoming).toBe(incoming !== undefined && WELL_FORMED.test(incoming));
        expect(isWellFormedRequestId(incoming)).toBe(id === incoming);
      }),
      { numRuns: 3000 },
    );
  });

  it('when the header arrives as a list, then only its first value can be kept', () => {
    fc.assert(
      fc.property(fc.array(candidate, { minLength: 1, maxLength: 4 }), (values) => {
        const id = resolveRequestId(values);
        expect(id).toMatch(WELL_FORMED);
        if (id !== values[0]) expect(WELL_FORMED.test(values[0]!)).toBe(false);
      }),
    );
  });

  it('when a service receives any X-Request-Id, then the response echoes a well-formed one', async () => {
    const app = new Koa();
    app.use(requestContext({ logger: silentLogger() }));
    app.use((ctx) => {
      ctx.body = { id: ctx.state.requestId };
    });
    const server = app.callback();
    const headerSafe = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 140,
    });
    await fc.assert(
      fc.asyncProperty(headerSafe, async (incoming) => {
        const response = await request(server).get('/').set('X-Request-Id', incoming);
        const echoed = response.headers['x-request-id'];
        expect(echoed).toMatch(WELL_FORMED);
        expect(response.body.id).toBe(echoed);
        expect(echoed === incoming.trim()).toBe(WELL_FORMED.test(incoming.trim()));
      }),
      { numRuns: 200 },
    );
  });
});
