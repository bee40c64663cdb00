import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { CookieClient } from './support/cookie-client.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system.close();
});
beforeEach(() => system.google!.reset());

/** Signs in through the gateway and returns the client holding the session cookie. */
async function signIn(returnTo = '/'): Promise<{ client: CookieClient; landed: string }> {
  const client = new CookieClient();
  const res = await client.request(
    `${system.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`,
  );
  return { client, landed: res.url };
}

async function accessToken(client: CookieClient): Promise<string> {
  const res = await client.request(`${system.url}/auth/token`, {
    method: 'POST',
    headers: { origin: system.url },
  });
  expect(res.status).toBe(200);
  return res.json<{ access_token: string }>().access_token;
}

describe('sign-in through the gateway', () => {
  it('when a user signs in, then they land on returnTo with a session that gets tokens the API accepts', async () => {
    const { client, landed } = await signIn('/dashboard?tab=1');
    expect(landed).toBe(`${system.url}/dashboard?tab=1`);

    const session = await client.request(`${system.url}/auth/session`);
    expect(session.status).toBe(200);
    expect(session.json()).toMatchObject({ email: 'developer@example.com', name: 'Dev Eloper' });

    const tokenRes = await client.request(`${system.url}/auth/token`, {
      method: 'POST',
      headers: { origin: system.url },
    });
    expect(tokenRes.status).toBe(200);
    expect(tokenRes.headers.get('cache-control')).toContain('no-store');
    const body = tokenRes.json<{ access_token: string; token_type: string; expires_in: number }>();
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(600);

    const me = await fetch(`${system.url}/api/me`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(me.status).toBe(200);
    const user = (await me.json()) as Record<string, unknown>;
    expect(user).toEqual({
      sub: expect.any(String),
      email: 'developer@example.com',
      name: 'Dev Eloper',
      roles: [],
    });
    expect(user.sub).not.toContain('@');
  });

  it('when the token is verified against the published JWKS, then header and claims match the contract', async () => {
    const { client } = await signIn();
    const token = await accessToken(client);
    const jwks = createRemoteJWKSet(new URL(`${system.url}/auth/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: `${system.url}/auth`,
      audience: 'gatehouse-api',
      typ: 'at+jwt',
      algorithms: ['ES256'],
      requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id', 'sid'],
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: expect.any(String), typ: 'at+jwt' });
    expect(payload).toMatchObject({
      client_id: 'gatehouse-web',
      email: 'developer@example.com',
      roles: [],
      scope: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    const discovery = (await (
      await fetch(`${system.url}/auth/.well-known/openid-configuration`)
    ).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe(`${system.url}/auth`);
    expect(discovery.jwks_uri).toBe(`${system.url}/auth/.well-known/jwks.json`);
    expect(decodeProtectedHeader(token).kid).toBeDefined();
  });

  it('when the user is granted admin, then a new token opens the admin route and the old one does not', async () => {
    const { client } = await signIn();
    const before = await accessToken(client);
    const denied = await fetch(`${system.url}/api/admin/stats`, {
      headers: { authorization: `Bearer ${before}` },
    });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: string }).error).toBe('insufficient_scope');
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');

    expect(await system.users('grant', 'developer@example.com', 'admin')).toBe(0);
    try {
      const after = await accessToken(client);
      const allowed = await fetch(`${system.url}/api/admin/stats`, {
        headers: { authorization: `Bearer ${after}` },
      });
      expect(allowed.status).toBe(200);
    } finally {
      await system.users('revoke', 'developer@example.com', 'admin');
    }
  });

  it('when the provider signs with a key not in its JWKS, then no session is created', async () => {
    system.google!.misbehave({ badSignature: true });
    const { client, landed } = await signIn('/after');
    expect(landed).not.toBe(`${system.url}/after`);
    const session = await client.request(`${system.url}/auth/session`);
    expect(session.status).toBe(401);
    const token = await client.request(`${system.url}/auth/token`, {
      method: 'POST',
      headers: { origin: system.url },
    });
    expect(token.status).toBe(401);
  });

  it('when the user signs out, then the session and a copy of its cookie are worthless', async () => {
    const { client } = await signIn();
    const thief = new CookieClient();
    client.copyTo(thief);
    const out = await client.request(`${system.url}/auth/logout`, {
      method: 'POST',
      headers: { origin: system.url },
    });
    expect(out.status).toBe(204);
    expect((await thief.request(`${system.url}/auth/session`)).status).toBe(401);
    const token = await thief.request(`${system.url}/auth/token`, {
      method: 'POST',
      headers: { origin: system.url },
    });
    expect(token.status).toBe(401);
  });

  it('when a cross-site page posts to /auth/token, then it is refused', async () => {
    const { client } = await signIn();
    const res = await client.request(`${system.url}/auth/token`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.status).toBe(403);
    expect(res.json<{ error: string }>().error).toBe('cross_site_request');
  });

  it('when the session cookie is issued, then it is scoped to /auth, HttpOnly and SameSite=Lax', async () => {
    const res = await fetch(`${system.url}/auth/login?returnTo=/`, { redirect: 'manual' });
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/path=\/auth/i);
      expect(cookie).toMatch(/httponly/i);
      expect(cookie).toMatch(/samesite=lax/i);
    }
  });
});

describe('the API through the gateway', () => {
  it('when no token is sent, then 401 with a plain Bearer challenge and a request id', async () => {
    const res = await fetch(`${system.url}/api/me`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await res.json()) as { request_id: string };
    expect(body.request_id).toBe(res.headers.get('x-request-id'));
  });

  it('when a forged token is sent, then 401 invalid_token', async () => {
    const res = await fetch(`${system.url}/api/me`, {
      headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it.each([
    '/auth/../metrics',
    '/api/..%2fmetrics',
    '/auth/%2e%2e/metrics',
    '/metrics',
    '/auth/metrics',
  ])('when %s is requested, then no service metrics are exposed', async (path) => {
    const res = await fetch(`${system.url}${path}`);
    expect(await res.text()).not.toContain('http_requests_total');
  });
});

describe('outages', () => {
  it('when the auth-service stops, then tokens already issued still verify and /readyz turns unready', async () => {
    const { client } = await signIn();
    const token = await accessToken(client);
    await system.stop('auth');
    const me = await fetch(`${system.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    // The gateway reuses a readiness answer for up to a second: poll until it notices.
    let ready = await fetch(`${system.url}/readyz`);
    for (const deadline = Date.now() + 5_000; ready.status === 200 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ready = await fetch(`${system.url}/readyz`);
    }
    expect(ready.status).toBe(503);
    const login = await fetch(`${system.url}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(502);
    expect(((await login.json()) as { error: string }).error).toBe('bad_gateway');
  });
});
