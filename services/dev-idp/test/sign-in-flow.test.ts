import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { RunningDevIdp } from '../src/server.js';
import {
  authorize,
  CLIENT_ID,
  discover,
  exchangeCode,
  REDIRECT_URI,
  type Discovery,
} from './support/sign-in-flow.js';
import { startDevIdp } from './support/start-dev-idp.js';

describe('authorization code flow with PKCE', () => {
  let idp: RunningDevIdp;
  let discovery: Discovery;
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  beforeAll(async () => {
    idp = await startDevIdp();
    discovery = await discover(idp.issuer);
    jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  });
  afterAll(() => idp.close());

  /** Signs in through the form and returns the verified id_token claims. */
  async function signIn(
    form: { email?: string; name?: string; unverified?: boolean } = {},
    auth: 'basic' | 'post' = 'basic',
  ): Promise<{ claims: JWTPayload; nonce: string; idToken: string }> {
    const { callback, verifier, url } = await authorize(discovery, form);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();
    const response = await exchangeCode(discovery, code ?? '', verifier, auth);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id_token: string; token_type: string };
    const { payload } = await jwtVerify(body.id_token, jwks, {
      issuer: idp.issuer,
      audience: CLIENT_ID,
      algorithms: ['RS256'],
    });
    return { claims: payload, nonce: url.searchParams.get('nonce') ?? '', idToken: body.id_token };
  }

  it('when the form is sent with its defaults, then the id_token carries Google-shaped claims for example.com', async () => {
    const { claims, nonce, idToken } = await signIn();
    expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: CLIENT_ID,
      nonce,
      email: 'developer@example.com',
      email_verified: true,
      name: 'Dev Eloper',
      given_name: 'Dev',
      family_name: 'Eloper',
      hd: 'example.com',
    });
    expect(claims.sub).toMatch(/^\d{21}$/);
    expect(claims.picture).toMatch(/^data:image\/svg\+xml;base64,/);
  });

  it('when the redirect comes back, then it goes to the registered URI with state and iss', async () => {
    const { callback, url } = await authorize(discovery);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(url.searchParams.get('state'));
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);
  });

  it('when the email is a gmail.com address, then there is no hd claim', async () => {
    const { claims } = await signIn({ email: 'someone@gmail.com', name: 'Some One' });
    expect(claims.email).toBe('someone@gmail.com');
    expect(claims).not.toHaveProperty('hd');
  });

  it('when "email is NOT verified" is ticked, then email_verified is false', async () => {
    const { claims } = await signIn({ email: 'unverified@example.org', unverified: true });
    expect(claims.email_verified).toBe(false);
    expect(claims.hd).toBe('example.org');
  });

  it('when the same email signs in twice, then the sub is the same, and another email gets another', async () => {
    const first = await signIn({ email: 'Same@Example.com' });
    const second = await signIn({ email: 'same@example.com', name: 'Other Name' });
    const other = await signIn({ email: 'different@example.com' });
    expect(first.claims.email).toBe('same@example.com');
    expect(second.claims.sub).toBe(first.claims.sub);
    expect(other.claims.sub).not.toBe(first.claims.sub);
  });

  it('when the access token is presented at userinfo, then the same subject and email come back', async () => {
    const { callback, verifier } = await authorize(discovery, { email: 'info@example.com' });
    const tokens = (await (
      await exchangeCode(discovery, callback.searchParams.get('code') ?? '', verifier)
    ).json()) as { access_token: string; id_token: string };
    const { payload } = await jwtVerify(tokens.id_token, jwks, {
      issuer: idp.issuer,
      audience: CLIENT_ID,
    });
    const userinfo = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: payload.sub, email: 'info@example.com' });
  });

  it('when the client authenticates with client_secret_post, then the code is exchanged too', async () => {
    const { claims } = await signIn({}, 'post');
    expect(claims.email).toBe('developer@example.com');
  });

  it('when the client secret is wrong, then the token endpoint answers invalid_client', async () => {
    const { callback, verifier } = await authorize(discovery);
    const response = await exchangeCode(
      discovery,
      callback.searchParams.get('code') ?? '',
      verifier,
      'post',
      'wrong-secret',
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('when the code_verifier does not match the challenge, then the code is refused', async () => {
    const { callback } = await authorize(discovery);
    const response = await exchangeCode(
      discovery,
      callback.searchParams.get('code') ?? '',
      'a-verifier-that-does-not-match-the-challenge-000000',
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('when a code is used twice, then the second exchange is refused', async () => {
    const { callback, verifier } = await authorize(discovery);
    const code = callback.searchParams.get('code') ?? '';
    expect((await exchangeCode(discovery, code, verifier)).status).toBe(200);
    const replay = await exchangeCode(discovery, code, verifier);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
