import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createTokenVerifier,
  isTokenError,
  type TokenErrorReason,
  type TokenVerifierOptions,
} from '../../src/index.js';
import { toLowS } from '../../src/tokens/ecdsa-low-s.js';

export const ISSUER = 'http://gatehouse.test/auth';
export const AUDIENCE = 'gatehouse-api';
/** A fixed start time, so tests never depend on the wall clock. */
export const T0 = Date.UTC(2030, 0, 1);

/** A clock tests move by hand. */
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

/**
 * A fresh signing key of the given algorithm, with its public JWK as published. ES256
 * signatures come out in low-S form, as the auth-service issues them (ecdsa-low-s.ts).
 */
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
  const digest = alg === 'EdDSA' ? null : 'sha256';
  return {
    kid,
    alg,
    publicKey: pair.publicKey,
    publicJwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
    sign: (data) =>
      Buffer.from(
        toLowS(alg, sign(digest, data, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' })),
      ),
  };
}

export const jwksOf = (...keys: TestKey[]) => ({ keys: keys.map((k) => k.publicJwk) });

/** base64url of a string as it is, or of anything else as JSON. */
export const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Signs any header and payload as they are, so tests can build tokens jose would refuse to. */
export function signRaw(
  header: object,
  payload: unknown,
  signer: (data: Buffer) => Buffer,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${signer(Buffer.from(input)).toString('base64url')}`;
}

export interface TokenSpec {
  key: TestKey;
  now?: number;
  /** Seconds since the epoch; default 10 minutes after `now`. */
  exp?: number;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** Claim names to leave out. */
  omit?: string[];
}

/** A Gatehouse access token; every part can be overridden or left out. */
export function signTestToken(spec: TokenSpec): string {
  const now = Math.floor((spec.now ?? T0) / 1000);
  const header = { alg: spec.key.alg, kid: spec.key.kid, typ: 'at+jwt', ...spec.header };
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    iat: now,
    exp: spec.exp ?? now + 600,
    jti: randomUUID(),
    sid: 'session-1',
    email: 'ada@example.com',
    name: 'Ada',
    roles: ['user'],
    scope: 'openid profile',
    ...spec.claims,
  };
  for (const name of spec.omit ?? []) delete claims[name];
  return signRaw(header, claims, spec.key.sign);
}

/** HS256 with the public key's bytes as the secret: the classic algorithm-confusion forgery. */
export function hmacWithPublicKey(key: TestKey, header: object, payload: object): string {
  const secret = key.publicKey.export({ format: 'pem', type: 'spki' });
  return signRaw(header, payload, (data) => createHmac('sha256', secret).update(data).digest());
}

/** A JWKS endpoint on port 0 whose document, headers and availability tests control. */
export async function startJwksServer(document: object, cacheControl?: string) {
  let current = document;
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests += 1;
    res.setHeader('content-type', 'application/json');
    if (cacheControl) res.setHeader('cache-control', cacheControl);
    res.end(JSON.stringify(current));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/auth/.well-known/jwks.json`,
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

/** A listener that only counts what reaches it (for `jku`/`x5u` that must never be fetched). */
export async function startCountingListener() {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests += 1;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A verifier wired to a test JWKS URL and clock, with our issuer and audience; no revocation feed unless given. */
export function testVerifier(options: Partial<TokenVerifierOptions> & { jwksUrl: string }) {
  return createTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    revocationsUrl: false,
    ...options,
  });
}

/** A fetch that counts calls and can be switched off, wrapping the real one. */
export function countingFetch() {
  let calls = 0;
  let failing = false;
  const fetchFn: typeof fetch = async (input, init) => {
    calls += 1;
    if (failing) throw new TypeError('fetch failed: connection refused');
    return fetch(input, init);
  };
  return {
    fetch: fetchFn,
    get calls() {
      return calls;
    },
    fail(value: boolean) {
      failing = value;
    },
  };
}

/** The refusal reason of a verification, or `accepted`: tests assert on the code first. */
export async function reasonOf(promise: Promise<unknown>): Promise<TokenErrorReason | 'accepted'> {
  try {
    await promise;
    return 'accepted';
  } catch (err) {
    if (!isTokenError(err)) throw err;
    return err.reason;
  }
}
