import type { Env, EnvSpec } from '@gatehouse/shared';
import * as gateway from '../../gateway/src/config.js';
import * as apiService from '../../services/api-service/src/config.js';
import * as authService from '../../services/auth-service/src/config.js';
import * as devIdp from '../../services/dev-idp/src/config.js';

/** A service's own configuration module: its variables and its loader. */
export interface ServiceConfigModule {
  readonly envSpec: EnvSpec;
  /** The variables a given environment makes the service read, where that depends on it. */
  readonly envSpecFor?: (env: Env) => EnvSpec;
  loadConfig(env: Env): unknown;
}

/**
 * Every service by workspace directory (the Dockerfile's SERVICE build argument) with the
 * name README's configuration section uses.
 */
export const SERVICES: readonly { workspace: string; name: string; config: ServiceConfigModule }[] =
  [
    { workspace: 'gateway', name: 'gateway', config: gateway },
    { workspace: 'services/auth-service', name: 'auth-service', config: authService },
    { workspace: 'services/api-service', name: 'api-service', config: apiService },
    { workspace: 'services/dev-idp', name: 'dev-idp', config: devIdp },
  ];

/** How README documents a variable's default: the value, `required`, or `—` (optional, none). */
export function documentedDefault(spec: EnvSpec, name: string): string {
  const variable = spec[name];
  if (!variable) throw new Error(`${name} is not in the spec`);
  const parsed = variable.schema.safeParse(undefined);
  if (!parsed.success) return 'required';
  if (parsed.data === undefined || variable.secret) return '—';
  const value = Array.isArray(parsed.data) ? parsed.data.join(',') : String(parsed.data);
  return value === '' ? '—' : value;
}
