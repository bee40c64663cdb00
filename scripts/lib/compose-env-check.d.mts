export function knownComposeVariables(projectDir: string): Set<string>;
export function composeEnvWarnings(
  projectDir: string,
  sharedDist: string,
): Promise<{ name: string; message: string }[]>;
export function checkComposeEnv(
  projectDir: string,
  sharedDist: string,
  options?: { service?: string; write?: (line: string) => void },
): Promise<void>;
