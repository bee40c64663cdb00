import { describe, expect, it } from '@jest/globals';
import { configProblems } from '../../test/support/config-problems.js';
import { describeEnv } from '@gatehouse/shared';
import { envSpec, loadConfig } from '../src/config.js';

const problemsOf = (env: Record<string, string>) => configProblems(loadConfig, env);

describe('gateway configuration', () => {
  it('when nothing is set, then the documented local defaults apply', () => {
    expect(loadConfig({})).toEqual({
      service: 'gateway',
      nodeEnv: 'development',
      production: false,
      logLevel: 'info',
      port: 8080,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:8080',
      upstreams: { auth: ['http://localhost:4001'], api: ['http://localhost:4002'] },
      upstreamCooldownMs: 5_000,
      upstreamTimeoutMs: 10_000,
      readinessTimeoutMs: 1_000,
      webSocketIdleTimeoutMs: 300_000,
      metricsPort: 9080,
      shutdownTimeoutMs: 10_000,
      trustedProxies: [],
      limits: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 60_000,
        maxConnections: 10_000,
        maxConnectionsPerAddress: 256,
      },
      devIdpUrl: undefined,
      routesFile: undefined,
      audience: 'gatehouse-api',
      passAudience: 'http://localhost:8080',
      verifier: {
        jwksUrl: 'http://localhost:4001/auth/.well-known/jwks.json',
        issuer: 'http://localhost:8080/auth',
        // Bearer tokens' and the gateway pass's, told apart per credential (audience-verifier.ts).
        audience: ['gatehouse-api', 'http://localhost:8080'],
        revocationsUrl: 'http://localhost:4001/auth/.well-known/revocations',
      },
    });
  });

  it('when the configuration is loaded, then it is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstreams)).toBe(true);
  });

  it('when several variables are malformed, then every problem is listed at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      PUBLIC_URL: 'not a url',
      AUTH_SERVICE_URL: 'ftp://auth',
      UPSTREAM_TIMEOUT_MS: '0',
      METRICS_PORT: '70000',
      LOG_LEVEL: 'loud',
    });

    expect(problems).toHaveLength(6);
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'LOG_LEVEL',
      'PORT',
      'PUBLIC_URL',
      'AUTH_SERVICE_URL',
      'UPSTREAM_TIMEOUT_MS',
      'METRICS_PORT',
    ]);
  });

  it('when an upstream or the public URL has a path, then it is refused (paths are forwarded unchanged)', () => {
    expect(
      problemsOf({ AUTH_SERVICE_URL: 'http://auth:4001/auth', PUBLIC_URL: 'http://x.example/app' }),
    ).toEqual([
      'PUBLIC_URL must be an origin without a path or credentials, e.g. http://x.example',
      'AUTH_SERVICE_URL must be an origin without a path or credentials, e.g. http://auth:4001',
    ]);
  });

  it('when NODE_ENV=production and PUBLIC_URL is not https, then it is refused', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'PUBLIC_URL must be https:// when NODE_ENV=production',
    ]);
    expect(
      loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://app.example.com' }).production,
    ).toBe(true);
  });

  it("when JWT_AUDIENCE is the public origin, then it is refused: that is the gateway pass's audience, which APIs must refuse", () => {
    expect(
      problemsOf({
        PUBLIC_URL: 'https://app.example.com',
        JWT_AUDIENCE: 'https://app.example.com',
      }),
    ).toEqual([
      "JWT_AUDIENCE must differ from PUBLIC_URL (https://app.example.com): that audience is the gateway pass's, which APIs must refuse",
    ]);
  });

  it('when METRICS_PORT equals PORT, then it is refused; 0 turns metrics off', () => {
    expect(problemsOf({ PORT: '8080', METRICS_PORT: '8080' })).toEqual([
      'METRICS_PORT must differ from PORT, so metrics never reach the public port',
    ]);
    expect(loadConfig({ METRICS_PORT: '0' }).metricsPort).toBe(0);
  });

  it('when a timer setting exceeds 10 minutes, then it is refused by name (setTimeout would overflow)', () => {
    const problems = problemsOf({
      UPSTREAM_TIMEOUT_MS: '2147483648',
      READINESS_TIMEOUT_MS: '600001',
    });

    expect(problems).toEqual([
      expect.stringMatching(/^UPSTREAM_TIMEOUT_MS must be at most 600000 ms/),
      expect.stringMatching(/^READINESS_TIMEOUT_MS must be at most 600000 ms/),
    ]);
    const longest = loadConfig({ UPSTREAM_TIMEOUT_MS: '600000', READINESS_TIMEOUT_MS: '600000' });
    expect([longest.upstreamTimeoutMs, longest.readinessTimeoutMs]).toEqual([600_000, 600_000]);
  });

  it('when TRUSTED_PROXIES lists IPv4 and IPv6 addresses and ranges, then they are kept', () => {
    expect(
      loadConfig({ TRUSTED_PROXIES: ' 10.0.0.0/8, 192.168.1.10 ,fd00::/8, ::1 ' }).trustedProxies,
    ).toEqual(['10.0.0.0/8', '192.168.1.10', 'fd00::/8', '::1']);
  });

  it('when TRUSTED_PROXIES has entries that are not addresses or ranges, then each is named', () => {
    const problems = problemsOf({
      TRUSTED_PROXIES: '10.0.0.0/8,proxy.internal,10.0.0.0/33,fd00::/129,1.2.3.4/,1.2.3.4/8x',
    });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TRUSTED_PROXIES /);
    for (const entry of ['proxy.internal', '10.0.0.0/33', 'fd00::/129', '1.2.3.4/', '1.2.3.4/8x']) {
      expect(problems[0]).toContain(`"${entry}"`);
    }
    expect(problems[0]).toContain('e.g. 10.0.0.0/8');
  });

  it('when the spec is documented, then every variable has a description', () => {
    const rows = describeEnv(envSpec);
    expect(rows.map((r) => r.name)).toContain('UPSTREAM_TIMEOUT_MS');
    for (const row of rows) expect(row.description.length).toBeGreaterThan(10);
  });
});
