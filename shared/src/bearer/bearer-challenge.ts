/** Characters allowed inside our quoted `WWW-Authenticate` parameters (no quote, no backslash). */
const SAFE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export const DEFAULT_REALM = 'gatehouse';

/**
 * A `WWW-Authenticate` value per RFC 6750 section 3. Without `error` it is the plain challenge
 * for a request that sent no token. Values are ours (fixed descriptions, configured names),
 * never taken from the request; they are checked anyway so a header cannot be broken.
 *
 * @example
 * bearerChallenge({ error: 'invalid_token', description: 'the token has expired' });
 * // 'Bearer realm="gatehouse", error="invalid_token", error_description="the token has expired"'
 */
export function bearerChallenge(
  options: { realm?: string; error?: string; description?: string; scope?: string } = {},
): string {
  const params: [string, string | undefined][] = [
    ['realm', options.realm ?? DEFAULT_REALM],
    ['error', options.error],
    ['error_description', options.description],
    ['scope', options.scope],
  ];
  return `Bearer ${params
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${SAFE.test(value) ? value : 'invalid'}"`)
    .join(', ')}`;
}

/** Throws at setup when a configured name could not appear in a challenge as it is. */
export function assertChallengeSafe(option: string, value: string): void {
  if (value === '' || !SAFE.test(value)) {
    throw new TypeError(`${option} must be printable ASCII without quotes or backslashes`);
  }
}
