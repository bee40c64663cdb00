import type { JWTPayload } from 'jose';
import type { IssuedCode } from './fake-google-types.js';
import { createFakeIdTokenSigner } from './fake-id-token-signer.js';

export interface FakeGoogleIdTokens {
  /** The published JWKS: the genuine signing key only. */
  readonly jwks: { keys: object[] };
  /** The id_token for a redeemed code, shaped by the misbehaviour captured with it. */
  sign(issued: IssuedCode): Promise<string>;
}

/**
 * The fake Google's id_tokens: RS256 under a published kid, or, per misbehaviour, a wrong
 * key, an unknown kid, `alg: none`, HS256 with the client secret (fake-id-token-signer.ts),
 * and wrong or missing claims.
 */
export async function createFakeGoogleIdTokens(options: {
  issuer: string;
  clientSecret: string;
  now: () => number;
}): Promise<FakeGoogleIdTokens> {
  const { issuer, clientSecret, now } = options;
  const signer = await createFakeIdTokenSigner({ kid: 'fake-google-1', clientSecret });

  async function sign(issued: IssuedCode): Promise<string> {
    const m = issued.misbehaviour;
    const seconds = Math.floor(now() / 1000);
    const iat = m.expired ? seconds - 7200 : seconds + (m.issuedInFuture ?? 0);
    const profile =
      m.userinfoSub || m.answers?.userinfo
        ? {}
        : { name: issued.user.name, picture: issued.user.picture };
    const payload: JWTPayload = {
      iss: m.iss ?? issuer,
      aud: m.aud ?? issued.clientId,
      azp: m.azp ?? issued.clientId,
      sub: issued.user.sub,
      email: issued.user.email,
      email_verified: issued.user.email_verified,
      ...(issued.user.hd ? { hd: issued.user.hd } : {}),
      ...profile,
      ...issued.user.claims,
      ...(m.omitNonce ? {} : { nonce: m.nonce ?? issued.nonce }),
      iat,
      exp: iat + 3600,
    };
    return signer.sign(payload, m);
  }

  return { jwks: signer.jwks, sign };
}
