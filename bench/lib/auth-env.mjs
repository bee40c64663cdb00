/**
 * The environment a benchmark gives a built auth-service process: development, quiet, no rate
 * limit, a fixed session key (bench/lib/session-cookie.mjs signs cookies with it) and a Google
 * issuer on a closed loopback port, since discovery is never needed by the routes measured.
 */

/** The public URL the benchmarked auth-service believes it is behind (its `origin` too). */
export const BENCH_PUBLIC_URL = 'http://localhost:8080';
/** SESSION_KEYS of every benchmarked auth-service, for `signedInCookie`. */
export const BENCH_SESSION_KEY = 'bench-session-key-0123456789abcdefghijkl';

/** The auth-service's environment on `dataDir`, with `extra` (PORT, JWT_ALG, DATABASE_URL...). */
export function benchAuthEnv(dataDir, extra = {}) {
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'fatal',
    PUBLIC_URL: BENCH_PUBLIC_URL,
    DATA_DIR: dataDir,
    AUTH_RATE_LIMIT: '0',
    SESSION_KEYS: BENCH_SESSION_KEY,
    GOOGLE_CLIENT_ID: 'bench',
    GOOGLE_CLIENT_SECRET: 'bench-secret',
    // Discovery never succeeds (a closed loopback port); token and session routes do not need it.
    GOOGLE_ISSUER: 'http://127.0.0.1:9',
    // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the auth-service under a bench.
    ...benchNodeOptions('BENCH_AUTH_NODE_OPTIONS'),
    ...extra,
  };
}

/**
 * `{ NODE_OPTIONS }` from the bench's `variable` when set, else nothing: children get only the
 * env given, so Node options for a benchmarked process (BENCH_AUTH_NODE_OPTIONS,
 * BENCH_GATEWAY_NODE_OPTIONS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) pass through here.
 */
export function benchNodeOptions(variable) {
  const options = process.env[variable];
  return options ? { NODE_OPTIONS: options } : {};
}
