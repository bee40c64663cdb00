import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface Container {
  id: string;
  service: string;
  health: string;
  state: string;
  exitCode: number;
  /** The image ID the container runs. */
  image: string;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `docker compose` (v2) where the plugin exists, else Debian's `docker-compose` (v1). */
function composeCommand(): string[] {
  const v2 = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' });
  return v2.status === 0 ? ['docker', 'compose'] : ['docker-compose'];
}

export function run(command: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * One compose project of the repository's files under a throwaway project name, so a
 * developer's own stack and images are never touched: compose names the images it builds after
 * the project (`<project>_<service>` in v1, `<project>-<service>` in v2), and `down --rmi local`
 * removes exactly those. The environment is only what the test sets (plus
 * PATH, HOME, the Docker endpoint and the CI base images): no shell variable leaks in, and
 * `--env-file` points at an empty file, so a developer's `.env` is not read either.
 */
export class ComposeProject {
  readonly command = composeCommand();

  /** `name`: another project's, to run with its images (built once) and other settings. */
  constructor(
    private readonly root: string,
    private readonly files: string[],
    private readonly vars: Record<string, string>,
    private readonly emptyEnvFile: string,
    readonly name = `gatehouse-smoke-${randomBytes(4).toString('hex')}`,
  ) {}

  private env(): NodeJS.ProcessEnv {
    const passed = ['PATH', 'HOME', 'DOCKER_HOST', 'DOCKER_CONFIG', 'NODE_IMAGE', 'POSTGRES_IMAGE'];
    const kept = Object.fromEntries(
      passed.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
    );
    return { ...kept, ...this.vars };
  }

  compose(...args: string[]): Promise<Run> {
    const files = this.files.flatMap((file) => ['-f', file]);
    const argv = [...this.command, '--env-file', this.emptyEnvFile, '-p', this.name, ...files];
    return run([...argv, ...args], this.env(), this.root);
  }

  /** Like `compose`, but a non-zero exit is an error that carries compose's output. */
  async ok(...args: string[]): Promise<Run> {
    const result = await this.compose(...args);
    if (result.code !== 0) {
      throw new Error(`compose ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
    }
    return result;
  }

  /** Container id, compose service name and health of every container of the project. */
  async containers(): Promise<Container[]> {
    const ids = (await this.ok('ps', '-q')).stdout.split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    const format =
      '{{.Id}} {{index .Config.Labels "com.docker.compose.service"}} ' +
      '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.Status}} ' +
      '{{.State.ExitCode}} {{.Image}}';
    const inspected = await run(['docker', 'inspect', '-f', format, ...ids], this.env(), this.root);
    return inspected.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [id, service, health, state, exitCode, image] = line.split(' ') as string[];
        return {
          id: id!,
          service: service!,
          health: health!,
          state: state!,
          exitCode: Number(exitCode),
          image: image!,
        };
      });
  }

  /** True when exactly `services` have healthy containers, else undefined (for `until`). */
  async healthy(services: readonly string[]): Promise<true | undefined> {
    const up = (await this.containers()).filter((c) => c.health === 'healthy');
    const names = up.map((c) => c.service).sort();
    return names.join() === [...services].sort().join() ? true : undefined;
  }

  /** Everything Docker still holds for this project: containers, volumes, networks. */
  async leftovers(): Promise<string[]> {
    const label = `label=com.docker.compose.project=${this.name}`;
    const lists = await Promise.all([
      run(['docker', 'ps', '-aq', '--filter', label], this.env(), this.root),
      run(['docker', 'volume', 'ls', '-q', '--filter', label], this.env(), this.root),
      run(['docker', 'network', 'ls', '-q', '--filter', label], this.env(), this.root),
    ]);
    return lists.flatMap((list) => list.stdout.split('\n').filter(Boolean));
  }

  /** The images compose built for this project (named after it; Compose v1 labels none). */
  async images(): Promise<string[]> {
    const lists = await Promise.all(
      [`${this.name}_*`, `${this.name}-*`].map((reference) =>
        run(
          [
            'docker',
            'image',
            'ls',
            '--format',
            '{{.Repository}}',
            '--filter',
            `reference=${reference}`,
          ],
          this.env(),
          this.root,
        ),
      ),
    );
    return lists.flatMap((list) => list.stdout.split('\n').filter(Boolean)).sort();
  }
}
