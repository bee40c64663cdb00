/**
 * An in-process GitHub double for tests: the OAuth web flow (an authorization endpoint that
 * approves at once, a token endpoint answering as GitHub does, fake-github-oauth.ts) and the
 * REST routes the sign-in reads (fake-github-api.ts), on one server. The API is served at the
 * root (configure `<ID>_API_URL` as `apiUrl`) and under `/api/v3`, where a GitHub Enterprise
 * Server has it. It can misbehave per test.
 *
 * @example
 * const github = await startFakeGitHub({ clientId: 'client', clientSecret: 'secret' });
 * github.nextLogin({ id: 42, login: 'ada', orgs: ['Analytical'] });
 * github.misbehave({ unverifiedPrimaryEmail: true }); // lasts until changed or reset()
 * const callbackUrl = await github.authorize(locationFromConnect);
 * await github.close();
 */
import { randomBytes } from 'node:crypto';
import { fakeGitHubApi, sendRaw } from './fake-github-api.js';
import { fakeGitHubOAuth } from './fake-github-oauth.js';
import {
  DEFAULT_GITHUB_USER,
  type FakeGitHub,
  type FakeGitHubRequest,
  type FakeGitHubUser,
  type GitHubMisbehaviour,
  type IssuedGitHubToken,
} from './fake-github-types.js';
import { startLoopbackServer } from './loopback-server.js';

export type {
  FakeGitHub,
  FakeGitHubEmail,
  FakeGitHubRequest,
  FakeGitHubUser,
  GitHubMisbehaviour,
  RawAnswer,
} from './fake-github-types.js';
export { DEFAULT_GITHUB_USER } from './fake-github-types.js';

/** Every scope the sign-in may ask. */
const ALL_SCOPES = ['read:user', 'user:email', 'read:org'];
/** Where a GitHub Enterprise Server serves its REST API. */
const ENTERPRISE_API_PREFIX = '/api/v3';

export async function startFakeGitHub(
  options: { clientId?: string; clientSecret?: string } = {},
): Promise<FakeGitHub> {
  const clientId = options.clientId ?? 'fake-github-client';
  const clientSecret = options.clientSecret ?? 'fake-github-secret';
  let user: FakeGitHubUser = structuredClone(DEFAULT_GITHUB_USER);
  let misbehaviour: GitHubMisbehaviour = {};
  let lastAuthorization: URLSearchParams | undefined;
  const requests: FakeGitHubRequest[] = [];
  const tokens = new Map<string, IssuedGitHubToken>();
  const issue = (granted: IssuedGitHubToken) => {
    const token = `gho_${randomBytes(18).toString('base64url')}`;
    tokens.set(token, { scopes: [...granted.scopes], user: structuredClone(granted.user) });
    return token;
  };

  const oauth = fakeGitHubOAuth({
    clientId,
    clientSecret,
    current: () => ({ user, misbehaviour }),
    issue,
    authorized: (params) => (lastAuthorization = params),
  });
  const api = fakeGitHubApi({ tokens, misbehaviour: () => misbehaviour });

  const { server, url: origin, close } = await startLoopbackServer();

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    requests.push({
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: req.headers,
    });
    if (misbehaviour.down) {
      req.socket.destroy();
      return;
    }
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /login/oauth/authorize') return oauth.authorize(res, url.searchParams);
    if (route === 'POST /login/oauth/access_token') {
      const raw = misbehaviour.answers?.token;
      if (raw) return sendRaw(res, raw);
      oauth.token(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      });
      return;
    }
    const enterprise = url.pathname.startsWith(`${ENTERPRISE_API_PREFIX}/`);
    if (enterprise) url.pathname = url.pathname.slice(ENTERPRISE_API_PREFIX.length);
    api(req, res, url, enterprise ? `${origin}${ENTERPRISE_API_PREFIX}` : origin);
  });

  return {
    url: origin,
    apiUrl: origin,
    clientId,
    clientSecret,
    requests,
    get lastAuthorization() {
      return lastAuthorization;
    },
    nextLogin(next) {
      user = { ...user, ...structuredClone(next) };
    },
    misbehave(next) {
      misbehaviour = { ...misbehaviour, ...next };
    },
    reset() {
      user = structuredClone(DEFAULT_GITHUB_USER);
      misbehaviour = {};
      lastAuthorization = undefined;
      requests.length = 0;
    },
    accessToken: (scopes = ALL_SCOPES) => issue({ scopes, user }),
    changeAccount(id, change) {
      if (user.id === id) user = { ...user, ...structuredClone(change) };
      for (const granted of tokens.values()) {
        if (granted.user.id === id) granted.user = { ...granted.user, ...structuredClone(change) };
      }
    },
    revokeTokens(id) {
      for (const [token, granted] of tokens) if (granted.user.id === id) tokens.delete(token);
    },
    async authorize(authorizationUrl) {
      const published = new URL(authorizationUrl);
      const target = new URL(`${published.pathname}${published.search}`, origin);
      const response = await fetch(target, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) {
        throw new Error(`fake GitHub did not redirect back (${response.status})`);
      }
      return location;
    },
    close,
  };
}
