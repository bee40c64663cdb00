import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import { signedInSession } from '../support/session-token.js';
import { startSystem, type RunningSystem } from '../support/start-system.js';
import {
  getJwksVerifier,
  jsonwebtokenVerifier,
  oauth4webapiVerifier,
  startAuth0Verifier,
  type ThirdPartyVerifier,
  type VerifierTarget,
} from '../support/third-party-verifiers.js';

const ALGS = ['ES256', 'EdDSA', 'RS256'] as const;
type Alg = (typeof ALGS)[number];

/** One running system per signing algorithm, with a token it issued to a browser session. */
const systems = new Map<Alg, { system: RunningSystem; token: string }>();

beforeAll(async () => {
  for (const alg of ALGS) {
    const system = await startSystem({ authEnv: { JWT_ALG: alg } });
    systems.set(alg, { system, token: await (await signedInSession(system))() });
  }
});
afterAll(async () => {
  for (const { system } of systems.values()) await system.close();
});

const target = (alg: Alg): VerifierTarget => ({
  issuer: `${systems.get(alg)!.system.url}/auth`,
  audience: 'gatehouse-api',
});

/** Builds a verifier, verifies, and always closes it. */
async function verifyWith(
  build: (target: VerifierTarget) => Promise<ThirdPartyVerifier>,
  alg: Alg,
): Promise<Record<string, unknown>> {
  const verifier = await build(target(alg));
  try {
    return await verifier.verify(systems.get(alg)!.token);
  } finally {
    await verifier.close();
  }
}

describe('strict RFC 9068 verifiers accept our access tokens', () => {
  it.each(ALGS)(
    'when express-oauth2-jwt-bearer runs with strict: true, then it accepts an %s token with client_id gatehouse-web',
    async (alg) => {
      const claims = await verifyWith((t) => startAuth0Verifier(t, { strict: true }), alg);
      expect(claims).toMatchObject({ iss: target(alg).issuer, client_id: 'gatehouse-web' });
    },
  );

  it.each(ALGS)(
    'when express-oauth2-jwt-bearer discovers through RFC 8414, then it accepts an %s token',
    async (alg) => {
      const metadataUrl = `${systems.get(alg)!.system.url}/.well-known/oauth-authorization-server/auth`;
      const claims = await verifyWith(
        (t) => startAuth0Verifier(t, { strict: true, metadataUrl }),
        alg,
      );
      expect(claims.client_id).toBe('gatehouse-web');
    },
  );

  it.each(ALGS)(
    'when oauth4webapi validateJwtAccessToken checks an %s token, then every RFC 9068 claim is there',
    async (alg) => {
      const claims = await verifyWith((t) => oauth4webapiVerifier(t), alg);
      expect(decodeProtectedHeader(systems.get(alg)!.token)).toMatchObject({ alg, typ: 'at+jwt' });
      expect(claims).toMatchObject({
        iss: target(alg).issuer,
        aud: 'gatehouse-api',
        client_id: 'gatehouse-web',
        sub: expect.any(String),
        jti: expect.any(String),
        iat: expect.any(Number),
        exp: expect.any(Number),
      });
    },
  );
});

describe('lenient verifiers, and which algorithm the widest range accepts', () => {
  it.each(['ES256', 'RS256'] as const)(
    'when jsonwebtoken + jwks-rsa verifies an %s token, then it accepts it',
    async (alg) => {
      expect(await verifyWith(jsonwebtokenVerifier, alg)).toMatchObject({
        client_id: 'gatehouse-web',
      });
    },
  );

  it.each(['ES256', 'RS256'] as const)(
    'when jsonwebtoken + get-jwks verifies an %s token, then it accepts it',
    async (alg) => {
      expect(await verifyWith(getJwksVerifier, alg)).toMatchObject({ client_id: 'gatehouse-web' });
    },
  );

  it('when jsonwebtoken + jwks-rsa meets an EdDSA token, then it refuses it (no Ed25519 keys in jsonwebtoken)', async () => {
    await expect(verifyWith(jsonwebtokenVerifier, 'EdDSA')).rejects.toThrow(
      /Unknown key type "ed25519"/,
    );
  });

  it('when jsonwebtoken + get-jwks meets an EdDSA token, then it refuses it (no OKP keys)', async () => {
    await expect(verifyWith(getJwksVerifier, 'EdDSA')).rejects.toThrow(
      /Unsupported key type "OKP"/,
    );
  });
});
