import { expect } from '@jest/globals';
import request from 'supertest';
import { DEVICE_CODE_GRANT } from '../../src/oauth/clients/client.js';
import { CLI_CLIENT_ID } from '../../src/oauth/clients/cli-client.js';
import type { Agent, TestAuthService } from './test-app.js';

/** Any provider double: follows an authorization URL as a browser would, to our callback. */
export interface AuthorizingIdp {
  authorize(authorizationUrl: string): Promise<string>;
}

/**
 * One browser sign-in with `provider` (one of PROVIDERS): `/auth/login?provider=`, grant's
 * redirect, the provider, and the callback, whose answer is returned (JSON errors).
 *
 * @example
 * expect((await signInWith(agent, okta, 'okta')).status).toBe(302);
 */
export async function signInWith(
  agent: Agent,
  idp: AuthorizingIdp,
  provider: string,
  returnTo = '/',
) {
  const query = new URLSearchParams({ provider, returnTo });
  const login = await agent.get(`/auth/login?${query}`).expect(302);
  expect(login.headers.location).toBe(`/auth/connect/${provider}`);
  const connect = await agent.get(login.headers.location!).expect(302);
  const callback = new URL(await idp.authorize(connect.headers.location!));
  expect(callback.pathname).toBe(`/auth/connect/${provider}/callback`);
  return agent.get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json');
}

/** signInWith that must succeed (302 back to returnTo). */
export async function signedInWith(agent: Agent, idp: AuthorizingIdp, provider: string) {
  const callback = await signInWith(agent, idp, provider);
  expect(callback.status).toBe(302);
  return callback;
}

/**
 * The device flow for the CLI client, approved by the signed-in `browser`: the first token
 * response, with the refresh token a test refreshes with.
 */
export async function deviceTokens(service: TestAuthService, browser: Agent) {
  const server = service.app.callback();
  const started = (
    await request(server)
      .post('/auth/device_authorization')
      .type('form')
      .send({ client_id: CLI_CLIENT_ID })
      .expect(200)
  ).body;
  await browser
    .post('/auth/device')
    .set({ Origin: service.config.publicUrl })
    .set('Accept', 'text/html')
    .type('form')
    .send({ user_code: started.user_code, decision: 'approve', code_matches: 'yes' })
    .expect(200);
  return (
    await request(server)
      .post('/auth/token')
      .type('form')
      .send({
        grant_type: DEVICE_CODE_GRANT,
        device_code: started.device_code,
        client_id: CLI_CLIENT_ID,
      })
      .expect(200)
  ).body as { access_token: string; refresh_token: string };
}

/**
 * A CLI grant approved by the signed-in `browser` (deviceTokens), for the user of identity
 * (`provider`, `subject`), and `refresh(via)`: one refresh_token grant (200 expected) at `via`
 * (another auth-service on the same DATA_DIR; default `service`), keeping the rotated token,
 * then the user's roles after it.
 */
export async function cliSession(
  service: TestAuthService,
  browser: Agent,
  provider: string,
  subject: string,
) {
  let refreshToken = (await deviceTokens(service, browser)).refresh_token;
  const userId = (await service.directory.findByIdentity(provider, subject))!.id;
  return {
    userId,
    async refresh(via: TestAuthService = service): Promise<string[]> {
      const res = await request(via.app.callback())
        .post('/auth/token')
        .type('form')
        .send({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: CLI_CLIENT_ID,
        })
        .expect(200);
      refreshToken = res.body.refresh_token;
      return (await via.directory.findById(userId))!.roles;
    },
  };
}
