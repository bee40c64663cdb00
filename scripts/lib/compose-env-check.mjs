/**
 * The `.env` check of `docker compose up` (issue 23, item 5). Compose passes a service only
 * the variables its `environment` lists, so a misspelt name in `.env` (`GOOGLE_CLIENT_SECERT`)
 * reaches no service and no service's own "did you mean" check can see it. docker-compose.yml
 * mounts the project directory read-only into the auth-service (which already holds every
 * secret `.env` can set) and runs `checkComposeEnv` before the service's main: one warning per
 * name in `.env` that is a typo of a name the compose files or .env.example use. It only warns:
 * a missing `.env`, directory or file is no warning, and nothing here stops the service.
 *
 * Compose v1.29 has no optional `env_file` and no hook of its own, so this is the one place on
 * both Compose v1 and v2 where `.env` can be read as compose reads it, at every `up`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';

/** Compose's own variables, which `.env` may set though no compose file names them. */
const COMPOSE_VARIABLES = [
  'COMPOSE_PROJECT_NAME',
  'COMPOSE_FILE',
  'COMPOSE_PROFILES',
  'COMPOSE_PATH_SEPARATOR',
  'COMPOSE_HTTP_TIMEOUT',
  'COMPOSE_CONVERT_WINDOWS_PATHS',
  'COMPOSE_DOCKER_CLI_BUILD',
  'DOCKER_BUILDKIT',
  'DOCKER_HOST',
];

// ${NAME}, ${NAME:-x}, ${NAME?msg}, ...; `$$` is an escaped dollar, not a reference.
const REFERENCE = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * The names `.env` may usefully set: every variable the compose files at the top of
 * `projectDir` refer to, every name in `.env.example` (`npm start` reads `.env` too), and
 * compose's own.
 */
export function knownComposeVariables(projectDir) {
  const known = new Set(COMPOSE_VARIABLES);
  for (const file of readdirSync(projectDir)) {
    if (!/\.ya?ml$/.test(file) || !/compose/.test(file)) continue;
    for (const [, name] of readFileSync(join(projectDir, file), 'utf8').matchAll(REFERENCE)) {
      if (name) known.add(name);
    }
  }
  const example = join(projectDir, '.env.example');
  if (existsSync(example)) {
    for (const name of Object.keys(parseEnv(readFileSync(example, 'utf8')))) known.add(name);
  }
  return known;
}

/**
 * The warnings for `projectDir`'s `.env` (none without one), each `{ name, message }`, using
 * shared's misspeltVariables from `sharedDist` (the built `shared/dist` directory).
 */
export async function composeEnvWarnings(projectDir, sharedDist) {
  const envFile = join(projectDir, '.env');
  if (!existsSync(envFile)) return [];
  const { misspeltVariables, misspeltVariableMessage } = await import(
    pathToFileURL(join(sharedDist, 'config', 'misspelt-variables.js')).href
  );
  const env = parseEnv(readFileSync(envFile, 'utf8'));
  return misspeltVariables(env, knownComposeVariables(projectDir)).map((misspelt) => ({
    name: misspelt.name,
    message: `${misspeltVariableMessage(misspelt)} (set in .env, which docker compose passes to no service)`,
  }));
}

/**
 * Writes each warning as one JSON log line, as the services log, to `write` (stdout by
 * default). A check that cannot run says so in one line and returns: it never stops the start.
 */
export async function checkComposeEnv(projectDir, sharedDist, options = {}) {
  const { service = 'compose', write = (line) => process.stdout.write(`${line}\n`) } = options;
  const log = (fields, msg) =>
    write(
      JSON.stringify({ level: 'warn', time: new Date().toISOString(), service, ...fields, msg }),
    );
  try {
    for (const { name, message } of await composeEnvWarnings(projectDir, sharedDist)) {
      log({ variable: name }, message);
    }
  } catch (err) {
    log({}, `.env could not be checked for misspelt variables: ${err.message}`);
  }
}
