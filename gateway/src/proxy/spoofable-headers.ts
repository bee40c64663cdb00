/**
 * Headers that some proxy, framework or library reads as the client's address, scheme, host,
 * port or original path. Only the gateway may state where a request came from, and it states
 * that with `X-Forwarded-For/-Proto/-Host` alone, so a client's copy of any of these is dropped.
 */
export const FORWARDING_ALIASES: ReadonlySet<string> = new Set([
  // RFC 7239, and the nginx/Apache convention for the client address
  'forwarded',
  'x-real-ip',
  // host, port, scheme and path prefix (Rack, Spring, Symfony, ASP.NET, Traefik, oauth2-proxy)
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-forwarded-uri',
  'x-forwarded-path',
  'x-forwarded-server',
  'x-forwarded-ssl',
  'x-forwarded-scheme',
  'x-forwarded-protocol',
  'x-url-scheme',
  'front-end-https',
  'x-original-host',
  'x-host',
  // the request path before a rewrite (IIS, Symfony, Zend, nginx auth_request)
  'x-original-url',
  'x-original-uri',
  'x-rewrite-url',
  // the client address under other names (request-ip, CDNs, load balancers)
  'client-ip',
  'true-client-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'x-original-forwarded-for',
  'x-forwarded',
  'forwarded-for',
  'cf-connecting-ip',
  'fastly-client-ip',
]);

/**
 * True for a client header (name as Node gives it, lower case) that a service could take for
 * one the gateway states, which must not be forwarded. Enforces:
 * - the names in `FORWARDING_ALIASES` are refused, whatever their case (Node lowercases names);
 * - no header name containing `_` reaches a service. WSGI and CGI (`HTTP_X_FORWARDED_FOR`),
 *   PHP and nginx with `underscores_in_headers on` fold `_` and `-` into one name, so
 *   `X_Forwarded_For` or `X-Request_Id` would become the header the gateway set, and
 *   `Sec_Fetch_Site` one the services' cross-site guard reads. Dropping them all, as nginx and
 *   Apache httpd do by default, closes that for every header, present and future.
 * Case variants need nothing here: Node folds `X-REQUEST-ID` and `x-request-id` into one
 * header before the gateway sees it.
 */
export function isSpoofableHeader(name: string): boolean {
  return name.includes('_') || FORWARDING_ALIASES.has(name);
}
