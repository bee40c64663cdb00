import { describe, expect, it, jest } from '@jest/globals';
import { useSignInFixture } from '../support/sign-in-fixture.js';
import { signIn } from '../support/test-app.js';

const fixture = useSignInFixture();
const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN = 'http://localhost:8080';

describe('the session only where a browser uses it', () => {
  it("when an OAuth client's form post carries a session cookie, then the session store is not read", async () => {
    const browser = fixture.agent();
    await signIn(browser, fixture.google);
    // koa-session's read: the session with its user (SessionStore.getWithUser).
    const reads = jest.spyOn(fixture.service.sessions, 'getWithUser');
    try {
      for (const path of [
        '/auth/token',
        '/auth/revoke',
        '/auth/introspect',
        '/auth/device_authorization',
      ]) {
        const response = await browser
          .post(path)
          .type(FORM)
          .send('grant_type=client_credentials&client_id=nobody&token=x');
        expect([path, response.status, response.body.error]).toEqual([path, 401, 'invalid_client']);
      }
      expect(reads).not.toHaveBeenCalled();

      // The same cookie on the browser's own token request is read, and still signs it in.
      const token = await browser.post('/auth/token').set('Origin', SAME_ORIGIN).expect(200);
      expect(token.body.token_type).toBe('Bearer');
      expect(reads).toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('when a browser form post to the token endpoint comes from another site, then it is still refused', async () => {
    const browser = fixture.agent();
    await signIn(browser, fixture.google);
    const response = await browser
      .post('/auth/token')
      .set('Origin', 'https://evil.example')
      .type(FORM)
      .send('grant_type=client_credentials');
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('cross_site_request');
  });
});
