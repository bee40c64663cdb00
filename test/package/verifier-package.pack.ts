import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serviceClient } from '../support/service-client.js';
import { startSystem, type RunningSystem } from '../support/start-system.js';
import { until } from '../support/until.js';
import { TINY_SERVICES, TYPED_USE } from './tiny-services.js';

/**
 * The issue's check, as a team would meet the package: `npm pack` of @gatehouse/shared and of
 * the CLI, the shared tarball installed into a project outside the repository with public
 * dependencies only, a tiny service per framework started from it against a running system,
 * and the CLI tarball installed globally under a prefix. Kept out of `npm test`: installing
 * resolves public packages (the npm cache first, the registry for what it lacks); `.ci/run`
 * runs it as its own step (`npm run test:package`).
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const REVOCATION_BOUND_MS = 5_000;
const run = promisify(execFile);

let system: RunningSystem;
let work: string;
const services = new Map<string, { port: number; child: ChildProcess }>();

async function npm(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('npm', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

function startTinyService(
  project: string,
  name: string,
): Promise<{ port: number; child: ChildProcess }> {
  const file = join(project, `${name}.mjs`);
  writeFileSync(file, TINY_SERVICES[name]!);
  const child = spawn(process.execPath, [file], {
    cwd: project,
    env: { ...process.env, ISSUER: `${system.url}/auth` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening (\d+)/.exec(output);
      if (listening) resolve({ port: Number(listening[1]), child });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => reject(new Error(`${name} service exited ${code}: ${output}`)));
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gatehouse-package-'));
  system = await startSystem();
  await npm(ROOT, 'pack', '-w', 'shared', '-w', 'cli', '--pack-destination', work);
  const shared = JSON.parse(readFileSync(join(ROOT, 'shared/package.json'), 'utf8'));
  const project = join(work, 'team-service');
  mkdirSync(project);
  const frameworks = ['koa', 'express', 'fastify'] as const;
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'team-service',
      private: true,
      type: 'module',
      dependencies: {
        '@gatehouse/shared': `file:../gatehouse-shared-${shared.version}.tgz`,
        ...Object.fromEntries(frameworks.map((f) => [f, shared.devDependencies[f]])),
      },
    }),
  );
  await npm(project, 'install', '--prefer-offline', '--no-audit', '--no-fund');
  for (const name of Object.keys(TINY_SERVICES)) {
    services.set(name, await startTinyService(project, name));
  }
}, 300_000);

afterAll(async () => {
  for (const { child } of services.values()) child.kill();
  await system?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A service client's token (client credentials: no roles), and how to revoke it. */
async function serviceClientToken(clientId: string) {
  const { post } = await serviceClient(system, clientId);
  const res = await post('/auth/token', { grant_type: 'client_credentials' });
  expect(res.status).toBe(200);
  const token = ((await res.json()) as { access_token: string }).access_token;
  return { token, revoke: () => post('/auth/revoke', { token }) };
}

const call = (name: string, path: string, token?: string) =>
  fetch(`http://127.0.0.1:${services.get(name)!.port}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

/** The same token with one signature character changed: a forgery. */
function forged(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const changed = signature[10] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, 10)}${changed}${signature.slice(11)}`;
}

const names = Object.keys(TINY_SERVICES);

describe('@gatehouse/shared installed from its tarball', () => {
  it('when its types are compiled by a team project, then every entry point resolves with types', async () => {
    const project = join(work, 'team-service');
    writeFileSync(join(project, 'check.ts'), TYPED_USE);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['check.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    await expect(run(process.execPath, [tsc, '-p', project])).resolves.toBeDefined();
  });

  it.each(names)(
    'when the %s service gets a valid, a forged, no token and a token without the role, then 200, 401, 401 and 403',
    async (name) => {
      const { token } = await serviceClientToken(`package-${name}`);
      const ok = await call(name, '/me', token);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ sub: `package-${name}` });

      const bad = await call(name, '/me', forged(token));
      expect(bad.status).toBe(401);
      expect(await bad.json()).toMatchObject({ error: 'invalid_token' });
      expect(bad.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="gatehouse", error="invalid_token"/,
      );

      const none = await call(name, '/me');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');

      const denied = await call(name, '/admin', token);
      expect(denied.status).toBe(403);
      expect(await denied.json()).toMatchObject({
        error: 'insufficient_scope',
        request_id: expect.any(String),
      });
      expect(denied.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    },
  );

  it('when a client revokes its token (RFC 7009), then every service refuses it within 5 s without any revocation option set', async () => {
    const client = await serviceClientToken('package-revoking');
    for (const name of names) expect((await call(name, '/me', client.token)).status).toBe(200);
    expect((await client.revoke()).status).toBe(200);
    const revokedAt = Date.now();
    for (const name of names) {
      await until(`${name} refusing the revoked token`, REVOCATION_BOUND_MS, async () => {
        const res = await call(name, '/me', client.token);
        return res.status === 401 && (await res.json()).error === 'invalid_token';
      });
      expect(Date.now() - revokedAt).toBeLessThan(REVOCATION_BOUND_MS);
    }
  });
});

describe('the gatehouse CLI installed from its tarball', () => {
  it('when installed globally under a prefix, then the gatehouse command runs', async () => {
    const cli = JSON.parse(readFileSync(join(ROOT, 'cli/package.json'), 'utf8'));
    const prefix = join(work, 'global');
    await npm(
      work,
      'install',
      '-g',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(work, `gatehouse-cli-${cli.version}.tgz`),
    );
    const { stdout } = await run(join(prefix, 'bin/gatehouse'), ['help'], {
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
    });
    expect(stdout).toMatch(/usage: gatehouse <command>/);
  });
});
