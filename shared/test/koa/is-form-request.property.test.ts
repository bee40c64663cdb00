import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import Koa from 'koa';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isFormRequest } from '../../src/koa/read-form.js';

const FORM = 'application/x-www-form-urlencoded';

/** A Koa context over a request carrying just `headers`. */
function contextWith(headers: Record<string, string>) {
  const req = { headers, url: '/', method: 'POST', socket: {} } as unknown as IncomingMessage;
  return new Koa().createContext(req, {} as ServerResponse);
}

const contentType = fc.oneof(
  fc.constantFrom(
    FORM,
    'Application/X-WWW-Form-Urlencoded',
    `${FORM}; charset=UTF-8`,
    `${FORM};charset=utf-8`,
    ` ${FORM} ; charset=utf-8`,
    'application/json',
    'text/plain',
    `${FORM}x`,
    'multipart/form-data; boundary=x',
  ),
  fc.string({ maxLength: 40 }),
);

describe('isFormRequest', () => {
  it('answers as ctx.is(FORM) === FORM (type-is) for any content type and body headers', () => {
    fc.assert(
      fc.property(
        fc.option(contentType, { nil: undefined }),
        fc.option(fc.constantFrom('12', '0', '', 'x'), { nil: undefined }),
        fc.boolean(),
        (type, length, chunked) => {
          const headers: Record<string, string> = {};
          if (type !== undefined) headers['content-type'] = type;
          if (length !== undefined) headers['content-length'] = length;
          if (chunked) headers['transfer-encoding'] = 'chunked';
          const ctx = contextWith(headers);
          expect(isFormRequest(ctx)).toBe(ctx.is(FORM) === FORM);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
