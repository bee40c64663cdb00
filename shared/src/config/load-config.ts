import { ConfigError } from './config-error.js';
import type { EnvSpec, EnvValues } from './env-var.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Reports a problem that involves more than one variable, from a `build` step. */
export type ReportProblem = (message: string) => void;

/**
 * Validates `env` against `spec`, lets `build` shape the result and add cross-variable
 * problems, and throws one ConfigError listing every problem. Empty strings count as unset.
 * The result is deep-frozen.
 *
 * @example
 * const config = loadConfig('api-service', spec, process.env, (v) => ({ port: v.PORT }));
 */
export function loadConfig<S extends EnvSpec, C extends object>(
  service: string,
  spec: S,
  env: Env,
  build: (values: EnvValues<S>, problem: ReportProblem) => C,
): Readonly<C> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(spec)) {
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = variable.schema.safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
      continue;
    }
    const reason = parsed.error.issues.map((issue) => describeIssue(issue, raw)).join('; ');
    const shown = raw === undefined || variable.secret ? '' : ` (got ${JSON.stringify(raw)})`;
    problems.push(`${name} ${reason}${shown}`);
  }
  if (problems.length > 0) throw new ConfigError(service, problems);
  const config = build(values as EnvValues<S>, (message) => problems.push(message));
  if (problems.length > 0) throw new ConfigError(service, problems);
  return deepFreeze(config);
}

function describeIssue(issue: { code: string; message: string }, raw: string | undefined): string {
  if (raw === undefined && issue.code === 'invalid_type') return 'is required';
  return issue.message.replace(/^Invalid input: /, '');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The documentation rows of a spec: name, description and default, for README tables. */
export function describeEnv(
  spec: EnvSpec,
): { name: string; description: string; default?: string }[] {
  return Object.entries(spec).map(([name, variable]) => {
    const parsed = variable.schema.safeParse(undefined);
    const fallback =
      parsed.success && parsed.data !== undefined && !variable.secret
        ? Array.isArray(parsed.data)
          ? parsed.data.join(',')
          : String(parsed.data)
        : undefined;
    return fallback === undefined
      ? { name, description: variable.description }
      : { name, description: variable.description, default: fallback };
  });
}
