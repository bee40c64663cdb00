import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '../../cli/dist/main.js');

export interface GatehouseProcess {
  /** Resolves once stderr matches, with the match (the code, the URL, ...). */
  stderrMatching(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process ends. */
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/**
 * Runs the built `gatehouse` command (cli/dist, built by `npm test`'s pretest) as a real
 * process with its own HOME and XDG_CONFIG_HOME, the way a person runs it in a terminal.
 *
 * @example
 * const login = runGatehouse(['login'], { XDG_CONFIG_HOME: dir, GATEHOUSE_URL: system.url });
 * const [, code] = await login.stderrMatching(/^\s+([A-Z]{4}-[A-Z]{4})$/m);
 */
export function runGatehouse(
  args: readonly string[],
  env: Record<string, string>,
): GatehouseProcess {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters) waiter();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        for (const waiter of waiters) waiter();
        resolve({ code, stdout, stderr });
      });
    },
  );
  return {
    done,
    stderrMatching: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`stderr never matched ${pattern}; got:\n${stderr}`));
        }, timeoutMs);
        function check() {
          const match = stderr.match(pattern);
          if (match) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(match);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`gatehouse exited ${child.exitCode} before ${pattern}:\n${stderr}`));
          }
        }
        waiters.add(check);
        check();
      }),
  };
}

/** Runs `gatehouse ...` to the end. */
export function gatehouse(args: readonly string[], env: Record<string, string>) {
  return runGatehouse(args, env).done;
}
