import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import {
  startFakeWorkspaceDirectory,
  type FakeWorkspaceDirectory,
} from '../../../../test/support/fake-workspace-directory.js';
import { CLI_CLIENT_ID } from '../../src/oauth/clients/cli-client.js';
import {
  request,
  startFakeGoogle,
  startTestAuthService,
  type TestAuthService,
} from '../support/test-app.js';
import { deviceTokens, signInWith } from '../support/provider-sign-in.js';

const ADMIN = 'admin@example.com';
let google: FakeGoogle;
let okta: FakeGoogle;
let workspace: FakeWorkspaceDirectory;

beforeAll(async () => {
  google = await startFakeGoogle();
  okta = await startFakeGoogle({ clientId: 'okta-client', clientSecret: 'okta-secret' });
  workspace = await startFakeWorkspaceDirectory({ adminEmail: ADMIN });
});
afterAll(async () => {
  await google.close();
  await okta.close();
  await workspace.close();
});
beforeEach(() => {
  google.reset();
  okta.reset();
});

describe('provider groups and claims as roles', () => {
  it("when an OpenID provider's groups claim maps to a role, then the user has it beside their directory roles, and loses it at the next sign-in without the group", async () => {
    const service = await startTestAuthService(google, {
      PROVIDERS: 'google,okta',
      OKTA_ISSUER: okta.issuer,
      OKTA_CLIENT_ID: okta.clientId,
      OKTA_CLIENT_SECRET: okta.clientSecret,
      OKTA_ROLES_CLAIM: 'groups',
      OKTA_ROLE_MAP: 'eng-admins:admin,analysts:analyst,analysts:viewer',
    });
    await service.directory.preRegister('rae@example.com', ['auditor'], Date.now());
    okta.nextLogin({
      sub: 'o-rae',
      email: 'rae@example.com',
      claims: { groups: ['analysts', 'other'] },
    });
    const browser = request.agent(service.app.callback());
    expect((await signInWith(browser, okta, 'okta')).status).toBe(302);
    expect((await browser.get('/auth/session').expect(200)).body.roles).toEqual([
      'analyst',
      'auditor',
      'viewer',
    ]);
    const user = await service.directory.findByIdentity('okta', 'o-rae');
    expect(user?.directoryRoles).toEqual(['auditor']);

    okta.nextLogin({ sub: 'o-rae', email: 'rae@example.com', claims: { groups: ['other'] } });
    const again = request.agent(service.app.callback());
    expect((await signInWith(again, okta, 'okta')).status).toBe(302);
    expect((await again.get('/auth/session').expect(200)).body.roles).toEqual(['auditor']);
  });

  it('when a role map is set but the claim is not, then groups map to nothing', async () => {
    const service = await startTestAuthService(google, {
      PROVIDERS: 'okta',
      OKTA_ISSUER: okta.issuer,
      OKTA_CLIENT_ID: okta.clientId,
      OKTA_CLIENT_SECRET: okta.clientSecret,
      OKTA_ROLE_MAP: 'eng-admins:admin',
    });
    okta.nextLogin({
      sub: 'o-no-claim',
      email: 'nc@example.com',
      claims: { groups: ['eng-admins'] },
    });
    const browser = request.agent(service.app.callback());
    expect((await signInWith(browser, okta, 'okta')).status).toBe(302);
    expect((await browser.get('/auth/session').expect(200)).body.roles).toEqual([]);
  });

  describe('Google Workspace groups through the Directory API', () => {
    let service: TestAuthService;
    beforeAll(async () => {
      service = await startTestAuthService(google, {
        GOOGLE_GROUPS_SERVICE_ACCOUNT_FILE: await workspace.writeKeyFile(),
        GOOGLE_GROUPS_ADMIN_EMAIL: ADMIN,
        GOOGLE_GROUPS_DIRECTORY_URL: workspace.url,
        GOOGLE_ROLE_MAP: 'analysts@example.com:analyst',
      });
    });

    it('when the Google account has no hd (a consumer account with a Workspace address), then no Workspace group is read for it', async () => {
      workspace.setGroups('consumer@example.com', ['analysts@example.com']);
      google.nextLogin({ sub: 'g-consumer', email: 'consumer@example.com', hd: undefined });
      await service.directory.preRegister('consumer@example.com', [], Date.now());
      const browser = request.agent(service.app.callback());
      expect((await signInWith(browser, google, 'google')).status).toBe(302);
      expect((await browser.get('/auth/session').expect(200)).body.roles).toEqual([]);
    });

    it('when the Directory API is down at sign-in, then the sign-in works and maps no Workspace role', async () => {
      workspace.setGroups('down@example.com', ['analysts@example.com']);
      workspace.misbehave({ down: true });
      google.nextLogin({ sub: 'g-down', email: 'down@example.com', hd: 'example.com' });
      const browser = request.agent(service.app.callback());
      try {
        expect((await signInWith(browser, google, 'google')).status).toBe(302);
      } finally {
        workspace.misbehave({ down: false });
      }
      expect((await browser.get('/auth/session').expect(200)).body.roles).toEqual([]);
      expect(service.logs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ provider: 'google', code: 'unavailable' }),
        ]),
      );
    });

    // Last: it moves the service's clock past what the fake Google's id_tokens allow.
    it('when the user is in a mapped group, then sign-in gives the role; when the group is lost at the provider, then the next refresh loses it', async () => {
      workspace.setGroups('wes@example.com', ['Analysts@example.com', 'all@example.com']);
      google.nextLogin({ sub: 'g-wes', email: 'wes@example.com', hd: 'example.com' });
      const browser = request.agent(service.app.callback());
      expect((await signInWith(browser, google, 'google')).status).toBe(302);
      expect((await browser.get('/auth/session').expect(200)).body.roles).toEqual(['analyst']);
      const tokens = await deviceTokens(service, browser);
      const userId = (await service.directory.findByIdentity('google', 'g-wes'))!.id;

      workspace.setGroups('wes@example.com', ['all@example.com']);
      // Past the re-read cache's freshness (5 minutes).
      service.advance(6 * 60_000);
      const refreshed = await request(service.app.callback())
        .post('/auth/token')
        .type('form')
        .send({
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: CLI_CLIENT_ID,
        })
        .expect(200);
      expect(refreshed.body.access_token).toEqual(expect.any(String));
      expect((await service.directory.findById(userId))!.roles).toEqual([]);
    });
  });
});
