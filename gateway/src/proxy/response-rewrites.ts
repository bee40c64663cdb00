/** How a replica's `Location` and `Set-Cookie` headers are rewritten on the way to the client. */
export interface ResponseRewrites {
  location(value: string): string;
  /** Undefined when cookies pass unchanged (no prefix was stripped). */
  setCookie?: (value: string) => string;
}

/** A cookie's `Path` attribute: its value, up to the next `;`. */
const COOKIE_PATH = /(;\s*path\s*=\s*)([^;]*)/i;

/**
 * The rewrites for responses of `upstreamOrigin`. Enforces:
 * - a `Location` naming the replica's own origin points at the public origin instead;
 * - with `strip_prefix` (`strippedPrefix`, e.g. `/reports`), the upstream never saw the prefix,
 *   so it is put back where the upstream names its own paths, as nginx's `proxy_redirect` and
 *   `proxy_cookie_path` defaults would: a path-absolute `Location` (`/login`) or one on the
 *   replica's origin becomes `/reports/login`, and a cookie's `Path=/` becomes
 *   `Path=/reports` (`Path=/x`: `/reports/x`). Other origins, relative references and
 *   cookies without `Path` (whose default comes from the public URL) are left alone.
 *
 * @example
 * responseRewrites('http://reports:8000', 'https://app.example.com', '/reports')
 *   .location('http://reports:8000/x?y'); // 'https://app.example.com/reports/x?y'
 */
export function responseRewrites(
  upstreamOrigin: string,
  publicOrigin: string,
  strippedPrefix?: string,
): ResponseRewrites {
  const prefix = strippedPrefix ?? '';
  const withPrefix = (path: string) =>
    prefix === '' ? path : path === '/' || path === '' ? prefix : prefix + path;
  const onUpstream = (location: string) =>
    location.startsWith(upstreamOrigin) &&
    (location.length === upstreamOrigin.length || '/?#'.includes(location[upstreamOrigin.length]!));
  const pathPart = (rest: string) => {
    const end = rest.search(/[?#]/);
    return end === -1 ? [rest, ''] : [rest.slice(0, end), rest.slice(end)];
  };
  const prefixed = (rest: string) => {
    const [path, tail] = pathPart(rest);
    return withPrefix(path!) + tail!;
  };
  return {
    location(value) {
      if (onUpstream(value)) return publicOrigin + prefixed(value.slice(upstreamOrigin.length));
      if (prefix !== '' && value.startsWith('/') && !value.startsWith('//')) return prefixed(value);
      return value;
    },
    setCookie:
      prefix === ''
        ? undefined
        : (value) =>
            value.replace(COOKIE_PATH, (_match, attribute: string, path: string) =>
              path.trim().startsWith('/') ? attribute + withPrefix(path.trim()) : attribute + path,
            ),
  };
}
