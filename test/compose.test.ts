import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  interpolate,
  mergeCompose,
  readCompose,
  readEnvFile,
  referencedVariables,
  resolveEnvironment,
  type ComposeService,
  type Vars,
} from './support/compose-env.js';
import { SERVICES, type ServiceConfigModule } from './support/service-configs.js';

/**
 * docker-compose.yml (development, the zero-config default) and compose.prod.yaml (the
 * production override) cannot drift from the code: each service's `environment`, resolved as
 * compose would, must pass that service's own config loader, and every variable it sets must
 * be one the service reads. compose.scale.yaml (PostgreSQL and two replicas each of the
 * auth-service and api-service) is held to the same rules, and each second replica must be
 * exactly its first. test/compose-smoke/ runs the same files in real containers.
 */
const root = new URL('..', import.meta.url).pathname;
const composeText = ['docker-compose.yml', 'compose.prod.yaml', 'compose.scale.yaml']
  .map((file) => readFileSync(`${root}${file}`, 'utf8'))
  .join('\n');
const compose = readCompose(`${root}docker-compose.yml`);
const production = mergeCompose(compose, readCompose(`${root}compose.prod.yaml`));
const scaled = mergeCompose(compose, readCompose(`${root}compose.scale.yaml`));
const postgresImageScript = readFileSync(`${root}.ci/postgres-image`, 'utf8');
const ciRun = readFileSync(`${root}.ci/run`, 'utf8');
const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');
const envExample = readEnvFile(`${root}.env.example`);
const readme = readFileSync(`${root}README.md`, 'utf8');

/** A production `.env`: what README tells an operator to set on top of .env.example. */
const productionEnv = {
  ...envExample,
  PUBLIC_URL: 'https://gatehouse.example.com',
  GOOGLE_CLIENT_ID: '123-abc.apps.googleusercontent.com',
  GOOGLE_CLIENT_SECRET: 'GOCSPX-not-a-real-secret',
  SESSION_KEYS: 'a-session-key-of-at-least-32-characters-0123',
  ALLOWED_DOMAINS: 'gatehouse.example.com',
};

const composed = Object.entries(compose).map(([name, service]) => {
  const workspace = service.build?.args?.SERVICE;
  const known = SERVICES.find((s) => s.workspace === workspace);
  if (!known) throw new Error(`compose service ${name} builds unknown workspace ${workspace}`);
  return { name, service, workspace: known.workspace, config: known.config };
});

const inProduction = (name: string) => {
  const found = composed.find((c) => c.name === name)!;
  return { ...found, service: production[name]! };
};

/** Loading `service`'s compose environment, resolved against `vars`, with its own loader. */
function loadWith(service: ComposeService, config: ServiceConfigModule, vars: Vars) {
  return () => config.loadConfig(resolveEnvironment(service, vars));
}

/** A build argument as compose resolves it with no `.env`. */
function interpolateArg(value: string | undefined): string | undefined {
  return value === undefined ? undefined : resolveEnvironment({ environment: { value } }, {}).value;
}

