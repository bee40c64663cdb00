import type { IncomingHttpHeaders } from 'node:http';
import type { ResponseRewrites } from './response-rewrites.js';

/**
 * Headers that describe one connection rather than the message (RFC 9110 section 7.6.1), plus
 * `expect`: Node already answered `100 Continue` to the client, so the upstream must not wait
 * for a second one.
 */
const REQUEST_HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'expect',
] as const;

/** A client may list these in `Connection`, but removing them would change the message framing. */
const NEVER_LISTED = new Set(['content-length', 'transfer-encoding', 'host', 'x-request-id']);

/** `keep-alive` and `close` are the only values that name no header; skip parsing for them. */
const PLAIN_CONNECTION = /^\s*(?:keep-alive|close)\s*$/i;

/**
 * Removes hop-by-hop headers from an incoming request before it is forwarded, including any
 * header the client named in `Connection`. `transfer-encoding` stays: Node re-frames the body.
 */
export function removeRequestHopByHop(headers: IncomingHttpHeaders): void {
  const connection = headers.connection;
  if (connection !== undefined && !PLAIN_CONNECTION.test(connection)) {
    for (const token of connection.split(',')) {
      const name = token.trim().toLowerCase();
      if (name && !NEVER_LISTED.has(name)) delete headers[name];
    }
  }
  for (const name of REQUEST_HOP_BY_HOP) {
    if (headers[name] !== undefined) delete headers[name];
  }
}

/**
 * The response head sent to the client, built from the upstream's raw header list (keeps
 * repeated `Set-Cookie` lines apart and avoids building a header object per response).
 * Enforces:
 * - hop-by-hop headers (and any the upstream named in `Connection`) never reach the client;
 *   Node writes `Connection`/`Keep-Alive` for the client connection itself;
 * - `Transfer-Encoding: chunked` is left to Node, which frames the body for this client;
 * - `X-Request-Id` is the gateway's id, exactly once;
 * - `Location` and `Set-Cookie` go through `rewrites` (see `responseRewrites`).
 */
export function buildResponseHeaders(
  raw: readonly string[],
  requestId: string,
  rewrites: ResponseRewrites,
): string[] {
  const head: string[] = [];
  let listed: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    switch (name.toLowerCase()) {
      case 'connection':
        if (!PLAIN_CONNECTION.test(value))
          listed = listed === undefined ? value : `${listed},${value}`;
        continue;
      case 'keep-alive':
      case 'proxy-connection':
      case 'trailer':
      case 'upgrade':
      case 'proxy-authenticate':
      case 'x-request-id':
        continue;
      case 'transfer-encoding':
        if (value.trim().toLowerCase() === 'chunked') continue;
        break;
      case 'location':
        head.push(name, rewrites.location(value));
        continue;
      case 'set-cookie':
        head.push(name, rewrites.setCookie === undefined ? value : rewrites.setCookie(value));
        continue;
    }
    head.push(name, value);
  }
  head.push('X-Request-Id', requestId);
  return listed === undefined ? head : withoutListed(head, listed);
}

function withoutListed(head: string[], listed: string): string[] {
  const names = new Set(listed.split(',').map((token) => token.trim().toLowerCase()));
  names.delete('x-request-id');
  const kept: string[] = [];
  for (let i = 0; i < head.length; i += 2) {
    if (!names.has(head[i]!.toLowerCase())) kept.push(head[i]!, head[i + 1]!);
  }
  return kept;
}
