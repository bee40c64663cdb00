import { describe, expect, it } from '@jest/globals';
import type { Misbehaviour, RawAnswer } from '../../../../test/support/fake-google-types.js';
import { SESSION_COOKIE } from '../../src/sessions/session-middleware.js';
import { useSignInFixture } from '../support/sign-in-fixture.js';
import {
  request,
  setCookie,
  signIn,
  startTestAuthService,
  type Agent,
} from '../support/test-app.js';

/** Provider requests give up quickly, so a hanging endpoint is a timeout within the test. */
const TIMEOUT_MS = 300;
const fixture = useSignInFixture({}, { providerTimeoutMs: TIMEOUT_MS });

const HTML = { status: 200, type: 'text/html', body: '<html><body>Sign in to Wi-Fi</body></html>' };

/** Goes to the provider and back, returning the callback URL the provider redirected to. */
async function toCallback(browser: Agent): Promise<URL> {
  await browser.get('/auth/login').expect(302);
  const connect = await browser.get('/auth/connect/google').expect(302);
  return new URL(await fixture.google.authorize(connect.headers.location!));
}

/** Checks what every refused callback promises: no session, exactly one audit line. */
async function expectRefused(
  browser: Agent,
  callback: { status: number; body: { error: string }; headers: Record<string, unknown> },
  expected: { status: number; error: string; reason: string },
  logs = fixture.service.logs,
) {
  expect({ status: callback.status, error: callback.body.error }).toEqual({
    status: expected.status,
    error: expected.error,
  });
  expect(setCookie(callback, SESSION_COOKIE)).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
  await browser.get('/auth/session').expect(401);
  const audit = logs.filter((line) => line.event === 'sign_in');
  expect(audit).toEqual([
    expect.objectContaining({ decision: 'denied', error: expected.error, reason: expected.reason }),
  ]);
}

describe('a code the token endpoint refuses is the browser’s problem', () => {
  it('when the code in the callback was altered, then 400 invalid_grant, audited, never 502', async () => {
    const browser = fixture.agent();
    const callback = await toCallback(browser);
    callback.searchParams.set('code', `${callback.searchParams.get('code')}x`);
    const res = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json');
    await expectRefused(browser, res, {
      status: 400,
      error: 'invalid_grant',
      reason: 'invalid_grant',
    });
    expect(res.body.error_description).toMatch(/start again/);
  });

  it.each(['invalid_client', 'unauthorized_client', 'server_error', 'invalid_request'])(
    'when a visitor edits their own callback to carry error=%s, then a 4xx and no error-level log line',
    async (word) => {
      const browser = fixture.agent();
      const callback = await toCallback(browser);
      callback.searchParams.delete('code');
      callback.searchParams.set('error', word);
      const res = await browser
        .get(`${callback.pathname}${callback.search}`)
        .set('Accept', 'application/json');
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('provider_error');
      expect(res.body.error_description).not.toMatch(/GOOGLE_CLIENT_ID/);
      expect(fixture.service.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
    },
  );

  it('when the code was already used, then 400 invalid_grant', async () => {
    const browser = fixture.agent();
    const callback = await toCallback(browser);
    // Someone else redeems the code first (an intercepted or replayed callback).
    const stolen = await fetch(`${fixture.google.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
      }),
    });
    expect(stolen.status).toBe(401); // no client secret: refused, and the code is spent
    const res = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json');
    await expectRefused(browser, res, {
      status: 400,
      error: 'invalid_grant',
      reason: 'invalid_grant',
    });
  });

  it('when a browser is refused for a spent code, then its page says to sign in again', async () => {
    const browser = fixture.agent();
    const callback = await toCallback(browser);
    callback.searchParams.set('code', 'spent');
    const page = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(page.status).toBe(400);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('start again');
    expect(page.text).toContain('href="/auth/login"');
  });
});

describe('provider answers classified by who caused them', () => {
  const cases: [string, number, string, string, Misbehaviour][] = [
    // The token endpoint
    [
      'the token endpoint hangs',
      502,
      'token_exchange_failed',
      'unreachable',
      { answers: { token: 'hang' } },
    ],
    [
      'the token endpoint answers 200 with HTML',
      502,
      'token_exchange_failed',
      'no_id_token',
      { answers: { token: HTML } },
    ],
    [
      'the token endpoint answers 500 with HTML',
      502,
      'token_exchange_failed',
      'unreachable',
      { answers: { token: { ...HTML, status: 500 } } },
    ],
    [
      'the token endpoint answers server_error',
      502,
      'token_exchange_failed',
      'server_error',
      { tokenError: 'server_error' },
    ],
    [
      'the token endpoint answers invalid_request to an altered code',
      400,
      'invalid_grant',
      'invalid_request',
      { tokenError: 'invalid_request' },
    ],
    [
      'the token endpoint refuses the client',
      500,
      'server_error',
      'invalid_client',
      { tokenError: 'invalid_client' },
    ],
    // The authorization response
    [
      'the provider needs the user to log in',
      403,
      'access_denied',
      'login_required',
      { authorizeError: 'login_required' },
    ],
    [
      'the provider reports server_error',
      400,
      'provider_error',
      'server_error',
      { authorizeError: 'server_error' },
    ],
    [
      'the provider refuses the client',
      400,
      'provider_error',
      'unauthorized_client',
      { authorizeError: 'unauthorized_client' },
    ],
    // userinfo
    [
      'userinfo refuses the access token',
      400,
      'invalid_grant',
      'userinfo_refused',
      { answers: { userinfo: raw(401, { error: 'invalid_token' }) } },
    ],
    [
      'userinfo answers 500',
      502,
      'provider_unavailable',
      'userinfo',
      { answers: { userinfo: raw(500, { error: 'boom' }) } },
    ],
    [
      'userinfo answers 200 with HTML',
      502,
      'provider_unavailable',
      'userinfo',
      { answers: { userinfo: HTML } },
    ],
    [
      'userinfo answers a JSON string',
      502,
      'provider_unavailable',
      'userinfo',
      { answers: { userinfo: raw(200, 'hello') } },
    ],
    ['userinfo hangs', 502, 'provider_unavailable', 'userinfo', { answers: { userinfo: 'hang' } }],
  ];

  it.each(cases)('when %s, then %d %s (%s)', async (_name, status, error, reason, misbehaviour) => {
    fixture.google.misbehave(misbehaviour);
    const browser = fixture.agent();
    const res = await signIn(browser, fixture.google);
    await expectRefused(browser, res, { status, error, reason });
    await request(fixture.service.app.callback()).get('/healthz').expect(200);
  });

  // A fresh service per case: the JWKS is fetched only when no key set is cached yet.
  it.each<[string, RawAnswer]>([
    ['answers 404', raw(404, { error: 'not_found' })],
    ['answers 500', raw(500, { error: 'boom' })],
    ['answers 200 with HTML', HTML],
    ['answers 200 with JSON that is no key set', raw(200, { keys: 'none' })],
    ['hangs', 'hang'],
  ])('when the JWKS %s, then 502 provider_unavailable (jwks)', async (_name, answer) => {
    const fresh = await startTestAuthService(fixture.google, {}, undefined, {
      providerTimeoutMs: TIMEOUT_MS,
    });
    fixture.google.misbehave({ answers: { jwks: answer } });
    const browser = request.agent(fresh.app.callback());
    const res = await signIn(browser, fixture.google);
    await expectRefused(
      browser,
      res,
      { status: 502, error: 'provider_unavailable', reason: 'jwks' },
      fresh.logs,
    );
  });
});

function raw(status: number, body: unknown): RawAnswer {
  return { status, body: JSON.stringify(body) };
}
