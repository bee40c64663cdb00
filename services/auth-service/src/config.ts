import { loadConfig as loadSharedConfig, type Env, type EnvValues } from '@gatehouse/shared';
import {
  buildDatabaseConfig,
  checkReplicatedServer,
  databaseEnvSpec,
} from './config/database-env.js';
import { buildDeviceConfig, deviceEnvSpec } from './config/device-env.js';
import { buildServiceConfig, serviceEnv } from './config/service-env.js';
import { providerEnvSpec, providerIds } from './config/provider-env.js';
import { buildSignInConfig, signInEnv } from './config/sign-in-env.js';
import { buildTokenConfig, tokenEnvSpec } from './config/token-env.js';

/**
 * Every variable the auth-service reads with the default PROVIDERS (google), one schema
 * assembled from per-concern fragments (src/config/*-env.ts). A fragment exports its EnvSpec
 * and a builder for its part of Config. What a given environment reads is envSpecFor(env):
 * this plus the `<ID>_*` variables of every other provider PROVIDERS names.
 */
export const envSpec = {
  ...serviceEnv,
  ...signInEnv,
  ...providerEnvSpec('google'),
  ...tokenEnvSpec,
  ...deviceEnvSpec,
  ...databaseEnvSpec,
};

/** The variables `env` makes the auth-service read: envSpec with its providers' variables. */
export function envSpecFor(env: Env): typeof envSpec {
  const ids = providerIds(env);
  const providers = Object.assign({}, ...ids.map(providerEnvSpec)) as object;
  const { ...rest } = envSpec as Record<string, unknown>;
  if (!ids.includes('google')) {
    for (const name of Object.keys(providerEnvSpec('google'))) delete rest[name];
  }
  return { ...rest, ...providers } as typeof envSpec;
}

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
  return loadSharedConfig('auth-service', envSpecFor(env), env, build);
}
