import { CLIENT_CREDENTIALS_GRANT } from '../clients/client.js';
import type { AccessTokenIssuer } from '../../tokens/access-token-issuer.js';
import type { Grant } from './grant.js';
import { oauthError } from '../../http/oauth-error.js';

/**
 * `grant_type=client_credentials` (RFC 6749 section 4.4): a service client's token for
 * itself. Enforces: a confidential client (authenticated with its secret before this runs);
 * `scope`, when sent, within the client's registered scopes (`invalid_scope`), else all of
 * them; the token's `sub` and `client_id` are the client, `sid` its grant id (what revocation
 * names), CLIENT_TOKEN_TTL; no refresh token (section 4.4.3).
 */
export function clientCredentialsGrant(options: {
  issue: AccessTokenIssuer;
}): Grant<{ scope: string | null }, { scope: string; sid: string }> {
  return {
    type: CLIENT_CREDENTIALS_GRANT,
    parse: (form) => ({ scope: form.get('scope') }),
    authorize({ scope }, { client }) {
      if (client.type !== 'confidential' || client.grantId === null) {
        throw oauthError('unauthorized_client', 'client credentials are for confidential clients');
      }
      const asked = scope === null ? [] : scope.split(' ').filter((s) => s !== '');
      if (asked.some((s) => !client.scopes.includes(s))) {
        throw oauthError('invalid_scope', `scope must be within "${client.scopes.join(' ')}"`);
      }
      const granted = asked.length > 0 ? [...new Set(asked)] : [...client.scopes];
      return { scope: granted.join(' '), sid: client.grantId };
    },
    async issue({ scope, sid }, { client, log }) {
      const access = await options.issue({ clientId: client.clientId, sid, scope });
      log.info(
        { audit: 'client_token_issued', client_id: client.clientId, sid, scope },
        'client credentials token issued',
      );
      return {
        access_token: access.token,
        token_type: 'Bearer',
        expires_in: access.expiresIn,
        scope: access.scope,
      };
    },
  };
}
