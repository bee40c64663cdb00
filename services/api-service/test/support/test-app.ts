import { createHttpMetrics, createTokenVerifier, silentLogger } from '@gatehouse/shared';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { AUDIENCE, ISSUER, T0 } from '../../../../shared/test/tokens/support.js';

/**
 * The api-service as built by `createApp`, against a test JWKS and clock. The revocation check
 * is off unless `env` turns it on (its feed would be polled on the JWKS server otherwise).
 */
export function testApp(options: {
  jwksUrl: string;
  now?: () => number;
  env?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
}) {
  const config = loadConfig({
    JWKS_URL: options.jwksUrl,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    REVOCATION_CHECK: 'off',
    ...options.env,
  });
  const now = options.now ?? (() => T0);
  const verifier = createTokenVerifier({ ...config.verifier, now, fetch: options.fetch });
  const metrics = createHttpMetrics('api-service', { defaults: false });
  const app = createApp(config, { logger: silentLogger(), verifier, metrics, now });
  return { app, verifier, config, callback: app.callback() };
}
