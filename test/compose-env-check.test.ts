import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { composeEnvWarnings } from '../scripts/lib/compose-env-check.mjs';
import { interpolate, mergeCompose, readCompose } from './support/compose-env.js';

/**
 * Issue 23 item 5 under docker compose: a misspelt name in `.env` reaches no service (compose
 * passes only the variables a service lists), so the auth-service's compose command checks the
 * project's `.env` before its main (scripts/lib/compose-env-check.mjs). These tests run that
 * check, and the command itself as compose would, on scratch copies of the project's files.
 */
const root = new URL('..', import.meta.url).pathname;
const sharedDist = join(root, 'shared', 'dist');
const PROJECT_MOUNT = '/etc/gatehouse/project';
const compose = readCompose(`${root}docker-compose.yml`);
const scaled = mergeCompose(compose, readCompose(`${root}compose.scale.yaml`));
const scratch: string[] = [];

/** A project directory with the repository's compose files, .env.example and check script. */
function project(envText?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'compose-env-check-'));
  scratch.push(dir);
  for (const file of [
    'docker-compose.yml',
    'compose.prod.yaml',
    'compose.scale.yaml',
    '.env.example',
  ])
    copyFileSync(join(root, file), join(dir, file));
  mkdirSync(join(dir, 'scripts', 'lib'), { recursive: true });
  copyFileSync(
    join(root, 'scripts', 'lib', 'compose-env-check.mjs'),
    join(dir, 'scripts', 'lib', 'compose-env-check.mjs'),
  );
  if (envText !== undefined) writeFileSync(join(dir, '.env'), envText);
  return dir;
}

/** The auth-service's compose command, run with its two paths pointed at `projectDir` and shared. */
function runCommand(projectDir: string) {
  const [program, ...args] = compose['auth-service']!.command!.map((arg) =>
    interpolate(arg, {})
      .replaceAll(PROJECT_MOUNT, projectDir)
      .replaceAll('/app/shared/dist', sharedDist),
  );
  expect(program).toBe('node');
  const cwd = mkdtempSync(join(tmpdir(), 'auth-command-'));
  scratch.push(cwd);
  mkdirSync(join(cwd, 'dist'));
  writeFileSync(join(cwd, 'dist', 'main.js'), "console.log('auth-service main started');\n");
  const result = spawnSync(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the compose .env check (the auth-service's command)", () => {
  it('when .env misspells variables compose uses, then each is named with the likely name', async () => {
    const dir = project('GOOGLE_CLIENT_SECERT=x\nALLOWED_EMAIL=a@example.com\nPUBLIC_URL=\n');

    const warnings = await composeEnvWarnings(dir, sharedDist);

    expect(warnings.map((w) => w.name)).toEqual(['ALLOWED_EMAIL', 'GOOGLE_CLIENT_SECERT']);
    expect(warnings[1]!.message).toMatch(
      /^unknown variable GOOGLE_CLIENT_SECERT is ignored: did you mean GOOGLE_CLIENT_SECRET\?/,
    );
    expect(warnings[0]!.message).toContain('did you mean ALLOWED_EMAILS?');
  });

  it('when .env sets only names compose or .env.example use, or compose itself reads, then nothing is warned', async () => {
    const dir = project(
      'GATEWAY_PORT=18080\nGOOGLE_CLIENT_SECRET=x\nROUTES_FILE=\nPOSTGRES_PASSWORD=p\nCOMPOSE_PROJECT_NAME=g\n',
    );

    expect(await composeEnvWarnings(dir, sharedDist)).toEqual([]);
  });

  it('when there is no .env, then nothing is warned', async () => {
    expect(await composeEnvWarnings(project(), sharedDist)).toEqual([]);
  });

  it('when the command runs with a misspelt .env, then it logs one JSON warning per name and starts the main', () => {
    const run = runCommand(project('GOOGLE_CLIENT_SECERT=x\n'));

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      service: 'auth-service',
      variable: 'GOOGLE_CLIENT_SECERT',
      msg: expect.stringContaining('did you mean GOOGLE_CLIENT_SECRET?'),
    });
    expect(lines[1]).toBe('auth-service main started');
    expect(run.stderr).toBe('');
  });

  it('when the project directory is not mounted, then the command says the check did not run and still starts the main', () => {
    const run = runCommand(join(tmpdir(), 'no-such-gatehouse-project'));

    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('auth-service main started');
    expect(run.stderr).toMatch(/^auth-service: \.env not checked for misspelt variables: /);
  });

  it('when compose runs the auth-service, alone or as replicas, then the project directory is mounted read-only for the check', () => {
    const mount = `.:${PROJECT_MOUNT}:ro`;

    expect(compose['auth-service']!.volumes).toContain(mount);
    for (const name of ['auth-service', 'auth-service-2']) {
      expect(scaled[name]!.volumes).toContain(mount);
      expect(scaled[name]!.command).toEqual(compose['auth-service']!.command);
    }
  });
});
