import type { Fetch } from './provider/discover-provider.js';
import { SignInError } from './sign-in-error.js';

export interface Userinfo {
  sub: string;
  name?: unknown;
  picture?: unknown;
  email?: unknown;
  email_verified?: unknown;
}

/**
 * The provider's userinfo for an access token. Classified by who caused a failure:
 * - 401 or 403: the provider no longer accepts the grant it has just issued (revoked at the
 *   provider meanwhile): 400 `invalid_grant`, start again;
 * - unreachable, timed out, any other status, or not a JSON object: 502
 *   `provider_unavailable`;
 * - a `sub` other than the id_token's (OpenID Core 5.3.2): the answer belongs to someone
 *   else, 401 `invalid_userinfo`.
 */
export async function fetchUserinfo(options: {
  endpoint: string;
  accessToken: string;
  expectedSubject: string;
  fetch: Fetch;
  timeoutMs: number;
}): Promise<Userinfo> {
  let body: unknown;
  let status: number | undefined;
  try {
    const response = await options.fetch(options.endpoint, {
      headers: { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
    status = response.status;
    if (!response.ok) throw new Error(`userinfo answered ${response.status}`);
    body = await response.json();
    if (body === null || typeof body !== 'object') throw new Error('userinfo is not an object');
  } catch (err) {
    if (status === 401 || status === 403) {
      throw new SignInError(
        400,
        'invalid_grant',
        'userinfo_refused',
        'the provider no longer accepts this sign-in; start again',
        { cause: err },
      );
    }
    throw new SignInError(502, 'provider_unavailable', 'userinfo', 'userinfo failed', {
      cause: err,
    });
  }
  const sub = (body as { sub?: unknown } | null)?.sub;
  if (typeof sub !== 'string' || sub !== options.expectedSubject) {
    throw new SignInError(
      401,
      'invalid_userinfo',
      'sub',
      'the userinfo answer is about another subject than the id_token',
    );
  }
  return body as Userinfo;
}
