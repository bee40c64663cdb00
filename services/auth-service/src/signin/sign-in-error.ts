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
  /** Extra fields for the audit line (which email, hd and rule); never a token or secret. */
  readonly audit: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    code: string,
    reason: string,
    description: string,
    options: { cause?: unknown; audit?: Record<string, unknown> } = {},
  ) {
    super(status, code, `${description} (${reason})`, options);
    this.reason = reason;
    this.audit = Object.freeze({ ...options.audit });
  }
}

export function isSignInError(err: unknown): err is SignInError {
  return err instanceof SignInError;
}
