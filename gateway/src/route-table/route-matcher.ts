import { matchPrefix } from '../proxy/forwardable-path.js';

/** What the matcher needs of an entry: its prefix, and whether only the prefix itself matches. */
export interface Prefixed {
  readonly prefix: string;
  readonly exact?: boolean;
}

/**
 * Compiles entries into a matcher over normalised paths: the longest prefix that `path` is
 * under on a segment boundary wins (`/reports/x` and `/reports` match `/reports`,
 * `/reportsX` does not). Sorted once here, so a request walks the list once.
 *
 * @example
 * const match = compileMatcher([{ prefix: '/api' }, { prefix: '/api/admin' }]);
 * match('/api/admin/users')?.prefix; // '/api/admin'
 */
export function compileMatcher<T extends Prefixed>(
  entries: readonly T[],
): (path: string) => T | undefined {
  const sorted = [...entries].sort((a, b) => b.prefix.length - a.prefix.length);
  return (path) => matchPrefix(path, sorted);
}
