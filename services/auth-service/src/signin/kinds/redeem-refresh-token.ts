import { SignInError } from '../sign-in-error.js';
import { wireWord } from '../wire-word.js';
import type { Fetch, TokenResponse } from './provider-kind.js';

/**
 * Redeems a kept refresh token at the provider's token endpoint (`grant_type=refresh_token`,
 * RFC 6749 section 6) with the client's secret in the form (client_secret_post, as grant does
 * at sign-in) and the sign-in's scopes (Entra requires them; others accept a subset). No
 * redirect is followed; the request times out. Classified by who caused a failure:
 * - no answer, a timeout, 429 or 5xx, or a success that is not a JSON object: 502
 *   `provider_unavailable` (an outage: try again later);
 * - any other error status (`invalid_grant`: revoked, expired or already rotated; 401
 *   `invalid_client`): 400 `invalid_grant` with the provider's error word as `reason`
 *   (`status_<n>` without one): the credential is no good.
 * The refresh token never appears in a message.
 */
export async function redeemRefreshToken(options: {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  scope: readonly string[];
  fetch: Fetch;
  timeoutMs: number;
}): Promise<TokenResponse> {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: options.refreshToken,
    client_id: options.clientId,
    client_secret: options.clientSecret,
    scope: options.scope.join(' '),
  });
  let response: Response;
  try {
    response = await options.fetch(options.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    throw unavailable('unreachable', 'the token endpoint could not be reached', err);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 429 || response.status >= 500) {
    throw unavailable('token_endpoint', `the token endpoint answered ${response.status}`);
  }
  if (!response.ok) {
    const word = (body as { error?: unknown } | undefined)?.error;
    const reason = word === undefined ? `status_${response.status}` : wireWord(word);
    throw new SignInError(
      400,
      'invalid_grant',
      reason,
      `the provider refused the kept refresh token (${response.status})`,
    );
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw unavailable('token_endpoint', 'the token endpoint did not answer a JSON object');
  }
  return body as TokenResponse;
}

function unavailable(reason: string, description: string, cause?: unknown): SignInError {
  return new SignInError(502, 'provider_unavailable', reason, description, { cause });
}
