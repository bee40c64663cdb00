import type { IncomingHttpHeaders } from 'node:http';
import { tempRoutesFile } from '../gateway/test/support/routes-file.js';
import { startUpstream, type TestUpstream } from '../gateway/test/support/upstream.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { signedInSession } from './support/session-token.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

describe('X-Gatehouse-Assertion, verified by an independent library', () => {
  let system: RunningSystem;
  let echo: TestUpstream;
  let file: ReturnType<typeof tempRoutesFile>;
  let accessToken: string;
  /** Read once, as an upstream would at start-up (the auth-service is stopped later). */
  let metadata: { assertion_jwks_uri: string };

  beforeAll(async () => {
    echo = await startUpstream();
    file = tempRoutesFile(
      `routes:
  - { name: api, path: /api, to: "\${API_SERVICE_URL}", auth: public }
  - { name: reports, path: /reports, to: ${echo.url}, auth: token }
  - { name: billing, path: /billing, to: ${echo.url}, auth: token }
`,
    );
    system = await startSystem({ gatewayEnv: { ROUTES_FILE: file.path } });
    accessToken = await (await signedInSession(system))();
    metadata = (await (
      await fetch(`${system.url}/auth/.well-known/openid-configuration`)
    ).json()) as { assertion_jwks_uri: string };
  });

  afterAll(async () => {
    await system.close();
    await echo.close();
    file.remove();
  });

  const seenBy = async (path: string, token = accessToken) => {
    const res = await fetch(`${system.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { headers: IncomingHttpHeaders }).headers;
  };

  /** How a Node upstream without Gatehouse code verifies: jsonwebtoken + jwks-rsa. */
  const verifyAs = async (assertion: string, audience: string) => {
    // Loaded on first use: jwks-rsa (CommonJS) requires the ESM-only jose, which Jest's
    // module registry cannot take in a static import (see third-party-verifiers.ts).
    const { default: jwksClient } = await import('jwks-rsa');
    const keys = jwksClient({ jwksUri: metadata.assertion_jwks_uri });
    const { header } = jwt.decode(assertion, { complete: true })!;
    if (header.typ !== 'gatehouse-assertion+jwt') throw new Error(`typ ${header.typ}`);
    const key = await keys.getSigningKey(header.kid);
    return jwt.verify(assertion, key.getPublicKey(), {
      algorithms: ['ES256', 'EdDSA' as jwt.Algorithm],
      audience,
      issuer: system.url,
      maxAge: '60s',
    }) as jwt.JwtPayload;
  };

  it("when a token route is called, then its upstream verifies the assertion with the route's name", async () => {
    const headers = await seenBy('/reports/2026');
    const claims = await verifyAs(headers['x-gatehouse-assertion'] as string, 'reports');

    expect(claims).toMatchObject({
      iss: system.url,
      aud: 'reports',
      sub: headers['x-gatehouse-sub'],
      email: headers['x-gatehouse-email'],
      client_id: headers['x-gatehouse-client'],
      jti: expect.any(String),
    });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(60);
    expect(headers.authorization).toBe(`Bearer ${accessToken}`);
  });

  it("when one route's assertion is shown to another route's upstream, then it is refused", async () => {
    const headers = await seenBy('/reports/x');
    await expect(verifyAs(headers['x-gatehouse-assertion'] as string, 'billing')).rejects.toThrow(
      /audience invalid/,
    );
  });

  it('when the assertion is sent to the api-service as a Bearer token, then 401 invalid_token', async () => {
    const headers = await seenBy('/reports/x');
    const res = await fetch(`${system.url}/api/me`, {
      headers: { authorization: `Bearer ${headers['x-gatehouse-assertion'] as string}` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('when the auth-service is down, then token routes keep serving verified callers', async () => {
    await system.stop('auth');
    const headers = await seenBy('/billing/x');
    expect(await verifyAs(headers['x-gatehouse-assertion'] as string, 'billing')).toMatchObject({
      aud: 'billing',
    });
  });
});
