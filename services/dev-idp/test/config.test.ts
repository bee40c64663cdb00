import { describe, expect, it } from '@jest/globals';
import { configProblems } from '../../../test/support/config-problems.js';
import { silentLogger } from '@gatehouse/shared';
import { createApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';

const problemsOf = (env: Record<string, string>) => configProblems(loadConfig, env);

describe('dev-idp configuration', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    expect(loadConfig({})).toEqual({
      port: 4003,
      host: '0.0.0.0',
      shutdownTimeoutMs: 10_000,
      production: false,
      issuer: 'http://localhost:4003',
      client: {
        clientId: 'gatehouse-dev',
        clientSecret: 'gatehouse-dev-secret',
        redirectUris: ['http://localhost:8080/auth/connect/google/callback'],
      },
      trustProxy: false,
      logLevel: 'info',
      nodeEnv: 'development',
      limits: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 60_000,
        maxConnections: 10_000,
        maxConnectionsPerAddress: 0,
      },
    });
  });

  it('when NODE_ENV=production, then start-up is refused with a message saying why', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/NODE_ENV=production/);
    expect(problems[0]).toMatch(/refuses to run in production/);
  });

  it('when a production config is handed to createApp directly, then it refuses too', () => {
    const config = { ...loadConfig({}), nodeEnv: 'production' } as Config;
    expect(() => createApp(config, { logger: silentLogger() })).toThrow(/NODE_ENV=production/);
  });

  it('when several redirect URIs are listed, then each is kept exactly as written', () => {
    const config = loadConfig({
      DEV_IDP_REDIRECT_URIS:
        'http://localhost:8080/auth/connect/google/callback, https://app.test/cb/',
    });
    expect(config.client.redirectUris).toEqual([
      'http://localhost:8080/auth/connect/google/callback',
      'https://app.test/cb/',
    ]);
  });

  it('when values are malformed, then every problem is listed at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DEV_IDP_ISSUER: 'localhost:4003',
      DEV_IDP_REDIRECT_URIS: 'ftp://x/cb,http://ok.test/cb#frag',
      LOG_LEVEL: 'chatty',
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'LOG_LEVEL',
      'PORT',
      'DEV_IDP_ISSUER',
      'DEV_IDP_REDIRECT_URIS',
    ]);
    expect(problems[3]).toMatch(/"ftp:\/\/x\/cb"/);
    expect(problems[3]).toMatch(/"http:\/\/ok.test\/cb#frag"/);
  });

  it('when the issuer has a path, then it is refused (oidc-provider is served at the root)', () => {
    expect(problemsOf({ DEV_IDP_ISSUER: 'http://localhost:4003/idp' })).toEqual([
      expect.stringMatching(/^DEV_IDP_ISSUER must be an origin without a path/),
    ]);
  });

  it('when the client secret is malformed, then the error never echoes it', () => {
    // A list with only blanks is not a valid redirect list; the secret must stay out of messages.
    const problems = problemsOf({ DEV_IDP_CLIENT_SECRET: 's3cr3t', DEV_IDP_REDIRECT_URIS: ' , ' });
    expect(problems.join('\n')).not.toContain('s3cr3t');
  });
});
