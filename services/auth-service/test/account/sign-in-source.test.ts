import { describe, expect, it } from '@jest/globals';
import { useSignInFixture } from '../support/sign-in-fixture.js';
import { signIn } from '../support/test-app.js';

const fixture = useSignInFixture();

describe('where a sign-in came from', () => {
  it("when a browser signs in through the gateway, then its session lists the client's address and user agent", async () => {
    const browser = fixture.agent();
    // The gateway's X-Forwarded-For (one trusted hop) and the browser's own User-Agent.
    browser.set('X-Forwarded-For', '198.51.100.77').set('User-Agent', 'Test Browser/1.0');
    fixture.google.nextLogin({ sub: 'source-test', email: 'source@example.com' });
    await signIn(browser, fixture.google);
    const res = await browser.get('/auth/account').expect(200);
    expect(res.body.sessions).toEqual([
      expect.objectContaining({
        current: true,
        ip: '198.51.100.77',
        user_agent: 'Test Browser/1.0',
      }),
    ]);
  });

  it('when the user agent is very long, then only its first 256 characters are kept', async () => {
    const browser = fixture.agent();
    browser.set('User-Agent', `Long/${'x'.repeat(1000)}`);
    fixture.google.nextLogin({ sub: 'long-agent', email: 'long@example.com' });
    await signIn(browser, fixture.google);
    const [session] = (await browser.get('/auth/account').expect(200)).body.sessions;
    expect(session.user_agent).toHaveLength(256);
  });
});
