import type { Misbehaviour } from './fake-google-types.js';

/** The tenant the default user belongs to (a made-up GUID: Contoso). */
export const CONTOSO_TENANT = '3f2a7c1e-5b8d-4e6f-9a0b-1c2d3e4f5a6b';
/** Another tenant, for refusals (Fabrikam). */
export const FABRIKAM_TENANT = '8e9d0c1b-2a3f-4b5c-8d7e-6f5a4b3c2d1e';

/** Who signs in at the next authorizations. */
export interface FakeEntraUser {
  /** The home tenant: the token's `tid` when signing in at `organizations` or `common`. */
  tid: string;
  /** The person's object id in the tenant (the same for every application). */
  oid: string;
  /** Pairwise: differs per application. */
  sub: string;
  /** The mail attribute, which any tenant admin can set; not verified by default. */
  email?: string;
  /** The optional claim "email domain owner verified"; omitted unless set. */
  xms_edov?: boolean;
  email_verified?: boolean;
  preferred_username: string;
  name: string;
  /** Group object ids (`groups`) and app roles (`roles`); omitted unless set. */
  groups?: string[];
  roles?: string[];
}

/** Ways the provider can go wrong; each lasts until changed or `reset()`. */
export interface EntraMisbehaviour extends Pick<
  Misbehaviour,
  | 'badSignature'
  | 'algNone'
  | 'algHmac'
  | 'unknownKey'
  | 'iss'
  | 'aud'
  | 'azp'
  | 'nonce'
  | 'omitNonce'
  | 'expired'
  | 'issuedInFuture'
  | 'authorizeError'
  | 'tokenEndpointDown'
  | 'tokenError'
  | 'jwksDown'
  | 'down'
> {
  /** The token's `tid`, whatever tenant issued it (`iss` stays the issuing tenant's). */
  tid?: string;
  omitTid?: boolean;
  omitOid?: boolean;
  /** A refresh_token grant answers an id_token with this `oid` instead of the account's. */
  refreshOid?: string;
}

export interface FakeEntra {
  /** Origin of the server, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** The origin it publishes (its own url unless `origin` was given). */
  readonly origin: string;
  /** The default user's tenant issuer, `<origin>/<tenant>/v2.0`. */
  readonly issuer: string;
  /** The multi-tenant issuer to configure, `<origin>/organizations/v2.0`. */
  readonly organizationsIssuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Paths requested, in order. */
  readonly requests: string[];
  /** A tenant's issuer (also what its tokens carry as `iss`). */
  tenantIssuer(tenant: string): string;
  nextLogin(user: Partial<FakeEntraUser>): void;
  /**
   * Changes the groups and app roles of the account `oid` from now on: what an id_token from
   * a refresh_token grant carries.
   */
  setMembership(oid: string, membership: Pick<FakeEntraUser, 'groups' | 'roles'>): void;
  /** Revokes every refresh token of the account `oid` (invalid_grant from then on). */
  revokeRefreshTokens(oid: string): void;
  misbehave(misbehaviour: EntraMisbehaviour): void;
  /** Back to the default user, good behaviour and an empty request log. */
  reset(): void;
  /**
   * Follows an authorization URL as a browser would (the URL may name the published origin;
   * it is sent here) and returns the callback URL it redirects to.
   */
  authorize(authorizationUrl: string): Promise<string>;
  close(): Promise<void>;
}

/** What the authorization endpoint remembers about a code, for the token endpoint. */
export interface IssuedEntraCode {
  /** The path segment it was issued under: a tenant id, `organizations` or `common`. */
  authority: string;
  redirectUri: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  user: FakeEntraUser;
  /** As it was at authorization, so a later `misbehave` does not change this sign-in. */
  misbehaviour: EntraMisbehaviour;
  /** The authorization asked `offline_access`: the code exchange also issues a refresh token. */
  offline?: boolean;
}

/** Accounts by `oid` as they are now, and refresh tokens with what they were issued for. */
export interface FakeEntraAccounts {
  readonly byOid: Map<string, FakeEntraUser>;
  readonly refreshTokens: Map<string, { authority: string; oid: string }>;
}

export const DEFAULT_ENTRA_USER: FakeEntraUser = {
  tid: CONTOSO_TENANT,
  oid: '6d1f2e3a-4b5c-4d7e-8f90-a1b2c3d4e5f6',
  sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
  email: 'ada@contoso.example',
  preferred_username: 'ada@contoso.example',
  name: 'Ada Lovelace',
};
