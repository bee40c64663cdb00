/**
 * @gatehouse/shared: what every Gatehouse service has in common, and the token verifier a
 * team's own service installs. Framework adapters live in `@gatehouse/shared/koa`,
 * `@gatehouse/shared/express`, `@gatehouse/shared/fastify` and `@gatehouse/shared/node`.
 */
export {
  batchedDestination,
  type BatchedDestination,
  type LineSink,
} from './batched-destination.js';
export { ConfigError } from './config/config-error.js';
export * from './config/env-schemas.js';
export { processConfig, processEnv, trustProxyEnv } from './config/process-env.js';
export { envVar, type EnvSpec, type EnvValues, type EnvVar } from './config/env-var.js';
export { describeEnv, loadConfig, type Env, type ReportProblem } from './config/load-config.js';
export {
  misspeltVariableMessage,
  misspeltVariables,
  type MisspeltVariable,
} from './config/misspelt-variables.js';
export { requireOrigin } from './config/require-origin.js';
export { authenticateBearer } from './bearer/authenticate-bearer.js';
export { bearerChallenge, DEFAULT_REALM } from './bearer/bearer-challenge.js';
export { toErrorResponse, type ErrorResponse } from './errors/error-response.js';
export { HttpError, isHttpError } from './errors/http-error.js';
export { createReadiness, type ReadinessCheck, type ReadinessReport } from './health.js';
export {
  FRAME_ANCESTORS_NONE,
  framingHeaders,
  type FramingHeaders,
  type FramingState,
} from './http/framing-headers.js';
export { serve, type RunningServer, type ServeOptions } from './http/serve.js';
export { GATEWAY_PASS_PATH, gatewayPassAudience, gatewayPassCookie } from './http/gateway-pass.js';
export { crossSiteRefusal, type RequestOriginHeaders } from './http/cross-site-refusal.js';
export type { ConnectionStats } from './http/limit-connections.js';
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from './config/server-limits.js';
export { PortInUseError } from './http/port-in-use-error.js';
export { runService, type ServiceEntry } from './http/run-service.js';
export { onShutdownSignal } from './http/shutdown.js';
export {
  createLogger,
  silentLogger,
  lineWriter,
  REDACTED_PATHS,
  type LineLevel,
  type Logger,
} from './logger.js';
export { createHttpMetrics, type HttpMetrics } from './metrics.js';
export { isWellFormedRequestId, REQUEST_ID_HEADER, resolveRequestId } from './request-id.js';
export {
  scopesOf,
  toAccessTokenClaims,
  type AccessTokenClaims,
} from './tokens/access-token-claims.js';
export {
  ASYMMETRIC_ALGORITHMS,
  DEFAULT_ALGORITHMS,
  type AsymmetricAlgorithm,
} from './tokens/algorithms.js';
export { isLowS, toLowS, withLowS } from './tokens/ecdsa-low-s.js';
export type { VerifierLogger } from './tokens/jwks-cache.js';
export { MAX_CLOCK_TOLERANCE_SECONDS } from './tokens/max-clock-tolerance.js';
export type { RevocationFeedStatus } from './tokens/revocation-follower.js';
export { isTokenError, TokenError, type TokenErrorReason } from './tokens/token-error.js';
export type { TokenVerifierOptions } from './tokens/token-verifier-options.js';
export { createTokenVerifier, type TokenVerifier } from './tokens/token-verifier.js';
export {
  describeCause,
  outageLog,
  retryLog,
  type OutageLog,
  type RetryLog,
  type RetryLogger,
} from './retry-log.js';
export { escapeHtml } from './escape-html.js';
export { FAVICON_PATHS, FAVICON_SVG, PAGE_CSS } from './page-look.js';
