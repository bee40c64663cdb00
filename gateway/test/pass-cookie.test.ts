import { describe, expect, it } from '@jest/globals';
import { passCookieValue, removePassCookie } from '../src/proxy/pass-cookie.js';

describe('the gateway pass in a Cookie header', () => {
  it.each([
    ['gatehouse=abc', 'abc'],
    ['a=1; gatehouse=abc; b=2', 'abc'],
    ['xgatehouse=no; gatehouse=abc', 'abc'],
    ['gatehouse_session=s; a=1', undefined],
    ['gatehouse=', undefined],
    ['gatehouse=first; gatehouse=second', 'first'],
  ])('when the header is "%s", then the pass read is %s', (cookie, value) => {
    expect(passCookieValue({ cookie }, 'gatehouse')).toBe(value);
  });

  it.each([
    ['a=1; gatehouse=abc; b=2', 'a=1; b=2'],
    ['gatehouse=abc', undefined],
    ['gatehouse=a; gatehouse=b; c=3', 'c=3'],
    ['xgatehouse=1; gatehouse_session=s', 'xgatehouse=1; gatehouse_session=s'],
    ['__Host-gatehouse=abc; a=1', '__Host-gatehouse=abc; a=1'],
  ])('when the header is "%s", then the upstream gets %s', (cookie, kept) => {
    const headers: { cookie?: string } = { cookie };
    removePassCookie(headers, 'gatehouse');
    expect(headers.cookie).toBe(kept);
  });
});
