/** The request headers a browser sends that tell where a request came from. */
export interface RequestOriginHeaders {
  readonly origin?: string | undefined;
  readonly 'sec-fetch-site'?: string | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a state-changing request that a cookie authenticates must be refused as cross-site
 * (CSRF), or undefined when it may go on. GET, HEAD and OPTIONS always may. Otherwise `Origin`
 * must equal `expectedOrigin`, or, when a browser sends no Origin, `Sec-Fetch-Site` must be
 * `same-origin`; a request with neither header is refused too, since every browser that can
 * carry the cookie sends at least one of them on a POST. The same rule as the auth-service's
 * guard for every unsafe request under `/auth`.
 *
 * @example
 * crossSiteRefusal('POST', { origin: 'https://evil.example' }, 'https://app.example.com');
 * // 'cross-site request refused: the Origin must be https://app.example.com'
 */
export function crossSiteRefusal(
  method: string,
  headers: RequestOriginHeaders,
  expectedOrigin: string,
): string | undefined {
  if (SAFE_METHODS.has(method)) return undefined;
  const origin = headers.origin;
  const fetchSite = headers['sec-fetch-site'];
  if (!origin && !fetchSite) {
    return 'request refused: it sends neither Origin nor Sec-Fetch-Site, so it cannot be told from a cross-site one';
  }
  const sameOrigin = origin ? origin === expectedOrigin : fetchSite === 'same-origin';
  return sameOrigin
    ? undefined
    : `cross-site request refused: the Origin must be ${expectedOrigin}`;
}
