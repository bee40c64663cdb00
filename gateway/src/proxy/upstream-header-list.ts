import type { IncomingHttpHeaders } from 'node:http';

/**
 * The headers of a request about to be forwarded, as the flat list (`[name, value, ...]`)
 * node:http writes as it is. Given an object, `http.request` first copies every header into a
 * table of its own (checking and lower-casing each name, one small array per header) and then
 * writes that table; given a list, it writes the list, with the same checks of names and
 * values. Enforces:
 * - exactly the headers of `headers` go up, in its order, each once; a header Node kept
 *   several values of (`set-cookie`) goes up as several lines, as node:http writes it;
 * - a request without `Host` (HTTP/1.0 allows that) gets `host`, the upstream's host and port,
 *   which is what node:http adds to a header object without one.
 *
 * @example
 * upstreamHeaderList({ host: 'app.example.com', 'x-request-id': 'abc12345' }, 'api:4002');
 * // ['host', 'app.example.com', 'x-request-id', 'abc12345']
 */
export function upstreamHeaderList(headers: IncomingHttpHeaders, host: string): string[] {
  const list: string[] = [];
  if (headers.host === undefined) list.push('Host', host);
  for (const name in headers) {
    const value = headers[name];
    if (typeof value === 'string') list.push(name, value);
    else if (value !== undefined) for (const each of value) list.push(name, each);
  }
  return list;
}