describe('docker-compose.yml', () => {
  it('when it is read, then it runs every service, the dev-idp included, with no profile to remember', () => {
    expect(composed.map((c) => c.workspace).sort()).toEqual(
      SERVICES.map((s) => s.workspace).sort(),
    );
    for (const { service } of composed) expect(service.profiles).toBeUndefined();
    expect(compose['gateway']?.ports).toEqual(['${GATEWAY_PORT:-8080}:8080']);
    expect(compose['dev-idp']?.ports).toEqual(['127.0.0.1:${DEV_IDP_PORT:-4003}:4003']);
    for (const name of ['auth-service', 'api-service'])
      expect(compose[name]?.ports).toBeUndefined();
  });

  it.each(composed.map((c) => [c.name, c] as const))(
    'when there is no .env at all, then %s starts in development with its own loader accepting the defaults',
    (_name, { service, config }) => {
      const environment = resolveEnvironment(service, {});

      expect(environment.NODE_ENV).toBe('development');
      expect(loadWith(service, config, {})).not.toThrow();
    },
  );

  it('when there is no .env, then the auth-service signs in at the dev-idp the browser reaches on localhost', () => {
    const auth = resolveEnvironment(compose['auth-service']!, {});
    const idp = resolveEnvironment(compose['dev-idp']!, {});

    expect(auth.GOOGLE_ISSUER).toBe(idp.DEV_IDP_ISSUER);
    expect(auth.GOOGLE_ISSUER).toBe('http://localhost:4003');
    expect(auth.GOOGLE_CLIENT_ID).toBe(idp.DEV_IDP_CLIENT_ID);
    expect(idp.DEV_IDP_REDIRECT_URIS).toBe('http://localhost:8080/auth/connect/google/callback');
    expect(auth.PUBLIC_URL).toBe('http://localhost:8080');
  });

  /** The gateway's command as compose runs it with `vars`, in a directory whose main only says so. */
  function gatewayCommand(vars: Vars) {
    const [program, ...args] = compose.gateway!.command!.map((arg) => interpolate(arg, vars));
    expect(program).toBe('node');
    const dir = mkdtempSync(join(tmpdir(), 'gateway-command-'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'main.js'), "console.log('gateway main started');\n");
    const result = spawnSync(process.execPath, args, {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...resolveEnvironment(compose.gateway!, vars) },
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('when GATEWAY_PORT moves the gateway and PUBLIC_URL is left at its default, then the gateway refuses with one line naming the fix instead of starting', () => {
    const run = gatewayCommand({ GATEWAY_PORT: '18180' });

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'gateway: GATEWAY_PORT=18180 publishes the gateway on port 18180 but PUBLIC_URL is ' +
        'http://localhost:8080, where sign-in would send the browser: set ' +
        'PUBLIC_URL=http://localhost:18180 as well (in .env)\n',
    );
  });

  it.each([
    ['no .env', {}],
    [
      'GATEWAY_PORT with the matching PUBLIC_URL',
      { GATEWAY_PORT: '18180', PUBLIC_URL: 'http://localhost:18180' },
    ],
    [
      'a public PUBLIC_URL behind a proxy',
      { GATEWAY_PORT: '18180', PUBLIC_URL: 'https://gatehouse.example.com' },
    ],
  ])('when compose runs with %s, then the gateway command starts the gateway', (_case, vars) => {
    const run = gatewayCommand(vars);

    expect(run).toEqual({ code: 0, stdout: 'gateway main started\n', stderr: '' });
  });

  it("when the images are built, then compose names them after the project, the scaled replicas build their first replica's image, and .ci/run weighs them under a project of its own", () => {
    // No `image:`: compose names each image <project>_<service> (v1) or <project>-<service>
    // (v2), so two checkouts (two projects) on one engine never run each other's code.
    for (const { name, service } of composed) {
      expect(service.image).toBeUndefined();
      expect(service.build?.context).toBe('.');
      expect(scaled[name]?.image).toBeUndefined();
    }
    // The same build config, so the build cache gives the second replica the same image ID
    // (test/compose-smoke/scaled-stack.smoke.ts checks the running containers).
    expect(scaled['auth-service-2']?.image).toBeUndefined();
    expect(scaled['api-service-2']?.image).toBeUndefined();
    expect(scaled['auth-service-2']?.build).toEqual(scaled['auth-service']?.build);
    expect(scaled['api-service-2']?.build).toEqual(scaled['api-service']?.build);
    expect(scaled['auth-service']?.build).not.toEqual(scaled['api-service']?.build);
    expect(ciRun).toContain('-p "$images_project" build');
    expect(ciRun).toContain('image="$images_project-$service"');
    expect(ciRun).toContain('image="${images_project}_$service"');
    expect(`${ciRun}${readme}${Object.keys(envExample).join()}`).not.toContain(
      'GATEHOUSE_IMAGE_TAG',
    );
    expect(readme).toMatch(/named after the compose project/);
  });

  it('when README describes the scaled stack, then it says how to run it without Docker Hub', () => {
    expect(readme).toContain('compose.scale.yaml');
    expect(readme.replace(/\s+/g, ' ')).toContain('POSTGRES_IMAGE=$(.ci/postgres-image)');
  });

  it('when there is no .env, then the demo page says sign-in runs against the dev-idp; with compose.prod.yaml it does not', () => {
    const gateway = resolveEnvironment(compose.gateway!, {});

    expect(gateway.DEV_IDP_URL).toBe(resolveEnvironment(compose['dev-idp']!, {}).DEV_IDP_ISSUER);
    expect(resolveEnvironment(inProduction('gateway').service, productionEnv).DEV_IDP_URL).toBe('');
  });

  it.each(composed.map((c) => [c.name, c] as const))(
    'when %s gets its environment from .env.example, then its own config loader accepts it',
    (_name, { service, config }) => {
      expect(loadWith(service, config, envExample)).not.toThrow();
    },
  );

  it.each(composed.filter((c) => c.name !== 'dev-idp').map((c) => [c.name, c] as const))(
    'when %s runs with compose.prod.yaml and a production .env, then it is in production and its loader accepts it',
    (name) => {
      const { service, config } = inProduction(name);

      expect(resolveEnvironment(service, productionEnv).NODE_ENV).toBe('production');
      expect(loadWith(service, config, productionEnv)).not.toThrow();
    },
  );

  it('when compose.prod.yaml is used, then the dev-idp is left out and refuses production if forced', () => {
    const { service, config } = inProduction('dev-idp');

    expect(service.profiles).toEqual(['never-in-production']);
    expect(loadWith(service, config, productionEnv)).toThrow(/NODE_ENV=production/);
  });

  it('when compose.prod.yaml is used without the Google client or SESSION_KEYS, then the auth-service refuses each', () => {
    const { service, config } = inProduction('auth-service');
    const noClient = { ...productionEnv, GOOGLE_CLIENT_ID: '', GOOGLE_CLIENT_SECRET: '' };

    expect(loadWith(service, config, noClient)).toThrow(/GOOGLE_CLIENT_ID is required/);
    expect(loadWith(service, config, { ...productionEnv, SESSION_KEYS: '' })).toThrow(
      /SESSION_KEYS is required/,
    );
  });

  it('when NODE_ENV=production is left with the dev-idp issuer, then the auth-service refuses it', () => {
    const { service, config } = inProduction('auth-service');

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

  it('when .env.example is read, then it lists every variable the compose files use', () => {
    const used = [...referencedVariables(composeText)];

    expect(used.filter((name) => !(name in envExample))).toEqual([]);
  });

  it('when production lacks PUBLIC_URL, then compose refuses to start with a pointer to .env', () => {
    const withoutPublicUrl = { ...productionEnv, PUBLIC_URL: undefined };

    for (const name of ['gateway', 'auth-service', 'api-service']) {
      expect(() => resolveEnvironment(production[name]!, withoutPublicUrl)).toThrow(
        /set PUBLIC_URL in \.env/,
      );
    }
  });

  it('when the images are built, then compose and the Dockerfile default to the same official base', () => {
    const dockerfileDefault = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];

    expect(dockerfileDefault).toBe('node:24-bookworm-slim');
    for (const { service } of composed) {
      expect(interpolateArg(service.build?.args?.NODE_IMAGE)).toBe(dockerfileDefault);
    }
  });

  it('when the stack starts, then every service starts at once and the gateway is healthy only when ready', () => {
    for (const { service } of composed) {
      const dependencies = service.depends_on ?? [];
      expect(Array.isArray(dependencies)).toBe(true);
      expect(service.healthcheck?.interval).toBe('2s');
      expect(service.security_opt).toEqual(['no-new-privileges=true']);
    }
    expect(compose['gateway']?.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(compose['auth-service']?.healthcheck?.test.join(' ')).toContain('/healthz');
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

/** The scaled stack's Gatehouse services (those built from the Dockerfile), with their loaders. */
const scaledServices = Object.entries(scaled).flatMap(([name, service]) => {
  const workspace = service.build?.args?.SERVICE;
  if (workspace === undefined) return [];
  const known = SERVICES.find((s) => s.workspace === workspace);
  if (!known) throw new Error(`compose service ${name} builds unknown workspace ${workspace}`);
  return [{ name, service, config: known.config }];
});

/** A `.env` for compose.scale.yaml with the development-only secrets replaced. */
const ownSecrets = {
  POSTGRES_PASSWORD: 'a-password-of-our-own',
  SESSION_KEYS: 'a-session-key-of-our-own-of-at-least-32-characters',
  KEY_ENCRYPTION_KEY: `ours:${Buffer.alloc(32, 7).toString('base64')}`,
};

describe('compose.scale.yaml', () => {
  const replicasOf = (workspace: string) =>
    scaledServices.filter((s) => s.service.build?.args?.SERVICE === workspace).map((s) => s.name);

  it('when it is added, then it runs PostgreSQL and two replicas each of the auth-service and api-service', () => {
    expect(replicasOf('services/auth-service')).toEqual(['auth-service', 'auth-service-2']);
    expect(replicasOf('services/api-service')).toEqual(['api-service', 'api-service-2']);
    expect(scaled['postgres']?.image).toBe('${POSTGRES_IMAGE:-postgres:16-bookworm}');
    expect(postgresImageScript).toMatch(/^OFFICIAL=postgres:16-bookworm$/m);
    expect(scaled['postgres']?.ports).toBeUndefined();
    expect(scaled['postgres']?.networks).toEqual(['backend']);
  });

  it.each(['auth-service-2', 'api-service-2'])(
    'when %s is compared with its first replica, then it is the same service in every key',
    (name) => {
      const first = name.replace(/-2$/, '');
      expect(scaled[name]).toEqual(scaled[first]);
    },
  );

  it.each([
    ['no .env', {}],
    ['.env.example', envExample],
    ['secrets of its own', { ...envExample, ...ownSecrets }],
  ] as const)(
    'when it runs with %s, then every service loader accepts its environment',
    (_what, vars) => {
      for (const { name, service, config } of scaledServices) {
        const environment = resolveEnvironment(service, vars);
        const declared = Object.keys(config.envSpec);
        expect({
          name,
          undeclared: Object.keys(environment).filter((v) => !declared.includes(v)),
        }).toEqual({ name, undeclared: [] });
        expect(loadWith(service, config, vars)).not.toThrow();
      }
    },
  );

  it('when the auth replicas start, then they share the database the postgres service creates, once it is healthy', () => {
    for (const vars of [{}, ownSecrets]) {
      const database = resolveEnvironment(scaled['postgres']!, vars);
      for (const name of replicasOf('services/auth-service')) {
        const service = scaled[name]!;
        const url = new URL(resolveEnvironment(service, vars).DATABASE_URL!);
        expect({
          host: url.host,
          user: url.username,
          password: decodeURIComponent(url.password),
        }).toEqual({
          host: 'postgres:5432',
          user: database.POSTGRES_USER,
          password: database.POSTGRES_PASSWORD,
        });
        expect(url.pathname).toBe(`/${database.POSTGRES_DB}`);
        expect(service.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
        // No replica keeps state in a volume of its own: only PostgreSQL holds it (the project
        // directory is mounted read-only, for the .env check of test/compose-env-check.test.ts).
        expect(service.volumes).toEqual([
          { type: 'tmpfs', target: '/data' },
          '.:/etc/gatehouse/project:ro',
        ]);
      }
    }
    expect(scaled['postgres']?.healthcheck?.test.slice(0, 2)).toEqual(['CMD', 'pg_isready']);
  });

  it('when the stack starts on an empty database, then both auth replicas start together once PostgreSQL is healthy', () => {
    for (const name of replicasOf('services/auth-service')) {
      expect(scaled[name]!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    }
  });

  it('when identity providers are configured, then their file reaches every auth-service replica and the committed one sets nothing', () => {
    const committed = readEnvFile(`${root}deploy/providers/providers.env`);
    expect(committed).toEqual({});
    const files = [
      compose['auth-service']!,
      ...replicasOf('services/auth-service').map((name) => scaled[name]!),
    ].map((service) => interpolate(String(service.env_file), {}));
    expect(new Set(files)).toEqual(new Set(['./deploy/providers/providers.env']));
    expect(
      interpolate(String(compose['auth-service']!.env_file), { PROVIDERS_ENV_FILE: '/etc/p.env' }),
    ).toBe('/etc/p.env');

    // What README's example puts there, on top of the compose environment, starts.
    const providers = {
      PROVIDERS: 'google,github,okta',
      GITHUB_CLIENT_ID: 'Iv1.0123',
      GITHUB_CLIENT_SECRET: 'gh-secret',
      OKTA_ISSUER: 'https://acme.okta.com',
      OKTA_CLIENT_ID: '0oa1',
      OKTA_CLIENT_SECRET: 'okta-secret',
    };
    const auth = SERVICES.find((s) => s.workspace === 'services/auth-service')!.config;
    const config = auth.loadConfig({
      ...providers,
      ...resolveEnvironment(compose['auth-service']!, {}),
    }) as {
      providers: { id: string }[];
    };
    expect(config.providers.map((p) => p.id)).toEqual(['google', 'github', 'okta']);
  });

  it('when .env sets its own secrets, then they replace the development-only defaults everywhere', () => {
    const defaults = resolveEnvironment(scaled['auth-service-2']!, {});
    expect(defaults.SESSION_KEYS).toMatch(/development-only/);
    expect(defaults.KEY_ENCRYPTION_KEY).toMatch(/^development-only:/);
    expect(resolveEnvironment(scaled['postgres']!, {}).POSTGRES_PASSWORD).toMatch(
      /development-only/,
    );

    for (const name of replicasOf('services/auth-service')) {
      const environment = resolveEnvironment(scaled[name]!, ownSecrets);
      expect(environment.SESSION_KEYS).toBe(ownSecrets.SESSION_KEYS);
      expect(environment.KEY_ENCRYPTION_KEY).toBe(ownSecrets.KEY_ENCRYPTION_KEY);
    }
  });

  it('when the gateway starts, then it spreads /auth and /api over every replica, at its port', () => {
    const gateway = resolveEnvironment(scaled.gateway!, envExample);
    const originsOf = (workspace: string) =>
      replicasOf(workspace).map(
        (name) => `http://${name}:${resolveEnvironment(scaled[name]!, envExample).PORT}`,
      );

    expect(gateway.AUTH_SERVICE_URL!.split(',')).toEqual(originsOf('services/auth-service'));
    expect(gateway.API_SERVICE_URL!.split(',')).toEqual(originsOf('services/api-service'));
    expect(scaled.gateway!.depends_on).toEqual(
      expect.arrayContaining(['auth-service-2', 'api-service-2']),
    );
  });

  it('when an api replica fetches keys, then it does so through the gateway, which fails over between auth replicas', () => {
    const gatewayPort = resolveEnvironment(scaled.gateway!, {}).PORT;
    for (const name of replicasOf('services/api-service')) {
      expect(resolveEnvironment(scaled[name]!, {}).JWKS_URL).toBe(
        `http://gateway:${gatewayPort}/auth/.well-known/jwks.json`,
      );
    }
  });
});
