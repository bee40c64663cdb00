import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeGitHub } from '../../../../test/support/fake-github.js';
import { startFakeGitHub } from '../../../../test/support/fake-github.js';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import { FRESH_MS, MAX_STALE_MS } from '../../src/signin/roles/reread-roles.js';
import {
  request,
  SESSION_KEY,
  startFakeGoogle,
  startTestAuthService,
  type TestAuthService,
} from '../support/test-app.js';
import { cliSession, signInWith } from '../support/provider-sign-in.js';

const SAME_ORIGIN = { Origin: 'http://localhost:8080' };
const NEW_SESSION_KEY = 'rotated-session-key-0123456789abcdef-012';
/** The service's and the providers' clocks move together (id_tokens are checked for age). */
const clock = { offset: 0 };
const now = () => Date.now() + clock.offset;
let google: FakeGoogle;
let okta: FakeGoogle;
let github: FakeGitHub;

beforeAll(async () => {
  google = await startFakeGoogle({ now });
  okta = await startFakeGoogle({ clientId: 'okta-client', clientSecret: 'okta-secret', now });
  github = await startFakeGitHub();
});
afterAll(async () => {
  await google.close();
  await okta.close();
  await github.close();
});
beforeEach(() => {
  okta.reset();
  github.reset();
});

const OKTA = {
  PROVIDERS: 'okta',
  OKTA_CLIENT_ID: 'okta-client',
  OKTA_CLIENT_SECRET: 'okta-secret',
  OKTA_ROLES_CLAIM: 'groups',
  OKTA_ROLE_MAP: 'eng-admins:admin,analysts:analyst',
};

/** An auth-service whose clock starts where earlier tests left the providers' clock. */
async function start(env: Record<string, string>): Promise<TestAuthService> {
  const service = await startTestAuthService(google, env);
  service.advance(clock.offset);
  return service;
}

function startWithOkta(env: Record<string, string> = {}): Promise<TestAuthService> {
  return start({ ...OKTA, OKTA_ISSUER: okta.issuer, ...env });
}

function advance(service: TestAuthService, ms: number): void {
  service.advance(ms);
  clock.offset += ms;
}

/** Signs in with okta as `sub` in `groups`, then gets a CLI refresh token through the device flow. */
async function signedInCli(service: TestAuthService, sub: string, groups: string[]) {
  okta.nextLogin({ sub, email: `${sub}@example.com`, claims: { groups } });
  const browser = request.agent(service.app.callback());
  expect((await signInWith(browser, okta, 'okta')).status).toBe(302);
  return cliSession(service, browser, 'okta', sub);
}

/** The raw `identities` row's sealed credential, read from the database file. */
function storedCredential(service: TestAuthService, provider: string, subject: string) {
  const db = new DatabaseSync(join(service.config.dataDir, 'gatehouse.sqlite'), { readOnly: true });
  try {
    const row = db
      .prepare('SELECT provider_credential FROM identities WHERE provider = ? AND subject = ?')
      .get(provider, subject);
    return row?.provider_credential ?? null;
  } finally {
    db.close();
  }
}

const tokenRequests = (idp: FakeGoogle) => idp.requests.filter((path) => path === '/token').length;

