import { Counter } from 'prom-client';
import {
  type AccessTokenClaims,
  authenticateBearer,
  bearerChallenge,
  DEFAULT_REALM,
  HttpError,
  type HttpMetrics,
  isTokenError,
  type Logger,
  type TokenVerifier,
} from '@gatehouse/shared';
import type { ActiveRoute } from '../route-table/route-table.js';
import { audienceVerifier } from './audience-verifier.js';
import { evaluatePolicy } from './evaluate-policy.js';
import { sessionCaller, type CallerRequest } from './session-caller.js';
import { SignInRedirect } from './sign-in-redirect.js';

/**
 * Decides whether a request may use its route; resolves with the caller of a `token` or
 * `session` route, undefined on a `public` one.
 */
export type RouteAuthorizer = (
  req: CallerRequest,
  route: ActiveRoute,
) => Promise<AccessTokenClaims | undefined>;

/**
 * The gateway's policy step for `auth: token` and `auth: session` routes, answering Bearer
 * tokens exactly as the api-service's `requireAuth` does (both through the shared
 * `authenticateBearer`). Enforces:
 * - on `token` routes `Authorization: Bearer <token>` only; none: 401 with the plain
 *   challenge; on `session` routes a Bearer token when one is sent, else the gateway pass
 *   cookie (session-caller.ts: a navigation without a usable pass is a `SignInRedirect`);
 * - a Bearer token's `aud` is JWT_AUDIENCE, a pass's the gateway's own, never the other way;
 * - the token verified by the shared verifier (JWKS, revocation feed, verified-token cache);
 *   bad: 401 `invalid_token` with `error` and `error_description` in the challenge; no usable
 *   key set: 503 `temporarily_unavailable` with `Retry-After`;
 * - the route's `allow` (see `evaluatePolicy`); refused: 403 `insufficient_scope`;
 * - every decision logged at debug (route, sub, client, decision, rule) and counted in
 *   `gateway_policy_decisions_total{route, decision, rule}`; never the token.
 * `public` routes resolve undefined without looking at the request.
 */
export function routeAuthorizer(options: {
  /**
   * Built on first use, so a gateway without token routes never polls the auth-service;
   * accepts both `audience` and `passAudience`.
   */
  verifier: () => Pick<TokenVerifier, 'verify'>;
  /** JWT_AUDIENCE: what a Bearer token's `aud` must name. */
  audience: string;
  /** The gateway pass's `aud` (shared `gatewayPassAudience`). */
  passAudience: string;
  publicUrl: string;
  /** Epoch milliseconds, for renewing passes. */
  now: () => number;
  logger: Logger;
  metrics: HttpMetrics | undefined;
}): RouteAuthorizer {
  const { logger } = options;
  const bearer = audienceVerifier(options.verifier, options.audience);
  const session = sessionCaller({
    verifier: audienceVerifier(options.verifier, options.passAudience),
    publicUrl: options.publicUrl,
    now: options.now,
  });
  const decisions =
    options.metrics &&
    new Counter({
      name: 'gateway_policy_decisions_total',
      help: 'Policy decisions on token and session routes by route, decision and the rule that decided',
      labelNames: ['route', 'decision', 'rule'] as const,
      registers: [options.metrics.registry],
    });
  const record = (
    req: CallerRequest,
    route: ActiveRoute,
    decision: 'allow' | 'deny',
    rule: string,
    claims?: AccessTokenClaims,
  ) => {
    decisions?.inc({ route: route.name, decision, rule });
    logger.debug(
      {
        request_id: req.headers['x-request-id'],
        route: route.name,
        sub: claims?.sub,
        client: claims?.client_id,
        decision,
        rule,
      },
      'policy decision',
    );
  };

  return async (req, route) => {
    const spec = route.spec;
    if (spec === undefined || spec.auth === 'public') return undefined;
    let claims: AccessTokenClaims;
    try {
      claims =
        spec.auth === 'session' && req.headers.authorization === undefined
          ? await session(req)
          : await authenticateBearer(bearer, req.headers.authorization, { realm: DEFAULT_REALM });
    } catch (err) {
      record(req, route, 'deny', refusalRule(err));
      throw err;
    }
    const decision = evaluatePolicy(spec.allow, claims);
    if (!decision.allowed) {
      record(req, route, 'deny', decision.rule, claims);
      throw new HttpError(403, 'insufficient_scope', decision.reason, {
        headers: {
          'WWW-Authenticate': bearerChallenge({
            error: 'insufficient_scope',
            description: decision.reason,
            scope: decision.scope,
          }),
        },
      });
    }
    record(req, route, 'allow', decision.rule, claims);
    return claims;
  };
}

/** The rule a refused credential is logged and counted under: none, or the verifier's reason. */
function refusalRule(err: unknown): string {
  if (err instanceof SignInRedirect) return err.rule;
  if (err instanceof HttpError && err.code === 'unauthorized') return 'no-token';
  if (err instanceof HttpError && err.code === 'cross_site_request') return 'cross-site';
  const cause = err instanceof Error ? err.cause : undefined;
  return isTokenError(cause) ? `token-${cause.reason}` : 'token-invalid';
}

/**
 * What a refused authorization answers: the HttpError the authorizer threw, or for anything
 * else (a bug, never the caller's doing) a 500 whose cause is logged, not sent.
 */
export function authorizationError(err: unknown): HttpError {
  return err instanceof HttpError
    ? err
    : new HttpError(500, 'server_error', 'the request could not be authorized', { cause: err });
}
