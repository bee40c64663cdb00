import { describe, expect, it } from '@jest/globals';
import { useSignInFixture } from '../support/sign-in-fixture.js';
import { signIn, type Agent } from '../support/test-app.js';
import { SAME_ORIGIN } from '../support/token-app.js';
import { verifyAccessToken } from '../support/verify-access-token.js';

const fixture = useSignInFixture();

/** Signs in through the fake Google and returns the agent holding the session cookie. */
async function signedInAgent() {
  const agent = fixture.agent();
  const callback = await signIn(agent, fixture.google);
  expect(callback.status).toBeLessThan(400);
  return agent;
}

async function tokenClaims(agent: Agent) {
  const res = await agent.post('/auth/token').set(SAME_ORIGIN).expect(200);
  const jwks = (await agent.get('/auth/.well-known/jwks.json').expect(200)).body;
  return (await verifyAccessToken(res.body.access_token, jwks, Date.now())).payload;
}

describe('POST /auth/token after a real sign-in', () => {
  it('when signed in through the provider, then the token describes the directory user', async () => {
    const agent = await signedInAgent();
    const session = (await agent.get('/auth/session').expect(200)).body;
    const claims = await tokenClaims(agent);
    expect(claims).toMatchObject({
      sub: session.sub,
      email: 'developer@example.com',
      name: 'Dev Eloper',
      roles: [],
      scope: 'api',
      sid: expect.stringMatching(/.{16,}/),
    });
    expect(claims.sub).not.toBe('developer@example.com');
  });

  it('when the same person signs in twice, then each session has its own sid', async () => {
    const first = await tokenClaims(await signedInAgent());
    const second = await tokenClaims(await signedInAgent());
    expect(second.sub).toBe(first.sub);
    expect(second.sid).not.toBe(first.sid);
  });

  it('when the session is logged out, then no more tokens are issued', async () => {
    const agent = await signedInAgent();
    await agent.post('/auth/logout').set(SAME_ORIGIN).set('Accept', 'application/json');
    const res = await agent.post('/auth/token').set(SAME_ORIGIN);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('login_required');
  });
});
