import { describe, expect, it } from '@jest/globals';
import { HttpError } from '../src/errors/http-error.js';

describe('HttpError stacks', () => {
  it('when a refusal (4xx) is made, then no stack frames are captured, and the limit is left as it was', () => {
    const limit = Error.stackTraceLimit;
    const refusal = new HttpError(400, 'slow_down', 'polling too fast');
    expect(refusal.stack).toBe('HttpError: polling too fast');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('plain').stack).toMatch(/\n\s+at /);
  });

  it('when a fault (5xx) is made, then its stack is captured for the error log', () => {
    expect(new HttpError(502, 'bad_gateway', 'upstream failed').stack).toMatch(
      /^HttpError: upstream failed\n\s+at /,
    );
  });
});
