import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@gatehouse/shared';
import { loadConfig } from '../../src/config.js';
import { privateJwk } from '../support/key-fixtures.js';

const base = { GOOGLE_CLIENT_ID: 'client', GOOGLE_CLIENT_SECRET: 'secret' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('token configuration', () => {
  it('when nothing is set, then the contract defaults apply', () => {
    expect(loadConfig(base).tokens).toEqual({
      issuer: 'http://localhost:8080/auth',
      audience: 'gatehouse-api',
      alg: 'ES256',
      accessTokenTtl: 600,
      clientTokenTtl: 300,
      clockSkew: 60,
      keyPublishDelay: 900,
      jwksMaxAge: 300,
      rateLimit: 60,
      signingKeys: undefined,
    });
  });

  it('when CLIENT_TOKEN_TTL is unset, set, or longer than ACCESS_TOKEN_TTL, then 300 s or the shorter, the value, or a problem', () => {
    expect(loadConfig({ ...base, ACCESS_TOKEN_TTL: '120' }).tokens.clientTokenTtl).toBe(120);
    expect(loadConfig({ ...base, CLIENT_TOKEN_TTL: '60' }).tokens.clientTokenTtl).toBe(60);
    expect(problems({ CLIENT_TOKEN_TTL: '900' })).toEqual([
      'CLIENT_TOKEN_TTL (900) must not exceed ACCESS_TOKEN_TTL (600): lower it or leave it unset',
    ]);
    expect(problems({ CLIENT_TOKEN_TTL: '10' })).toEqual([
      expect.stringMatching(/^CLIENT_TOKEN_TTL must be at least 30 seconds/),
    ]);
  });

  it('when PUBLIC_URL is set, then the issuer is its origin plus /auth', () => {
    const config = loadConfig({ ...base, PUBLIC_URL: 'https://app.example.com/' });
    expect(config.tokens.issuer).toBe('https://app.example.com/auth');
  });

  it('when the publish delay is at its floor, then the JWKS max-age stays below it', () => {
    expect(loadConfig({ ...base, KEY_PUBLISH_DELAY: '660' }).tokens.jwksMaxAge).toBe(300);
  });

  it('when the publish delay is shorter than verifiers cache keys (10 minutes), then it is refused', () => {
    expect(problems({ KEY_PUBLISH_DELAY: '600' })).toEqual([
      expect.stringMatching(/^KEY_PUBLISH_DELAY .*660/),
    ]);
  });

  it('when values are out of bounds, then every problem is listed', () => {
    expect(
      problems({
        ACCESS_TOKEN_TTL: '5',
        JWT_ALG: 'HS256',
        AUTH_RATE_LIMIT: '-1',
        KEY_PUBLISH_DELAY: '1',
      }).map((p) => p.split(' ')[0]),
    ).toEqual(['JWT_ALG', 'ACCESS_TOKEN_TTL', 'KEY_PUBLISH_DELAY', 'AUTH_RATE_LIMIT']);
  });

  it('when SIGNING_KEYS holds a private JWKS, then its keys are parsed, first one signing', () => {
    const keys = [privateJwk('RS256'), privateJwk('EdDSA')];
    const config = loadConfig({
      ...base,
      JWT_ALG: 'RS256',
      SIGNING_KEYS: JSON.stringify({ keys }),
    });
    expect(config.tokens.signingKeys?.map((k) => k.alg)).toEqual(['RS256', 'EdDSA']);
  });

  it('when a SIGNING_KEYS key has a bad member, then the error names it and hides the value', () => {
    const jwk = privateJwk('ES256');
    const listed = problems({ SIGNING_KEYS: JSON.stringify({ keys: [{ ...jwk, crv: 'P-521' }] }) });
    expect(listed).toEqual([
      'SIGNING_KEYS keys[0]: "crv" must be "P-256" for EC or "Ed25519" for OKP (got "P-521")',
    ]);
    expect(listed.join()).not.toContain(String(jwk.d));
  });

  it('when SIGNING_KEYS is not a key set, then the error shows the expected shape', () => {
    expect(problems({ SIGNING_KEYS: '{"kty":"EC"}' })).toEqual([
      'SIGNING_KEYS must be a JSON Web Key Set with at least one key: {"keys":[{...}]}',
    ]);
    expect(problems({ SIGNING_KEYS: 'not json' })[0]).toMatch(/must be a JSON Web Key Set/);
  });

  it('when JWT_ALG disagrees with the first SIGNING_KEYS key, then it is a problem', () => {
    expect(problems({ SIGNING_KEYS: JSON.stringify({ keys: [privateJwk('EdDSA')] }) })).toEqual([
      'JWT_ALG is ES256 but the first SIGNING_KEYS key is EdDSA: set JWT_ALG=EdDSA',
    ]);
  });
});
