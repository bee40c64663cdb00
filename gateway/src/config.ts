import {
  commaList,
  type Env,
  type EnvValues,
  envVar,
  gatewayPassAudience,
  httpUrl,
  integer,
  loadConfig as loadSharedConfig,
  port,
  processConfig,
  processEnv,
  requireOrigin,
  type ReportProblem,
} from '@gatehouse/shared';
import { z } from 'zod';
import { trustedProxyProblem } from './proxy/client-address.js';
import { upstreamList, upstreamOrigins } from './proxy/upstream-origins.js';

/** Timers overflow above 2^31-1 ms and then fire after 1 ms; ten minutes is plenty here. */
const MAX_TIMER_MS = 600_000;
const timerMs = () =>
  integer(1).max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (10 minutes)`);

/** Every variable the gateway reads. */
export const envSpec = {
  ...processEnv({ port: 8080, portDescription: 'public listen port' }),
  PUBLIC_URL: envVar(
    'the public origin users see, e.g. https://app.example.com (sets X-Forwarded-Proto/-Host)',
    httpUrl().default('http://localhost:8080'),
  ),
  AUTH_SERVICE_URL: envVar(
    'origin of the auth-service, or a comma list of replicas to spread over; /auth/* is forwarded there with the path unchanged',
    upstreamList().default(['http://localhost:4001']),
  ),
  API_SERVICE_URL: envVar(
    'origin of the api-service, or a comma list of replicas to spread over; /api/* is forwarded there with the path unchanged',
    upstreamList().default(['http://localhost:4002']),
  ),
  UPSTREAM_COOLDOWN_MS: envVar(
    'how long a replica that failed (a connection error, or its /readyz not 2xx) gets no requests before it is tried again',
    timerMs().default(5_000),
  ),
  UPSTREAM_TIMEOUT_MS: envVar(
    'how long an upstream may take to start answering before the gateway answers 504',
    timerMs().default(10_000),
    { unit: 'ms' },
  ),
  READINESS_TIMEOUT_MS: envVar(
    "how long /readyz waits for each upstream's /readyz",
    timerMs().default(1_000),
    { unit: 'ms' },
  ),
  WEBSOCKET_IDLE_TIMEOUT_MS: envVar(
    'a proxied WebSocket with no byte either way for this long gets a close frame (1001) both ways and ends; 0: never',
    integer(0)
      .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (10 minutes)`)
      .default(300_000),
    { unit: 'ms' },
  ),
  TRUSTED_PROXIES: envVar(
    'comma list of IPs/CIDRs (IPv4, IPv6) of proxies in front of the gateway whose X-Forwarded-For is believed, and whose description of a request (X-Forwarded-Uri, X-Original-URI) GET /auth/verify judges; empty trusts none',
    commaList()
      .superRefine((entries, ctx) => {
        for (const entry of entries) {
          const message = trustedProxyProblem(entry);
          if (message !== undefined) ctx.addIssue({ code: 'custom', message });
        }
      })
      .default([]),
  ),
  MAX_CONNECTIONS_PER_ADDRESS: envVar(
    'connections one client address may hold (a browser opens about 6; an office behind one NAT address more); proxies in TRUSTED_PROXIES are exempt; 0: no cap',
    integer(0).max(1_000_000).default(256),
  ),
  DEV_IDP_URL: envVar(
    'set by npm start in dev mode: the demo page then says sign-in runs against this local dev-idp',
    httpUrl().optional(),
  ),
  ROUTES_FILE: envVar(
    'YAML file of routes (docs/routes.md): each a path prefix, its upstream and its access policy; unset: /api goes to API_SERVICE_URL, as deploy/routes/routes.yaml declares',
    z.string().trim().min(1).optional(),
  ),
  JWKS_URL: envVar(
    "the auth-service's public keys, for routes with auth: token; default: the first AUTH_SERVICE_URL + /auth/.well-known/jwks.json",
    httpUrl().optional(),
  ),
  JWT_ISSUER: envVar(
    'the exact access token "iss" token and session routes accept; default: PUBLIC_URL + /auth',
    httpUrl().optional(),
  ),
  JWT_AUDIENCE: envVar(
    'the access token "aud" token and session routes accept in a Bearer token; the auth-service JWT_AUDIENCE must match',
    z.string().trim().min(1).default('gatehouse-api'),
  ),
  REVOCATION_CHECK: envVar(
    'on: token routes refuse tokens the auth-service revocation feed names; off: only expiry ends them',
    z.enum(['on', 'off']).default('on'),
  ),
  ASSERTION_KEYS_FILE: envVar(
    'JWK Set of private EC P-256/Ed25519 keys signing X-Gatehouse-Assertion, newest first, the same file on every gateway replica; unset: a key generated at start-up (one gateway only; refused in production when a route has auth: token)',
    z.string().trim().min(1).optional(),
  ),
  METRICS_PORT: envVar(
    "internal port serving the gateway's Prometheus /metrics (never the public port); 0 turns it off",
    port().default(9080),
  ),
};

