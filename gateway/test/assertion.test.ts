import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createTokenVerifier, type AccessTokenClaims } from '@gatehouse/shared';
import { loadAssertionKeys } from '../src/assertion/assertion-keys.js';
import { ASSERTION_TYP, assertionSigner } from '../src/assertion/sign-assertion.js';

const T0 = Date.UTC(2030, 0, 1);
const claims = (extra: Partial<AccessTokenClaims> = {}): AccessTokenClaims => ({
  iss: 'https://app.example.com/auth',
  aud: 'gatehouse-api',
  sub: 'user-1',
  exp: T0 / 1000 + 600,
  iat: T0 / 1000,
  jti: 'token-1',
  email: 'ada@example.com',
  roles: ['analyst'],
  scope: 'openid',
  client_id: 'gatehouse-web',
  ...extra,
});

describe('the signed assertion', () => {
  const keys = loadAssertionKeys(undefined);
  let now = T0;
  const sign = assertionSigner({
    key: keys.signing,
    issuer: 'https://app.example.com',
    now: () => now,
  });

  it('when signed, then it carries the caller for one route and lives at most 60 s', async () => {
    const jwt = sign('reports', claims());
    const { payload, protectedHeader } = await jwtVerify(
      jwt,
      createLocalJWKSet(keys.jwks as never),
      {
        audience: 'reports',
        issuer: 'https://app.example.com',
        typ: ASSERTION_TYP,
        currentDate: new Date(T0),
      },
    );
    expect(protectedHeader).toMatchObject({
      alg: 'ES256',
      kid: keys.signing.kid,
      typ: 'gatehouse-assertion+jwt',
    });
    expect(payload).toMatchObject({
      sub: 'user-1',
      email: 'ada@example.com',
      roles: ['analyst'],
      scope: 'openid',
      client_id: 'gatehouse-web',
      iat: T0 / 1000,
      exp: T0 / 1000 + 60,
    });
    expect(payload.jti).toEqual(expect.any(String));
  });

  it("when the access token expires sooner, then the assertion's exp is the token's", async () => {
    const jwt = sign('short', claims({ jti: 'token-2', exp: T0 / 1000 + 5 }));
    expect(JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).exp).toBe(
      T0 / 1000 + 5,
    );
  });

  it('when the same caller calls the same route within 30 s, then the assertion is reused; later, renewed', () => {
    const first = sign('reuse', claims({ jti: 'token-3' }));
    now = T0 + 20_000;
    expect(sign('reuse', claims({ jti: 'token-3' }))).toBe(first);
    expect(sign('other', claims({ jti: 'token-3' }))).not.toBe(first);
    now = T0 + 31_000;
    expect(sign('reuse', claims({ jti: 'token-3' }))).not.toBe(first);
    now = T0;
  });

  it('when an access-token verifier is shown an assertion, then it refuses it (typ)', async () => {
    const server = createServer((_req, res) => res.end(JSON.stringify(keys.jwks)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const verifier = createTokenVerifier({
        jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
        issuer: 'https://app.example.com',
        audience: 'reports',
        revocationsUrl: false,
        now: () => T0,
      });
      await expect(
        verifier.verify(sign('reports', claims({ jti: 'token-4' }))),
      ).rejects.toMatchObject({
        reason: 'typ_not_accepted',
      });
    } finally {
      server.close();
    }
  });

  it('when ASSERTION_KEYS_FILE names keys, then the first signs and all are published by thumbprint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
    try {
      const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
        format: 'jwk',
      });
      const file = join(dir, 'keys.json');
      writeFileSync(file, JSON.stringify({ keys: [ed, ec] }));
      const loaded = loadAssertionKeys(file);
      expect(loaded.generated).toBe(false);
      expect(loaded.signing.alg).toBe('EdDSA');
      expect(loaded.jwks.keys.map((k) => k.alg)).toEqual(['EdDSA', 'ES256']);
      expect(loaded.jwks.keys.every((k) => !('d' in k))).toBe(true);
      expect(loadAssertionKeys(file).signing.kid).toBe(loaded.signing.kid);
      const jwt = assertionSigner({ key: loaded.signing, issuer: 'x', now: Date.now })(
        'r',
        claims(),
      );
      expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'EdDSA', kid: loaded.signing.kid });

      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        format: 'jwk',
      });
      writeFileSync(file, JSON.stringify({ keys: [rsa] }));
      expect(() => loadAssertionKeys(file)).toThrow(
        /keys\[0\]: only EC P-256 \(ES256\) and Ed25519/,
      );
      writeFileSync(file, '{}');
      expect(() => loadAssertionKeys(file)).toThrow(/must be a JWK Set/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
