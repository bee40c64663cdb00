import type { IncomingMessage } from 'node:http';
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
import { evaluatePolicy } from './evaluate-policy.js';

/** Decides whether a request may use its route; resolves with the caller of a `token` route. */
export type RouteAuthorizer = (
  req: IncomingMessage,
  route: ActiveRoute,
) => Promise<AccessTokenClaims | undefined>;

/**
 * The gateway's policy step for `auth: token` routes, answering exactly as the api-service's
 * `requireAuth` does (both through the shared `authenticateBearer`). Enforces:
 * - `Authorization: Bearer <token>` only; none: 401 with the plain challenge;
 * - the token verified by the shared verifier (JWKS, revocation feed, verified-token cache);
 *   bad: 401 `invalid_token` with `error` and `error_description` in the challenge; no usable
 *   key set: 503 `temporarily_unavailable` with `Retry-After`;
 * - the route's `allow` (see `evaluatePolicy`); refused: 403 `insufficient_scope`;
 * - every decision logged at debug (route, sub, client, decision, rule) and counted in
 *   `gateway_policy_decisions_total{route, decision, rule}`; never the token.
 * `public` routes resolve undefined without looking at the request.
 */
export function routeAuthorizer(options: {
  /** Built on first use, so a gateway without token routes never polls the auth-service. */
  verifier: () => Pick<TokenVerifier, 'verify'>;
  logger: Logger;
  metrics: HttpMetrics | undefined;
}): RouteAuthorizer {
  const { logger } = options;
  const decisions =
    options.metrics &&
    new Counter({
      name: 'gateway_policy_decisions_total',
      help: 'Policy decisions on token routes by route, decision and the rule that decided',
      labelNames: ['route', 'decision', 'rule'] as const,
      registers: [options.metrics.registry],
    });
  const record = (
    req: IncomingMessage,
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
    if (route.spec?.auth !== 'token') return undefined;
    let claims: AccessTokenClaims;
    try {
      claims = await authenticateBearer(options.verifier(), req.headers.authorization, {
        realm: DEFAULT_REALM,
      });
    } catch (err) {
      record(req, route, 'deny', refusalRule(err));
      throw err;
    }
    const decision = evaluatePolicy(route.spec.allow, claims);
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
  if (err instanceof HttpError && err.code === 'unauthorized') return 'no-token';
  const cause = err instanceof Error ? err.cause : undefined;
  return isTokenError(cause) ? `token-${cause.reason}` : 'token-invalid';
}
