/** Where a sign-in lands when `returnTo` is missing or refused. */
const DEFAULT_RETURN_TO = '/';

const PLACEHOLDER_ORIGIN = 'http://gatehouse.invalid';
const MAX_LENGTH = 2048;

/**
 * `returnTo` reduced to a same-origin path, or `/`. Refuses what browsers would read as
 * another origin: scheme-relative `//evil.com`, backslashes (`/\evil.com`), absolute URLs and
 * `javascript:`, whitespace and control characters, encoded variants (`/%2F%2Fevil.com`),
 * and dot segments that normalise into any of these.
 *
 * @example
 * safeReturnTo('/app?tab=1'); // '/app?tab=1'
 * safeReturnTo('//evil.com'); // '/'
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) {
    return DEFAULT_RETURN_TO;
  }
  if (!isLocalPath(value) || !isLocalWhenDecoded(fullyDecoded(value))) return DEFAULT_RETURN_TO;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return DEFAULT_RETURN_TO;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return DEFAULT_RETURN_TO;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return isLocalPath(path) ? path : DEFAULT_RETURN_TO;
}

/** Starts with exactly one slash and holds no backslash, whitespace or control character. */
function isLocalPath(path: string): boolean {
  return (
    path.startsWith('/') &&
    !path.startsWith('//') &&
    // eslint-disable-next-line no-control-regex
    !/[\\\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(path)
  );
}

/**
 * The decoded form may hold spaces (`%20` is a fine path), but must not turn into another
 * origin or hide control characters a browser would strip.
 */
function isLocalWhenDecoded(path: string): boolean {
  return (
    path.startsWith('/') &&
    !path.startsWith('//') &&
    !path.includes('\\') &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(path)
  );
}

/** Percent-decodes until stable (bounded), so double-encoded tricks are seen too. */
function fullyDecoded(value: string): string {
  let current = value;
  for (let round = 0; round < 3; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return '\\'; // undecodable: treat as unsafe
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}
