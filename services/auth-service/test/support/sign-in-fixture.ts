import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import {
  request,
  startFakeGoogle,
  startTestAuthService,
  type Agent,
  type TestAuthService,
} from './test-app.js';

export interface SignInFixture {
  google: FakeGoogle;
  service: TestAuthService;
  /** A cookie-keeping client, as one browser. */
  agent(): Agent;
}

/**
 * Registers the hooks most sign-in suites share: one fake Google and one auth-service for the
 * file (started in beforeAll, closed in afterAll); before each test the fake Google behaves
 * again and the captured log is empty. Read the fields inside tests, not at collection time.
 */
export function useSignInFixture(
  env: Record<string, string> = {},
  deps: Parameters<typeof startTestAuthService>[3] = {},
): SignInFixture {
  const fixture = {
    agent: () => request.agent(fixture.service.app.callback()),
  } as SignInFixture;
  beforeAll(async () => {
    fixture.google = await startFakeGoogle();
    fixture.service = await startTestAuthService(fixture.google, env, undefined, deps);
  });
  afterAll(() => fixture.google.close());
  beforeEach(() => {
    fixture.google.reset();
    fixture.service.logs.length = 0;
  });
  return fixture;
}
