export function configProblems(
  plan: { services: { label: string; dir: string; env: Record<string, string | undefined> }[] },
  root: string,
): Promise<string[]>;
export function problemsOf(label: string, load: () => unknown): string[];
export function misspeltInEnv(
  env: Record<string, string | undefined>,
  root: string,
  runnerVariables: Iterable<string>,
): Promise<{ name: string; message: string }[]>;
