import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Every planned service's environment through that service's own loader (its built
 * `dist/config.js`), before anything starts: a Google client id without its secret, an
 * allowlist entry in the wrong form (`@example.com`) or any other configuration a service would
 * refuse is listed at once, each line under the service's label, instead of one service
 * exiting while the others keep running half-broken.
 *
 * @param {{ services: { label: string, dir: string, env: Record<string, string | undefined> }[] }} plan
 * @param {string} root the repository root
 * @returns {Promise<string[]>} the problems, `label: problem`, empty when every loader accepts
 */
export async function configProblems(plan, root) {
  const problems = [];
  for (const service of plan.services) {
    const { loadConfig } = await import(
      pathToFileURL(join(root, service.dir, 'dist', 'config.js')).href
    );
    problems.push(...problemsOf(service.label, () => loadConfig(service.env)));
  }
  return problems;
}

/** The problems a loader reports (ConfigError's `problems`), one per line, labelled. */
export function problemsOf(label, load) {
  try {
    load();
    return [];
  } catch (error) {
    if (!Array.isArray(error?.problems)) throw error;
    return error.problems.map((problem) => `${label}: ${problem}`);
  }
}
