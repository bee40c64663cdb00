import { ASYMMETRIC_ALGORITHMS, DEFAULT_ALGORITHMS, isAsymmetricAlgorithm } from './algorithms.js';
import type { VerifierLogger } from './jwks-cache.js';
import { MAX_CLOCK_TOLERANCE_SECONDS } from './max-clock-tolerance.js';

/**
 * Options of `createTokenVerifier`; only `issuer` and `audience` are required. Everything else
 * has a safe default: the key set and the revocation feed come from the issuer's metadata
 * (`<issuer>/.well-known/openid-configuration`), and revocation is checked unless
 * `revocationsUrl: false` turns it off.
 *
 * @example
 * const options: TokenVerifierOptions = {
 *   issuer: 'https://app.example.com/auth',
 *   audience: 'gatehouse-api',
 *   tokenCacheSize: 0, // verify every signature
 * };
 */
export interface TokenVerifierOptions {
  /**
   * Where the issuer publishes its keys, e.g. `http://auth-service:4001/auth/.well-known/jwks.json`
   * (an address inside the deployment). Unset: the `jwks_uri` of the issuer's metadata.
   */
  jwksUrl?: string;
  /** The exact `iss` accepted (or a list: then give `jwksUrl` and `revocationsUrl`, there is no one metadata to read). */
  issuer: string | readonly string[];
  /** The `aud` this service answers to (or a list; one match suffices). */
  audience: string | readonly string[];
  /** Allowlist of asymmetric algorithms. Default `['ES256', 'EdDSA', 'RS256']`. */
  algorithms?: readonly string[];
  /**
   * Seconds of clock skew tolerated on `exp`, `nbf` and `iat`, at most
   * MAX_CLOCK_TOLERANCE_SECONDS (60): the issuer keeps revocations and retired keys published
   * that long past a token's `exp`, no longer. Default 30.
   */
  clockTolerance?: number;
  /** Longer tokens are refused before any parsing. Default 8192 characters. */
  maxTokenLength?: number;
  /** Verified tokens remembered (LRU); 0 disables the cache. Default 10000. */
  tokenCacheSize?: number;
  /** Upper bound of a key set's lifetime in seconds; `Cache-Control: max-age` may shorten it. Default 300. */
  jwksCacheMaxAge?: number;
  /** Lower bound of a key set's lifetime in seconds. Default 30 (or jwksCacheMaxAge if smaller). */
  jwksCacheMinAge?: number;
  /** Seconds past its lifetime a key set keeps verifying while the JWKS is unreachable. Default 3600. */
  jwksMaxStale?: number;
  /** Least seconds between refetches caused by unknown `kid`s or failed refreshes. Default 30. */
  jwksRefetchCooldown?: number;
  /** JWKS request timeout in milliseconds. Default 3000. */
  jwksTimeoutMs?: number;
  /**
   * The issuer's revocation feed, e.g. `http://auth-service:4001/auth/.well-known/revocations`:
   * tokens whose `sid`, `sub` or `jti` it revoked at or after their `iat` are refused
   * (`revoked`). Unset: the `revocation_feed_uri` of the issuer's metadata. `false`: no
   * revocation check, so a signed-out user's or a revoked client's token works until it expires.
   */
  revocationsUrl?: string | false;
  /** Milliseconds between polls of the revocation feed. Default 2000. */
  revocationPollInterval?: number;
  /** Revocations held in memory at most; beyond, see revocation-list.ts. Default 100000. */
  revocationMaxEntries?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Injected clock (epoch ms) for tests; defaults to `Date.now`. */
  now?: () => number;
  /** Receives JWKS fetch problems; a pino logger fits. Never sees a token. */
  logger?: VerifierLogger;
}

export type ResolvedVerifierOptions = Required<
  Omit<TokenVerifierOptions, 'issuer' | 'audience' | 'jwksUrl' | 'revocationsUrl'>
> & {
  issuer: string[];
  audience: string[];
  /** Undefined: from the metadata at `discoveryUrl`. */
  jwksUrl: string | undefined;
  /** Undefined: from the metadata at `discoveryUrl`; false: no revocation check. */
  revocationsUrl: string | false | undefined;
  /** The issuer's metadata, when `jwksUrl` or `revocationsUrl` is to be read from it. */
  discoveryUrl: string | undefined;
};

