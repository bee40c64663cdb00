import { REFRESH_TOKEN_GRANT } from '../clients/client.js';
import type { RefreshFamily } from '../refresh/refresh-token-store.js';
import type { RefreshRefusal, RefreshTokens } from '../refresh/refresh-tokens.js';
import type { AccessTokenIssuer } from '../../tokens/access-token-issuer.js';
import { grantedScope } from '../../tokens/granted-scope.js';
import type { User } from '../../users/user.js';
import type { Grant } from './grant.js';
import { issueTokens } from './issue-tokens.js';
import { oauthError, requireParam } from '../../http/oauth-error.js';

const REFUSALS: Record<RefreshRefusal, string> = {
  unknown: 'unknown refresh token',
  wrong_client: 'the refresh token was issued to another client',
  revoked: 'the refresh token has been revoked; sign in again',
  idle_expired: 'the refresh token expired unused; sign in again',
  absolute_expired: 'the sign-in has reached its maximum lifetime; sign in again',
  reused: 'the refresh token was already used; every token of this sign-in is revoked',
};

/**
 * `grant_type=refresh_token` (RFC 6749 section 6). Enforces: the token's client is the
 * caller; rotation on every use (refresh-tokens.ts), a rotated token presented again revokes
 * the family and is audited at warn; `scope`, when sent, within the granted scope
 * (`invalid_scope`), and then the scope of this access token (the family keeps its own); and
 * the user read from the directory now: removed or disabled revokes the family, roles come
 * from today's entry (provider groups read again first where they can be, `rereadRoles`), and the token's scope is what is left of the request within the
 * client's registered scopes and those roles (tokens/granted-scope.ts; nothing left is
 * `invalid_scope`). Scope and user are checked before the token is rotated, so an
 * `invalid_scope` leaves it usable. Every other refusal is 400 `invalid_grant`.
 */
export function refreshTokenGrant(options: {
  refresh: RefreshTokens;
  directory: { findById(id: string): Promise<User | undefined> };
  issue: AccessTokenIssuer;
  /** Re-reads the user's provider groups first, so a role lost there is lost here. */
  rereadRoles?: ((userId: string) => Promise<void>) | undefined;
}): Grant<
  { refreshToken: string; scope: string | null },
  { user: User; family: RefreshFamily; token: string; scope: string }
> {
  const { refresh, directory } = options;
  return {
    type: REFRESH_TOKEN_GRANT,
    parse: (form) => ({
      refreshToken: requireParam(form, 'refresh_token'),
      scope: form.get('scope'),
    }),
    async authorize({ refreshToken, scope }, { client, log, from }) {
      let user: User | undefined;
      let granted = '';
      // Every refusal of the request itself comes before rotation, so it costs no grant.
      const admit = async (family: RefreshFamily) => {
        // Within what the user granted and what the client may still ask for today.
        const allowed = family.scope.split(' ').filter((s) => client.scopes.includes(s));
        if (scope !== null && !scope.split(' ').every((s) => allowed.includes(s))) {
          throw oauthError('invalid_scope', `scope must be within "${allowed.join(' ')}"`);
        }
        await options.rereadRoles?.(family.userId);
        user = await directory.findById(family.userId);
        if (!user || user.disabled) {
          await refresh.revokeFamily(family.id, 'user_inactive');
          throw oauthError('invalid_grant', 'the user is no longer active');
        }
        granted = grantedScope({
          roles: user.roles,
          registered: client.scopes,
          requested: scope ?? family.scope,
        }).scope;
        if (granted === '') {
          throw oauthError('invalid_scope', 'none of the granted scopes is left to this user');
        }
      };
      const outcome = await refresh.rotate(refreshToken, client, from, admit);
      if (!outcome.ok) {
        if (outcome.reason === 'reused') {
          log.warn(
            {
              audit: 'refresh_token_reuse',
              client_id: client.clientId,
              sub: outcome.family?.userId,
              sid: outcome.family?.id,
            },
            'a rotated refresh token was presented again: its family is revoked',
          );
        }
        throw oauthError('invalid_grant', REFUSALS[outcome.reason]);
      }
      return { user: user!, family: outcome.family, token: outcome.token, scope: granted };
    },
    issue: ({ user, family, token, scope }, { client }) =>
      issueTokens(options.issue, {
        user,
        client,
        familyId: family.id,
        scope,
        refreshToken: token,
      }),
  };
}
