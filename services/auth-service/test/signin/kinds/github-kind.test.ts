import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubUser,
} from '../../../../../test/support/fake-github.js';
import { MAX_PAGES } from '../../../src/signin/kinds/github-api.js';
import { githubApiUrl } from '../../../src/signin/kinds/github-endpoints.js';
import { githubKind } from '../../../src/signin/kinds/github-kind.js';
import type { ProviderSettings, TokenResponse } from '../../../src/signin/kinds/provider-kind.js';
import type { SignInError } from '../../../src/signin/sign-in-error.js';
import { providerSettings } from '../../support/provider-settings.js';

let github: FakeGitHub;
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.close());
beforeEach(() => github.reset());

/** A `github` provider pointed at the fake; override per test. */
function settings(overrides: Partial<ProviderSettings> = {}): ProviderSettings {
  return providerSettings({
    id: 'github',
    kind: 'github',
    name: 'GitHub',
    clientId: github.clientId,
    clientSecret: github.clientSecret,
    issuer: github.url,
    apiUrl: github.apiUrl,
    redirectUri: 'http://localhost:8080/auth/connect/github/callback',
    ...overrides,
  });
}

/** Discovery must not touch the network: this fetch fails the test if it is called. */
const noNetwork = (() => {
  throw new Error('github discovery must not fetch');
}) as unknown as typeof fetch;

async function identify(
  response: TokenResponse,
  options: { settings?: ProviderSettings; timeoutMs?: number } = {},
) {
  const provider = options.settings ?? settings();
  const endpoints = await githubKind.discover(provider, {
    fetch: noNetwork,
    signal: AbortSignal.timeout(1000),
  });
  return githubKind.identify(provider, endpoints, {
    fetch,
    now: () => Date.UTC(2026, 0, 1),
    timeoutMs: options.timeoutMs ?? 30_000,
  })(response, 'a-nonce-github-never-sees');
}

/** The identity for the current fake user with a fresh access token. */
const signIn = (options?: Parameters<typeof identify>[1]) =>
  identify({ access_token: github.accessToken() }, options);

/** The SignInError a sign-in fails with. */
async function refusal(attempt: Promise<unknown>): Promise<SignInError> {
  const err = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (err === undefined) throw new Error('the sign-in was expected to fail');
  return err as SignInError;
}

const roleMap = new Map([['gatehouse-dev/platform', ['admin']]]);

describe('github kind: scopes', () => {
  it('when neither orgs nor a role map are configured, then it asks the profile and emails only', () => {
    expect(githubKind.scopes(settings())).toEqual(['read:user', 'user:email']);
  });

  it('when orgs are required, then it also asks read:org', () => {
    expect(githubKind.scopes(settings({ orgs: ['gatehouse-dev'] }))).toEqual([
      'read:user',
      'user:email',
      'read:org',
    ]);
  });

  it('when a role map is configured, then it also asks read:org (orgs and teams feed it)', () => {
    expect(githubKind.scopes(settings({ roleMap }))).toContain('read:org');
  });
});

describe('github kind: endpoints', () => {
  it('when the issuer is github.com, then the endpoints are GitHub’s and nothing is fetched', async () => {
    const endpoints = await githubKind.discover(
      settings({ issuer: 'https://github.com', apiUrl: undefined }),
      { fetch: noNetwork, signal: AbortSignal.timeout(1000) },
    );
    expect(endpoints).toEqual({
      issuer: 'https://github.com',
      authorizationEndpoint: 'https://github.com/login/oauth/authorize',
      tokenEndpoint: 'https://github.com/login/oauth/access_token',
      jwksUri: undefined,
      userinfoEndpoint: undefined,
      idTokenSigningAlgs: [],
    });
  });

  it('when a back channel is set, then only the token endpoint moves to it', async () => {
    const endpoints = await githubKind.discover(
      settings({ issuer: 'http://localhost:4005/', backchannelUrl: 'http://github-fake:4005' }),
      { fetch: noNetwork, signal: AbortSignal.timeout(1000) },
    );
    expect(endpoints.issuer).toBe('http://localhost:4005');
    expect(endpoints.authorizationEndpoint).toBe('http://localhost:4005/login/oauth/authorize');
    expect(endpoints.tokenEndpoint).toBe('http://github-fake:4005/login/oauth/access_token');
  });

  it.each([
    ['https://github.com', undefined, 'https://api.github.com'],
    ['https://github.example.com', undefined, 'https://github.example.com/api/v3'],
    ['https://acme.ghe.com', undefined, 'https://api.acme.ghe.com'],
    ['https://github.com', 'https://api.example.test/', 'https://api.example.test'],
  ])('when the issuer is %s and the API URL %s, then the API is %s', (issuer, apiUrl, expected) => {
    expect(githubApiUrl({ issuer, apiUrl })).toBe(expected);
  });

  it.each([['not a url'], ['ftp://github.example.com'], ['https://github.example.com/some/path']])(
    'when the issuer is %s, then discovery fails as discovery_failed naming it',
    async (issuer) => {
      const err = await refusal(
        githubKind.discover(settings({ issuer }), {
          fetch: noNetwork,
          signal: AbortSignal.timeout(1000),
        }),
      );
      expect(err.code).toBe('discovery_failed');
      expect(err.status).toBe(502);
      expect(err.message).toContain(issuer);
    },
  );
});

