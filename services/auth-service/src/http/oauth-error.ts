import { HttpError } from '@gatehouse/shared';

/**
 * An OAuth error response (RFC 6749 section 5.2, RFC 8628 section 3.5): 400 unless said
 * otherwise, rendered by the one error handler as `{error, error_description, request_id}`
 * with `Cache-Control: no-store`.
 *
 * @example
 * throw oauthError('invalid_grant', 'the refresh token has expired');
 */
export function oauthError(code: string, description: string, status = 400): HttpError {
  return new HttpError(status, code, description);
}

/** A required form parameter, or 400 `invalid_request` naming it. */
export function requireParam(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') {
    throw oauthError('invalid_request', `the "${name}" parameter is required`);
  }
  return value;
}
