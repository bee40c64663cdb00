import { HttpError } from '@gatehouse/shared';

/**
 * A refused sign-in. `code` is the stable wire value (`invalid_id_token`, `not_allowed`, ...);
 * `reason` says which check failed (`nonce`, `signature`, `hd`, ...) for the audit log and
 * for tests, and is safe to show.
 *
 * @example
 * throw new SignInError(401, 'invalid_id_token', 'nonce', 'the id_token nonce does not match');
 */
export class SignInError extends HttpError {
  readonly reason: string;

  constructor(
    status: number,
    code: string,
    reason: string,
    description: string,
    options: { cause?: unknown } = {},
  ) {
    super(status, code, `${description} (${reason})`, options);
    this.reason = reason;
  }
}

export function isSignInError(err: unknown): err is SignInError {
  return err instanceof SignInError;
}
