import { ConfigError, type Env } from '@gatehouse/shared';

/** The problems a service's `loadConfig` lists for `env`; fails when it accepts `env`. */
export function configProblems(loadConfig: (env: Env) => unknown, env: Env): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
