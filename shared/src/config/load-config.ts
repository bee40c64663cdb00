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
 * When a variable is malformed and has a default, `build` still runs with that default, so
 * its problems (a production requirement, say) are listed in the same error; a build problem
 * that names a malformed variable is dropped, since it would judge the stand-in value.
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
  const malformed: string[] = [];
  let buildable = true;
  for (const [name, variable] of Object.entries(spec)) {
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = variable.schema.safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
      continue;
    }
    const reason = parsed.error.issues
      .map((issue) => describeIssue(issue, raw, variable.unit))
      .join('; ');
    const shown = raw === undefined || variable.secret ? '' : ` (got ${JSON.stringify(raw)})`;
    problems.push(`${name} ${reason}${shown}`);
    malformed.push(name);
    const fallback = raw === undefined ? parsed : variable.schema.safeParse(undefined);
    if (fallback.success) values[name] = fallback.data;
    else buildable = false;
  }
  if (buildable) {
    const judgesMalformed = (message: string) =>
      malformed.some((name) => new RegExp(`\\b${name}\\b`).test(message));
    const config = build(values as EnvValues<S>, (message) => {
      if (!judgesMalformed(message)) problems.push(message);
    });
    if (problems.length === 0) return deepFreeze(config);
  }
  throw new ConfigError(service, problems);
}

interface Issue {
  code: string;
  message: string;
  expected?: string;
  values?: readonly unknown[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
}

/** zod's wording ("Invalid option: expected one of ...") rephrased for an operator. */
function describeIssue(issue: Issue, raw: string | undefined, unit: string | undefined): string {
  if (raw === undefined && issue.code === 'invalid_type') return 'is required';
  // A schema's own message already speaks to the operator.
  if (!/^(Invalid|Too small|Too big)/.test(issue.message)) return issue.message;
  const of = unit ? ` ${unit}` : '';
  if (issue.code === 'invalid_value' && issue.values) {
    return `must be one of ${issue.values.map(String).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int')) {
    return `must be a whole number${of ? ` of${of}` : ''}`;
  }
  if (issue.origin === 'number' && issue.code === 'too_small') {
    return `must be at least ${issue.minimum}${of}`;
  }
  if (issue.origin === 'number' && issue.code === 'too_big') {
    return `must be at most ${issue.maximum}${of}`;
  }
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