export type Config = Readonly<ReturnType<typeof build>>;

function build(values: EnvValues<typeof envSpec>, problem: ReportProblem) {
  const base = processConfig(values, problem);
  // Upstreams and the public URL are origins: the gateway keeps request paths unchanged.
  const publicUrl = requireOrigin('PUBLIC_URL', values.PUBLIC_URL, problem);
  if (base.production && publicUrl.protocol !== 'https:') {
    // Also rules out the localhost default, so production always names its origin.
    problem('PUBLIC_URL must be https:// when NODE_ENV=production');
  }
  if (values.METRICS_PORT !== 0 && values.METRICS_PORT === values.PORT) {
    problem('METRICS_PORT must differ from PORT, so metrics never reach the public port');
  }
  const auth = upstreamOrigins('AUTH_SERVICE_URL', values.AUTH_SERVICE_URL, problem);
  const passAudience = gatewayPassAudience(publicUrl.origin);
  if (values.JWT_AUDIENCE === passAudience) {
    problem(
      `JWT_AUDIENCE must differ from PUBLIC_URL (${passAudience}): that audience is the gateway pass's, which APIs must refuse`,
    );
  }
  const jwksUrl =
    values.JWKS_URL ?? `${auth[0] ?? 'http://localhost:4001'}/auth/.well-known/jwks.json`;
  return {
    service: 'gateway' as const,
    ...base,
    publicUrl: publicUrl.origin,
    upstreams: {
      auth,
      api: upstreamOrigins('API_SERVICE_URL', values.API_SERVICE_URL, problem),
    },
    upstreamCooldownMs: values.UPSTREAM_COOLDOWN_MS,
    upstreamTimeoutMs: values.UPSTREAM_TIMEOUT_MS,
    readinessTimeoutMs: values.READINESS_TIMEOUT_MS,
    webSocketIdleTimeoutMs: values.WEBSOCKET_IDLE_TIMEOUT_MS,
    metricsPort: values.METRICS_PORT,
    devIdpUrl: values.DEV_IDP_URL,
    trustedProxies: values.TRUSTED_PROXIES,
    limits: { ...base.limits, maxConnectionsPerAddress: values.MAX_CONNECTIONS_PER_ADDRESS },
    routesFile: values.ROUTES_FILE,
    assertionKeysFile: values.ASSERTION_KEYS_FILE,
    /** What a Bearer token's `aud` must name on token and session routes. */
    audience: values.JWT_AUDIENCE,
    /** The gateway pass's `aud` on session routes (shared gateway-pass.ts). */
    passAudience,
    /**
     * `createTokenVerifier` options for token and session routes (built only when one
     * exists): one key set and revocation feed for both audiences, told apart per credential.
     */
    verifier: {
      jwksUrl,
      issuer: values.JWT_ISSUER ?? `${publicUrl.origin}/auth`,
      audience: [values.JWT_AUDIENCE, passAudience],
      revocationsUrl:
        values.REVOCATION_CHECK === 'off' ? (false as const) : new URL('revocations', jwksUrl).href,
    },
  };
}

/** Validates `env` and returns the frozen configuration; throws ConfigError listing every problem. */
export function loadConfig(env: Env): Config {
  return loadSharedConfig('gateway', envSpec, env, build);
}
