import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import { startNodeOidcProvider, type NodeOidcProvider } from '../support/node-oidc-provider.js';
import {
  request,
  startFakeGoogle,
  startTestAuthService,
  type Agent,
  type TestAuthService,
} from '../support/test-app.js';

/**
 * An `oidc` provider (`corp`) that is node-oidc-provider, the certified OpenID Provider, rather
 * than our fakes: sign-in, the groups claim as roles, offline_access, and the re-read of the
 * groups at our refresh by redeeming the kept refresh token at it (rotated on every use).
 */
const REDIRECT_URI = 'http://localhost:8080/auth/connect/corp/callback';
let google: FakeGoogle;
let op: NodeOidcProvider;
let service: TestAuthService;

beforeAll(async () => {
  google = await startFakeGoogle();
  op = await startNodeOidcProvider({ redirectUri: REDIRECT_URI });
});
afterAll(async () => {
  await google.close();
  await op.close();
});
beforeEach(async () => {
  service = await startTestAuthService(google, {
    PROVIDERS: 'google,corp',
    CORP_ISSUER: op.issuer,
    CORP_CLIENT_ID: op.clientId,
    CORP_CLIENT_SECRET: op.clientSecret,
    CORP_ROLES_CLAIM: 'groups',
    CORP_ROLE_MAP: 'eng-admins:admin,analysts:analyst',
  });
});

/** Signs in with corp as `sub`: the callback's response. */
async function signIn(browser: Agent, sub: string) {
  op.nextLogin(sub);
  await browser.get('/auth/login?provider=corp').expect(302);
  const connect = await browser.get('/auth/connect/corp').expect(302);
  const callback = new URL(await op.authorize(connect.headers.location!));
  expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
  return browser.get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json');
}

describe('an oidc provider that is node-oidc-provider', () => {
  it('when a person signs in, then the request carries PKCE S256, state and nonce, and the groups claim maps to roles in the session', async () => {
    op.setAccount('ada', { email: 'ada@example.com', groups: ['eng-admins', 'other'] });
    const browser = request.agent(service.app.callback());

    const callback = await signIn(browser, 'ada');

    expect(callback.status).toBe(302);
    expect(op.interactions.at(-1)!.params).toMatchObject({
      response_type: 'code',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      state: expect.any(String),
      nonce: expect.any(String),
    });
    const session = (await browser.get('/auth/session').expect(200)).body;
    expect(session).toMatchObject({ provider: 'corp', email: 'ada@example.com', roles: ['admin'] });
  });
});
