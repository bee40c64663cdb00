import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { Env } from '@gatehouse/shared';
import { validateRoutes, type RouteSpec } from './route-spec.js';

export type RoutesFileResult =
  { ok: true; routes: RouteSpec[] } | { ok: false; problems: string[]; unreadable?: true };

const VARIABLE = /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Reads, parses and validates a routes file. `${NAME}` and `${NAME:-default}` in string values
 * are taken from `env`, so one file serves compose, Kubernetes and `npm start` (the default
 * file says `to: ${API_SERVICE_URL}`). Every problem is listed: YAML errors with their line,
 * unset variables, then each route's invalid keys.
 *
 * @example
 * const result = await loadRoutesFile('routes.yaml', process.env);
 * if (!result.ok) logger.error({ problems: result.problems }, 'invalid routes file');
 */
export async function loadRoutesFile(file: string, env: Env): Promise<RoutesFileResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { ok: false, problems: [`${file} cannot be read (${code})`], unreadable: true };
  }
  return parseRoutes(text, env);
}

/** `loadRoutesFile` for text already read. */
export function parseRoutes(text: string, env: Env): RoutesFileResult {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      // With prettyErrors the first line ends "at line L, column C:".
      problems: document.errors.map((err) => err.message.split('\n')[0]!.replace(/:$/, '')),
    };
  }
  const problems: string[] = [];
  const substituted = substitute(document.toJS({ maxAliasCount: 100 }) as unknown, env, problems);
  const result = validateRoutes(substituted);
  if (problems.length === 0) return result;
  return { ok: false, problems: [...problems, ...(result.ok ? [] : result.problems)] };
}

function substitute(value: unknown, env: Env, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_all, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push(`\${${name}} is used but not set; set it or write \${${name}:-default}`);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, env, problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, env, problems)]),
    );
  }
  return value;
}
