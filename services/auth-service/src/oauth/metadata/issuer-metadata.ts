/**
 * The one metadata document of the issuer, served both as RFC 8414 authorization server
 * metadata (`/.well-known/oauth-authorization-server/auth`) and OpenID-style discovery
 * (`/auth/.well-known/openid-configuration`), so the two can never disagree.
 */
export interface IssuerMetadataInput {
  /** `PUBLIC_URL` + `/auth`. */
  readonly issuer: string;
  /** `PUBLIC_URL`: endpoint paths are resolved against it. */
  readonly publicUrl: string;
  /**
   * Every algorithm the issuer may sign with, not only those of the keys published now:
   * verifiers (Auth0's among them) cache this list and refuse any other `alg`, so it must not
   * change when a rotation changes the algorithm.
   */
  readonly signingAlgs: readonly string[];
  /**
   * Metadata member → public path, e.g. `{ token_endpoint: '/auth/token' }`. Besides the RFC
   * 8414 members, `revocation_feed_uri` names the revocation feed verifiers follow, so a
   * verifier configured with the issuer alone finds it (shared `createTokenVerifier`), and
   * `assertion_jwks_uri` the gateway's keys for `X-Gatehouse-Assertion`.
   */
  readonly endpoints: Readonly<
    Record<`${string}_endpoint` | 'jwks_uri' | 'revocation_feed_uri' | 'assertion_jwks_uri', string>
  >;
  /** RFC 6749 `grant_type` values the token endpoint takes. */
  readonly grantTypes: readonly string[];
  /**
   * OAuth `response_type` values (RFC 8414: REQUIRED). Never empty: validators (Authlib's RFC
   * 8414 and OpenID ones) read `[]` as missing and refuse the whole document.
   */
  readonly responseTypes: readonly [string, ...string[]];
  /**
   * Client authentication methods (RFC 8414 `*_endpoint_auth_methods_supported`) by
   * endpoint metadata prefix: `none` for public clients, `client_secret_basic` and
   * `client_secret_post` for confidential ones.
   */
  readonly endpointAuthMethods: Readonly<
    Record<'token' | 'revocation' | 'introspection', readonly string[]>
  >;
  /** The scopes advertised; role-named scopes are per user and left out. */
  readonly scopes: readonly string[];
  /** The access token claims. */
  readonly claims: readonly string[];
}

export type IssuerMetadata = Readonly<Record<string, unknown>>;

/**
 * Builds the metadata: what RFC 8414 section 2 requires (`issuer`, `response_types_supported`,
 * `token_endpoint`, `jwks_uri`) and recommends (`scopes_supported`), the OpenID Discovery
 * members generic verifiers read (`id_token_signing_alg_values_supported`,
 * `subject_types_supported`, `claims_supported`), and
 * `access_token_signing_alg_values_supported`, which some access token verifiers read instead.
 *
 * @example
 * issuerMetadata({ ..., endpoints: { jwks_uri: JWKS_PATH, token_endpoint: TOKEN_PATH } })
 * // { issuer: 'https://app.example.com/auth', token_endpoint: 'https://app.example.com/auth/token', ... }
 */
export function issuerMetadata(input: IssuerMetadataInput): IssuerMetadata {
  const endpoints = Object.fromEntries(
    Object.entries(input.endpoints).map(([member, path]) => [
      member,
      new URL(path, input.publicUrl).href,
    ]),
  );
  return Object.freeze({
    issuer: input.issuer,
    ...endpoints,
    grant_types_supported: [...input.grantTypes],
    response_types_supported: [...input.responseTypes],
    token_endpoint_auth_methods_supported: [...input.endpointAuthMethods.token],
    revocation_endpoint_auth_methods_supported: [...input.endpointAuthMethods.revocation],
    introspection_endpoint_auth_methods_supported: [...input.endpointAuthMethods.introspection],
    scopes_supported: [...input.scopes],
    // Access tokens are the only JWTs we sign; the OIDC member is what generic verifiers and
    // libraries look up to learn the algorithms.
    id_token_signing_alg_values_supported: [...input.signingAlgs],
    access_token_signing_alg_values_supported: [...input.signingAlgs],
    subject_types_supported: ['public'],
    claims_supported: [...input.claims],
  });
}
