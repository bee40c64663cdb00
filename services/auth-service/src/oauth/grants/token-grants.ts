import type { RequestSource } from '../../http/request-source.js';
import type { DeviceAuthorizationStore } from '../device/device-authorization-store.js';
import type { RefreshTokens } from '../refresh/refresh-tokens.js';
import type { AccessTokenIssuer } from '../../tokens/access-token-issuer.js';
import type { User } from '../../users/user.js';
import type { AuthenticateClient, ClientRequest } from '../clients/authenticate-client.js';
import { clientCredentialsGrant } from './client-credentials-grant.js';
import { deviceCodeGrant } from './device-code-grant.js';
import type { Grant, GrantContext, TokenResponse } from './grant.js';
import { oauthError, requireParam } from '../../http/oauth-error.js';
import { refreshTokenGrant } from './refresh-token-grant.js';

/**
 * The OAuth grants of POST /auth/token, keyed by `grant_type`: the dispatcher the token route
 * calls for form-encoded requests. A new grant is one more entry here.
 *
 * @example
 * const grants = createTokenGrants({ authenticate, devices, directory, refresh, issue, now });
 * const body = await grants.exchange(clientRequest(ctx, form), requestSource(ctx));
 * grants.types; // for the discovery document
 */
export function createTokenGrants(options: {
  authenticate: AuthenticateClient;
  devices: DeviceAuthorizationStore;
  directory: { findById(id: string): Promise<User | undefined> };
  refresh: RefreshTokens;
  issue: AccessTokenIssuer;
  now: () => number;
  rereadRoles?: ((userId: string) => Promise<void>) | undefined;
}) {
  const grants: Grant<unknown, unknown>[] = [
    deviceCodeGrant(options),
    refreshTokenGrant(options),
    clientCredentialsGrant(options),
  ];
  const byType = new Map(grants.map((grant) => [grant.type as string, grant]));
  return {
    types: grants.map((grant) => grant.type),
    async exchange(request: ClientRequest, from: RequestSource): Promise<TokenResponse> {
      const { form, log } = request;
      const grantType = requireParam(form, 'grant_type');
      const grant = byType.get(grantType);
      if (!grant) {
        throw oauthError('unsupported_grant_type', `grant_type "${grantType}" is not supported`);
      }
      const context: GrantContext = {
        client: await options.authenticate(request, { grantType: grant.type }),
        log,
        from,
      };
      const params = grant.parse(form);
      return grant.issue(await grant.authorize(params, context), context);
    },
  };
}

export type TokenGrants = ReturnType<typeof createTokenGrants>;