describe('provider groups read again at refresh with the kept credential', () => {
  it('when a group is removed at an OpenID provider, then the next refresh past freshness loses its role, and refreshes within freshness do not ask the provider', async () => {
    const service = await startWithOkta();
    const cli = await signedInCli(service, 'o-ada', ['eng-admins', 'analysts']);
    expect((await service.directory.findById(cli.userId))!.roles).toEqual(['admin', 'analyst']);
    okta.setClaims('o-ada', { groups: ['analysts'] });

    const asked = tokenRequests(okta);
    expect(await cli.refresh()).toEqual(['analyst']);
    expect(tokenRequests(okta)).toBe(asked + 1);
    okta.setClaims('o-ada', { groups: [] });
    expect(await cli.refresh()).toEqual(['analyst']);
    expect(tokenRequests(okta)).toBe(asked + 1);

    advance(service, FRESH_MS + 1000);
    expect(await cli.refresh()).toEqual([]);
    // The rotated refresh token was kept: the provider accepts the next one too.
    okta.setClaims('o-ada', { groups: ['eng-admins'] });
    advance(service, FRESH_MS + 1000);
    expect(await cli.refresh()).toEqual(['admin']);
  });

  it('when the provider refuses the kept refresh token, then the roles are dropped and the credential cleared', async () => {
    const service = await startWithOkta();
    const cli = await signedInCli(service, 'o-rev', ['eng-admins']);
    okta.revokeRefreshTokens('o-rev');
    expect(await cli.refresh()).toEqual([]);
    expect(await service.directory.providerCredential('okta', 'o-rev')).toBeNull();
    expect(service.logs).toEqual(
      expect.arrayContaining([expect.objectContaining({ sub: 'o-rev', code: 'invalid_grant' })]),
    );
    // Nothing left to ask with: the roles stay dropped until the next sign-in.
    advance(service, FRESH_MS + 1000);
    expect(await cli.refresh()).toEqual([]);
  });

  it('when the provider is down, then the roles are kept within the staleness bound and dropped past it', async () => {
    const service = await startWithOkta();
    const cli = await signedInCli(service, 'o-down', ['analysts']);
    expect(await cli.refresh()).toEqual(['analyst']);
    okta.misbehave({ down: true });
    try {
      advance(service, FRESH_MS + 1000);
      expect(await cli.refresh()).toEqual(['analyst']);
      advance(service, MAX_STALE_MS - FRESH_MS);
      expect(await cli.refresh()).toEqual([]);
    } finally {
      okta.misbehave({ down: false });
    }
    // The credential is kept through an outage: once the provider is back, so are the roles.
    advance(service, FRESH_MS + 1000);
    expect(await cli.refresh()).toEqual(['analyst']);
  });

  it('when the refreshed id_token names another subject, then it is refused and the roles dropped', async () => {
    const service = await startWithOkta();
    const cli = await signedInCli(service, 'o-sub', ['eng-admins']);
    okta.misbehave({ refreshSub: 'o-someone-else' });
    expect(await cli.refresh()).toEqual([]);
    expect(service.logs).toEqual(
      expect.arrayContaining([expect.objectContaining({ sub: 'o-sub', code: 'sub' })]),
    );
    expect(await service.directory.providerCredential('okta', 'o-sub')).toBeNull();
  });

  it('when the refresh answers no id_token, then the groups are unknown and the roles dropped', async () => {
    const service = await startWithOkta();
    const cli = await signedInCli(service, 'o-noid', ['eng-admins']);
    okta.misbehave({ refreshWithoutIdToken: true });
    expect(await cli.refresh()).toEqual([]);
    expect(service.logs).toEqual(
      expect.arrayContaining([expect.objectContaining({ sub: 'o-noid', code: 'no_id_token' })]),
    );
  });

  it('when the sign-in brings no refresh token, then a warning says so and the claim roles are dropped at the next refresh', async () => {
    const service = await startWithOkta();
    okta.misbehave({ withholdRefreshToken: true });
    const cli = await signedInCli(service, 'o-none', ['eng-admins']);
    expect((await service.directory.findById(cli.userId))!.roles).toEqual(['admin']);
    expect(await service.directory.providerCredential('okta', 'o-none')).toBeNull();
    expect(service.logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'warn',
          sub: 'o-none',
          msg: expect.stringContaining('gave no credential'),
        }),
      ]),
    );
    expect(await cli.refresh()).toEqual([]);
    expect(service.logs).toEqual(
      expect.arrayContaining([expect.objectContaining({ sub: 'o-none', code: 'no_credential' })]),
    );
  });

  it('when the credential is stored, then the row holds it sealed, and it opens after a session key rotation but not once the old key is dropped', async () => {
    const service = await startWithOkta();
    const cli = await signedInCli(service, 'o-seal', ['eng-admins']);
    const [plain] = okta.refreshTokensOf('o-seal');
    expect(plain).toEqual(expect.stringMatching(/^rt-/));
    const sealed = storedCredential(service, 'okta', 'o-seal');
    expect(sealed).toEqual(expect.stringMatching(/^v1\./));
    expect(sealed).not.toContain(plain);
    expect(service.logs.map((line) => JSON.stringify(line)).join('\n')).not.toContain(plain);

    okta.setClaims('o-seal', { groups: ['analysts'] });
    const rotated = await startWithOkta({
      DATA_DIR: service.config.dataDir,
      SESSION_KEYS: `${NEW_SESSION_KEY},${SESSION_KEY}`,
    });
    expect(await cli.refresh(rotated)).toEqual(['analyst']);

    okta.setClaims('o-seal', { groups: ['eng-admins'] });
    const newOnly = await startWithOkta({
      DATA_DIR: service.config.dataDir,
      SESSION_KEYS: NEW_SESSION_KEY,
    });
    // Sealed under the new key at the rotation above (the provider rotated the token): opens.
    expect(await cli.refresh(newOnly)).toEqual(['admin']);
    const oldOnly = await startWithOkta({ DATA_DIR: service.config.dataDir });
    expect(await cli.refresh(oldOnly)).toEqual([]);
    expect(oldOnly.logs).toEqual(
      expect.arrayContaining([expect.objectContaining({ sub: 'o-seal', code: 'no_credential' })]),
    );
  });

  it('when an OpenID identity is linked from the account page, then its credential is kept and its groups are read again at refresh', async () => {
    const service = await startWithOkta({ PROVIDERS: 'google,okta' });
    google.nextLogin({ sub: 'g-lin', email: 'lin@example.com', hd: 'example.com' });
    const browser = request.agent(service.app.callback());
    expect((await signInWith(browser, google, 'google')).status).toBe(302);
    okta.nextLogin({ sub: 'o-lin', email: 'lin@okta.example', claims: { groups: ['eng-admins'] } });
    const start = await browser
      .post('/auth/account/identities/link')
      .set(SAME_ORIGIN)
      .type('form')
      .send({ provider: 'okta' })
      .expect(303);
    const connect = await browser.get(start.headers.location!).expect(302);
    const callback = new URL(await okta.authorize(connect.headers.location!));
    await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json')
      .expect(302);
    expect(await service.directory.providerCredential('okta', 'o-lin')).toMatch(/^v1\./);

    const cli = await cliSession(service, browser, 'google', 'g-lin');
    expect((await service.directory.findById(cli.userId))!.roles).toEqual(['admin']);
    okta.setClaims('o-lin', { groups: [] });
    expect(await cli.refresh()).toEqual([]);
  });

  it('when a GitHub team is removed, then its role is lost at the next refresh; when the token is revoked, then every GitHub role is', async () => {
    const service = await start({
      PROVIDERS: 'github',
      GITHUB_CLIENT_ID: github.clientId,
      GITHUB_CLIENT_SECRET: github.clientSecret,
      GITHUB_ISSUER: github.url,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_ROLE_MAP: 'gatehouse-dev/platform:deployer,gatehouse-dev:member',
    });
    github.nextLogin({ id: 4242, login: 'octo-ada' });
    const browser = request.agent(service.app.callback());
    expect((await signInWith(browser, github, 'github')).status).toBe(302);
    const cli = await cliSession(service, browser, 'github', '4242');
    expect((await service.directory.findById(cli.userId))!.roles).toEqual(['deployer', 'member']);

    github.changeAccount(4242, { teams: [] });
    expect(await cli.refresh()).toEqual(['member']);
    github.revokeTokens(4242);
    advance(service, FRESH_MS + 1000);
    expect(await cli.refresh()).toEqual([]);
    expect(await service.directory.providerCredential('github', '4242')).toBeNull();
  });
});
