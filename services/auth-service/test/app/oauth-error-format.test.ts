import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { buildTokenApp } from '../support/token-app.js';

/** What Java's HttpURLConnection sends unless told otherwise (Google's Java OAuth client). */
const JAVA_ACCEPT = 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2';
/** What a browser sends when it navigates. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

const CASES: [string, Record<string, string>, number, string][] = [
  [
    '/auth/device_authorization',
    { client_id: 'gatehouse-cli', scope: 'admin' },
    400,
    'invalid_scope',
  ],
  [
    '/auth/token',
    { grant_type: 'password', client_id: 'gatehouse-cli' },
    400,
    'unsupported_grant_type',
  ],
  [
    '/auth/token',
    { grant_type: 'refresh_token', refresh_token: 'not-a-token', client_id: 'gatehouse-cli' },
    400,
    'invalid_grant',
  ],
  ['/auth/revoke', { token: 'x', client_id: 'no-such-client' }, 401, 'invalid_client'],
  ['/auth/introspect', { token: 'x', client_id: 'gatehouse-cli' }, 401, 'invalid_client'],
];

describe('OAuth endpoint errors are always JSON (RFC 6749 5.2, RFC 7009, RFC 7662, RFC 8628)', () => {
  it.each(
    CASES.flatMap((c) => [JAVA_ACCEPT, BROWSER_ACCEPT].map((accept) => [...c, accept] as const)),
  )(
    'when POST %s is refused and Accept prefers HTML, then the error is JSON (%j, %d %s, Accept %j)',
    async (path, form, status, code, accept) => {
      const { app } = await buildTokenApp();
      const res = await request(app.callback())
        .post(path)
        .set('Accept', accept)
        .type('form')
        .send(form);
      expect(res.body.error).toBe(code);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    },
  );

  it('when a browser hits an OAuth endpoint with the wrong method, then the 405 is JSON too', async () => {
    const { app } = await buildTokenApp();
    const res = await request(app.callback()).get('/auth/token').set('Accept', BROWSER_ACCEPT);
    expect(res.status).toBe(405);
    expect(res.body.error).toBe('method_not_allowed');
  });

  it('when a browser page fails (a sign-in callback without a sign-in), then it is still HTML', async () => {
    const { app } = await buildTokenApp();
    const res = await request(app.callback())
      .get('/auth/connect/google/callback?state=x&code=y')
      .set('Accept', BROWSER_ACCEPT);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});
