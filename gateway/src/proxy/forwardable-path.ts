/**
 * Dot segments (`/..`, `/.`), their percent-encoded forms at any depth of encoding (`%2e`,
 * `%252e`, ...), encoded separators, backslashes, NUL, ASCII whitespace or control characters
 * (WHATWG URL strips tab and newline, so `/.\t./` would become `/../`), and `#` (a request
 * target has no fragment, and a parser that cuts one turns `/auth/..#` into `/auth/..`). A
 * service, or a proxy behind the gateway that decodes once more, might normalise any of them
 * after the gateway matched the prefix, turning `/auth/../metrics` into its internal
 * `/metrics`. Node's parser already refuses raw control characters; refusing them here keeps
 * this check true of any string, which its property test holds it to.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /(?:^|\/)\.{1,2}(?:\/|$)|%(?:25)*(?:2e|2f|5c|00)|[\\#\u0000-\u0020\u007f]/i;

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
