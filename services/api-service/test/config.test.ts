import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@gatehouse/shared';
import { loadConfig } from '../src/config.js';

describe('api-service loadConfig', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4002,
      trustProxy: true,
      verifier: {
        jwksUrl: 'http://localhost:4001/auth/.well-known/jwks.json',
        issuer: 'http://localhost:8080/auth',
        audience: 'gatehouse-api',
        algorithms: ['ES256', 'EdDSA', 'RS256'],
        clockTolerance: 30,
        jwksCacheMaxAge: 300,
        jwksMaxStale: 3600,
        jwksRefetchCooldown: 30,
        tokenCacheSize: 10_000,
      },
    });
    expect(Object.isFrozen(config.verifier)).toBe(true);
  });

  it('when several values are wrong, then every problem is listed at once', () => {
    let error: unknown;
    try {
      loadConfig({
        JWT_ALGORITHMS: 'ES256,HS256,none',
        JWKS_URL: 'file:///etc/passwd',
        TOKEN_CACHE_SIZE: '-1',
        TRUST_PROXY: 'maybe',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^JWKS_URL /m);
    expect(problems).toMatch(/^JWT_ALGORITHMS /m);
    expect(problems).toMatch(/^TOKEN_CACHE_SIZE /m);
    expect(problems).toMatch(/^TRUST_PROXY /m);
  });

  it('when NODE_ENV=production and the issuer is http, then start-up is refused', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_ISSUER must be https/);
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_ISSUER: 'https://app.example.com/auth' }).production,
    ).toBe(true);
  });

  it('when JWT_ALGORITHMS and the cache size are set, then they are parsed', () => {
    const config = loadConfig({ JWT_ALGORITHMS: ' EdDSA , ES256 ', TOKEN_CACHE_SIZE: '0' });
    expect(config.verifier.algorithms).toEqual(['EdDSA', 'ES256']);
    expect(config.verifier.tokenCacheSize).toBe(0);
  });
});
