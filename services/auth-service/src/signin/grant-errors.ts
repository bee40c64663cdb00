import { SignInError } from './sign-in-error.js';

/**
 * The errors grant itself reports as `response.error` on the callback, by their exact value.
 * grant has no error class or code: these strings are its only signal, so they are matched
 * whole, never by a word inside them, and test/signin/grant-errors.test.ts drives the installed
 * grant to produce each one. An upgrade that changes one fails that test instead of
 * classifying sign-ins wrongly.
 */
const GRANT_ERRORS: ReadonlyMap<string, () => SignInError> = new Map([
  ['Grant: OpenID Connect invalid id_token format', () => invalidIdToken('malformed')],
  ['Grant: OpenID Connect error decoding id_token', () => invalidIdToken('malformed')],
  ['Grant: OpenID Connect invalid id_token audience', () => invalidIdToken('aud')],
  ['Grant: OpenID Connect nonce mismatch', () => invalidIdToken('nonce')],
  [
    'Grant: OAuth2 state mismatch',
    () =>
      new SignInError(400, 'invalid_state', 'state_mismatch', 'the sign-in state does not match'),
  ],
]);

/**
 * The sign-in error for one of grant's own checks, or undefined when `error` is not one of
 * them (a refused token exchange, which the provider caused: provider-refusal.ts).
 *
 * @example
 * grantCheckFailure('Grant: OpenID Connect nonce mismatch'); // SignInError invalid_id_token (nonce)
 */
export function grantCheckFailure(error: unknown): SignInError | undefined {
  return typeof error === 'string' ? GRANT_ERRORS.get(error)?.() : undefined;
}

function invalidIdToken(reason: string): SignInError {
  return new SignInError(401, 'invalid_id_token', reason, 'the id_token is not acceptable');
}
