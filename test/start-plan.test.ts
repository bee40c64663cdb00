import { describe, expect, it } from '@jest/globals';
import { PlanError, planServices, type PlannedService } from '../scripts/lib/plan.mjs';

function envOf(services: PlannedService[], label: PlannedService['label']) {
  const service = services.find((s) => s.label === label);
  if (!service) throw new Error(`${label} is not planned`);
  return service.env;
}

describe('npm start plan', () => {
  it('when GOOGLE_CLIENT_ID is unset, then the dev-idp runs and the auth-service points at it', () => {
    const plan = planServices({});

    expect(plan.devMode).toBe(true);
    expect(plan.services.map((s) => s.label)).toEqual(['dev-idp', 'auth', 'api', 'gateway']);
    expect(envOf(plan.services, 'auth')).toMatchObject({
      GOOGLE_ISSUER: 'http://localhost:4003',
      GOOGLE_CLIENT_ID: 'gatehouse-dev',
      GOOGLE_CLIENT_SECRET: 'gatehouse-dev-secret',
      ALLOWED_DOMAINS: 'example.com',
    });
    expect(envOf(plan.services, 'dev-idp')).toMatchObject({
      PORT: '4003',
      DEV_IDP_REDIRECT_URIS: 'http://localhost:8080/auth/connect/google/callback',
    });
  });

  it('when an allowlist is set in dev mode, then it is kept instead of example.com', () => {
    const plan = planServices({ ALLOWED_EMAILS: 'me@example.org' });

    const auth = envOf(plan.services, 'auth');
    expect(auth.ALLOWED_EMAILS).toBe('me@example.org');
    expect(auth.ALLOWED_DOMAINS).toBeUndefined();
  });

  it('when .env names the dev-idp client with a compose backchannel, then npm start drops the backchannel', () => {
    const plan = planServices({
      GOOGLE_CLIENT_ID: 'gatehouse-dev',
      GOOGLE_BACKCHANNEL_URL: 'http://dev-idp:4003',
    });

    expect(plan.devMode).toBe(true);
    expect(envOf(plan.services, 'auth').GOOGLE_BACKCHANNEL_URL).toBeUndefined();
  });

  it('when a Google client is configured, then no dev-idp runs and the Google settings pass through', () => {
    const env = { GOOGLE_CLIENT_ID: 'real.apps.googleusercontent.com', GOOGLE_CLIENT_SECRET: 's' };
    const plan = planServices(env);

    expect(plan.devMode).toBe(false);
    expect(plan.services.map((s) => s.label)).toEqual(['auth', 'api', 'gateway']);
    const auth = envOf(plan.services, 'auth');
    expect(auth.GOOGLE_CLIENT_ID).toBe('real.apps.googleusercontent.com');
    expect(auth.GOOGLE_ISSUER).toBeUndefined();
  });

  it('when .env sets PORT, then every service still gets its own port', () => {
    const plan = planServices({ PORT: '9999', GATEWAY_PORT: '8081' });

    const ports = Object.fromEntries(plan.services.map((s) => [s.label, s.env.PORT]));
    expect(ports).toEqual({ 'dev-idp': '4003', auth: '4001', api: '4002', gateway: '8081' });
    expect(plan.publicUrl).toBe('http://localhost:8081');
    expect(envOf(plan.services, 'api').JWT_ISSUER).toBe('http://localhost:8081/auth');
  });

  it('when HOST is not set, then every service listens on loopback only; a set HOST wins', () => {
    const hosts = (env: Record<string, string>) =>
      Object.fromEntries(planServices(env).services.map((s) => [s.label, s.env.HOST]));
    expect(hosts({})).toEqual({
      'dev-idp': '127.0.0.1',
      auth: '127.0.0.1',
      api: '127.0.0.1',
      gateway: '127.0.0.1',
    });
    expect(hosts({ HOST: '0.0.0.0' }).gateway).toBe('0.0.0.0');
  });

  it('when no port variables are set, then every service is wired to the contract ports', () => {
    const plan = planServices({});

    expect(plan.ports).toEqual({
      gateway: 8080,
      auth: 4001,
      api: 4002,
      devIdp: 4003,
      metrics: 9080,
    });
    expect(envOf(plan.services, 'gateway')).toMatchObject({
      AUTH_SERVICE_URL: 'http://localhost:4001',
      API_SERVICE_URL: 'http://localhost:4002',
    });
    expect(envOf(plan.services, 'api').JWKS_URL).toBe(
      'http://localhost:4001/auth/.well-known/jwks.json',
    );
    expect(envOf(plan.services, 'dev-idp').DEV_IDP_ISSUER).toBe('http://localhost:4003');
    expect(envOf(plan.services, 'auth').DATA_DIR).toBe('./data');
  });

  it('when AUTH_PORT, API_PORT and DEV_IDP_PORT are set, then each service listens there and every address that names it follows', () => {
    const plan = planServices({
      GATEWAY_PORT: '18080',
      AUTH_PORT: '18001',
      API_PORT: '18002',
      DEV_IDP_PORT: '18003',
      // a compose .env names the containers; npm start must not use those addresses
      GOOGLE_ISSUER: 'http://localhost:4003',
      AUTH_SERVICE_URL: 'http://auth-service:4001',
      JWKS_URL: 'http://auth-service:4001/auth/.well-known/jwks.json',
    });

    const ports = Object.fromEntries(plan.services.map((s) => [s.label, s.env.PORT]));
    expect(ports).toEqual({ 'dev-idp': '18003', auth: '18001', api: '18002', gateway: '18080' });
    expect(plan.devIdpIssuer).toBe('http://localhost:18003');
    expect(envOf(plan.services, 'dev-idp')).toMatchObject({
      DEV_IDP_ISSUER: 'http://localhost:18003',
      DEV_IDP_CLIENT_ID: 'gatehouse-dev',
      DEV_IDP_CLIENT_SECRET: 'gatehouse-dev-secret',
      DEV_IDP_REDIRECT_URIS: 'http://localhost:18080/auth/connect/google/callback',
    });
    expect(envOf(plan.services, 'auth').GOOGLE_ISSUER).toBe('http://localhost:18003');
    expect(envOf(plan.services, 'api').JWKS_URL).toBe(
      'http://localhost:18001/auth/.well-known/jwks.json',
    );
    expect(envOf(plan.services, 'gateway')).toMatchObject({
      AUTH_SERVICE_URL: 'http://localhost:18001',
      API_SERVICE_URL: 'http://localhost:18002',
      PUBLIC_URL: 'http://localhost:18080',
    });
  });

  it('when port variables are set, then they are not passed on to any service', () => {
    const plan = planServices({
      GATEWAY_PORT: '18080',
      AUTH_PORT: '18001',
      API_PORT: '18002',
      DEV_IDP_PORT: '18003',
    });

    for (const service of plan.services) {
      for (const name of ['GATEWAY_PORT', 'AUTH_PORT', 'API_PORT', 'DEV_IDP_PORT']) {
        expect({ [service.label]: service.env[name] }).toEqual({ [service.label]: undefined });
      }
    }
  });

  it('when DATA_DIR is set, then the auth-service keeps its data there', () => {
    const plan = planServices({ DATA_DIR: '/tmp/gatehouse-data' });

    expect(envOf(plan.services, 'auth').DATA_DIR).toBe('/tmp/gatehouse-data');
  });

  it('when a port variable is not a port, then planning fails naming it', () => {
    expect(() => planServices({ AUTH_PORT: 'abc', API_PORT: '70000' })).toThrow(PlanError);
    expect(() => planServices({ AUTH_PORT: 'abc', API_PORT: '70000' })).toThrow(
      /AUTH_PORT .*"abc"[\s\S]*API_PORT .*"70000"/,
    );
  });

  it('when two services would share a port, then planning fails naming both', () => {
    expect(() => planServices({ API_PORT: '8080' })).toThrow(
      /GATEWAY_PORT and API_PORT are both 8080/,
    );
  });

  it('when Google is configured, then DEV_IDP_PORT may equal another port (no dev-idp runs)', () => {
    const plan = planServices({ GOOGLE_CLIENT_ID: 'real', DEV_IDP_PORT: '4001' });

    expect(plan.services.map((s) => s.env.PORT)).toEqual(['4001', '4002', '8080']);
    expect(plan.devIdpIssuer).toBeUndefined();
  });

  it('when the gateway is moved and METRICS_PORT is unset, then metrics move with it; a set METRICS_PORT wins', () => {
    const moved = planServices({ GATEWAY_PORT: '28080' });
    expect(moved.ports.metrics).toBe(29080);
    expect(envOf(moved.services, 'gateway').METRICS_PORT).toBe('29080');
    expect(envOf(planServices({ METRICS_PORT: '9999' }).services, 'gateway').METRICS_PORT).toBe(
      '9999',
    );
    expect(envOf(planServices({ METRICS_PORT: '0' }).services, 'gateway').METRICS_PORT).toBe('0');
  });

  it('when METRICS_PORT equals another port, then planning fails naming the variables the user set', () => {
    expect(() => planServices({ METRICS_PORT: '4001' })).toThrow(
      /AUTH_PORT and METRICS_PORT are both 4001/,
    );
    expect(() => planServices({ GATEWAY_PORT: '9080', METRICS_PORT: '9080' })).toThrow(
      /GATEWAY_PORT and METRICS_PORT are both 9080/,
    );
  });

  it('when PUBLIC_URL has no scheme, then one problem names PUBLIC_URL with the fix, not the variables derived from it', () => {
    const problems = planProblems({ PUBLIC_URL: 'localhost:28180' });

    expect(problems).toEqual([
      expect.stringMatching(/^PUBLIC_URL .*"localhost:28180".*PUBLIC_URL=http:\/\/localhost:28180/),
    ]);
    expect(problems.join('\n')).not.toMatch(/JWT_ISSUER|DEV_IDP_REDIRECT_URIS/);
  });

  it('when a local PUBLIC_URL names another port than GATEWAY_PORT, then planning fails with the matching PUBLIC_URL', () => {
    const problems = planProblems({ PUBLIC_URL: 'http://localhost:8080', GATEWAY_PORT: '28080' });

    expect(problems).toEqual([
      expect.stringMatching(/GATEWAY_PORT=28080.*PUBLIC_URL=http:\/\/localhost:28080/),
    ]);
  });

  it('when PUBLIC_URL is a public host, then its port may differ from the gateway (a proxy in front)', () => {
    const plan = planServices({ PUBLIC_URL: 'https://app.example.com', GATEWAY_PORT: '28080' });

    expect(plan.publicUrl).toBe('https://app.example.com');
    expect(plan.gatewayUrl).toBe('http://localhost:28080');
  });

  it('when PUBLIC_URL uses 127.0.0.1, then the runner polls and prints that host, not localhost', () => {
    const plan = planServices({ PUBLIC_URL: 'http://127.0.0.1:8080' });

    expect(plan.gatewayUrl).toBe('http://127.0.0.1:8080');
    expect(envOf(plan.services, 'dev-idp').DEV_IDP_REDIRECT_URIS).toBe(
      'http://127.0.0.1:8080/auth/connect/google/callback',
    );
  });

  it('when NODE_ENV is misspelt, then it is one problem for all services, naming the valid values', () => {
    expect(planProblems({ NODE_ENV: 'prodution' })).toEqual([
      'NODE_ENV must be one of development, test, production (got "prodution"); unset it for development',
    ]);
  });

  it('when NODE_ENV=production has no Google client, then planning refuses before the dev-idp starts', () => {
    for (const env of [{}, { GOOGLE_CLIENT_ID: 'gatehouse-dev' }] as Record<string, string>[]) {
      const problems = planProblems({ NODE_ENV: 'production', ...env });
      expect(problems).toEqual([
        expect.stringMatching(/^NODE_ENV=production needs a real Google client.*GOOGLE_CLIENT_ID/),
      ]);
    }
    expect(planServices({ NODE_ENV: 'production', GOOGLE_CLIENT_ID: 'x' }).devMode).toBe(false);
  });

  it('when several variables are wrong, then every problem is listed at once', () => {
    const problems = planProblems({ NODE_ENV: 'prod', PUBLIC_URL: 'ftp://x', API_PORT: 'x' });

    expect(problems.map((p) => p.split(' ')[0])).toEqual(['API_PORT', 'PUBLIC_URL', 'NODE_ENV']);
  });
});

function planProblems(env: Record<string, string>): readonly string[] {
  try {
    planServices(env);
  } catch (error) {
    if (error instanceof PlanError) return error.problems;
    throw error;
  }
  throw new Error('planning succeeded');
}
