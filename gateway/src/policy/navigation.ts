import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a request is a browser's top-level navigation, which a session route answers with a
 * redirect through sign-in rather than a 401: GET or HEAD, not an upgrade, `Accept` naming
 * `text/html`, and `Sec-Fetch-Mode` absent (older browsers) or `navigate`. A script's fetch
 * (`Sec-Fetch-Mode: cors`), an `<img>` or a CLI gets the 401 it can act on.
 *
 * @example
 * isNavigation('GET', { accept: 'text/html', 'sec-fetch-mode': 'navigate' }); // true
 * isNavigation('GET', { accept: '*\/*', 'sec-fetch-mode': 'cors' }); // false
 */
export function isNavigation(method: string, headers: IncomingHttpHeaders): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (headers.upgrade !== undefined) return false;
  const mode = headers['sec-fetch-mode'];
  if (mode !== undefined && mode !== 'navigate') return false;
  const accept = headers.accept;
  return typeof accept === 'string' && accept.toLowerCase().includes('text/html');
}
