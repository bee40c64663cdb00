import { describe, expect, it } from '@jest/globals';
import { HttpError, isHttpError, toErrorResponse } from '../src/index.js';

describe('toErrorResponse', () => {
  it('when a 4xx HttpError is thrown, then its code, description and headers are sent', () => {
    const err = new HttpError(403, 'insufficient_scope', 'role "admin" is required', {
      headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
    });
    const response = toErrorResponse(err, 'req-1');
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'role "admin" is required',
      request_id: 'req-1',
    });
    expect(response.headers['WWW-Authenticate']).toBe('Bearer error="insufficient_scope"');
    expect(response.log?.level).toBe('debug');
  });

  it('when a 5xx HttpError carries a secret in its description, then it is not sent', () => {
    const err = new HttpError(500, 'db_failed', 'password=hunter2 rejected', {
      cause: new Error('x'),
    });
    const response = toErrorResponse(err, 'req-2');
    expect(response.status).toBe(500);
    expect(response.body.error).toBe('server_error');
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    expect(response.log).toEqual({ level: 'error', err });
  });

  it('when a 502 is thrown, then its code is kept with a generic description', () => {
    const response = toErrorResponse(
      new HttpError(502, 'bad_gateway', 'ECONNREFUSED 10.0.0.3:4001'),
      'r',
    );
    expect(response.body).toEqual({
      error: 'bad_gateway',
      error_description: 'the upstream service could not be reached',
      request_id: 'r',
    });
  });

  it('when a plain Error is thrown, then it becomes a 500 without its message', () => {
    const response = toErrorResponse(new Error('SELECT * FROM secrets'), 'r');
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('SELECT');
  });

  it('when a framework error carries a 4xx status, then the status is kept', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413 });
    const response = toErrorResponse(tooLarge, 'r');
    expect(response.status).toBe(413);
    expect(response.body.error).toBe('payload_too_large');
  });

  it('when isHttpError sees a foreign object, then it says no', () => {
    expect(isHttpError(new HttpError(400, 'invalid_request', 'x'))).toBe(true);
    expect(isHttpError({ status: 400, code: 'x', name: 'HttpError' })).toBe(false);
    expect(isHttpError(new Error('x'))).toBe(false);
  });
});
