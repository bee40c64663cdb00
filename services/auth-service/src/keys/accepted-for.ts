/**
 * How long, in milliseconds, an access token can still be accepted after it was signed: its
 * lifetime plus the verifiers' clock skew. A retired key stays published, and an ended refresh
 * family stays on record, this long after their last token.
 *
 * @example
 * const retainMs = acceptedForMs(config.tokens); // (600 + 60) * 1000
 */
export function acceptedForMs(tokens: {
  readonly accessTokenTtl: number;
  readonly clockSkew: number;
}): number {
  return (tokens.accessTokenTtl + tokens.clockSkew) * 1000;
}
