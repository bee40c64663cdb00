import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { safeReturnTo } from '../../src/signin/safe-return-to.js';

/** Pieces attackers use to turn a path into another origin, raw and percent-encoded. */
const piece = fc.constantFrom(
  '/',
  '//',
  '\\',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '%252f',
  '.',
  '..',
  '%2e',
  ':',
  '@',
  'evil.example',
  'javascript:',
  'http:',
  'https://evil.example',
  '\t',
  '\n',
  '%09',
  '%0a',
  '%00',
  ' ',
  '\u2028',
  '\u00a0',
  '?',
  '#',
  '&',
  '=',
  'a',
  'app',
);
const hostile = fc.oneof(
  fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

/** Where a browser would go for `location` on a page of `origin`, or undefined if nowhere. */
function browserTarget(location: string, origin: string): URL | undefined {
  try {
    return new URL(location, origin);
  } catch {
    return undefined;
  }
}

describe('safeReturnTo on hostile input', () => {
  it('when any string is given, then the result keeps a browser on the same origin', () => {
    fc.assert(
      fc.property(
        hostile,
        fc.constantFrom('https://app.example', 'http://localhost:8080'),
        (value, origin) => {
          const result = safeReturnTo(value);
          expect(result.startsWith('/')).toBe(true);
          expect(result.startsWith('//')).toBe(false);
          expect(browserTarget(result, origin)?.origin).toBe(origin);
          // Decoded once more (a router, a log viewer), it must not become another origin either.
          let decoded = result;
          try {
            decoded = decodeURIComponent(result);
          } catch {
            // not decodable: nothing to check
          }
          expect(browserTarget(decoded, origin)?.origin ?? origin).toBe(origin);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('when a result is validated again, then it comes back unchanged', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const once = safeReturnTo(value);
        expect(safeReturnTo(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('when a plain same-origin path with a query is given, then it is kept as it is', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z0-9_~-]{1,10}$/), { minLength: 1, maxLength: 5 }),
        fc.stringMatching(/^[A-Za-z0-9=&_-]{0,20}$/),
        (segments, query) => {
          const path = `/${segments.join('/')}${query ? `?${query}` : ''}`;
          expect(safeReturnTo(path)).toBe(path);
        },
      ),
    );
  });

  it('when the value is not a string, then the default is returned', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(fc.string()), fc.integer(), fc.object(), fc.constant(undefined)),
        (value) => {
          expect(safeReturnTo(value)).toBe('/');
        },
      ),
    );
  });
});
