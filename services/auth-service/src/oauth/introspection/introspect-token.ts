import type { Client, ClientRegistry } from '../clients/client.js';
import type { RefreshTokens } from '../refresh/refresh-tokens.js';
import type { RevocationRecorder } from '../revocation-feed/revocation-recorder.js';
import type { OwnTokenVerifier } from '../../tokens/verify-own-access-token.js';
import type { User } from '../../users/user.js';

/** RFC 7662 section 2.2: the answer for anything that is not a live token we issued. */
export const INACTIVE = Object.freeze({ active: false as const });

export type Introspection = typeof INACTIVE | Readonly<Record<string, unknown>>;

/**
 * RFC 7662 introspection, for confidential clients (the route authenticates them). Who may
 * see what: any confidential client may introspect any token we issued, access or refresh.
 * Confidential clients are services an operator registered (`npm run clients -- add`), the
 * resource servers introspection exists for, and checking tokens issued to other clients is
 * its point; the answer tells a caller that already holds the token no more than the grant
 * behind it (scope, client, subject, times). Public clients cannot introspect at all.
 * - an access token (a JWT we signed) is active while unexpired, not revoked, its client still
 *   registered (for a service client, the same registration: `sid` is its grant id) and its
 *   user, for a user's token, still enabled;
 * - a refresh token is active while it could be exchanged: family not revoked, not rotated,
 *   within its client's idle and absolute lifetimes;
 * - anything else, unknown, expired or revoked: `{"active": false}` and nothing more.
 * Active answers carry the section 2.2 members: `active`, `scope`, `client_id`, `sub`, `exp`,
 * `iat`, `iss`, `jti` and `aud` and `token_type` `Bearer` for access tokens, and `sid`,
 * `username` (the email) when the token has them. A refresh token has no `token_type` of
 * RFC 6749 section 7.1, so it gets none.
 *
 * @example
 * const introspect = createTokenIntrospection({ clients, directory, refresh, verifyAccessToken, revocations, issuer });
 * ctx.body = await introspect(form.get('token')!, caller);
 */
export function createTokenIntrospection(options: {
  clients: Pick<ClientRegistry, 'find'>;
  directory: { findById(id: string): Promise<User | undefined> };
  refresh: RefreshTokens;
  verifyAccessToken: OwnTokenVerifier;
  revocations: RevocationRecorder;
  issuer: string;
}) {
  const { clients, directory, refresh, revocations } = options;

  async function accessToken(token: string, caller?: Client): Promise<Introspection | undefined> {
    const claims = await options.verifyAccessToken(token);
    if (!claims) return undefined;
    const owner = await ownerOf(claims.client_id, caller);
    if (!owner || (await revocations.isRevoked(claims))) return INACTIVE;
    if (owner.type === 'confidential' && claims.sub === owner.clientId) {
      if (claims.sid !== owner.grantId) return INACTIVE;
    } else {
      const user = await directory.findById(claims.sub);
      if (!user || user.disabled) return INACTIVE;
    }
    const { scope, client_id, sub, exp, iat, iss, aud, jti, sid, email } = claims;
    return {
      active: true,
      scope,
      client_id,
      sub,
      exp,
      iat,
      token_type: 'Bearer',
      iss,
      aud,
      jti,
      ...(sid === undefined ? {} : { sid }),
      ...(typeof email === 'string' ? { username: email } : {}),
    };
  }

  // A service introspecting its own token: its client was read a moment ago, by the
  // authentication of this very request.
  async function ownerOf(clientId: string | undefined, caller: Client | undefined) {
    if (clientId === undefined) return undefined;
    return clientId === caller?.clientId ? caller : clients.find(clientId);
  }

  async function refreshToken(token: string): Promise<Introspection | undefined> {
    const family = await refresh.find(token);
    if (!family) return undefined;
    const owner = await clients.find(family.clientId);
    const state = owner ? await refresh.inspect(token, owner) : undefined;
    if (!state?.active) return INACTIVE;
    const user = await directory.findById(family.userId);
    if (!user || user.disabled) return INACTIVE;
    return {
      active: true,
      scope: family.scope,
      client_id: family.clientId,
      sub: family.userId,
      exp: Math.floor(state.expiresAt / 1000),
      iat: Math.floor(state.issuedAt / 1000),
      iss: options.issuer,
      sid: family.id,
    };
  }

  // A refresh token is base64url (tokens/opaque-token.ts), never dotted like a JWT: each shape
  // is looked up only where it can be found.
  // `caller`: the authenticated client asking, when there is one.
  return async (token: string, caller?: Client): Promise<Introspection> =>
    (token.includes('.') ? await accessToken(token, caller) : await refreshToken(token)) ??
    INACTIVE;
}

export type TokenIntrospection = ReturnType<typeof createTokenIntrospection>;
