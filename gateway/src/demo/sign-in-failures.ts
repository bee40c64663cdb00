/**
 * What the account page says for `/?error=CODE`, in words of ours. Only these codes are shown;
 * any other text in the query gets `UNKNOWN_SIGN_IN_FAILURE`, so a crafted link cannot put an
 * attacker's sentence ("call this number") on the real origin. The codes are the wire `error`
 * values a sign-in ends with (auth-service signin/: check-callback, complete-sign-in,
 * provider-refusal).
 */
export const SIGN_IN_FAILURES: Readonly<Record<string, string>> = Object.freeze({
  access_denied: 'the sign-in was cancelled or refused.',
  invalid_state: 'the sign-in expired or was started in another tab. Please sign in again.',
  invalid_request: 'the sign-in was incomplete. Please sign in again.',
  invalid_grant: 'the sign-in could not be completed. Please sign in again.',
  invalid_id_token: "the identity provider's answer could not be verified.",
  token_exchange_failed: 'the identity provider did not answer. Please try again later.',
  provider_error: 'the identity provider could not complete the sign-in. Please try again later.',
  provider_unavailable: 'the identity provider is not answering. Please try again later.',
  server_error: 'Gatehouse could not complete the sign-in. Please try again later.',
  temporarily_unavailable: 'sign-in is not available right now. Please try again later.',
});

/** The whole message for a code no one here wrote a message for. */
export const UNKNOWN_SIGN_IN_FAILURE = 'Sign-in failed. Please try again.';
