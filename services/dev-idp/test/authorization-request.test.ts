import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningDevIdp } from '../src/server.js';
import { CookieJar } from './support/cookie-jar.js';
import { authorizationUrl, discover, send, type Discovery } from './support/sign-in-flow.js';
import { startDevIdp } from './support/start-dev-idp.js';

describe('authorization requests the dev-idp refuses', () => {
  let idp: RunningDevIdp;
  let discovery: Discovery;

  beforeAll(async () => {
    idp = await startDevIdp();
    discovery = await discover(idp.issuer);
  });
  afterAll(() => idp.close());

  it('when the redirect_uri is not registered, then an error page is shown and nobody is redirected', async () => {
    const { url } = authorizationUrl(discovery, { redirect_uri: 'https://evil.example/callback' });
    const response = await send(new CookieJar(), url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('invalid_redirect_uri');
    expect(html).not.toMatch(/https?:\/\/fonts\./);
  });

  it('when a registered redirect_uri is changed only by a trailing slash, then it is refused too', async () => {
    const { url } = authorizationUrl(discovery, {
      redirect_uri: 'http://localhost:8080/auth/connect/google/callback/',
    });
    const response = await send(new CookieJar(), url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('when the client_id is unknown, then an error page is shown', async () => {
    const { url } = authorizationUrl(discovery, { client_id: 'someone-else' });
    const response = await send(new CookieJar(), url);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('invalid_client');
  });

  it('when PKCE is left out, then the client gets invalid_request back', async () => {
    const { url } = authorizationUrl(discovery, {
      code_challenge: undefined,
      code_challenge_method: undefined,
    });
    const response = await send(new CookieJar(), url);
    const location = new URL(response.headers.get('location') ?? 'about:blank');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('when the plain PKCE method is asked for, then the client gets invalid_request back', async () => {
    const { url } = authorizationUrl(discovery, { code_challenge_method: 'plain' });
    const response = await send(new CookieJar(), url);
    const location = new URL(response.headers.get('location') ?? 'about:blank');
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('when the implicit flow is asked for, then it is refused', async () => {
    const { url } = authorizationUrl(discovery, { response_type: 'id_token' });
    const response = await send(new CookieJar(), url);
    const location = new URL(response.headers.get('location') ?? 'about:blank');
    expect(location.searchParams.get('error') ?? location.hash).toMatch(
      /unsupported_response_type/,
    );
  });
});
