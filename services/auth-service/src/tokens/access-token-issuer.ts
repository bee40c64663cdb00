import { randomFillSync } from 'node:crypto';
import { HttpError } from '@gatehouse/shared';
import type { TokenConfig } from './token-config.js';
import type { KeyStore } from '../keys/key-store.js';
import type { User } from '../users/user.js';
import { grantedScope, type ScopeBound } from './granted-scope.js';
import { encodedJwtHeader, signCompactJwt } from './sign-compact-jwt.js';

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
  /** The token's `scope` claim, for the token response to repeat (RFC 6749 section 5.1). */
  readonly scope: string;
}

/**
 * What a grant hands the issuer: who the token is for, through which client and grant. With a
 * `user`, a user's token (ACCESS_TOKEN_TTL) whose scope and roles the issuer decides
 * (granted-scope.ts) from the client's registered scopes (`registered`, or `first-party` for
 * the browser session), what was asked and approved (`requested`, absent: all registered) and
 * the user's roles today. Without a user, a service client's own (client credentials): `sub`
 * is the client, `scope` as given, no email, name or roles, CLIENT_TOKEN_TTL.
 */
export type AccessTokenRequest = {
  /** The session or grant the token belongs to: what revocation names. */
  readonly sid: string;
  /** The client that asked (RFC 9068 `client_id`), e.g. `WEB_CLIENT_ID` for the browser. */
  readonly clientId: string;
  /** The token's `aud` when not the APIs' (JWT_AUDIENCE): the gateway pass's is the gateway. */
  readonly audience?: string;
} & (
  | {
      readonly user: Pick<User, 'id' | 'email' | 'name' | 'roles'>;
      readonly registered: ScopeBound;
      readonly requested?: string;
    }
  | { readonly user?: undefined; readonly scope: string }
);

export type AccessTokenIssuer = (request: AccessTokenRequest) => Promise<IssuedAccessToken>;

/**
 * Signs access tokens with the store's active key (RFC 9068). Header `{alg, kid, typ:
 * "at+jwt"}`; claims `iss`, `sub` (directory id, never the email; a service client's
 * `client_id`), `aud`, `exp`, `iat`, `jti`, `client_id`, `sid`, and for users `email`, `name`
 * (left out when the directory has none), `roles`; `scope`. Times come from `now`. An ES256
 * signature is handed out in its low-S form, the only one verifiers accept (node signs either
 * form at random; sign-compact-jwt.ts normalises it); Ed25519 and RS256 have one form already.
 *
 * A user token's `scope` is the intersection of the client's registered scopes, the approved
 * request and what the user may do (granted-scope.ts), and its `roles` claim lists only the
 * roles whose same-named scope is in `scope`: a role never reaches further than the scope
 * (an admin who approved a client for `api` gets `roles: []`, and `requireRole('admin')`
 * refuses the token). The `scope` returned is the claim itself, so a token response that
 * repeats it always agrees with the JWT. Nothing left to grant is 400 `invalid_scope`.
 *
 * @example
 * const issue = createAccessTokenIssuer({ tokens: config.tokens, keyStore, now: Date.now });
 * const { token, expiresIn, scope } = await issue({
 *   user, sid: family.id, clientId: client.clientId, registered: client.scopes, requested: 'api',
 * });
 */
export function createAccessTokenIssuer(options: {
  tokens: TokenConfig;
  keyStore: KeyStore;
  now: () => number;
}): AccessTokenIssuer {
  const { tokens, keyStore, now } = options;
  // The protected header is the same for every token of a key: encoded once per kid.
  const headers = new Map<string, string>();
  return async (request) => {
    const { user, sid, clientId } = request;
    const signer = keyStore.activeKey();
    let header = headers.get(signer.kid);
    if (header === undefined) {
      header = encodedJwtHeader({ alg: signer.alg, kid: signer.kid, typ: ACCESS_TOKEN_TYPE });
      headers.clear(); // only the active key's is ever needed again
      headers.set(signer.kid, header);
    }
    const iat = Math.floor(now() / 1000);
    const ttl = user ? tokens.accessTokenTtl : tokens.clientTokenTtl;
    const claims = user
      ? {
          email: user.email,
          ...(user.name === null ? {} : { name: user.name }),
          ...granted(request),
        }
      : { scope: request.scope };
    // ES256 comes out low-S, the one form verifiers accept (issue 20, item 9).
    const token = signCompactJwt(signer, header, {
      client_id: clientId,
      sid,
      ...claims,
      iss: tokens.issuer,
      sub: user ? user.id : clientId,
      aud: request.audience ?? tokens.audience,
      iat,
      exp: iat + ttl,
      jti: newJti(),
    });
    return { token, expiresIn: ttl, scope: claims.scope };
  };
}

/** 128 random bits a `jti`, taken from a pool the CSPRNG refills every 256 tokens. */
const JTI_BYTES = 16;
const jtiPool = Buffer.alloc(JTI_BYTES * 256);
let jtiOffset = jtiPool.length;
function newJti(): string {
  if (jtiOffset === jtiPool.length) {
    randomFillSync(jtiPool);
    jtiOffset = 0;
  }
  const jti = jtiPool.toString('base64url', jtiOffset, jtiOffset + JTI_BYTES);
  jtiOffset += JTI_BYTES;
  return jti;
}

/** A user token's `roles` and `scope`; 400 `invalid_scope` when no scope is left. */
function granted(request: Extract<AccessTokenRequest, { user: object }>) {
  const { scope, roles } = grantedScope({
    roles: request.user.roles,
    registered: request.registered,
    requested: request.requested,
  });
  if (scope === '') {
    throw new HttpError(
      400,
      'invalid_scope',
      'none of the requested scopes is granted to this user',
    );
  }
  return { roles: [...roles], scope };
}
