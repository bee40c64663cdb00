import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import { PENDING_SIGN_IN_TTL_MS } from '../../src/sessions/session-store.js';
import {
  request,
  startFakeGoogle,
  startTestAuthService,
  type Agent,
  type TestAuthService,
} from '../support/test-app.js';

const MINUTE = 60_000;

let google: FakeGoogle;
let service: TestAuthService;
/** One clock for the service and the fake Google, as in the real world. */
let offset = 0;
const advance = (ms: number) => {
  offset += ms;
  service.advance(ms);
};

beforeAll(async () => {
  google = await startFakeGoogle({ now: () => Date.now() + offset });
  service = await startTestAuthService(google);
});
afterAll(() => google.close());

/** Starts a sign-in, spends `atProviderMs` at the provider, then returns to the callback. */
async function signInSlowly(browser: Agent, atProviderMs: number) {
  await browser.get('/auth/login').expect(302);
  const connect = await browser.get('/auth/connect/google').expect(302);
  advance(atProviderMs);
  const callback = new URL(await google.authorize(connect.headers.location!));
  return browser.get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json');
}

describe('pending sign-in lifetime', () => {
  it('when the user spends 9 minutes at the provider, then the sign-in still succeeds and lasts', async () => {
    const browser = request.agent(service.app.callback());
    const callback = await signInSlowly(browser, 9 * MINUTE);
    expect(callback.status).toBe(302);
    await browser.get('/auth/session').expect(200);
    advance(PENDING_SIGN_IN_TTL_MS + 1000);
    await browser.get('/auth/session').expect(200);
  });

  it('when the user comes back after PENDING_SIGN_IN_TTL, then 400 invalid_state (no_pending_sign_in)', async () => {
    const browser = request.agent(service.app.callback());
    const callback = await signInSlowly(browser, PENDING_SIGN_IN_TTL_MS + 1000);
    expect(callback.status).toBe(400);
    expect(callback.body.error).toBe('invalid_state');
    expect(callback.body.error_description).toContain('(no_pending_sign_in)');
    await browser.get('/auth/session').expect(401);
  });

  it('when a sign-in is abandoned, then its session row is gone after PENDING_SIGN_IN_TTL', async () => {
    await service.sessions.purgeExpired();
    const before = await service.sessions.size(); // signed-in sessions of earlier tests
    await request(service.app.callback()).get('/auth/login').expect(302);
    expect(await service.sessions.size()).toBe(before + 1);
    advance(PENDING_SIGN_IN_TTL_MS + 1000);
    expect(await service.sessions.purgeExpired()).toBe(1);
    expect(await service.sessions.size()).toBe(before);
  });
});
