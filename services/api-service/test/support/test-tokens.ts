import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the api-service config below expects; tokens are signed to match. */
export const ISSUER = 'http://gatehouse.test/auth';
export const AUDIENCE = 'gatehouse-api';
export const T0 = Date.UTC(2030, 0, 1);

export function testClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

export interface TestKey {
  kid: string;
  alg: string;
  publicJwk: Record<string, unknown>;
  publicKey: KeyObject;
  sign(data: Buffer): Buffer;
}

export function testKey(
  alg: 'ES256' | 'RS256' | 'EdDSA',
  kid = `${alg.toLowerCase()}-${randomUUID()}`,
): TestKey {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  return {
    kid,
    alg,
    publicKey: pair.publicKey,
    publicJwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
    sign: (data) =>
      sign(alg === 'EdDSA' ? null : 'sha256', data, {
        key: pair.privateKey,
        dsaEncoding: 'ieee-p1363',
      }),
  };
}

export const jwksOf = (...keys: TestKey[]) => ({ keys: keys.map((k) => k.publicJwk) });

export const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export function signRaw(
  header: object,
  payload: unknown,
  signer: (data: Buffer) => Buffer,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${signer(Buffer.from(input)).toString('base64url')}`;
}

/** A Gatehouse access token; override or omit any part. */
export function signTestToken(spec: {
  key: TestKey;
  now?: number;
  exp?: number;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  omit?: string[];
}): string {
  const now = Math.floor((spec.now ?? T0) / 1000);
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    iat: now,
    exp: spec.exp ?? now + 600,
    jti: randomUUID(),
    sid: 'session-1',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    roles: ['user'],
    scope: 'api',
    ...spec.claims,
  };
  for (const name of spec.omit ?? []) delete claims[name];
  const header = { alg: spec.key.alg, kid: spec.key.kid, typ: 'at+jwt', ...spec.header };
  return signRaw(header, claims, spec.key.sign);
}

export function hmacWithPublicKey(key: TestKey, header: object, payload: object): string {
  const secret = key.publicKey.export({ format: 'pem', type: 'spki' });
  return signRaw(header, payload, (data) => createHmac('sha256', secret).update(data).digest());
}

/** An HTTP listener on port 0 that counts requests; serves `document` as a JWKS when given. */
export async function startListener(document: object = {}) {
  let current = document;
  let requests = 0;
  const server = createServer((_req, res) => {
    requests += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(current));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    jwksUrl: `${origin}/auth/.well-known/jwks.json`,
    get requests() {
      return requests;
    },
    publish(next: object) {
      current = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
