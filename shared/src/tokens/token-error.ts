/**
 * Why a token was refused. Stable values callers and tests switch on; the wire code is
 * `TokenError.code` (`invalid_token` or `temporarily_unavailable`).
 */
export type TokenErrorReason =
  | 'malformed'
  | 'too_long'
  | 'alg_not_allowed'
  | 'typ_not_accepted'
  | 'crit_not_supported'
  | 'unknown_kid'
  | 'key_mismatch'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_claim'
  | 'invalid_claim'
  | 'revoked'
  | 'keys_unavailable';

const STATUS = { invalid_token: 401, temporarily_unavailable: 503 } as const;

/**
 * Thrown by a token verifier. Framework-free: `status` and `code` say how HTTP adapters should
 * answer (401 `invalid_token`, or 503 `temporarily_unavailable` when no usable key set exists:
 * none was ever obtained, or the last one is older than the staleness bound), `reason` says precisely why, `description` is safe to send to the client: it
 * never echoes anything taken from the token.
 *
 * @example
 * try {
 *   await verifier.verify(token);
 * } catch (err) {
 *   if (err instanceof TokenError && err.reason === 'expired') refreshToken();
 * }
 */
export class TokenError extends Error {
  readonly code: keyof typeof STATUS;
  readonly status: 401 | 503;
  readonly reason: TokenErrorReason;
  readonly description: string;

  constructor(reason: TokenErrorReason, description: string, options: { cause?: unknown } = {}) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenError';
    this.reason = reason;
    this.code = reason === 'keys_unavailable' ? 'temporarily_unavailable' : 'invalid_token';
    this.status = STATUS[this.code];
    this.description = description;
  }
}

/**
 * True for a TokenError, also across duplicated module instances.
 *
 * @example
 * const claims = await verifier.verify(token).catch((err) => (isTokenError(err) ? null : Promise.reject(err)));
 */
export function isTokenError(value: unknown): value is TokenError {
  return (
    value instanceof TokenError ||
    (value instanceof Error && (value as Partial<TokenError>).name === 'TokenError')
  );
}
