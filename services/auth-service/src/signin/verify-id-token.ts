import { ASYMMETRIC_ALGORITHMS } from '@gatehouse/shared';
import {
  createRemoteJWKSet,
  customFetch,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { Fetch } from './provider/discover-provider.js';
import { acceptedIssuers, type OpenIdProvider } from './provider/openid-provider.js';
import { sameString } from './same-string.js';
import { SignInError } from './sign-in-error.js';

/**
 * The algorithms an id_token may use: those the provider advertises
 * (`id_token_signing_alg_values_supported`) that are also asymmetric, so never `none` and
 * never HMAC (the client secret is not a key); all asymmetric ones when it advertises none.
 * An empty result refuses every id_token (`algorithm`) rather than trusting the provider.
 */
export function idTokenAlgorithms(advertised: readonly string[]): string[] {
  const allowed: readonly string[] = ASYMMETRIC_ALGORITHMS;
  if (advertised.length === 0) return [...allowed];
  return allowed.filter((alg) => advertised.includes(alg));
}

/** Clock skew allowed on `exp`/`iat`, seconds. */
const CLOCK_TOLERANCE = 30;
/** An id_token is used right after the code exchange; an older one is suspect. */
const MAX_TOKEN_AGE = 300;

/** The verified claims the sign-in uses. */
export interface IdTokenClaims extends JWTPayload {
  sub: string;
  iss: string;
  email?: unknown;
  email_verified?: unknown;
  hd?: unknown;
  name?: unknown;
  picture?: unknown;
}

/**
 * `expectedNonce` is the nonce this sign-in sent; only a verifier built with `refreshed` takes
 * undefined (any other refuses it as a nonce mismatch).
 */
export type VerifyIdToken = (
  idToken: string,
  expectedNonce: string | undefined,
) => Promise<IdTokenClaims>;

/**
 * Builds the id_token verifier for one provider; its remote key set is created once and
 * caches keys. Checks: signature with an allowed algorithm (idTokenAlgorithms) against the
 * provider's JWKS, `iss` (both Google spellings), `aud` = client id, `azp` = client id when
 * present (required with several audiences), `exp`, `iat` (not future, not old), `sub`, and
 * `nonce`. With `issuer` given, `iss` must equal what it computes from the verified claims
 * instead of the provider's published issuer (Entra's multi-tenant template names `tid`).
 * With `refreshed`, it verifies the id_token of a refresh_token grant instead: OpenID Core 12.2
 * says it should carry no nonce (or the original one, which is not kept), so none is required
 * or compared; everything else is checked, and the caller compares its subject with the
 * identity's. Failures are SignInError 401 `invalid_id_token` with the failed check as `reason`;
 * a JWKS that is unreachable, times out, answers non-200 or garbage is 502
 * `provider_unavailable` (nothing a browser sends can cause that).
 */
export function createIdTokenVerifier(options: {
  provider: OpenIdProvider;
  clientId: string;
  fetch: Fetch;
  now: () => number;
  /** How long a JWKS request may take. */
  timeoutMs: number;
  /**
   * The issuer a token must name, computed from its signature-checked claims; may throw a
   * SignInError (e.g. for a claim it needs). Default: the provider's issuer.
   */
  issuer?: (payload: JWTPayload) => string;
  /** For id_tokens from a refresh_token grant: no nonce required or compared. */
  refreshed?: boolean;
}): VerifyIdToken {
  const { provider, clientId } = options;
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(provider.jwksUri), {
    [customFetch]: options.fetch,
    timeoutDuration: options.timeoutMs,
  });
  const issuers = acceptedIssuers(provider.issuer);
  const algorithms = idTokenAlgorithms(provider.idTokenSigningAlgs);

  return async (idToken, expectedNonce) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, keys, {
        algorithms,
        issuer: options.issuer ? undefined : issuers,
        audience: clientId,
        requiredClaims: options.refreshed ? ['sub', 'exp', 'iat'] : ['sub', 'exp', 'iat', 'nonce'],
        maxTokenAge: MAX_TOKEN_AGE,
        clockTolerance: CLOCK_TOLERANCE,
        currentDate: new Date(options.now()),
      }));
    } catch (err) {
      throw toSignInError(err);
    }
    if (options.issuer && payload.iss !== options.issuer(payload)) {
      throw invalid('iss', 'the id_token iss claim is not acceptable');
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (payload.azp !== undefined ? payload.azp !== clientId : audiences.length > 1) {
      throw invalid('azp', 'the id_token was issued to another client');
    }
    if (
      !options.refreshed &&
      (typeof payload.nonce !== 'string' ||
        expectedNonce === undefined ||
        !sameString(payload.nonce, expectedNonce))
    ) {
      throw invalid('nonce', 'the id_token nonce does not match this sign-in');
    }
    return payload as IdTokenClaims;
  };
}

function invalid(reason: string, description: string, cause?: unknown): SignInError {
  return new SignInError(401, 'invalid_id_token', reason, description, { cause });
}

function toSignInError(err: unknown): SignInError {
  if (err instanceof errors.JWTExpired) return invalid(err.claim, 'the id_token is too old', err);
  if (err instanceof errors.JWTClaimValidationFailed) {
    return invalid(err.claim, `the id_token ${err.claim} claim is not acceptable`, err);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return invalid('signature', 'the id_token signature is invalid', err);
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return invalid('algorithm', 'the id_token algorithm is not allowed', err);
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return invalid('key', "the id_token key is not in the provider's key set", err);
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || !isJoseError(err)) {
    return new SignInError(
      502,
      'provider_unavailable',
      'jwks',
      "the provider's signing keys could not be fetched",
      { cause: err },
    );
  }
  return invalid('malformed', 'the id_token is malformed', err);
}

/** jose's generic error is what a JWKS endpoint answering non-200 produces: a provider fault. */
function isJoseError(err: unknown): boolean {
  return err instanceof errors.JOSEError && err.code !== 'ERR_JOSE_GENERIC';
}
