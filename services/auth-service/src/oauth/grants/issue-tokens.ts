import { REFRESH_TOKEN_GRANT, type Client } from '../clients/client.js';
import type { AccessTokenIssuer } from '../../tokens/access-token-issuer.js';
import type { User } from '../../users/user.js';
import type { TokenResponse } from './grant.js';

/**
 * The token response of a user grant: an access token whose `sid` is the refresh family (what
 * revocation names) and `client_id` the client, plus the refresh token when the client is
 * registered for refreshing. The token's scope is decided by the issuer from the client's
 * registered scopes, `scope` (what was approved, or asked for at this refresh) and the user's
 * roles; the response's `scope` is the issued token's, never a second computation.
 */
export async function issueTokens(
  issue: AccessTokenIssuer,
  grant: { user: User; client: Client; familyId: string; scope: string; refreshToken: string },
): Promise<TokenResponse> {
  const access = await issue({
    user: grant.user,
    sid: grant.familyId,
    clientId: grant.client.clientId,
    registered: grant.client.scopes,
    requested: grant.scope,
  });
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    ...(grant.client.grantTypes.includes(REFRESH_TOKEN_GRANT)
      ? { refresh_token: grant.refreshToken }
      : {}),
    scope: access.scope,
  };
}
