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
    const { loadConfig } = await configModule(root, service.dir);
    problems.push(...problemsOf(service.label, () => loadConfig(service.env)));
  }
  return problems;
}

/** Every Gatehouse service's workspace, whether or not this plan runs it (the dev-idp). */
const SERVICE_DIRS = [
  'gateway',
  'services/auth-service',
  'services/api-service',
  'services/dev-idp',
];

/**
 * Variables set in `env` (the environment with `.env` loaded) that no service and not the
 * runner reads, but that are a typo away from a name one of them does read, with that name
 * (shared's misspeltVariables, against every service's schema plus `runnerVariables`). The
 * runner warns once for each and leaves them out of every service's environment, where they
 * would change nothing anyway, so no service repeats the warning.
 *
 * @param {Record<string, string | undefined>} env
 * @param {string} root the repository root
 * @param {Iterable<string>} runnerVariables names the runner itself (or compose) reads
 * @returns {Promise<{ name: string, message: string }[]>}
 */
export async function misspeltInEnv(env, root, runnerVariables) {
  const known = new Set(runnerVariables);
  for (const dir of SERVICE_DIRS) {
    for (const name of Object.keys((await configModule(root, dir)).envSpec)) known.add(name);
  }
  const { misspeltVariables, misspeltVariableMessage } = await import(
    pathToFileURL(join(root, 'shared', 'dist', 'config', 'misspelt-variables.js')).href
  );
  return misspeltVariables(env, known).map((misspelt) => ({
    name: misspelt.name,
    message: misspeltVariableMessage(misspelt),
  }));
}

function configModule(root, dir) {
  return import(pathToFileURL(join(root, dir, 'dist', 'config.js')).href);
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
