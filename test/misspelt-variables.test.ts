import { afterEach, describe, expect, it } from '@jest/globals';
import { misspeltVariables } from '@gatehouse/shared';
import { readEnvFile } from './support/compose-env.js';
import { freePort } from './support/free-port.js';
import { SERVICES } from './support/service-configs.js';
import { startService, type ServiceProcess } from './support/service-process.js';
import { until } from './support/until.js';

/**
 * Typos in variable names are warned about once; real names never are. npm start gives every
 * service one environment, and .env is shared with compose, so no service may take another
 * service's variable, or one of compose's, for a typo of its own.
 */
const root = new URL('..', import.meta.url).pathname;
const everyName = [
  ...SERVICES.flatMap((s) => Object.keys(s.config.envSpec)),
  ...Object.keys(readEnvFile(`${root}.env.example`)),
  'AUTH_PORT',
  'API_PORT',
];
const running: ServiceProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop()));
});

describe('misspelt variables', () => {
  it.each(SERVICES.map((s) => [s.name, s] as const))(
    'when %s gets every variable of every service and of compose, then none is taken for a typo',
    (_name, { config }) => {
      const env = Object.fromEntries(everyName.map((name) => [name, 'x']));
      expect(misspeltVariables(env, Object.keys(config.envSpec))).toEqual([]);
    },
  );

  it('when the api-service is started with JWT_AUDEINCE, then it warns once with the likely name', async () => {
    const api = startService('api-service', await freePort(), {
      JWKS_URL: 'http://127.0.0.1:9/auth/.well-known/jwks.json',
      JWT_ISSUER: 'http://localhost:8080/auth',
      JWT_AUDEINCE: 'gatehouse-api',
    });
    running.push(api);
    const warning = await until('the warning', 10_000, async () =>
      api.logs.find((line) => /unknown variable/.test(line.msg)),
    );
    expect(warning).toMatchObject({
      level: 'warn',
      variable: 'JWT_AUDEINCE',
      msg: 'unknown variable JWT_AUDEINCE is ignored: did you mean JWT_AUDIENCE?',
    });
    expect(api.logs.filter((line) => /unknown variable/.test(line.msg))).toHaveLength(1);
  });
});
