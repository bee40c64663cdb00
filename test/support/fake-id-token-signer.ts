import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { Misbehaviour } from './fake-google-types.js';

/** The misbehaviours that are about the signature rather than the claims. */
export type SigningMisbehaviour = Pick<
  Misbehaviour,
  'badSignature' | 'algNone' | 'algHmac' | 'unknownKey'
>;

export interface FakeIdTokenSigner {
  /** The published JWKS: the genuine signing key only. */
  readonly jwks: { keys: object[] };
  /**
   * Signs `payload` RS256 under the published kid, or, per misbehaviour, with a wrong key,
   * an unknown kid, `alg: none`, or HS256 with the client secret.
   */
  sign(payload: JWTPayload, misbehaviour: SigningMisbehaviour): Promise<string>;
}

/** The key pair (and an impostor's) of an OpenID provider double; shared by the fakes. */
export async function createFakeIdTokenSigner(options: {
  kid: string;
  clientSecret: string;
}): Promise<FakeIdTokenSigner> {
  const { kid, clientSecret } = options;
  const signing = await generateKeyPair('RS256', { extractable: true });
  const impostor = await generateKeyPair('RS256');
  const jwks = {
    keys: [{ ...(await exportJWK(signing.publicKey)), kid, alg: 'RS256', use: 'sig' }],
  };

  async function sign(payload: JWTPayload, m: SigningMisbehaviour): Promise<string> {
    if (m.algNone) {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
    }
    if (m.algHmac) {
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode(clientSecret));
    }
    const key: CryptoKey =
      m.badSignature || m.unknownKey ? impostor.privateKey : signing.privateKey;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: m.unknownKey ? 'not-in-jwks' : kid, typ: 'JWT' })
      .sign(key);
  }

  return { jwks, sign };
}
