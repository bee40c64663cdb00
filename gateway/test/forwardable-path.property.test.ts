import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isForwardablePath, matchPrefix } from '../src/proxy/forwardable-path.js';

const ROUTES = [{ prefix: '/auth' }, { prefix: '/api' }] as const;
const BASE = 'http://gateway.test';

/** Pieces of path that URL parsers treat specially, raw and encoded once or twice. */
const hostilePiece = fc.constantFrom(
  '/',
  '.',
  '..',
  '%2e',
  '%2E',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '\\',
  '%00',
  '%25',
  '%252e',
  '%252f',
  '%255c',
  '%2500',
  '\t',
  '\n',
  '\r',
  ' ',
  ';',
  '?',
  '#',
  'metrics',
  'a',
  '%41',
);

const hostilePath = fc
  .tuple(fc.constantFrom('/auth', '/api'), fc.array(hostilePiece, { maxLength: 12 }))
  .map(([prefix, pieces]) => prefix + pieces.join(''));

/** The path part as a reference parser (WHATWG URL) resolves it, or undefined if it cannot. */
function normalisedPath(target: string): string | undefined {
  try {
    return new URL(target, BASE).pathname;
  } catch {
    return undefined;
  }
}

/** Decodes once, as a service or a proxy behind the gateway might, without failing. */
function decodedOnce(target: string): string {
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const under = (prefix: string, path: string | undefined) =>
  path === undefined || path === prefix || path.startsWith(`${prefix}/`);

describe('isForwardablePath against WHATWG URL', () => {
  it('when a path is forwarded, then WHATWG URL resolves it under the prefix the gateway matched', () => {
    fc.assert(
      fc.property(hostilePath, (target) => {
        const route = matchPrefix(target, ROUTES);
        fc.pre(route !== undefined && isForwardablePath(target));
        expect(under(route!.prefix, normalisedPath(target))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('when a forwarded path is percent-decoded once more, then it still resolves under the prefix', () => {
    fc.assert(
      fc.property(hostilePath, (target) => {
        const route = matchPrefix(target, ROUTES);
        fc.pre(route !== undefined && isForwardablePath(target));
        expect(under(route!.prefix, normalisedPath(decodedOnce(target)))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('when a path is made of ordinary segments and a query, then it is forwarded unchanged by WHATWG URL', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,11}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('/auth', '/api'),
        fc.array(segment, { maxLength: 6 }),
        fc.stringMatching(/^[A-Za-z0-9=&./%-]{0,20}$/),
        (prefix, segments, query) => {
          fc.pre(segments.every((s) => s !== '.' && s !== '..'));
          const path = [prefix, ...segments].join('/');
          const target = query ? `${path}?${query}` : path;
          expect(isForwardablePath(target)).toBe(true);
          expect(normalisedPath(target)).toBe(path);
        },
      ),
    );
  });
});
