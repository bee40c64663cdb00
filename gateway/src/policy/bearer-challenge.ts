/** Characters allowed inside a quoted `WWW-Authenticate` parameter (no quote, no backslash). */
const SAFE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * A `WWW-Authenticate` value per RFC 6750 section 3, as the api-service writes it (the shared
 * one lives with the Koa adapters, which the gateway may not import). Without `error` it is the
 * plain challenge for a request that sent no token.
 *
 * @example
 * bearerChallenge({ error: 'invalid_token', description: 'the token has expired' });
 * // 'Bearer realm="gatehouse", error="invalid_token", error_description="the token has expired"'
 */
export function bearerChallenge(
  options: { error?: string; description?: string; scope?: string } = {},
): string {
  const params: [string, string | undefined][] = [
    ['realm', 'gatehouse'],
    ['error', options.error],
    ['error_description', options.description],
    ['scope', options.scope],
  ];
  return `Bearer ${params
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${SAFE.test(value) ? value : 'invalid'}"`)
    .join(', ')}`;
}
