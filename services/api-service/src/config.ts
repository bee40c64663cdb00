import {
  ASYMMETRIC_ALGORITHMS,
  DEFAULT_ALGORITHMS,
  commaList,
  type Env,
  type EnvValues,
  envVar,
  httpUrl,
  integer,
  loadConfig as loadSharedConfig,
  MAX_CLOCK_TOLERANCE_SECONDS,
  processConfig,
  processEnv,
  type ReportProblem,
  trustProxyEnv,
} from '@gatehouse/shared';
import { z } from 'zod';

/** Every variable the api-service reads. */
export const envSpec = {
  ...processEnv({ port: 4002 }),
  ...trustProxyEnv(),
  JWKS_URL: envVar(
    "the auth-service's public keys (a service-internal address is fine)",
    httpUrl().default('http://localhost:4001/auth/.well-known/jwks.json'),
  ),
  JWT_ISSUER: envVar(
    'the exact access token "iss": the auth-service PUBLIC_URL + /auth',
    httpUrl().default('http://localhost:8080/auth'),
  ),
  JWT_AUDIENCE: envVar(
    'the access token "aud" this service answers to; the auth-service JWT_AUDIENCE must match',
    z.string().trim().min(1).default('gatehouse-api'),
  ),
  JWT_ALGORITHMS: envVar(
    `comma list of accepted signing algorithms, from ${ASYMMETRIC_ALGORITHMS.join(', ')}`,
    commaList()
      .pipe(z.array(z.enum(ASYMMETRIC_ALGORITHMS)).min(1))
      .default([...DEFAULT_ALGORITHMS]),
  ),
  JWT_CLOCK_TOLERANCE: envVar(
    `seconds of clock skew allowed on exp, nbf and iat (0 to ${MAX_CLOCK_TOLERANCE_SECONDS})`,
    // Bounded: the auth-service keeps retired keys and revocations published for the token
    // lifetime plus this bound, so a larger tolerance could accept a token whose key is gone
    // or whose revocation is forgotten.
    integer(0).max(MAX_CLOCK_TOLERANCE_SECONDS).default(30),
    { unit: 'seconds' },
  ),
  JWKS_CACHE_MAX_AGE: envVar(
    'longest a fetched key set is used before refetching, in seconds; a shorter Cache-Control max-age wins',
    integer(1).max(86_400).default(300),
    { unit: 'seconds' },
  ),
  JWKS_MAX_STALE: envVar(
    'seconds past that lifetime known keys keep verifying while the JWKS cannot be fetched',
    integer(0)
      .max(7 * 86_400)
      .default(3600),
    { unit: 'seconds' },
  ),
  JWKS_REFETCH_COOLDOWN: envVar(
    'least seconds between JWKS refetches caused by unknown key ids or failed refreshes',
    integer(1).max(3600).default(30),
    { unit: 'seconds' },
  ),
  REVOCATION_CHECK: envVar(
    'on: refuse tokens the auth-service revocation feed names (signed out, disabled); off: only expiry ends them',
    z.enum(['on', 'off']).default('on'),
  ),
  REVOCATIONS_URL: envVar(
    "the auth-service's revocation feed; default: beside JWKS_URL (…/.well-known/revocations)",
    httpUrl().optional(),
  ),
  REVOCATION_POLL_INTERVAL: envVar(
    'seconds between polls of the revocation feed: a revocation is refused here within about this long',
    integer(1).max(60).default(2),
    { unit: 'seconds' },
  ),
  TOKEN_CACHE_SIZE: envVar(
    'verified tokens remembered so repeated calls skip the signature check; 0 turns it off',
    integer(0).max(1_000_000).default(10_000),
  ),
};

export type Config = Readonly<ReturnType<typeof build>>;

function build(values: EnvValues<typeof envSpec>, problem: ReportProblem) {
  const base = processConfig(values, problem);
  if (base.production && !values.JWT_ISSUER.startsWith('https://')) {
    problem(
      'JWT_ISSUER must be https:// when NODE_ENV=production, e.g. https://app.example.com/auth',
    );
  }
  return {
    service: 'api-service' as const,
    ...base,
    trustProxy: values.TRUST_PROXY,
    /** Exactly the options of `createTokenVerifier`. */
    verifier: {
      jwksUrl: values.JWKS_URL,
      issuer: values.JWT_ISSUER,
      audience: values.JWT_AUDIENCE,
      algorithms: values.JWT_ALGORITHMS,
      clockTolerance: values.JWT_CLOCK_TOLERANCE,
      jwksCacheMaxAge: values.JWKS_CACHE_MAX_AGE,
      jwksMaxStale: values.JWKS_MAX_STALE,
      jwksRefetchCooldown: values.JWKS_REFETCH_COOLDOWN,
      tokenCacheSize: values.TOKEN_CACHE_SIZE,
      revocationsUrl:
        values.REVOCATION_CHECK === 'off'
          ? (false as const)
          : (values.REVOCATIONS_URL ?? new URL('revocations', values.JWKS_URL).href),
      revocationPollInterval: values.REVOCATION_POLL_INTERVAL * 1000,
    },
  };
}

/** Validates `env` and returns the frozen configuration; throws ConfigError listing every problem. */
export function loadConfig(env: Env): Config {
  return loadSharedConfig('api-service', envSpec, env, build);
}
