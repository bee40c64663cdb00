/** Who signs in at the next authorizations. */
export interface FakeGoogleUser {
  sub: string;
  email: string;
  email_verified: boolean;
  /** Workspace domain; omitted for gmail-style accounts. */
  hd?: string;
  name: string;
  picture: string;
  /** More id_token claims (`groups`, `roles`, ...), as an identity provider may add them. */
  claims?: Record<string, unknown>;
}

/** What an endpoint sends instead of its own answer; `hang` never answers (for timeouts). */
export type RawAnswer = { status: number; type?: string; body: string } | 'hang';

/** The endpoints a server-to-server caller reaches, by name. */
export type FakeGoogleEndpoint = 'discovery' | 'jwks' | 'token' | 'userinfo';

/** Ways the provider can go wrong; each lasts until changed or `reset()`. */
export interface Misbehaviour {
  /** Signed with another key under the published kid. */
  badSignature?: boolean;
  /** An unsigned token, `alg: none`. */
  algNone?: boolean;
  /** HS256 with the client secret as key. */
  algHmac?: boolean;
  /** Signed with a key whose kid is not in the JWKS. */
  unknownKey?: boolean;
  iss?: string;
  aud?: string | string[];
  azp?: string;
  nonce?: string;
  omitNonce?: boolean;
  /** Issued two hours ago, expired one hour ago. */
  expired?: boolean;
  /** Issued this many seconds in the future. */
  issuedInFuture?: number;
  /** userinfo answers with this sub; the id_token then carries no profile, so it is asked. */
  userinfoSub?: string;
  /** The authorization endpoint redirects back with this `error` (e.g. `access_denied`). */
  authorizeError?: string;
  /** The token endpoint answers 503. */
  tokenEndpointDown?: boolean;
  /** The token endpoint answers 400 with this OAuth error (e.g. `invalid_grant`). */
  tokenError?: string;
  /** The JWKS endpoint answers 503 (the keys cannot be fetched). */
  jwksDown?: boolean;
  /**
   * Endpoints that answer with a raw response or hang instead of their own. With `userinfo`
   * set, id_tokens carry no profile, so the relying party asks userinfo.
   */
  answers?: Partial<Record<FakeGoogleEndpoint, RawAnswer>>;
  /** Every request's connection is cut: the provider is down. */
  down?: boolean;
  /** The token endpoint waits at this gate before answering (token-gate.ts). */
  tokenGate?: TokenGate;
  /** A refresh_token grant answers an id_token naming this sub instead of the account's. */
  refreshSub?: string;
  /** A refresh_token grant answers without an id_token. */
  refreshWithoutIdToken?: boolean;
  /** The code exchange issues no refresh token, even for `offline_access`. */
  withholdRefreshToken?: boolean;
}

/** Holds token requests: `arrived()` when one comes, its answer waits for `released`. */
export interface TokenGate {
  arrived(): void;
  readonly released: Promise<void>;
}

export interface FakeGoogle {
  /** Origin of the server, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** The issuer it publishes (its own url unless `issuer` was given). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Paths requested, in order (e.g. to count JWKS fetches). */
  readonly requests: string[];
  nextLogin(user: Partial<FakeGoogleUser>): void;
  /**
   * Changes the extra claims of the account `sub` from now on: what an id_token from a
   * refresh_token grant carries (an IdP group gained or lost since the sign-in).
   */
  setClaims(sub: string, claims: Record<string, unknown>): void;
  /** Revokes every refresh token of the account `sub`: the token endpoint answers invalid_grant. */
  revokeRefreshTokens(sub: string): void;
  /** Refresh tokens issued and not yet rotated or revoked, by account (to compare with storage). */
  refreshTokensOf(sub: string): string[];
  misbehave(misbehaviour: Misbehaviour): void;
  /** Back to the default user, good behaviour and an empty request log. */
  reset(): void;
  /**
   * Follows an authorization URL as a browser would (the URL may name the published issuer
   * origin; it is sent here) and returns the callback URL it redirects to.
   */
  authorize(authorizationUrl: string): Promise<string>;
  close(): Promise<void>;
}

/** What the authorization endpoint remembers about a code, for the token endpoint. */
export interface IssuedCode {
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  user: FakeGoogleUser;
  /** As it was at authorization, so a later `misbehave` does not change this sign-in. */
  misbehaviour: Misbehaviour;
  /** The authorization asked `offline_access`: the code exchange also issues a refresh token. */
  offline?: boolean;
}

/** The accounts that signed in and their refresh tokens, shared by the fake's endpoints. */
export interface FakeGoogleAccounts {
  /** By sub: the account as it is now (its claims may change after the sign-in). */
  readonly bySub: Map<string, FakeGoogleUser>;
  /** Refresh token to sub; a rotated or revoked token is removed. */
  readonly refreshTokens: Map<string, string>;
}

/** Who signs in until `nextLogin` says otherwise. */
export const DEFAULT_USER: FakeGoogleUser = {
  sub: '110248495921238986420',
  email: 'developer@example.com',
  email_verified: true,
  hd: 'example.com',
  name: 'Dev Eloper',
  picture: 'https://example.com/dev.png',
};
