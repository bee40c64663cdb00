import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import { FRESH_MS } from '../../src/signin/roles/reread-roles.js';
import { startNodeOidcProvider, type NodeOidcProvider } from '../support/node-oidc-provider.js';
import {
  request,
  startFakeGoogle,
  startTestAuthService,
  type Agent,
  type TestAuthService,
} from '../support/test-app.js';
import { cliSession } from '../support/provider-sign-in.js';

/**
 * An `oidc` provider (`corp`) that is node-oidc-provider, the certified OpenID Provider, rather
 * than our fakes: sign-in, the groups claim as roles, offline_access, and the re-read of the
 * groups at our refresh by redeeming the kept refresh token at it (rotated on every use).
 *
 * The clock: only `Date` is faked, so the auth-service and the provider (which dates its
 * id_tokens and refresh tokens with Date.now) move together past the re-read's freshness; the
 * id_token age check (5 minutes) then sees what it would in production, a token just issued.
 * Timers and I/O stay real.
 */
const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;
const pastFreshness = () => jest.setSystemTime(Date.now() + FRESH_MS + 1000);

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
  jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: Date.now() });
  service = await startTestAuthService(google, {
    PROVIDERS: 'google,corp',
    CORP_ISSUER: op.issuer,
    CORP_CLIENT_ID: op.clientId,
    CORP_CLIENT_SECRET: op.clientSecret,
    CORP_ROLES_CLAIM: 'groups',
    CORP_ROLE_MAP: 'eng-admins:admin,analysts:analyst',
  });
});
afterEach(() => {
  jest.useRealTimers();
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

const rereadCodes = (sub: string) =>
  service.logs.filter((line) => line.sub === sub && 'code' in line).map((line) => line.code);

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

  it('when the sign-in asks offline_access, then it sends prompt=consent, and the provider grants offline_access at consent and issues a refresh token, kept sealed', async () => {
    op.setAccount('bo', { email: 'bo@example.com', groups: ['analysts'] });
    expect((await signIn(request.agent(service.app.callback()), 'bo')).status).toBe(302);

    const consent = op.interactions.filter((i) => i.prompt === 'consent').at(-1)!;
    // OpenID Core 11: without prompt=consent, the provider ignores offline_access.
    expect(consent.params.prompt).toBe('consent');
    expect(consent.missingOIDCScope).toContain('offline_access');
    expect(op.stored('RefreshToken', 'bo')).toHaveLength(1);
    expect(await service.directory.providerCredential('corp', 'bo')).toMatch(/^v1\./);
  });

  it('when a group is removed at the provider, then the refresh past freshness loses its role, the rotated refresh token is kept, and revoking the grant drops every mapped role', async () => {
    op.setAccount('cy', { email: 'cy@example.com', groups: ['eng-admins', 'analysts'] });
    const browser = request.agent(service.app.callback());
    expect((await signIn(browser, 'cy')).status).toBe(302);
    const cli = await cliSession(service, browser, 'corp', 'cy');
    expect((await service.directory.findById(cli.userId))!.roles).toEqual(['admin', 'analyst']);

    op.setAccount('cy', { email: 'cy@example.com', groups: ['analysts'] });
    pastFreshness();
    expect(await cli.refresh()).toEqual(['analyst']);

    // The provider rotated the refresh token; reusing the old one would revoke the grant.
    op.setAccount('cy', { email: 'cy@example.com', groups: ['analysts', 'eng-admins'] });
    pastFreshness();
    expect(await cli.refresh()).toEqual(['admin', 'analyst']);
    expect(rereadCodes('cy')).toEqual([]);

    await op.revokeGrants('cy');
    pastFreshness();
    expect(await cli.refresh()).toEqual([]);
    expect(rereadCodes('cy')).toEqual(['invalid_grant']);
    expect(await service.directory.providerCredential('corp', 'cy')).toBeNull();
  });
});

describe('an oidc provider that keeps scope claims to userinfo (OpenID Core 5.4)', () => {
  let conforming: NodeOidcProvider;
  beforeAll(async () => {
    // oidc-provider's default: with an access token issued, the id_token carries only the
    // claims of the openid scope (here sub, name and groups); email is at userinfo alone.
    conforming = await startNodeOidcProvider({
      redirectUri: REDIRECT_URI,
      conformIdTokenClaims: true,
    });
  });
  afterAll(async () => {
    await conforming.close();
  });

  it('when the id_token carries no email, then the verified email is read from userinfo and the person is admitted by it', async () => {
    const corp = await startTestAuthService(google, {
      PROVIDERS: 'corp',
      CORP_ISSUER: conforming.issuer,
      CORP_CLIENT_ID: conforming.clientId,
      CORP_CLIENT_SECRET: conforming.clientSecret,
      CORP_ROLES_CLAIM: 'groups',
      CORP_ROLE_MAP: 'eng-admins:admin',
    });
    conforming.setAccount('di', { email: 'Di@Example.com', groups: ['eng-admins'] });
    conforming.nextLogin('di');
    const browser = request.agent(corp.app.callback());
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/corp').expect(302);
    const callback = new URL(await conforming.authorize(connect.headers.location!));
    const res = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json');

    expect(res.status).toBe(302);
    const session = (await browser.get('/auth/session').expect(200)).body;
    expect(session).toMatchObject({ provider: 'corp', email: 'di@example.com', roles: ['admin'] });
  });
});
