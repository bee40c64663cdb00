import { isForwardablePath } from '../proxy/forwardable-path.js';

/** A routed request target split into its normalised path and its query (with `?`, or ''). */
export interface NormalisedTarget {
  readonly path: string;
  readonly query: string;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** Tomcat and Jetty drop `;params` from a segment, turning `/..;/` into a dot segment. */
const DOT_WITH_PARAMS = /(?:^|\/)\.{1,2};/;

/**
 * The path a route is matched on, or undefined when it must be refused (400). Enforces:
 * - what `isForwardablePath` refuses (dot segments at any encoding, encoded separators,
 *   backslashes, controls) is refused, and so are `.;`/`..;` segments and malformed `%`;
 * - percent-encoded unreserved characters are decoded and other escapes upper-cased
 *   (RFC 3986 section 6.2.2), so `/%72eports` is matched, and forwarded, as `/reports`: an
 *   upstream that decodes cannot reach a path other than the one whose policy was applied.
 *
 * @example
 * normaliseTarget('/%72eports/a%2fb?x'); // undefined (an encoded slash)
 * normaliseTarget('/%72eports/%c3%a9?x'); // { path: '/reports/%C3%A9', query: '?x' }
 */
export function normaliseTarget(url: string): NormalisedTarget | undefined {
  if (!isForwardablePath(url)) return undefined;
  const mark = url.indexOf('?');
  const raw = mark === -1 ? url : url.slice(0, mark);
  const query = mark === -1 ? '' : url.slice(mark);
  if (DOT_WITH_PARAMS.test(raw)) return undefined;
  if (!raw.includes('%')) return { path: raw, query };
  let path = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '%') {
      path += c;
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
    const decoded = String.fromCharCode(parseInt(hex, 16));
    path += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
    i += 2;
  }
  // Decoding letters may have formed what was refused above (`.%3b` is `.;`).
  return DOT_WITH_PARAMS.test(path) ? undefined : { path, query };
}
