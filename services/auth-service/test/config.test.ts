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
    expect(config.google.issuer).toBe('https://accounts.google.com');
    expect(config.google.redirectUri).toBe('http://localhost:8080/auth/connect/google/callback');
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
    });
  });
});
