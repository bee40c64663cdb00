import { SignJWT } from 'jose';
import type { ServiceAccountKey } from '../provider/service-account-key.js';
import { WorkspaceGroupsError } from './workspace-groups-error.js';

/** Read-only access to group memberships, the scope delegated to the service account. */
export const DIRECTORY_GROUP_SCOPE =
  'https://www.googleapis.com/auth/admin.directory.group.readonly';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google accepts assertions of at most an hour. */
const ASSERTION_LIFETIME_S = 3600;
/** A token is replaced this long before it expires, so none is sent as it runs out. */
const EXPIRY_MARGIN_MS = 60_000;

export interface WorkspaceToken {
  /** A current access token, from the cache or a new exchange (one at a time). */
  get(): Promise<string>;
  /** Drops `token` from the cache (the Directory API answered 401 to it). */
  forget(token: string): void;
}

/**
 * Access tokens for the Directory API by the JWT bearer grant (RFC 7523) with domain-wide
 * delegation: an RS256 assertion signed with the service account's key, `iss` its email,
 * `sub` the impersonated admin, `aud` and endpoint its `token_uri`, `scope` read-only groups.
 * Cached until a minute before `expires_in`; concurrent callers share one exchange.
 * Failures are WorkspaceGroupsError: 400, 401 or 403 `credentials_refused`, anything else
 * `unavailable`. Neither the assertion nor a token ever reaches a message.
 */
export function workspaceToken(options: {
  key: ServiceAccountKey;
  adminEmail: string;
  fetch: typeof fetch;
  now: () => number;
  timeoutMs: number;
}): WorkspaceToken {
  const { key, now } = options;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const exchange = async (): Promise<string> => {
    const iat = Math.floor(now() / 1000);
    const assertion = await new SignJWT({ scope: DIRECTORY_GROUP_SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(key.keyId && { kid: key.keyId }) })
      .setIssuer(key.clientEmail)
      .setSubject(options.adminEmail)
      .setAudience(key.tokenUri)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_LIFETIME_S)
      .sign(key.privateKey);
    const where = `the service account token endpoint ${key.tokenUri}`;
    let response: Response;
    let body: unknown;
    try {
      response = await options.fetch(key.tokenUri, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
      body = await response.json().catch(() => undefined);
    } catch (err) {
      throw new WorkspaceGroupsError('unavailable', `${where} did not answer`, { cause: err });
    }
    const { status } = response;
    if (status === 400 || status === 401 || status === 403) {
      throw new WorkspaceGroupsError(
        'credentials_refused',
        `${where} refused the assertion (${status}${oauthErrorCode(body)}); check the key, the admin email and the domain-wide delegation of ${DIRECTORY_GROUP_SCOPE}`,
        { status },
      );
    }
    const answer = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
    if (!response.ok || typeof answer.access_token !== 'string' || answer.access_token === '') {
      throw new WorkspaceGroupsError(
        'unavailable',
        `${where} answered ${status}${response.ok ? ' without an access_token' : ''}`,
        { status },
      );
    }
    const lifetimeS = typeof answer.expires_in === 'number' ? answer.expires_in : 0;
    cached = { token: answer.access_token, renewAt: now() + lifetimeS * 1000 - EXPIRY_MARGIN_MS };
    return answer.access_token;
  };

  return {
    get() {
      if (cached !== undefined && now() < cached.renewAt) return Promise.resolve(cached.token);
      pending ??= exchange().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    forget(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

/** The OAuth `error` code of a refusal (`invalid_grant`, `unauthorized_client`), when sane. */
function oauthErrorCode(body: unknown): string {
  const error = (body as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' && /^[\w.-]{1,64}$/.test(error) ? ` ${error}` : '';
}