/** Checks the options where `createTokenVerifier` is called, naming the option that is wrong. */
export function resolveVerifierOptions(options: TokenVerifierOptions): ResolvedVerifierOptions {
  const problems: string[] = [];
  if (options.jwksUrl !== undefined && !isHttpUrl(options.jwksUrl)) {
    problems.push(
      '"jwksUrl" must be an absolute http(s) URL, e.g. http://localhost:4001/auth/.well-known/jwks.json',
    );
  }
  const revocationsUrl = options.revocationsUrl;
  if (revocationsUrl !== undefined && revocationsUrl !== false && !isHttpUrl(revocationsUrl)) {
    problems.push(
      '"revocationsUrl" must be an absolute http(s) URL, e.g. http://localhost:4001/auth/.well-known/revocations',
    );
  }
  const issuer = [options.issuer ?? []].flat().filter((v) => typeof v === 'string' && v !== '');
  if (issuer.length === 0) problems.push('"issuer" is required, e.g. http://localhost:8080/auth');
  const discoveryUrl =
    options.jwksUrl === undefined || revocationsUrl === undefined
      ? metadataUrl(issuer, problems)
      : undefined;
  const audience = [options.audience ?? []].flat().filter((v) => typeof v === 'string' && v !== '');
  if (audience.length === 0) problems.push('"audience" is required, e.g. gatehouse-api');
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  const refused = algorithms.filter((alg) => !isAsymmetricAlgorithm(alg));
  if (algorithms.length === 0 || refused.length > 0) {
    problems.push(
      `"algorithms" must be a non-empty list of ${ASYMMETRIC_ALGORITHMS.join(', ')}` +
        (refused.length > 0 ? ` (refused: ${refused.join(', ')})` : ''),
    );
  }
  const number = (name: keyof TokenVerifierOptions, fallback: number, max = Infinity): number => {
    const value = options[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
      const range = max === Infinity ? '>= 0' : `from 0 to ${max}`;
      problems.push(`"${name}" must be a number ${range} (got ${String(value)})`);
      return fallback;
    }
    return value;
  };
  const jwksCacheMaxAge = number('jwksCacheMaxAge', 300);
  const resolved: ResolvedVerifierOptions = {
    jwksUrl: options.jwksUrl,
    issuer,
    audience,
    algorithms,
    clockTolerance: number('clockTolerance', 30, MAX_CLOCK_TOLERANCE_SECONDS),
    maxTokenLength: number('maxTokenLength', 8192),
    tokenCacheSize: number('tokenCacheSize', 10_000),
    jwksCacheMaxAge,
    jwksCacheMinAge: number('jwksCacheMinAge', Math.min(30, jwksCacheMaxAge)),
    jwksMaxStale: number('jwksMaxStale', 3600),
    jwksRefetchCooldown: number('jwksRefetchCooldown', 30),
    jwksTimeoutMs: number('jwksTimeoutMs', 3000),
    revocationsUrl,
    discoveryUrl,
    revocationPollInterval: number('revocationPollInterval', 2000),
    revocationMaxEntries: number('revocationMaxEntries', 100_000),
    fetch: options.fetch ?? globalThis.fetch,
    now: options.now ?? Date.now,
    logger: options.logger ?? { warn: () => {} },
  };
  if (problems.length > 0) {
    throw new TypeError(`createTokenVerifier: invalid options:\n  ${problems.join('\n  ')}`);
  }
  return resolved;
}

/** OpenID Discovery's location for the one issuer; without one, says what to give instead. */
function metadataUrl(issuer: readonly string[], problems: string[]): string | undefined {
  if (issuer.length === 0) return undefined;
  if (issuer.length > 1 || !isHttpUrl(issuer[0]!)) {
    problems.push(
      '"issuer" must be one http(s) URL to discover "jwksUrl" and "revocationsUrl" from its metadata; ' +
        'otherwise give both (revocationsUrl: false turns revocation off)',
    );
    return undefined;
  }
  return `${issuer[0]!.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
