import { describe, expect, it } from '@jest/globals';
import { authorizationRefusal, tokenEndpointRefusal } from '../../src/signin/provider-refusal.js';

const classOf = (err: { status: number; code: string; reason: string }) => ({
  status: err.status,
  code: err.code,
  reason: err.reason,
});

describe('provider refusals by who caused them', () => {
  it.each([
    [{ error: 'invalid_grant' }, 400, 'invalid_grant', 'invalid_grant'],
    // Some providers answer a malformed (altered) code so: the browser's doing, never a 500.
    [{ error: 'invalid_request' }, 400, 'invalid_grant', 'invalid_request'],
    [{ error: 'invalid_client' }, 500, 'server_error', 'invalid_client'],
    [{ error: 'unauthorized_client' }, 500, 'server_error', 'unauthorized_client'],
    [{ error: 'redirect_uri_mismatch' }, 500, 'server_error', 'redirect_uri_mismatch'],
    [{ error: 'server_error' }, 502, 'token_exchange_failed', 'server_error'],
    [{ error: 'temporarily_unavailable' }, 502, 'token_exchange_failed', 'temporarily_unavailable'],
    [{ error: 'Something <b>odd</b>' }, 502, 'token_exchange_failed', 'unknown'],
    // GitHub answers 200 with the error in the body; grant then hands over the bare word.
    ['bad_verification_code', 400, 'invalid_grant', 'bad_verification_code'],
    ['incorrect_client_credentials', 500, 'server_error', 'incorrect_client_credentials'],
    ['invalid_grant', 400, 'invalid_grant', 'invalid_grant'],
    ['connect ECONNREFUSED 127.0.0.1:1', 502, 'token_exchange_failed', 'unreachable'],
    ['<html>502 Bad Gateway</html>', 502, 'token_exchange_failed', 'unreachable'],
  ])('when the token endpoint answers %j, then %d %s (%s)', (error, status, code, reason) => {
    expect(classOf(tokenEndpointRefusal(error))).toEqual({ status, code, reason });
  });

  it.each([
    ['access_denied', 403, 'access_denied', 'provider_access_denied'],
    ['consent_required', 403, 'access_denied', 'consent_required'],
    ['admin_policy_enforced', 403, 'access_denied', 'admin_policy_enforced'],
    // The callback URL is the browser's to edit: never a 5xx, whatever word it carries.
    ['unsupported_response_type', 400, 'provider_error', 'unsupported_response_type'],
    ['invalid_client', 400, 'provider_error', 'invalid_client'],
    ['temporarily_unavailable', 400, 'provider_error', 'temporarily_unavailable'],
    ['made_up_word', 400, 'provider_error', 'made_up_word'],
    [['access_denied', 'x'], 400, 'provider_error', 'unknown'],
  ])('when the callback carries error=%j, then %d %s (%s)', (error, status, code, reason) => {
    expect(classOf(authorizationRefusal(error))).toEqual({ status, code, reason });
  });

  it('when a code is refused, then the description says to start again and leaks nothing', () => {
    const err = tokenEndpointRefusal({ error: 'invalid_grant', error_description: 'SECRET' });
    expect(err.expose).toBe(true);
    expect(err.message).toMatch(/start again/);
    expect(err.message).not.toContain('SECRET');
  });
});
