import { describe, expect, it } from '@jest/globals';
import { planServices, type PlannedService } from '../scripts/lib/plan.mjs';

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
});
