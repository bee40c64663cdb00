import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The built entry point of each service (dist, built by `npm test`'s pretest). */
export const SERVICE_MAINS = {
  'auth-service': join(root, 'services/auth-service/dist/main.js'),
  'api-service': join(root, 'services/api-service/dist/main.js'),
  gateway: join(root, 'gateway/dist/main.js'),
} as const;

/** One line a service logged (pino JSON). */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface ServiceProcess {
  readonly name: string;
  /** http://127.0.0.1:PORT of the service itself. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Every JSON line it has logged so far (stdout), in order. */
  readonly logs: LogLine[];
  /** Whatever it wrote to stderr (a crash's stack). */
  stderr(): string;
  /** Polls /readyz until 200; fails at once, with its stderr, if the process exits. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM (the graceful shutdown), then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A service as a real process on `port`, with only PATH and `env` in its environment, as
 * compose or Kubernetes would run it. Its log lines are parsed and kept for assertions.
 *
 * @example
 * const auth = startService('auth-service', port, { DATABASE_URL, ... });
 * await auth.ready();
 */
export function startService(
  name: keyof typeof SERVICE_MAINS,
  port: number,
  env: Record<string, string>,
): ServiceProcess {
  const child = spawn(process.execPath, [SERVICE_MAINS[name]], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ level: 0, msg: line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    url,
    child,
    logs,
    stderr: () => stderr,
    async ready(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last = 'no answer';
      while (Date.now() < deadline) {
        if (gone()) throw new Error(`${name} exited (${child.exitCode}) before ready:\n${stderr}`);
        const res = await fetch(`${url}/readyz`).catch(() => undefined);
        if (res?.ok) return;
        if (res) last = `${res.status} ${await res.text()}`;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${name} not ready within ${timeoutMs} ms (last: ${last}):\n${stderr}`);
    },
    async stop(graceMs = 5000) {
      if (gone()) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}
