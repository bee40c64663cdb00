import { describe, expect, it } from '@jest/globals';
import { isWellFormedRequestId, resolveRequestId } from '../src/index.js';

describe('request ids', () => {
  it('when the incoming id is well formed, then it is kept', () => {
    expect(resolveRequestId('abcd-1234-efgh')).toBe('abcd-1234-efgh');
  });

  it.each([
    ['too short', 'abc'],
    ['too long', 'a'.repeat(129)],
    ['header injection', 'abcdefgh\r\nSet-Cookie: x=1'],
    ['spaces', 'abcd efgh ijkl'],
    ['html', '<script>alert(1)</script>'],
  ])('when the incoming id is %s, then a fresh UUID replaces it', (_label, value) => {
    expect(isWellFormedRequestId(value)).toBe(false);
    expect(resolveRequestId(value)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when no id arrives, then each request gets a different one', () => {
    expect(resolveRequestId(undefined)).not.toBe(resolveRequestId(undefined));
  });
});
