import { describe, expect, it } from '@jest/globals';
import { configProblems } from '../../../test/support/config-problems.js';

import { loadConfig } from '../src/config.js';

const valid = {
  GOOGLE_CLIENT_ID: 'client',
  GOOGLE_CLIENT_SECRET: 'secret',
  SESSION_KEYS: 'k'.repeat(32),
};

const problems = (env: Record<string, string>) => configProblems(loadConfig, env);

describe('auth-service configuration', () => {
  it('when only the client is given, then safe defaults fill the rest', () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(4001);
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.providers).toMatchObject([
      {
        id: 'google',
        kind: 'google',
        name: 'Google',
        issuer: 'https://accounts.google.com',
        redirectUri: 'http://localhost:8080/auth/connect/google/callback',
      },
    ]);
    expect(config.session).toMatchObject({
      secureCookie: false,
      keysGenerated: false,
      idleTimeoutMs: 8 * 3600 * 1000,
      maxAgeMs: 7 * 24 * 3600 * 1000,
    });
    expect(Object.isFrozen(config.session)).toBe(true);
  });

  it('when several variables are bad, then every problem is listed at once', () => {
    const found = problems({
      PORT: 'eighty',
      GOOGLE_ISSUER: 'not a url',
      SESSION_IDLE_TIMEOUT: '-1',
      TRUST_PROXY: 'maybe',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT /),
        expect.stringMatching(/^GOOGLE_ISSUER must be an absolute URL/),
        expect.stringMatching(/^GOOGLE_CLIENT_ID is required/),
        expect.stringMatching(/^GOOGLE_CLIENT_SECRET is required/),
        expect.stringMatching(/^SESSION_IDLE_TIMEOUT /),
        expect.stringMatching(/^TRUST_PROXY /),
      ]),
    );
  });

  it('when production lacks SESSION_KEYS and uses http issuer and public URL, then each is a problem', () => {
    const found = problems({
      GOOGLE_CLIENT_ID: 'client',
      GOOGLE_CLIENT_SECRET: 'secret',
      NODE_ENV: 'production',
      GOOGLE_ISSUER: 'http://localhost:4003',
      PUBLIC_URL: 'http://localhost:8080',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'SESSION_KEYS is required when NODE_ENV=production',
        'GOOGLE_ISSUER must be https:// when NODE_ENV=production',
        'PUBLIC_URL must be https:// when NODE_ENV=production (cookies must be Secure)',
      ]),
    );
  });

  it('when SESSION_KEYS is missing outside production, then the key is left to DATA_DIR and flagged', () => {
    const config = loadConfig({ GOOGLE_CLIENT_ID: 'c', GOOGLE_CLIENT_SECRET: 's' });
    expect(config.session.keysGenerated).toBe(true);
    expect(config.session.keys).toEqual([]);
  });

  it('when a session key is short, idle exceeds max age, or PUBLIC_URL has a path, then each is reported', () => {
    const found = problems({
      ...valid,
      SESSION_KEYS: `${'k'.repeat(32)},short`,
      SESSION_IDLE_TIMEOUT: '7200',
      SESSION_MAX_AGE: '3600',
      PUBLIC_URL: 'https://app.example.com/base',
    });
    expect(found).toEqual([
      'PUBLIC_URL must be an origin without a path or credentials, e.g. https://app.example.com',
      expect.stringMatching(/^SESSION_KEYS entries must be at least 32 characters/),
      'SESSION_IDLE_TIMEOUT must not exceed SESSION_MAX_AGE',
    ]);
  });

  it('when a secret is malformed, then its value is never echoed', () => {
    let message = '';
    try {
      loadConfig({ ...valid, SESSION_KEYS: 'tiny-secret-value' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('SESSION_KEYS');
    expect(message).not.toContain('tiny-secret-value');
  });

  it('when PUBLIC_URL is https, then the session cookie is Secure and lists are normalised', () => {
    const config = loadConfig({
      ...valid,
      PUBLIC_URL: 'https://app.example.com',
      ALLOWED_EMAILS: 'Ada@Example.com, bob@example.com',
      ALLOWED_DOMAINS: 'Example.COM',
    });
    expect(config.session.secureCookie).toBe(true);
    expect(config.admission).toEqual({
      allowedEmails: ['ada@example.com', 'bob@example.com'],
      allowedDomains: ['example.com'],
      explainRefusals: true,
    });
  });

  it('when ALLOWED_DOMAINS holds something that is not a domain, then each entry is a problem that shows the fix', () => {
    const found = problems({
      ...valid,
      ALLOWED_DOMAINS: '@example.com,example.com;corp.com,*.example.com,me@example.com',
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^ALLOWED_DOMAINS has "@example.com": write the domain without @, e.g. example.com/,
      ),
    ]);
    expect(found[0]).toContain('"example.com;corp.com": separate entries with commas');
    expect(found[0]).toContain('"*.example.com": wildcards are not supported');
    expect(found[0]).toContain('"me@example.com", an email: put emails in ALLOWED_EMAILS');
  });

  it('when ALLOWED_EMAILS holds a domain or a non-address, then each is a problem', () => {
    const [found] = problems({ ...valid, ALLOWED_EMAILS: 'example.com,bob,ada@example.com' });
    expect(found).toMatch(
      /^ALLOWED_EMAILS has "example.com", a domain: put domains in ALLOWED_DOMAINS/,
    );
    expect(found).toContain('"bob", which is not an email address');
    expect(found).not.toContain('has "ada@example.com"');
  });

  it('when JWT_ALG or ACCESS_TOKEN_TTL is malformed, then the message lists the choices and the unit', () => {
    expect(problems({ ...valid, JWT_ALG: 'HS256', ACCESS_TOKEN_TTL: '10m' })).toEqual([
      'JWT_ALG must be one of ES256, EdDSA, RS256 (got "HS256")',
      'ACCESS_TOKEN_TTL must be a whole number of seconds (got "10m")',
    ]);
    expect(problems({ ...valid, ACCESS_TOKEN_TTL: '5' })).toEqual([
      'ACCESS_TOKEN_TTL must be at least 60 seconds (got "5")',
    ]);
  });

  it('when production has a malformed variable too, then the production problems are listed in the same error', () => {
    const found = problems({
      NODE_ENV: 'production',
      GOOGLE_CLIENT_ID: 'client',
      GOOGLE_CLIENT_SECRET: 'secret',
      PUBLIC_URL: 'https://app.example.com',
      JWT_ALG: 'HS256',
    });
    expect(found).toEqual([
      expect.stringMatching(/^JWT_ALG must be one of/),
      'SESSION_KEYS is required when NODE_ENV=production',
    ]);
  });
});
