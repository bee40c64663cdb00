import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { BROWSER_NAME_JS } from '../src/demo/browser-name.js';

/** The page's `browserName`, run from the very source the account page serves. */
const browserName = runInNewContext(`${BROWSER_NAME_JS}; browserName`) as (
  agent: string | null,
) => string;

describe("the account page's short browser names", () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome 131 on Windows',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'Edge 131 on Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
      'Safari 17 on macOS',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      'Safari 17 on iOS',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
      'Chrome 131 on Android',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      'Firefox 133 on Linux',
    ],
    ['curl/8.5.0', 'curl'],
    ['a script without a product token', 'a script without a product token'],
    ['x'.repeat(50), `${'x'.repeat(39)}…`],
    ['', 'unknown browser'],
    [null, 'unknown browser'],
  ])('when the user agent is %j, then the page shows %j', (agent, name) => {
    expect(browserName(agent)).toBe(name);
  });
});
