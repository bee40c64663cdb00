import { SignInError } from '../sign-in-error.js';
import type { TokenResponse } from './provider-kind.js';

/**
 * The id_token of an OpenID kind's sign-in token response. A success answer without one (or
 * not JSON at all) is the provider's garbage: 502 `token_exchange_failed` (`no_id_token`).
 */
export function idTokenOf(response: TokenResponse): string {
  if (typeof response.id_token !== 'string') {
    throw new SignInError(
      502,
      'token_exchange_failed',
      'no_id_token',
      'the provider answered the token request without an id_token',
    );
  }
  return response.id_token;
}
