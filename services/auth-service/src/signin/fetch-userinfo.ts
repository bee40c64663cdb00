import type { Fetch } from '../provider/discover-provider.js';
import { SignInError } from './sign-in-error.js';

export interface Userinfo {
  sub: string;
  name?: unknown;
  picture?: unknown;
}

/**
 * The provider's userinfo for an access token. Its `sub` must be the id_token's (OpenID Core
 * 5.3.2), else the answer belongs to someone else: 401 `invalid_userinfo`.
 */
export async function fetchUserinfo(options: {
  endpoint: string;
  accessToken: string;
  expectedSubject: string;
  fetch: Fetch;
}): Promise<Userinfo> {
  let body: unknown;
  try {
    const response = await options.fetch(options.endpoint, {
      headers: { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
      redirect: 'error',
    });
    if (!response.ok) throw new Error(`userinfo answered ${response.status}`);
    body = await response.json();
  } catch (err) {
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
