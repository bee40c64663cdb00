import {
  envVar,
  integer,
  MAX_CLOCK_TOLERANCE_SECONDS,
  type EnvValues,
  type ReportProblem,
} from '@gatehouse/shared';
import { z } from 'zod';
import { SIGNING_ALGS } from '../keys/signing-alg.js';
import { parsePrivateJwk, type SigningKey } from '../keys/signing-key.js';
import type { TokenConfig } from '../tokens/token-config.js';

/**
 * The most clock tolerance a Gatehouse verifier may be configured with, in seconds (the shared
 * verifier refuses more). A retired key stays published this much longer than its last token
 * lives, so even a verifier at that tolerance, or whose clock runs late, still finds the key
 * while it accepts the token.
 */
const CLOCK_SKEW_SECONDS = MAX_CLOCK_TOLERANCE_SECONDS;

/**
 * The shortest KEY_PUBLISH_DELAY, in seconds: a new key must be in every verifier's key set
 * before it signs. Default caches measured in the libraries' sources: jwks-rsa and Auth0's
 * express-oauth2-jwt-bearer 600 s (discovery too), PyJWT's PyJWKClient 300 s, oauth4webapi
 * 300 s, get-jwks 60 s; none reads Cache-Control. Most refetch for an unknown kid, but only
 * after a cooldown (jose 30 s, oauth4webapi 60 s, jwks-rsa's rate limit), and one that never
 * does holds its set the full 600 s. The extra minute covers the key store noticing a key
 * file (1 s), replicas and the fetch itself.
 */
export const MIN_PUBLISH_DELAY = 660;

/** The longest the JWKS may be cached by clients, in seconds (capped by the publish delay). */
const JWKS_MAX_AGE_CAP = 300;

/** Seconds a client credentials token lives unless CLIENT_TOKEN_TTL says otherwise. */
const DEFAULT_CLIENT_TOKEN_TTL = 300;

/** The auth-service variables for access tokens, signing keys and rate limits. */
export const tokenEnvSpec = {
  JWT_ALG: envVar(
    'algorithm of new signing keys: ES256, EdDSA or RS256',
    z.enum(SIGNING_ALGS).default('ES256'),
  ),
  ACCESS_TOKEN_TTL: envVar(
    'access token lifetime in seconds (60 to 86400)',
    integer(60).max(86_400).default(600),
    { unit: 'seconds' },
  ),
  CLIENT_TOKEN_TTL: envVar(
    'service client token lifetime in seconds (30 to ACCESS_TOKEN_TTL; unset: 300 or less)',
    integer(30).max(86_400).optional(),
    { unit: 'seconds' },
  ),
  JWT_AUDIENCE: envVar(
    'the access token "aud"; the api-service JWT_AUDIENCE must match',
    z.string().trim().min(1).default('gatehouse-api'),
  ),
  KEY_PUBLISH_DELAY: envVar(
    `seconds a rotated key is published before it signs (at least ${MIN_PUBLISH_DELAY}: longer than common verifiers cache keys)`,
    integer(MIN_PUBLISH_DELAY)
      .max(7 * 86_400)
      .default(900),
    { unit: 'seconds' },
  ),
  SIGNING_KEYS: envVar(
    'private JWKS JSON from a secret manager (the first key signs); unset: keys under DATA_DIR/keys',
    z.string().transform(parseSigningKeys).optional(),
    { secret: true },
  ),
  AUTH_RATE_LIMIT: envVar(
    'requests a minute per client IP on sign-in, callback and token endpoints; 0 turns it off',
    integer(0).max(1_000_000).default(60),
  ),
};

/**
 * Builds the `tokens` part of the auth-service Config; `config.ts` spreads it in.
 *
 * @example
 * build: (v, problem) => ({ publicUrl: v.PUBLIC_URL, ...buildTokenConfig(v, problem, v.PUBLIC_URL) })
 */
export function buildTokenConfig(
  values: EnvValues<typeof tokenEnvSpec>,
  problem: ReportProblem,
  publicUrl: string,
): { tokens: TokenConfig } {
  const signingKeys = values.SIGNING_KEYS;
  const signer = signingKeys?.[0];
  if (signer && signer.alg !== values.JWT_ALG) {
    problem(
      `JWT_ALG is ${values.JWT_ALG} but the first SIGNING_KEYS key is ${signer.alg}: set JWT_ALG=${signer.alg}`,
    );
  }
  // Revocation entries and key retention are sized by ACCESS_TOKEN_TTL: no token may outlive it.
  const clientTokenTtl =
    values.CLIENT_TOKEN_TTL ?? Math.min(DEFAULT_CLIENT_TOKEN_TTL, values.ACCESS_TOKEN_TTL);
  if (clientTokenTtl > values.ACCESS_TOKEN_TTL) {
    problem(
      `CLIENT_TOKEN_TTL (${clientTokenTtl}) must not exceed ACCESS_TOKEN_TTL (${values.ACCESS_TOKEN_TTL}): lower it or leave it unset`,
    );
  }
  return {
    tokens: {
      issuer: `${publicUrl}/auth`,
      audience: values.JWT_AUDIENCE,
      alg: values.JWT_ALG,
      accessTokenTtl: values.ACCESS_TOKEN_TTL,
      clientTokenTtl,
      clockSkew: CLOCK_SKEW_SECONDS,
      keyPublishDelay: values.KEY_PUBLISH_DELAY,
      jwksMaxAge: Math.min(JWKS_MAX_AGE_CAP, Math.floor(values.KEY_PUBLISH_DELAY / 2)),
      rateLimit: values.AUTH_RATE_LIMIT,
      signingKeys,
    },
  };
}

/** SIGNING_KEYS: `{"keys":[...]}`, each a private JWK; messages name the key and member. */
function parseSigningKeys(value: string, ctx: z.RefinementCtx): SigningKey[] {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  let set: unknown;
  try {
    set = JSON.parse(value);
  } catch {
    return fail('must be a JSON Web Key Set: {"keys":[{...private JWK...}]}');
  }
  const keys = (set as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    return fail('must be a JSON Web Key Set with at least one key: {"keys":[{...}]}');
  }
  const parsed: SigningKey[] = [];
  for (const [index, jwk] of keys.entries()) {
    try {
      parsed.push(parsePrivateJwk(jwk));
    } catch (err) {
      return fail(`keys[${index}]: ${(err as Error).message}`);
    }
  }
  if (new Set(parsed.map((key) => key.kid)).size !== parsed.length) {
    return fail('holds the same key twice');
  }
  return parsed;
}
