/**
 * Thrown by `loadConfig` with every problem found, so an operator fixes them all in one go.
 * `main.ts` prints `message` and exits 1.
 */
export class ConfigError extends Error {
  readonly code = 'ERR_INVALID_CONFIG';
  readonly problems: readonly string[];

  constructor(service: string, problems: readonly string[]) {
    super(`${service}: invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}
