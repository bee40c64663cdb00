import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { silentLogger } from '@gatehouse/shared';
import type { TokenConfig } from '../../src/tokens/token-config.js';
import { generatePrivateKey, type SigningAlg } from '../../src/keys/signing-alg.js';

/** A fresh DATA_DIR for one test. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'gatehouse-tokens-'));
}

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let current = start;
  return {
    now: () => current,
    advance: (ms: number) => {
      current += ms;
    },
    set: (ms: number) => {
      current = ms;
    },
  };
}

/** TokenConfig with test-friendly values; override what a test is about. */
export function tokenConfig(overrides: Partial<TokenConfig> = {}): TokenConfig {
  return {
    issuer: 'http://localhost:8080/auth',
    audience: 'gatehouse-api',
    alg: 'ES256',
    accessTokenTtl: 600,
    clientTokenTtl: 300,
    clockSkew: 60,
    keyPublishDelay: 900,
    jwksMaxAge: 300,
    rateLimit: 0,
    signingKeys: undefined,
    ...overrides,
  };
}

/** A private JWK as a secret manager would hold it. */
export function privateJwk(alg: SigningAlg = 'ES256'): Record<string, unknown> {
  return generatePrivateKey(alg).export({ format: 'jwk' }) as Record<string, unknown>;
}

/** Logger that records warnings, to assert the loud development notice. */
export function recordingLogger() {
  const infos: string[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  return {
    infos,
    warnings,
    errors,
    logger: {
      info: (_obj: unknown, message?: string) => void infos.push(String(message)),
      warn: (_obj: unknown, message?: string) => void warnings.push(String(message)),
      error: (_obj: unknown, message?: string) => void errors.push(String(message)),
    } as unknown as Pick<ReturnType<typeof silentLogger>, 'info' | 'warn' | 'error'>,
  };
}
