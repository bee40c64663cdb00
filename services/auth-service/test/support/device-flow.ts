import { expect } from '@jest/globals';
import request, { type Response } from 'supertest';
import { DEVICE_CODE_GRANT } from '../../src/oauth/clients/client.js';
import { CLI_CLIENT_ID } from '../../src/oauth/clients/cli-client.js';
import { SAME_ORIGIN, type buildTokenApp } from './token-app.js';

type Harness = Awaited<ReturnType<typeof buildTokenApp>>;

/**
 * The device flow's requests against an in-process auth-service, as a CLI (form posts, no
 * Origin) and a signed-in browser (same-origin form post) would send them.
 */
export function deviceFlow(harness: Harness) {
  const server = harness.app.callback();
  const form = (path: string, body: Record<string, string>) =>
    request(server).post(path).type('form').send(body);
  return {
    server,
    /** POST /auth/device_authorization for `clientId` (gatehouse-cli by default). */
    start: async (clientId = CLI_CLIENT_ID) => {
      const res = await form('/auth/device_authorization', { client_id: clientId }).expect(200);
      return res.body as {
        device_code: string;
        user_code: string;
        verification_uri: string;
        verification_uri_complete: string;
        expires_in: number;
        interval: number;
      };
    },
    poll: (deviceCode: string, clientId = CLI_CLIENT_ID) =>
      form('/auth/token', {
        grant_type: DEVICE_CODE_GRANT,
        device_code: deviceCode,
        client_id: clientId,
      }),
    refresh: (refreshToken: string, clientId = CLI_CLIENT_ID) =>
      form('/auth/token', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
      }),
    /** The browser: GET the confirmation page for `userCode`. */
    confirmPage: (cookie: string, userCode: string) =>
      request(server)
        .get(`/auth/device?user_code=${encodeURIComponent(userCode)}`)
        .set('Cookie', cookie)
        .set('Accept', 'text/html'),
    /**
     * The browser: approve or deny `userCode` (a same-origin form post); approving with the
     * "my device shows this code" box ticked unless `codeMatches` is false.
     */
    decide: (
      cookie: string,
      userCode: string,
      decision: 'approve' | 'deny',
      { codeMatches = decision === 'approve' } = {},
    ) =>
      request(server)
        .post('/auth/device')
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .set('Accept', 'text/html')
        .type('form')
        .send({ user_code: userCode, decision, ...(codeMatches && { code_matches: 'yes' }) }),
    /** Device authorization, approval by `email`, first poll: the first token response. */
    async signInDevice(email = 'ada@example.com', roles: string[] = []) {
      const { cookie, user } = await harness.signIn(email, roles);
      const started = await this.start();
      await this.decide(cookie, started.user_code, 'approve').expect(200);
      const res = await this.poll(started.device_code).expect(200);
      return { user, cookie, tokens: res.body as Record<string, string | number> };
    },
  };
}

/**
 * A successful token response to the CLI client (RFC 6749 section 5.1): not cacheable, a Bearer
 * access token for 10 minutes, a 256-bit refresh token, scope `api`.
 */
export function expectCliTokenResponse(res: Response): void {
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body).toEqual({
    access_token: expect.any(String),
    token_type: 'Bearer',
    expires_in: 600,
    refresh_token: expect.stringMatching(/^[\w-]{43}$/),
    scope: 'api',
  });
}
