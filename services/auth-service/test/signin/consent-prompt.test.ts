import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import { buildGrantConfig } from '../../src/signin/grant-config.js';
import {
  request,
  startFakeGoogle,
  startTestAuthService,
  type TestAuthService,
} from '../support/test-app.js';

let google: FakeGoogle;
let okta: FakeGoogle;

beforeAll(async () => {
  google = await startFakeGoogle();
  okta = await startFakeGoogle({ clientId: 'okta-client', clientSecret: 'okta-secret' });
});
afterAll(async () => {
  await google.close();
  await okta.close();
});

function start(env: Record<string, string> = {}): Promise<TestAuthService> {
  return startTestAuthService(google, {
    PROVIDERS: 'google,okta',
    OKTA_ISSUER: okta.issuer,
    OKTA_CLIENT_ID: okta.clientId,
    OKTA_CLIENT_SECRET: okta.clientSecret,
    ...env,
  });
}

/** The authorization request the browser is sent to for `provider`. */
async function authorizationRequest(service: TestAuthService, provider: string) {
  const browser = request.agent(service.app.callback());
  await browser.get(`/auth/login?provider=${provider}`).expect(302);
  const connect = await browser.get(`/auth/connect/${provider}`).expect(302);
  return new URL(connect.headers.location!).searchParams;
}

describe('prompt=consent with offline_access (OpenID Core 11)', () => {
  it('when an oidc provider reads groups again at refresh, then its authorization request asks offline_access with prompt=consent', async () => {
    const service = await start({ OKTA_ROLES_CLAIM: 'groups', OKTA_ROLE_MAP: 'eng:admin' });
    const params = await authorizationRequest(service, 'okta');
    expect(params.get('scope')!.split(' ')).toContain('offline_access');
    expect(params.get('prompt')).toBe('consent');
  });

  it('when an oidc provider has no role map, or the provider is google, then neither offline_access nor a prompt is asked', async () => {
    const service = await start({ OKTA_ROLES_CLAIM: 'groups' });
    for (const provider of ['okta', 'google']) {
      const params = await authorizationRequest(service, provider);
      expect(params.get('scope')).toBe('openid email profile');
      expect(params.get('prompt')).toBeNull();
    }
  });

  it('when grant is configured with promptConsent, then prompt=consent is its only custom parameter', () => {
    const options = {
      id: 'okta',
      endpoints: {
        issuer: 'https://op.example',
        authorizationEndpoint: 'https://op.example/authorize',
        tokenEndpoint: 'https://op.example/token',
        jwksUri: 'https://op.example/jwks',
        userinfoEndpoint: undefined,
        idTokenSigningAlgs: [],
      },
      clientId: 'client',
      clientSecret: 'secret',
      scope: ['openid', 'offline_access'],
      redirectUri: 'http://localhost:8080/auth/connect/okta/callback',
    };
    expect(buildGrantConfig({ ...options, promptConsent: true }).okta).toMatchObject({
      custom_params: { prompt: 'consent' },
    });
    expect(buildGrantConfig(options).okta).not.toHaveProperty('custom_params');
  });
});
