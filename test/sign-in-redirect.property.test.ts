import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { sessionCaller } from '../gateway/src/policy/session-caller.js';
import { SignInRedirect } from '../gateway/src/policy/sign-in-redirect.js';
import { safeReturnTo } from '../services/auth-service/src/signin/safe-return-to.js';

const PUBLIC_URL = 'https://app.example.com';
const NAVIGATION = { accept: 'text/html', 'sec-fetch-mode': 'navigate' };

/** Pieces browsers and URL parsers treat specially, raw and encoded. */
const hostile = fc.constantFrom(
  '/',
  '//',
  '\\',
  '/\\',
  '%2f',
  '%2F',
  '%5c',
  '..',
  '%2e%2e',
  '@',
  ':',
  'https:',
  'javascript:alert(1)',
  'evil.example',
  '?',
  '#',
  '&returnTo=//evil.example',
  '%0d%0a',
  '\t',
  ' ',
  '%00',
  '\u2028',
  'app',
);
const target = fc.oneof(
  fc.array(hostile, { maxLength: 8 }).map((pieces) => pieces.join('')),
  fc.array(hostile, { maxLength: 8 }).map((pieces) => `/${pieces.join('')}`),
  fc.string({ maxLength: 40 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

/** Where a signed-out navigation to `url` is sent, and then where sign-in lands. */
async function redirectFor(url: string): Promise<{ location: string; landing: string }> {
  const caller = sessionCaller({
    verifier: { verify: () => Promise.reject(new Error('no pass is sent')) },
    publicUrl: PUBLIC_URL,
    now: Date.now,
  });
  try {
    await caller({ method: 'GET', url, headers: NAVIGATION });
  } catch (err) {
    if (!(err instanceof SignInRedirect)) throw err;
    const location = new URL(err.location);
    // The auth-service's /auth/pass judges returnTo again before redirecting there.
    const landing = safeReturnTo(location.searchParams.get('returnTo'));
    return { location: err.location, landing };
  }
  throw new Error('a navigation without a pass was not redirected');
}

describe('no open redirect through a session route or forward auth', () => {
  it('when any request target or forwarded URI is signed out, then sign-in starts on PUBLIC_URL and lands on PUBLIC_URL', async () => {
    await fc.assert(
      fc.asyncProperty(target, async (url) => {
        const { location, landing } = await redirectFor(url);
        const start = new URL(location);
        expect(start.origin).toBe(PUBLIC_URL);
        expect(start.pathname).toBe('/auth/pass');
        expect(new URL(landing, PUBLIC_URL).origin).toBe(PUBLIC_URL);
        expect(landing.startsWith('/') && !landing.startsWith('//')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('when the target is an ordinary path and query, then sign-in lands exactly there', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[a-z0-9-]{1,8}$/), { minLength: 1, maxLength: 4 }),
        fc.stringMatching(/^[a-z0-9=&]{0,12}$/),
        async (segments, query) => {
          const url = `/${segments.join('/')}${query ? `?${query}` : ''}`;
          expect((await redirectFor(url)).landing).toBe(url);
        },
      ),
    );
  });
});
