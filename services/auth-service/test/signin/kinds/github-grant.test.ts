import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import grantModule from 'grant';
import Koa from 'koa';
import session from 'koa-session';
import request from 'supertest';
import { startFakeGitHub, type FakeGitHub } from '../../../../../test/support/fake-github.js';
import { GRANT_PREFIX } from '../../../src/http/endpoints.js';
import { githubKind } from '../../../src/signin/kinds/github-kind.js';
import type { ProviderSettings } from '../../../src/signin/kinds/provider-kind.js';
import { tokenEndpointRefusal } from '../../../src/signin/provider-refusal.js';

// grant is CommonJS; its typings describe the handlers on the default export.
const grant = grantModule.default;

const REDIRECT_URI = `http://localhost:8080${GRANT_PREFIX}/github/callback`;

let github: FakeGitHub;
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.close());
beforeEach(() => github.reset());

/**
 * The service's grant set-up (sign-in-routes.ts, grant-config.ts) for a `github` provider:
 * state, nonce and PKCE on, transport session, response ['tokens'], client_secret_post, behind
 * koa-session with a server-side store. The last middleware shows what grant left in the
 * session, as complete-sign-in.ts reads it.
 */
function grantApp(provider: Record<string, unknown> = {}, requestOptions: object = {}): Koa {
  const settings = { orgs: ['gatehouse-dev'], roleMap: new Map() } as unknown as ProviderSettings;
  const app = new Koa();
  app.keys = ['github-grant-test-key-0123456789abcdef'];
  const store = new Map<string, unknown>();
  app.use(
    session(
      {
        key: 'gatehouse_session',
        path: '/auth',
        httpOnly: true,
        sameSite: 'lax',
        signed: true,
        store: {
          get: (key: string) => store.get(key),
          set: (key: string, value: unknown) => void store.set(key, value),
          destroy: (key: string) => void store.delete(key),
        },
      } as Parameters<typeof session>[0],
      app,
    ),
  );
  app.use(
    grant.koa()({
      config: {
        defaults: {
          prefix: GRANT_PREFIX,
          transport: 'session',
          state: true,
          nonce: true,
          pkce: true,
        },
        github: {
          authorize_url: `${github.url}/login/oauth/authorize`,
          access_url: `${github.url}/login/oauth/access_token`,
          oauth: 2,
          key: github.clientId,
          secret: github.clientSecret,
          scope: githubKind.scopes(settings),
          redirect_uri: REDIRECT_URI,
          response: ['tokens'],
          token_endpoint_auth_method: 'client_secret_post',
          ...provider,
        },
      },
      request: { timeout: 2000, ...requestOptions },
    }) as Koa.Middleware,
  );
  app.use((ctx) => {
    const pending = (ctx.session as { grant?: { response?: unknown; nonce?: unknown } }).grant;
    ctx.body = { response: pending?.response ?? null, nonce: pending?.nonce ?? null };
  });
  return app;
}

/** One browser through grant and the fake GitHub; what grant left in the session. */
async function signIn(app: Koa) {
  const agent = request.agent(app.callback());
  const connect = await agent.get(`${GRANT_PREFIX}/github`);
  expect(connect.status).toBe(302);
  const authorization = new URL(connect.headers.location as string);
  const callback = new URL(await github.authorize(authorization.href));
  const done = await agent.get(`${callback.pathname}${callback.search}`);
  expect(done.status).toBe(200);
  return {
    authorization: authorization.searchParams,
    session: done.body as { response: Record<string, unknown> | null; nonce: unknown },
    tokenRequest: github.requests.find((seen) => seen.method === 'POST'),
  };
}

describe('grant against a GitHub-like token endpoint', () => {
  it('when GitHub answers form-encoded (grant asks no JSON), then grant hands over the access token', async () => {
    const { session, tokenRequest } = await signIn(grantApp());
    expect(tokenRequest?.headers.accept).toBeUndefined();
    expect(session.response).toEqual({ access_token: expect.stringMatching(/^gho_/) });
  });

  it('when grant is told to accept JSON, then GitHub answers JSON and the result is the same', async () => {
    const { session, tokenRequest } = await signIn(
      grantApp({}, { headers: { accept: 'application/json' } }),
    );
    expect(tokenRequest?.headers.accept).toBe('application/json');
    expect(session.response).toEqual({ access_token: expect.stringMatching(/^gho_/) });
  });

  it('when the code is exchanged, then the secret is posted and the PKCE verifier matches (S256)', async () => {
    const { authorization, session, tokenRequest } = await signIn(grantApp());
    expect(authorization.get('code_challenge_method')).toBe('S256');
    expect(authorization.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorization.get('state')).toMatch(/^[0-9a-f]{40}$/);
    expect(tokenRequest?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(tokenRequest?.headers.authorization).toBeUndefined();
    // The fake refuses a wrong or missing verifier, so a token proves PKCE went through.
    expect(typeof session.response?.access_token).toBe('string');
  });

  it('when nonce is on for GitHub (no OpenID), then the nonce is sent, ignored, and breaks nothing', async () => {
    const { authorization, session } = await signIn(grantApp());
    expect(authorization.get('nonce')).toMatch(/^[0-9a-f]{40}$/);
    // Kept in the session for the callback's pending-nonce check; no id_token to compare it with.
    expect(session.nonce).toBe(authorization.get('nonce'));
    expect(session.response).not.toHaveProperty('id_token');
    expect(session.response).not.toHaveProperty('error');
  });

  it('when the grant provider is named github, then grant joins the scopes with commas unless told otherwise', async () => {
    const commas = await signIn(grantApp());
    expect(commas.authorization.get('scope')).toBe('read:user,user:email,read:org');
    github.reset();
    const spaces = await signIn(grantApp({ scope_delimiter: ' ' }));
    expect(spaces.authorization.get('scope')).toBe('read:user user:email read:org');
  });

  it('when GitHub refuses the code (200 with an error), then grant hands over the error word as a string, beside its description', async () => {
    github.misbehave({ tokenError: 'bad_verification_code' });
    const { session } = await signIn(grantApp());
    expect(session.response).toEqual({
      error: 'bad_verification_code',
      error_description: expect.any(String),
      error_uri: expect.any(String),
    });
    // What complete-sign-in.ts makes of it: the browser's doing, start again (not a 502).
    const refusal = tokenEndpointRefusal(session.response?.error);
    expect([refusal.status, refusal.code, refusal.reason]).toEqual([
      400,
      'invalid_grant',
      'bad_verification_code',
    ]);
  });

  it('when GitHub answers without an access_token, then grant hands over an empty response', async () => {
    github.misbehave({
      answers: {
        token: {
          status: 200,
          type: 'application/x-www-form-urlencoded',
          body: 'access_token=&scope=',
        },
      },
    });
    const { session } = await signIn(grantApp());
    expect(session.response).toEqual({});
  });
});
