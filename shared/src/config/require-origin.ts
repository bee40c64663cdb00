import type { ReportProblem } from './load-config.js';

/**
 * For a `loadConfig` build step: `value` (already a valid http(s) URL) must be a bare origin,
 * no path, query, fragment or credentials, because it is joined with paths later. Reports a
 * problem naming `name` otherwise; returns the parsed URL either way.
 *
 * @example
 * loadConfig('gateway', envSpec, env, (v, problem) => ({
 *   publicUrl: requireOrigin('PUBLIC_URL', v.PUBLIC_URL, problem).origin,
 * }));
 */
export function requireOrigin(name: string, value: string, problem: ReportProblem): URL {
  const url = new URL(value);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    problem(`${name} must be an origin without a path or credentials, e.g. ${url.origin}`);
  }
  return url;
}
