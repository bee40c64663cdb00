import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  readCompose,
  readEnvFile,
  referencedVariables,
  resolveEnvironment,
  type ComposeService,
  type Vars,
} from './support/compose-env.js';
import { SERVICES, type ServiceConfigModule } from './support/service-configs.js';

/**
 * docker-compose.yml cannot drift from the code: each service's `environment`, resolved as
 * compose would with .env.example, must pass that service's own config loader, and every
 * variable it sets must be one the service reads.
 */
const root = new URL('..', import.meta.url).pathname;
const composeText = readFileSync(`${root}docker-compose.yml`, 'utf8');
const compose = readCompose(`${root}docker-compose.yml`);
const envExample = readEnvFile(`${root}.env.example`);
const readme = readFileSync(`${root}README.md`, 'utf8');

/** A production `.env`: what README tells an operator to change from .env.example. */
const productionEnv = {
  ...envExample,
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://gatehouse.example.com',
  GOOGLE_CLIENT_ID: '123-abc.apps.googleusercontent.com',
  GOOGLE_CLIENT_SECRET: 'GOCSPX-not-a-real-secret',
  GOOGLE_ISSUER: '',
  GOOGLE_BACKCHANNEL_URL: '',
  SESSION_KEYS: 'a-session-key-of-at-least-32-characters-0123',
};

const composed = Object.entries(compose).map(([name, service]) => {
  const workspace = service.build?.args?.SERVICE;
  const known = SERVICES.find((s) => s.workspace === workspace);
  if (!known) throw new Error(`compose service ${name} builds unknown workspace ${workspace}`);
  return { name, service, workspace: known.workspace, config: known.config };
});

/** Loading `service`'s compose environment, resolved against `vars`, with its own loader. */
function loadWith(service: ComposeService, config: ServiceConfigModule, vars: Vars) {
  return () => config.loadConfig(resolveEnvironment(service, vars));
}

describe('docker-compose.yml', () => {
  it('when it is read, then it runs every service (the dev-idp under the dev profile only)', () => {
    expect(composed.map((c) => c.workspace).sort()).toEqual(
      SERVICES.map((s) => s.workspace).sort(),
    );
    expect(compose['dev-idp']?.profiles).toEqual(['dev']);
    expect(compose['gateway']?.ports).toEqual(['${GATEWAY_PORT:-8080}:8080']);
    for (const name of ['auth-service', 'api-service'])
      expect(compose[name]?.ports).toBeUndefined();
  });

  it.each(composed.map((c) => [c.name, c] as const))(
    'when %s gets its environment from .env.example, then its own config loader accepts it',
    (_name, { service, config }) => {
      expect(loadWith(service, config, envExample)).not.toThrow();
    },
  );

  it.each(composed.filter((c) => c.name !== 'dev-idp').map((c) => [c.name, c] as const))(
    'when %s gets a production .env, then its own config loader accepts it',
    (_name, { service, config }) => {
      expect(loadWith(service, config, productionEnv)).not.toThrow();
    },
  );

  it('when NODE_ENV=production is left with the dev-idp issuer, then the auth-service refuses it', () => {
    const { service, config } = composed.find((c) => c.name === 'auth-service')!;

    const devIssuerInProduction = { ...productionEnv, GOOGLE_ISSUER: 'http://localhost:4003' };

    expect(loadWith(service, config, devIssuerInProduction)).toThrow(/GOOGLE_ISSUER/);
  });

  it.each(composed.map((c) => [c.name, c] as const))(
    'when %s sets a variable, then that service declares it (no silently ignored names)',
    (_name, { service, config }) => {
      const declared = Object.keys(config.envSpec);
      const set = Object.keys(resolveEnvironment(service, envExample));
      expect(set.filter((name) => !declared.includes(name))).toEqual([]);
    },
  );

  it.each(composed.map((c) => [c.name, c] as const))(
    "when %s is health-checked, then the image's PORT build argument is the port it listens on",
    (_name, { service }) => {
      expect(resolveEnvironment(service, envExample).PORT).toBe(service.build?.args?.PORT);
    },
  );

  it('when a service URL names another compose service, then it uses that service port', () => {
    const ports = Object.fromEntries(
      composed.map((c) => [c.name, resolveEnvironment(c.service, envExample).PORT]),
    );
    const links = composed.flatMap((c) =>
      Object.values(resolveEnvironment(c.service, envExample)).flatMap((value) => {
        const match = /^https?:\/\/([a-z-]+):(\d+)/.exec(value);
        return match && match[1]! in ports ? [[match[1], match[2], ports[match[1]!]]] : [];
      }),
    );

    expect(links.length).toBeGreaterThan(0);
    for (const [host, port, listening] of links)
      expect({ host, port }).toEqual({ host, port: listening });
  });

  it('when .env.example is read, then it lists every variable docker-compose.yml uses', () => {
    const used = [...referencedVariables(composeText)];

    expect(used.filter((name) => !(name in envExample))).toEqual([]);
  });

  it('when .env lacks PUBLIC_URL, then compose refuses to start with a pointer to .env', () => {
    const withoutPublicUrl = { ...envExample, PUBLIC_URL: undefined };

    for (const name of ['gateway', 'auth-service', 'api-service']) {
      expect(() => resolveEnvironment(compose[name]!, withoutPublicUrl)).toThrow(
        /set PUBLIC_URL in \.env/,
      );
    }
  });

  it.each(SERVICES.map((s) => [s.name, s] as const))(
    'when %s declares a variable, then .env.example or README documents it',
    (_name, { config }) => {
      const undocumented = Object.keys(config.envSpec).filter(
        (name) => !(name in envExample) && !readme.includes(`\`${name}\``),
      );
      expect(undocumented).toEqual([]);
    },
  );
});
