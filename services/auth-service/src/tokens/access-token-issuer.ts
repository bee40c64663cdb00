import { randomBytes } from 'node:crypto';
import { withLowS } from '@gatehouse/shared';
import { SignJWT } from 'jose';
import type { TokenConfig } from '../config/token-env.js';
import type { KeyStore } from '../keys/key-store.js';
import type { User } from '../users/user.js';
import { scopeForRoles } from './scope-for-roles.js';

/** The JWT `typ` of access tokens (RFC 9068), which verifiers pin. */
const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The claims an access token may carry (DESIGN.md "Access tokens"), as discovery lists them. */
export const ACCESS_TOKEN_CLAIMS = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'jti',
  'client_id',
  'sid',
  'email',
  'name',
  'roles',
  'scope',
] as const;
export interface IssuedAccessToken {
  readonly token: string;
  /** Seconds until `exp`. */
  readonly expiresIn: number;
}

/**
 * What a grant hands the issuer: who the token is for, through which client and grant. With a
 * `user`, a user's token (scope from the roles, ACCESS_TOKEN_TTL); without one, a service
 * client's own (client credentials): `sub` is the client, `scope` as given, no email, name or
 * roles, CLIENT_TOKEN_TTL.
 */
export type AccessTokenRequest = {
  /** The session or grant the token belongs to: what revocation names. */
  readonly sid: string;
  /** The client that asked (RFC 9068 `client_id`), e.g. `WEB_CLIENT_ID` for the browser. */
  readonly clientId: string;
} & (
  | { readonly user: Pick<User, 'id' | 'email' | 'name' | 'roles'> }
  | { readonly user?: undefined; readonly scope: string }
);

export type AccessTokenIssuer = (request: AccessTokenRequest) => Promise<IssuedAccessToken>;

/**
 * Signs access tokens with the store's active key (RFC 9068). Header `{alg, kid, typ:
 * "at+jwt"}`; claims `iss`, `sub` (directory id, never the email; a service client's
 * `client_id`), `aud`, `exp`, `iat`, `jti`, `client_id`, `sid`, and for users `email`, `name`
 * (left out when the directory has none), `roles`; `scope`. Times come from `now`. An ES256
 * signature is handed out in its low-S form, the only one verifiers accept (node signs either
 * form at random; see shared ecdsa-low-s.ts); Ed25519 and RS256 have one form already.
 *
 * @example
 * const issue = createAccessTokenIssuer({ tokens: config.tokens, keyStore, now: Date.now });
 * const { token, expiresIn } = await issue({ user, sid: session.sid, clientId: WEB_CLIENT_ID });
 */
export function createAccessTokenIssuer(options: {
  tokens: TokenConfig;
  keyStore: KeyStore;
  now: () => number;
}): AccessTokenIssuer {
  const { tokens, keyStore, now } = options;
  return async (request) => {
    const { user, sid, clientId } = request;
    const signer = keyStore.activeKey();
    const iat = Math.floor(now() / 1000);
    const ttl = user ? tokens.accessTokenTtl : tokens.clientTokenTtl;
    const claims = user
      ? {
          email: user.email,
          ...(user.name === null ? {} : { name: user.name }),
          roles: [...user.roles],
          scope: scopeForRoles(user.roles),
        }
      : { scope: request.scope };
    const signed = await new SignJWT({ client_id: clientId, sid, ...claims })
      .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(tokens.issuer)
      .setSubject(user ? user.id : clientId)
      .setAudience(tokens.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(await signer.cryptoKey);
    return { token: withLowS(signed), expiresIn: ttl };
  };
}
