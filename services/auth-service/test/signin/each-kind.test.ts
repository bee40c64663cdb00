import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CONTOSO_TENANT,
  FABRIKAM_TENANT,
  startFakeEntra,
  type FakeEntra,
} from '../../../../test/support/fake-entra.js';
import { startFakeGitHub, type FakeGitHub } from '../../../../test/support/fake-github.js';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import {
  request,
  startFakeGoogle,
  startTestAuthService,
  type TestAuthService,
} from '../support/test-app.js';
import { signInWith } from '../support/provider-sign-in.js';

let google: FakeGoogle;
let github: FakeGitHub;
let entra: FakeEntra;

beforeAll(async () => {
  google = await startFakeGoogle();
  github = await startFakeGitHub();
  entra = await startFakeEntra({ origin: 'https://login.microsoftonline.com' });
});
afterAll(async () => {
  await google.close();
  await github.close();
  await entra.close();
});
beforeEach(() => {
  google.reset();
  github.reset();
  entra.reset();
});

function env(extra: Record<string, string> = {}) {
  return {
    PROVIDERS: 'google,github,entra',
    GITHUB_ISSUER: github.url,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_CLIENT_ID: github.clientId,
    GITHUB_CLIENT_SECRET: github.clientSecret,
    GITHUB_ROLE_MAP: 'gatehouse-dev/platform:platform',
    ENTRA_KIND: 'microsoft',
    ENTRA_NAME: 'Contoso staff',
    ENTRA_ISSUER: 'https://login.microsoftonline.com/organizations/v2.0',
    ENTRA_TENANTS: CONTOSO_TENANT,
    ENTRA_BACKCHANNEL_URL: entra.url,
    ENTRA_CLIENT_ID: entra.clientId,
    ENTRA_CLIENT_SECRET: entra.clientSecret,
    ...extra,
  };
}

describe('sign-in with each kind through the auth-service', () => {
  let service: TestAuthService;
  beforeAll(async () => {
    service = await startTestAuthService(google, env());
  });
  const agent = () => request.agent(service.app.callback());

  it('when a GitHub user with a verified primary email signs in, then they are admitted by its domain, keyed by their numeric id, with team roles', async () => {
    const browser = agent();
    const callback = await signInWith(browser, github, 'github');
    expect(callback.status).toBe(302);
    expect(github.lastAuthorization?.get('scope')).toBe('read:user user:email read:org');
    expect(github.lastAuthorization?.get('code_challenge_method')).toBe('S256');
    const session = (await browser.get('/auth/session').expect(200)).body;
    expect(session).toMatchObject({
      email: 'octo@example.com',
      provider: 'github',
      roles: ['platform'],
    });
    expect((await service.directory.findByIdentity('github', '5834231'))?.id).toBe(session.sub);
  });

  it('when an Entra user of an admitted tenant has a verified email (xms_edov), then they sign in as tid:oid', async () => {
    entra.nextLogin({ oid: 'e-1', email: 'eve@example.com', xms_edov: true });
    const browser = agent();
    expect((await signInWith(browser, entra, 'entra')).status).toBe(302);
    const session = (await browser.get('/auth/session').expect(200)).body;
    expect(session).toMatchObject({ email: 'eve@example.com', provider: 'entra' });
    expect((await service.directory.findByIdentity('entra', `${CONTOSO_TENANT}:e-1`))?.id).toBe(
      session.sub,
    );
  });

  it("when an Entra account asserts a Google user's email without Microsoft verifying it (nOAuth), then it is refused and nothing is linked", async () => {
    google.nextLogin({ sub: 'g-victim', email: 'victim@example.com' });
    expect((await signInWith(agent(), google, 'google')).status).toBe(302);
    entra.nextLogin({ oid: 'attacker', email: 'victim@example.com' });
    const attempt = await signInWith(agent(), entra, 'entra');
    expect(attempt.status).toBe(403);
    expect(attempt.body.error_description).toContain('(email_not_verified)');
    expect(await service.directory.findByIdentity('entra', `${CONTOSO_TENANT}:attacker`)).toBe(
      undefined,
    );
  });

  it('when an Entra user comes from a tenant not in <ID>_TENANTS, then 403 (tenant)', async () => {
    entra.nextLogin({ tid: FABRIKAM_TENANT, oid: 'f-1', email: 'f@example.com', xms_edov: true });
    const attempt = await signInWith(agent(), entra, 'entra');
    expect(attempt.status).toBe(403);
    expect(attempt.body.error_description).toContain('(tenant)');
  });

  it('when the GitHub primary email is not verified, then a first sign-in is refused', async () => {
    github.nextLogin({ id: 4242, login: 'newcomer' });
    github.misbehave({ unverifiedPrimaryEmail: true });
    const attempt = await signInWith(agent(), github, 'github');
    expect(attempt.status).toBe(403);
    expect(attempt.body.error_description).toContain('(email_not_verified)');
  });

  it('when the choice page is shown, then it names each provider by its label', async () => {
    const page = await request(service.app.callback()).get('/auth/login').expect(200);
    expect(page.text).toContain('Sign in with Google');
    expect(page.text).toContain('Sign in with GitHub');
    expect(page.text).toContain('Sign in with Contoso staff');
  });
});

describe('GitHub organisations as admission', () => {
  it('when GITHUB_ORGS names an organisation the user is not in, then 403 (org)', async () => {
    const service = await startTestAuthService(google, env({ GITHUB_ORGS: 'acme' }));
    const attempt = await signInWith(request.agent(service.app.callback()), github, 'github');
    expect(attempt.status).toBe(403);
    expect(attempt.body.error_description).toContain('(org)');
  });
});
