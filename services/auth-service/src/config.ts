import { loadConfig as loadSharedConfig, type Env, type EnvValues } from '@gatehouse/shared';
import {
  buildDatabaseConfig,
  checkReplicatedServer,
  databaseEnvSpec,
} from './config/database-env.js';
import { buildDeviceConfig, deviceEnvSpec } from './config/device-env.js';
import { buildServiceConfig, serviceEnv } from './config/service-env.js';
import { buildSignInConfig, signInEnv } from './config/sign-in-env.js';
import { buildTokenConfig, tokenEnvSpec } from './config/token-env.js';

/**
 * Every variable the auth-service reads, one schema assembled from per-concern fragments
 * (src/config/*-env.ts). A fragment exports its EnvSpec and a builder for its part of Config.
 */
export const envSpec = {
  ...serviceEnv,
  ...signInEnv,
  ...tokenEnvSpec,
  ...deviceEnvSpec,
  ...databaseEnvSpec,
};

export type Config = Readonly<ReturnType<typeof build>>;

function build(values: EnvValues<typeof envSpec>, problem: (message: string) => void) {
  checkReplicatedServer(values, problem);
  return {
    service: 'auth-service' as const,
    ...buildServiceConfig(values, problem),
    ...buildSignInConfig(values, problem),
    ...buildTokenConfig(values, problem, new URL(values.PUBLIC_URL).origin),
    ...buildDeviceConfig(values),
    ...buildDatabaseConfig(values, problem),
  };
}

/** Validates `env` and returns the frozen configuration; throws ConfigError listing every problem. */
export function loadConfig(env: Env): Config {
  return loadSharedConfig('auth-service', envSpec, env, build);
}
