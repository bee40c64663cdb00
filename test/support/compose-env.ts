import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';

export type Vars = Readonly<Record<string, string | undefined>>;

/** The parts of a compose service the tests read. */
export interface ComposeService {
  image?: string;
  build?: { context?: string; args?: Record<string, string> };
  networks?: string[];
  volumes?: unknown[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: string[];
  command?: string[];
  profiles?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; start_period?: string };
  security_opt?: string[];
  env_file?: string | string[];
}

/** The services of a compose file, YAML merge keys (`<<: *anchor`) applied as compose does. */
export function readCompose(path: string): Record<string, ComposeService> {
  const text = readFileSync(path, 'utf8');
  const file = parse(text, { merge: true }) as { services: Record<string, ComposeService> };
  return file.services;
}

/**
 * `docker compose -f base -f override`: an override service's `environment` entries replace
 * the base's one by one, its `profiles` are added, any other key replaces the base's.
 */
export function mergeCompose(
  base: Record<string, ComposeService>,
  override: Record<string, ComposeService>,
): Record<string, ComposeService> {
  const merged = { ...base };
  for (const [name, service] of Object.entries(override)) {
    const under = base[name] ?? {};
    merged[name] = {
      ...under,
      ...service,
      environment: { ...asMap(under.environment), ...asMap(service.environment) },
      profiles: [...(under.profiles ?? []), ...(service.profiles ?? [])],
    };
  }
  return merged;
}

function asMap(environment: ComposeService['environment']): Record<string, string> {
  if (!environment) return {};
  if (!Array.isArray(environment)) {
    return Object.fromEntries(
      Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]),
    );
  }
  return Object.fromEntries(
    environment.map((line) => {
      const at = line.indexOf('=');
      return at < 0 ? [line, `\${${line}}`] : [line.slice(0, at), line.slice(at + 1)];
    }),
  );
}

/** `.env`-style file (KEY=value, # comments) as compose and `process.loadEnvFile` read it. */
export function readEnvFile(path: string): Vars {
  return parseEnv(readFileSync(path, 'utf8'));
}

// $$ | ${NAME} | ${NAME:-x} | ${NAME-x} | ${NAME:?msg} | ${NAME?msg} | $NAME
const REFERENCE =
  /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Resolves compose variable references the way `docker-compose` does: `:-` also replaces an
 * empty value, `-` only an unset one, `?`/`:?` fail with the message.
 */
export function interpolate(text: string, vars: Vars): string {
  return text.replace(REFERENCE, (match, braced?: string, op?: string, arg = '', bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const value = vars[name];
    const empty = value === undefined || value === '';
    if (op === ':-') return empty ? arg : (value as string);
    if (op === '-') return value ?? arg;
    if ((op === ':?' && empty) || (op === '?' && value === undefined)) {
      throw new Error(`compose refuses: ${name}: ${arg}`);
    }
    return value ?? '';
  });
}

/** Every variable name a text refers to with `$NAME` or `${NAME...}`. */
export function referencedVariables(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(REFERENCE)) {
    const name = match[1] ?? match[4];
    if (name) names.add(name);
  }
  return names;
}

/** A service's `environment` with every reference resolved against `vars`. */
export function resolveEnvironment(service: ComposeService, vars: Vars): Record<string, string> {
  const environment = service.environment ?? {};
  const entries = Array.isArray(environment)
    ? environment.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, vars[line] ?? ''] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(
    entries.map(([key, value]) => [key, interpolate(value as string, vars)]),
  );
}
