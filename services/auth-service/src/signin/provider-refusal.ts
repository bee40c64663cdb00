import { wireWord } from './wire-word.js';
import { SignInError } from './sign-in-error.js';
import { summariseProviderAnswer } from './summarise-provider-answer.js';

/**
 * Who made a provider answer with an error, which decides what the browser is told:
 * - `browser`: something the browser brought or did (a refused or altered code, a cancelled
 *   consent): a 4xx that says to start again, never an outage;
 * - `deployment`: this service's client registration or configuration (wrong secret,
 *   unregistered redirect URI): a 500 the operator must fix, logged with the provider's word;
 * - `provider`: the provider failed (unreachable, timed out, 5xx, garbage, its own
 *   `server_error`): 502.
 * Only the token endpoint, which this service calls itself, can answer for the deployment or
 * the provider. An error in the authorization response reaches us in the browser's own
 * callback URL, which any visitor can edit: whatever word it carries, it is a 4xx (logged at
 * warn by the sign-in audit line, with the word), never a 5xx or an error-level line.
 */
export type Culprit = 'browser' | 'deployment' | 'provider';

/** Token endpoint error words (RFC 6749 section 5.2 and Google's own); unknown: provider. */
const TOKEN_ERRORS: Readonly<Record<string, Culprit>> = {
  // The code was altered, already used, expired, or issued for another redirect_uri or PKCE
  // verifier: only a new sign-in helps.
  invalid_grant: 'browser',
  // Some providers answer a malformed (altered) code so; a browser can cause it at will.
  invalid_request: 'browser',
  invalid_client: 'deployment',
  unauthorized_client: 'deployment',
  unsupported_grant_type: 'deployment',
  invalid_scope: 'deployment',
  redirect_uri_mismatch: 'deployment',
  // GitHub's words (it answers them with 200 and the error in the body): a code that is
  // wrong, expired, used or fails PKCE; a wrong client id or secret.
  bad_verification_code: 'browser',
  incorrect_client_credentials: 'deployment',
};

/**
 * Authorization response error words the user caused (RFC 6749 4.1.2.1, OpenID Connect Core
 * 3.1.2.6, and Google's for an account its organisation keeps out); any other word is still
 * the browser's to send, so it is a 4xx too, only not a refusal by the user.
 */
const USER_REFUSALS: ReadonlySet<string> = new Set([
  'access_denied',
  'admin_policy_enforced',
  'org_internal',
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
]);

const MISCONFIGURED =
  'check GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and the redirect URI registered with the provider';

/**
 * The SignInError for an error the token endpoint answered, as grant reports it in
 * `response.error`: an OAuth error object (an error status), the bare word (a 200 answer
 * carrying `error`, as GitHub sends), a non-JSON body, or a network failure's message.
 *
 * @example
 * tokenEndpointRefusal({ error: 'invalid_grant' }); // 400 invalid_grant: start again
 * tokenEndpointRefusal('request-compose: timeout'); // 502 token_exchange_failed
 */
export function tokenEndpointRefusal(error: unknown): SignInError {
  const word =
    typeof error === 'string' && Object.hasOwn(TOKEN_ERRORS, error)
      ? error
      : (error as { error?: unknown } | null)?.error;
  const reason = word === undefined ? 'unreachable' : wireWord(word);
  const culprit = word === undefined ? 'provider' : (TOKEN_ERRORS[reason] ?? 'provider');
  const answered = `token endpoint answered: ${summariseProviderAnswer(error)}`;
  if (culprit === 'browser') {
    return new SignInError(
      400,
      'invalid_grant',
      reason,
      'the provider refused this sign-in (the code was already used, expired or altered); start again',
    );
  }
  if (culprit === 'deployment') {
    return new SignInError(
      500,
      'server_error',
      reason,
      `the provider refused this service's token request (${answered}); ${MISCONFIGURED}`,
    );
  }
  // The answer is summarised, never kept whole: a proxy's HTML page or a provider's
  // error_description must not land in the error log (5xx descriptions are never sent out).
  return new SignInError(
    502,
    'token_exchange_failed',
    reason,
    `the provider did not complete the sign-in; ${answered}`,
  );
}

/**
 * The SignInError for an `error` in the callback URL: 403 `access_denied` when the user
 * refused or could not sign in at the provider, 400 `provider_error` for any other word
 * (a misconfigured registration looks the same as an edited URL from here; the audit line
 * carries the word for the operator).
 */
export function authorizationRefusal(error: unknown): SignInError {
  const word = wireWord(error);
  if (USER_REFUSALS.has(word)) {
    return new SignInError(
      403,
      'access_denied',
      word === 'access_denied' ? 'provider_access_denied' : word,
      'the sign-in was cancelled or refused at the provider',
    );
  }
  return new SignInError(
    400,
    'provider_error',
    word,
    'the provider did not complete the sign-in; start again, and tell the operator if it keeps happening',
  );
}
