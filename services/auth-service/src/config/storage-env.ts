import type { EnvValues, ReportProblem } from '@gatehouse/shared';
import { buildDatabaseConfig, databaseEnvSpec } from './database-env.js';
import { serviceEnv } from './service-env.js';

/** Where the state is: what the server and every CLI (users, clients, keys) read alike. */
export const storageEnvSpec = {
  DATA_DIR: serviceEnv.DATA_DIR,
  ...databaseEnvSpec,
};

/** DATA_DIR, and PostgreSQL when DATABASE_URL is set: what db/open-stores.ts opens. */
export function buildStorageConfig(
  values: EnvValues<typeof storageEnvSpec>,
  problem: ReportProblem,
) {
  return { dataDir: values.DATA_DIR, ...buildDatabaseConfig(values, problem) };
}

export type StorageConfig = Readonly<ReturnType<typeof buildStorageConfig>>;
