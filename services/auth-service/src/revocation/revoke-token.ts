import type { Client } from '../clients/client.js';
import type { RefreshTokens } from '../refresh/refresh-tokens.js';

/** What a revocation did, for the audit log; nothing of it goes to the client (RFC 7009 2.2). */
export type RevocationOutcome =
  | {
      readonly revoked: true;
      readonly kind: 'refresh_token';
      readonly sid: string;
      readonly sub: string;
    }
  | { readonly revoked: false };

/**
 * RFC 7009 revocation, by token kind. Today refresh tokens: the token's whole family (the
 * sign-in) ends, when the token belongs to the calling client. A token of another client, or
 * an unknown one, is left alone and still answered 200 (section 2.2), so the endpoint says
 * nothing about which tokens exist. Access tokens (`token_type_hint=access_token`, by `sid`
 * or `jti`) are the next kind to add here.
 *
 * @example
 * const revoke = createTokenRevocation({ refreshTokens });
 * await revoke(form.get('token'), client);
 */
export function createTokenRevocation(options: { refreshTokens: RefreshTokens }) {
  return async (token: string, client: Client): Promise<RevocationOutcome> => {
    const family = await options.refreshTokens.find(token);
    if (!family || family.clientId !== client.clientId) return { revoked: false };
    await options.refreshTokens.revokeFamily(family.id, 'revoked_by_client');
    return { revoked: true, kind: 'refresh_token', sid: family.id, sub: family.userId };
  };
}

export type TokenRevocation = ReturnType<typeof createTokenRevocation>;
