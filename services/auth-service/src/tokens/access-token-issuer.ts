import { randomBytes } from 'node:crypto';
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

/** What a grant hands the issuer: who the token is for, through which client and grant. */
export interface AccessTokenRequest {
  readonly user: Pick<User, 'id' | 'email' | 'name' | 'roles'>;
  /** The session or grant the token belongs to: what revocation names. */
  readonly sid: string;
  /** The client that asked (RFC 9068 `client_id`), e.g. `WEB_CLIENT_ID` for the browser. */
  readonly clientId: string;
}

export type AccessTokenIssuer = (request: AccessTokenRequest) => Promise<IssuedAccessToken>;

/**
 * Signs access tokens with the store's active key (RFC 9068). Header `{alg, kid, typ:
 * "at+jwt"}`; claims `iss`, `sub` (directory id, never the email), `aud`, `exp`, `iat`, `jti`,
 * `client_id`, `sid`, `email`, `name` (left out when the directory has none), `roles` and
 * `scope`. Times come from `now`.
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
  return async ({ user, sid, clientId }) => {
    const signer = keyStore.activeKey();
    const iat = Math.floor(now() / 1000);
    const token = await new SignJWT({
      client_id: clientId,
      sid,
      email: user.email,
      ...(user.name === null ? {} : { name: user.name }),
      roles: [...user.roles],
      scope: scopeForRoles(user.roles),
    })
      .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(tokens.issuer)
      .setSubject(user.id)
      .setAudience(tokens.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + tokens.accessTokenTtl)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(await signer.cryptoKey);
    return { token, expiresIn: tokens.accessTokenTtl };
  };
}
