import { MAX_CLOCK_TOLERANCE_SECONDS } from '@gatehouse/shared';
import type { Client } from '../clients/client.js';
import type { RefreshTokens } from '../refresh/refresh-tokens.js';
import type { OwnTokenVerifier } from '../../tokens/verify-own-access-token.js';
import type { RevocationRecorder } from '../revocation-feed/revocation-recorder.js';

/** What a revocation did, for the audit log; nothing of it goes to the client (RFC 7009 2.2). */
export type RevocationOutcome =
  | {
      readonly revoked: true;
      readonly kind: 'refresh_token' | 'access_token';
      readonly sid: string | undefined;
      readonly sub: string;
      readonly jti?: string;
    }
  | { readonly revoked: false };

/**
 * RFC 7009 revocation, for both kinds of token we issue, whatever `token_type_hint` says
 * (section 2.1 lets the server search past the hint):
 * - a refresh token: its whole family (the sign-in) ends;
 * - an access token (a JWT we signed, verified here, that some verifier may still accept:
 *   `verifyAccessToken` allows MAX_CLOCK_TOLERANCE_SECONDS past `exp`): that token, by `jti`,
 *   is recorded in the revocation feed until every verifier refuses it anyway (its `exp` plus
 *   that tolerance), so the APIs refuse it; the rest of its grant lives on (revoking the
 *   refresh token is how a client ends the grant).
 * Only tokens of the calling client are revoked. A token of another client, an unknown one or
 * an expired one (past any verifier's tolerance) is left alone and still answered 200 (section 2.2), so the endpoint says
 * nothing about which tokens exist.
 *
 * @example
 * const revoke = createTokenRevocation({ refresh, verifyAccessToken, revocations, now });
 * await revoke(form.get('token'), client);
 */
export function createTokenRevocation(options: {
  refresh: RefreshTokens;
  verifyAccessToken: OwnTokenVerifier;
  revocations: RevocationRecorder;
  now: () => number;
}) {
  return async (token: string, client: Client): Promise<RevocationOutcome> => {
    const family = await options.refresh.find(token);
    if (family) {
      if (family.clientId !== client.clientId) return { revoked: false };
      await options.refresh.revokeFamily(family.id, 'revoked_by_client');
      return { revoked: true, kind: 'refresh_token', sid: family.id, sub: family.userId };
    }
    const claims = await options.verifyAccessToken(token);
    if (!claims || claims.client_id !== client.clientId) return { revoked: false };
    await options.revocations.record({
      jti: claims.jti,
      at: options.now(),
      expiresAt: (claims.exp + MAX_CLOCK_TOLERANCE_SECONDS) * 1000,
      reason: 'revoked_by_client',
    });
    return {
      revoked: true,
      kind: 'access_token',
      sid: claims.sid,
      sub: claims.sub,
      jti: claims.jti,
    };
  };
}

export type TokenRevocation = ReturnType<typeof createTokenRevocation>;
