/**
 * Dot segments (`/..`, `/.`), their percent-encoded forms, encoded separators, backslashes and
 * NUL. A service might normalise any of them after the gateway matched the prefix, turning
 * `/auth/../metrics` into its internal `/metrics`.
 */
const UNSAFE = /(?:^|\/)\.{1,2}(?:\/|$)|%2e|%2f|%5c|%00|\\/i;

/**
 * True when the path of `url` (a raw request target) can be forwarded as it is: the service
 * will resolve it to a path under the same prefix the gateway matched.
 *
 * @example
 * isForwardablePath('/auth/session?next=/a/../b'); // true (the query is not a path)
 * isForwardablePath('/auth/%2e%2e/metrics'); // false
 */
export function isForwardablePath(url: string): boolean {
  const query = url.indexOf('?');
  return !UNSAFE.test(query === -1 ? url : url.slice(0, query));
}

/**
 * The upstream whose prefix `url` is under: `/auth`, `/auth/...` and `/auth?...` match
 * `/auth`; `/authx` does not. An `exact` route matches its prefix and `prefix?...` only.
 */
export function matchPrefix<T extends { readonly prefix: string; readonly exact?: boolean }>(
  url: string,
  routes: readonly T[],
): T | undefined {
  for (const route of routes) {
    const { prefix } = route;
    if (!url.startsWith(prefix)) continue;
    const next = url.charCodeAt(prefix.length);
    // end of string (NaN), '/' (47) or '?' (63)
    if (Number.isNaN(next) || next === 63 || (next === 47 && route.exact !== true)) return route;
  }
  return undefined;
}
