import { describe, expect, it } from '@jest/globals';
import { safeReturnTo } from '../../src/signin/safe-return-to.js';

describe('safeReturnTo', () => {
  it.each([
    ['/'],
    ['/app'],
    ['/reports?year=2024&tab=a#top'],
    ['/a/b/../c'],
    ['/path%20with%20space'],
  ])('when returnTo is the same-origin path %j, then it is kept (normalised)', (value) => {
    expect(safeReturnTo(value)).toBe(new URL(value, 'http://x.invalid').href.slice(16));
  });

  // The open-redirect list oauth2-proxy tests, plus encoded, whitespace and dot-segment variants.
  it.each([
    '//evil.com',
    '///evil.com',
    '/\\evil.com',
    '\\/evil.com',
    '/\\/evil.com',
    'https://evil.com',
    'http:evil.com',
    'evil.com',
    'javascript:alert(1)',
    '/%2F%2Fevil.com',
    '%2F%2Fevil.com',
    '/%5Cevil.com',
    '/%252F%252Fevil.com',
    ' /evil',
    '/ /evil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    '/\r\n/evil.com',
    '/%09/evil.com',
    '/%0d%0a/evil.com',
    '/\u0000',
    '/a/../..//evil.com',
    '/./\\evil.com',
    '/%E0%A4%A',
    '',
  ])('when returnTo is %j, then it falls back to /', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it('when returnTo is not a single string (repeated parameter, missing), then /', () => {
    expect(safeReturnTo(['/a', '/b'])).toBe('/');
    expect(safeReturnTo(undefined)).toBe('/');
  });

  it('when returnTo is longer than 2 KiB, then /', () => {
    expect(safeReturnTo(`/${'a'.repeat(2048)}`)).toBe('/');
  });
});
