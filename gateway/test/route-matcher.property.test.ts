import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { normaliseTarget } from '../src/route-table/normalise-path.js';
import { compileMatcher } from '../src/route-table/route-matcher.js';

const PREFIXES = ['/api', '/api/admin', '/reports', '/reports/v2', '/r'];
const match = compileMatcher(PREFIXES.map((prefix) => ({ prefix })));
const BASE = 'http://gateway.test';

/** Pieces that parsers treat specially, and letters of the prefixes, raw and percent-encoded. */
const piece = fc.constantFrom(
  '/',
  '.',
  '..',
  ';',
  '%2e',
  '%2f',
  '%5c',
  '%25',
  '%252e',
  '%3b',
  '%41',
  '%61',
  '%64',
  '%6d',
  '%72',
  '%2D',
  '%7e',
  '%c3%a9',
  '%',
  '%z1',
  'a',
  'admin',
  'api',
  'reports',
  'v2',
  'X',
  'r',
  'dmin',
);
const target = fc
  .tuple(fc.constantFrom('', ...PREFIXES), fc.array(piece, { maxLength: 10 }))
  .map(([prefix, pieces]) => prefix + pieces.join(''));

/** Longest prefix by plain string comparison, the specification of the matcher. */
function reference(path: string): string | undefined {
  return PREFIXES.filter((p) => path === p || path.startsWith(`${p}/`)).sort(
    (a, b) => b.length - a.length,
  )[0];
}

/** What a service that decodes once and resolves dot segments makes of a forwarded path. */
function asServiceSeesIt(path: string): string | undefined {
  try {
    return new URL(decodeURIComponent(path), BASE).pathname;
  } catch {
    return undefined;
  }
}

describe('route matching on normalised paths', () => {
  it('when a target is routed, then the route is the longest prefix on a segment boundary', () => {
    fc.assert(
      fc.property(target, (t) => {
        const normalised = normaliseTarget(t);
        fc.pre(normalised !== undefined);
        expect(match(normalised!.path)?.prefix).toBe(reference(normalised!.path));
      }),
      { numRuns: 5000 },
    );
  });

  it('when the forwarded path is decoded and resolved by a service, then it belongs to the same route', () => {
    fc.assert(
      fc.property(target, (t) => {
        const normalised = normaliseTarget(t);
        fc.pre(normalised !== undefined);
        const route = match(normalised!.path)?.prefix;
        fc.pre(route !== undefined);
        const seen = asServiceSeesIt(normalised!.path);
        if (seen !== undefined) expect(reference(seen)).toBe(route);
      }),
      { numRuns: 5000 },
    );
  });

  it('when a segment only starts with a prefix, then it does not match (/reportsX is not /reports)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PREFIXES),
        fc.stringMatching(/^[A-Za-z0-9_~-]{1,8}$/),
        (p, tail) => {
          const path = `${p}${tail}`;
          fc.pre(!PREFIXES.some((other) => path === other || path.startsWith(`${other}/`)));
          expect(match(path)).toBeUndefined();
        },
      ),
    );
  });

  it.each([
    ['/%72eports/x', '/reports/x'],
    ['/api/%61dmin', '/api/admin'],
    ['/reports/%c3%a9', '/reports/%C3%A9'],
    ['/reports?a=%2e%2e', '/reports'],
  ])('when %s is asked, then it is matched as %s', (raw, path) => {
    expect(normaliseTarget(raw)?.path).toBe(path);
  });

  it.each(['/reports/..;/api', '/reports/%zz', '/reports/%2e%2e/api', '/a\\b'])(
    'when %s is asked, then it is refused',
    (raw) => {
      expect(normaliseTarget(raw)).toBeUndefined();
    },
  );
});