describe('github kind: identity', () => {
  it('when GitHub vouches for a verified primary email, then the identity carries it with the numeric id', async () => {
    const token = github.accessToken();
    await expect(identify({ access_token: token })).resolves.toEqual({
      provider: 'github',
      issuer: github.url,
      subject: '5834231',
      email: 'octo@example.com',
      emailVerified: true,
      name: 'Octo Developer',
      picture: 'https://avatars.example.com/u/5834231',
      domain: 'example.com',
      groups: [],
    });
    const user = github.requests.find((request) => request.path === '/user');
    expect(user?.headers).toMatchObject({
      authorization: `Bearer ${token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'gatehouse',
    });
  });

  it('when the primary email is not verified, then email is null and unverified, though a secondary is verified', async () => {
    github.misbehave({ unverifiedPrimaryEmail: true });
    const identity = await signIn();
    expect(identity).toMatchObject({ email: null, emailVerified: false, domain: undefined });
  });

  it('when no address is primary, then a verified secondary one does not count', async () => {
    github.misbehave({ noPrimaryEmail: true });
    const identity = await signIn();
    expect(identity).toMatchObject({ email: null, emailVerified: false, domain: undefined });
  });

  it('when the profile’s public email is set, then it is never taken for the verified one', async () => {
    github.nextLogin({ emails: [] });
    const identity = await signIn();
    expect(identity.email).toBeNull();
    expect(JSON.stringify(identity)).not.toContain('public-profile@unverified.example');
  });

  it('when the login is renamed and taken by someone else, then the subject follows the numeric id', async () => {
    const before = await signIn();
    github.nextLogin({ login: 'octo-renamed' });
    const renamed = await signIn();
    github.nextLogin({ id: 99, login: 'octo-dev', name: 'Someone Else' });
    const newcomer = await signIn();
    expect(renamed.subject).toBe(before.subject);
    expect(newcomer.subject).toBe('99');
  });

  it('when the account has no display name, then the login names it', async () => {
    github.nextLogin({ name: null });
    expect((await signIn()).name).toBe('octo-dev');
  });

  it('when neither orgs nor a role map are configured, then orgs and teams are never asked', async () => {
    await signIn();
    expect(github.requests.map((request) => request.path.split('?')[0])).toEqual([
      '/user',
      '/user/emails',
    ]);
  });
});

describe('github kind: organisations and teams', () => {
  it('when the person belongs to a required org (any case), then they are admitted', async () => {
    const identity = await signIn({ settings: settings({ orgs: ['other', 'GATEHOUSE-dev'] }) });
    expect(identity.subject).toBe('5834231');
    expect(github.requests.some((request) => request.path.startsWith('/user/teams'))).toBe(false);
  });

  it('when the person belongs to none of the required orgs, then access_denied (org) names them', async () => {
    const err = await refusal(signIn({ settings: settings({ orgs: ['Acme', 'initech'] }) }));
    expect(err.code).toBe('access_denied');
    expect(err.status).toBe(403);
    expect(err.reason).toBe('org');
    expect(err.audit).toMatchObject({
      orgs_required: ['Acme', 'initech'],
      github_login: 'octo-dev',
    });
  });

  it('when the person belongs to no org at all, then access_denied (org)', async () => {
    github.misbehave({ noOrgs: true });
    const err = await refusal(signIn({ settings: settings({ orgs: ['gatehouse-dev'] }) }));
    expect(err.code).toBe('access_denied');
    expect(err.reason).toBe('org');
  });

  it('when orgs and teams span several pages, then every page is read into lower-cased groups', async () => {
    const orgs = Array.from({ length: 23 }, (_, i) => `Org-${i}`);
    const teams: FakeGitHubUser['teams'] = orgs.map((org, i) => ({ org, slug: `Team-${i}` }));
    github.nextLogin({ orgs, teams });
    github.misbehave({ pageSize: 10 });
    const identity = await signIn({ settings: settings({ roleMap }) });
    expect(identity.groups).toHaveLength(46);
    expect(identity.groups).toContain('org-0');
    expect(identity.groups).toContain('org-22');
    expect(identity.groups).toContain('org-22/team-22');
    const paths = github.requests.map((request) => request.path);
    expect(paths).toContain('/user/orgs?per_page=100');
    expect(paths).toContain('/user/orgs?per_page=10&page=3');
    expect(paths).toContain('/user/teams?per_page=10&page=3');
  });

  it(`when a list has more than ${MAX_PAGES} pages, then provider_unavailable (pagination)`, async () => {
    github.nextLogin({ orgs: Array.from({ length: MAX_PAGES + 1 }, (_, i) => `org-${i}`) });
    github.misbehave({ pageSize: 1 });
    const err = await refusal(signIn({ settings: settings({ orgs: ['org-10'] }) }));
    expect(err.code).toBe('provider_unavailable');
    expect(err.reason).toBe('pagination');
  });

  it('when a next page is linked outside the API, then the token is not sent there', async () => {
    const elsewhere = await startFakeGitHub();
    try {
      github.misbehave({
        answers: {
          orgs: {
            status: 200,
            body: JSON.stringify([{ login: 'other' }]),
            headers: { link: `<${elsewhere.url}/user/orgs?page=2>; rel="next"` },
          },
        },
      });
      const err = await refusal(signIn({ settings: settings({ orgs: ['gatehouse-dev'] }) }));
      expect(err.code).toBe('provider_unavailable');
      expect(err.reason).toBe('pagination');
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('github kind: failures', () => {
  it.each([
    ['an absent access_token', {}],
    ['an empty access_token', { access_token: '' }],
    ['a non-string access_token', { access_token: 42 }],
  ])(
    'when the token response has %s, then token_exchange_failed (no_access_token)',
    async (_, response) => {
      const err = await refusal(identify(response));
      expect(err.code).toBe('token_exchange_failed');
      expect(err.status).toBe(502);
      expect(err.reason).toBe('no_access_token');
      expect(github.requests).toEqual([]);
    },
  );

  it('when GitHub refuses the token (401), then invalid_grant: start again', async () => {
    github.misbehave({ apiStatus: 401 });
    const token = github.accessToken();
    const err = await refusal(identify({ access_token: token }));
    expect(err.code).toBe('invalid_grant');
    expect(err.status).toBe(400);
    expect(err.reason).toBe('token_refused');
    expect(`${err.message} ${JSON.stringify(err.audit)}`).not.toContain(token);
  });

  it('when the token is unknown to GitHub, then invalid_grant', async () => {
    const err = await refusal(identify({ access_token: 'gho_revoked' }));
    expect(err.code).toBe('invalid_grant');
    expect(err.reason).toBe('token_refused');
  });

  it('when GitHub answers 403 on /user, then invalid_grant', async () => {
    github.misbehave({ answers: { user: { status: 403, body: '{"message":"Forbidden"}' } } });
    const err = await refusal(signIn());
    expect(err.code).toBe('invalid_grant');
    expect(err.reason).toBe('token_refused');
  });

  it('when GitHub rate-limits the sign-in, then provider_unavailable (rate_limited), not the browser’s fault', async () => {
    github.misbehave({ rateLimited: true });
    const err = await refusal(signIn());
    expect(err.code).toBe('provider_unavailable');
    expect(err.status).toBe(502);
    expect(err.reason).toBe('rate_limited');
  });

  it('when the token lacks user:email, then server_error (api_permission) for the operator', async () => {
    const err = await refusal(identify({ access_token: github.accessToken(['read:user']) }));
    expect(err.code).toBe('server_error');
    expect(err.status).toBe(500);
    expect(err.reason).toBe('api_permission');
  });

  it.each([
    ['answers 500', () => github.misbehave({ apiStatus: 500 })],
    ['is down', () => github.misbehave({ down: true })],
    [
      'answers HTML',
      () =>
        github.misbehave({
          answers: { emails: { status: 200, type: 'text/html', body: '<h1>oops</h1>' } },
        }),
    ],
    [
      'answers a list for /user',
      () => github.misbehave({ answers: { user: { status: 200, body: '[]' } } }),
    ],
    [
      'answers an object for /user/emails',
      () => github.misbehave({ answers: { emails: { status: 200, body: '{}' } } }),
    ],
    [
      'redirects',
      () =>
        github.misbehave({
          answers: {
            user: { status: 302, body: '', headers: { location: 'https://example.com/' } },
          },
        }),
    ],
  ])('when GitHub %s, then provider_unavailable (github_api)', async (_, misbehave) => {
    misbehave();
    const token = github.accessToken();
    const err = await refusal(identify({ access_token: token }));
    expect(err.code).toBe('provider_unavailable');
    expect(err.status).toBe(502);
    expect(err.reason).toBe('github_api');
    expect(err.message).not.toContain(token);
  });

  it('when GitHub does not answer in time, then provider_unavailable (github_api)', async () => {
    github.misbehave({ answers: { user: 'hang' } });
    const err = await refusal(signIn({ timeoutMs: 100 }));
    expect(err.code).toBe('provider_unavailable');
    expect(err.reason).toBe('github_api');
  });
});

describe('github kind: GitHub Enterprise Server', () => {
  it('when no API URL is set, then the API is read under the issuer’s /api/v3', async () => {
    const identity = await signIn({ settings: settings({ apiUrl: undefined }) });
    expect(identity.subject).toBe('5834231');
    expect(github.requests[0]?.path).toBe('/api/v3/user');
  });
});
