import { CliError } from './cli-error.js';
import type { CliDeps } from './cli-deps.js';
import { writeCredentials, type Credentials } from './credentials-file.js';
import { OAuthError, requestJson } from './http-client.js';

/** A cached access token is used while it has at least this long to live. */
const MIN_REMAINING_MS = 60_000;

/**
 * An access token good for at least a minute: the cached one, or a new one from the refresh
 * grant. The rotated refresh token is written before the access token is returned, so a crash
 * right after never leaves the file with a spent token. `invalid_grant` (revoked, expired,
 * the user disabled) says to sign in again.
 */
export async function freshAccessToken(
  path: string,
  credentials: Credentials,
  deps: CliDeps,
): Promise<string> {
  if (
    credentials.accessToken !== undefined &&
    (credentials.accessTokenExpiresAt ?? 0) - deps.now() >= MIN_REMAINING_MS
  ) {
    return credentials.accessToken;
  }
  let tokens: Record<string, unknown>;
  try {
    tokens = await requestJson(deps.fetch, credentials.tokenEndpoint, {
      form: {
        grant_type: 'refresh_token',
        refresh_token: credentials.refreshToken,
        client_id: credentials.clientId,
      },
    });
  } catch (err) {
    if (err instanceof OAuthError && err.code === 'invalid_grant') {
      throw new CliError(
        `the sign-in is no longer valid (${err.description}); run "gatehouse login"`,
      );
    }
    if (err instanceof OAuthError) throw new CliError(`refreshing failed: ${err.message}`);
    throw err;
  }
  const accessToken = String(tokens.access_token);
  writeCredentials(path, {
    ...credentials,
    refreshToken:
      typeof tokens.refresh_token === 'string' ? tokens.refresh_token : credentials.refreshToken,
    accessToken,
    accessTokenExpiresAt: deps.now() + Number(tokens.expires_in) * 1000,
  });
  return accessToken;
}
