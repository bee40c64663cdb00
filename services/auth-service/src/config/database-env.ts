import { commaList, envVar, integer, type EnvValues, type ReportProblem } from '@gatehouse/shared';
import { z } from 'zod';
import { parseEncryptionKeys } from '../keys/key-encryption.js';

/** The auth-service variables for shared state in PostgreSQL (db/postgres/). */
export const databaseEnvSpec = {
  DATABASE_URL: envVar(
    'PostgreSQL URL (postgres://user:password@host:5432/db); set: shared state lives there, so several replicas can run',
    z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    { secret: true },
  ),
  DATABASE_POOL_MAX: envVar(
    'most PostgreSQL connections one replica opens (1 to 100)',
    integer(1).max(100).default(10),
  ),
  DATABASE_TIMEOUT_MS: envVar(
    'how long a PostgreSQL connection or statement may take before the request fails with 503',
    integer(100).max(120_000).default(5000),
    { unit: 'ms' },
  ),
  KEY_ENCRYPTION_KEY: envVar(
    'comma list of id:base64 32-byte keys encrypting signing keys in PostgreSQL; the first encrypts, all decrypt',
    commaList().optional(),
    { secret: true },
  ),
};

export function buildDatabaseConfig(
  values: EnvValues<typeof databaseEnvSpec>,
  problem: ReportProblem,
) {
  let encryptionKeys = undefined;
  if (values.KEY_ENCRYPTION_KEY !== undefined) {
    try {
      encryptionKeys = parseEncryptionKeys(values.KEY_ENCRYPTION_KEY);
    } catch (err) {
      problem(`KEY_ENCRYPTION_KEY ${(err as Error).message}`);
    }
  }
  const url = values.DATABASE_URL;
  return {
    database:
      url === undefined
        ? undefined
        : {
            url,
            poolMax: values.DATABASE_POOL_MAX,
            timeoutMs: values.DATABASE_TIMEOUT_MS,
            encryptionKeys,
          },
  };
}

/**
 * What the server alone requires with DATABASE_URL: every replica must seal and open signing
 * keys (KEY_ENCRYPTION_KEY, unless SIGNING_KEYS brings them) and sign cookies alike
 * (SESSION_KEYS; the development key file is per replica).
 */
export function checkReplicatedServer(
  values: EnvValues<typeof databaseEnvSpec> & {
    SIGNING_KEYS?: unknown;
    SESSION_KEYS?: readonly string[] | undefined;
  },
  problem: ReportProblem,
): void {
  if (values.DATABASE_URL === undefined) return;
  if (values.KEY_ENCRYPTION_KEY === undefined && values.SIGNING_KEYS === undefined) {
    problem(
      'KEY_ENCRYPTION_KEY is required with DATABASE_URL (signing keys are stored encrypted), e.g. `main:$(openssl rand -base64 32)`',
    );
  }
  if ((values.SESSION_KEYS ?? []).length === 0) {
    problem(
      'SESSION_KEYS is required with DATABASE_URL (every replica must sign cookies with the same keys)',
    );
  }
}

/** PostgreSQL settings when DATABASE_URL is set. */
export type DatabaseConfig = NonNullable<ReturnType<typeof buildDatabaseConfig>['database']>;
