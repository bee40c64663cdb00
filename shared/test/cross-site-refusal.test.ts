import { describe, expect, it } from '@jest/globals';
import { crossSiteRefusal, gatewayPassAudience, gatewayPassCookie } from '../src/index.js';

const ORIGIN = 'https://app.example.com';

describe('crossSiteRefusal', () => {
  it.each([
    ['GET from anywhere', 'GET', { origin: 'https://evil.example' }, false],
    ['OPTIONS with nothing', 'OPTIONS', {}, false],
    ['POST from its own origin', 'POST', { origin: ORIGIN }, false],
    ['POST same-origin by Sec-Fetch-Site', 'POST', { 'sec-fetch-site': 'same-origin' }, false],
    ['POST from another origin', 'POST', { origin: 'https://evil.example' }, true],
    ['POST from a sibling on the same site', 'DELETE', { 'sec-fetch-site': 'same-site' }, true],
    ['POST with neither header', 'POST', {}, true],
    [
      'POST whose Origin wins over Sec-Fetch-Site',
      'PUT',
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
      true,
    ],
  ])('when %s, then refused: %s', (_, method, headers, refused) => {
    expect(crossSiteRefusal(method, headers, ORIGIN) !== undefined).toBe(refused);
  });
});

describe('the gateway pass names', () => {
  it('when PUBLIC_URL is https, then the cookie is __Host-gatehouse; on http, gatehouse', () => {
    expect(gatewayPassCookie('https://app.example.com')).toBe('__Host-gatehouse');
    expect(gatewayPassCookie('http://localhost:8080')).toBe('gatehouse');
  });

  it('when the audience is derived, then it is the bare public origin', () => {
    expect(gatewayPassAudience('https://app.example.com/')).toBe('https://app.example.com');
  });
});
