import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a built service's main.js with only `env` (plus PATH) and collects how it ended. */
function runMain(
  workspace: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, workspace, 'dist/main.js')], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Production auth-service variables whose DATA_DIR does not exist, so there is no signing key. */
const PRODUCTION_AUTH_WITHOUT_KEY = {
  NODE_ENV: 'production',
  PORT: '0',
  PUBLIC_URL: 'https://app.example.com',
  GOOGLE_CLIENT_ID: 'client',
  GOOGLE_CLIENT_SECRET: 'secret',
  DATA_DIR: join(root, 'node_modules/.cache/empty-data-dir-that-does-not-exist'),
};

describe('a bad configuration at the process boundary', () => {
  it.each([
    [
      'gateway',
      { PORT: 'http', PUBLIC_URL: 'not a url', UPSTREAM_TIMEOUT_MS: '-5' },
      ['PORT', 'PUBLIC_URL', 'UPSTREAM_TIMEOUT_MS'],
    ],
    [
      'services/auth-service',
      { PORT: '99999', JWT_ALG: 'HS256', PUBLIC_URL: 'ftp://x' },
      ['PORT', 'JWT_ALG', 'PUBLIC_URL'],
    ],
    [
      'services/api-service',
      { JWKS_URL: 'nope', JWT_CLOCK_TOLERANCE: 'soon', PORT: '-1' },
      ['JWKS_URL', 'JWT_CLOCK_TOLERANCE', 'PORT'],
    ],
    ['services/dev-idp', { NODE_ENV: 'production' }, ['production']],
  ])(
    'when %s starts with several bad variables, then it exits 1 listing every one',
    async (workspace, env, names) => {
      const { code, stderr } = await runMain(workspace, env);
      expect(code).toBe(1);
      expect(stderr).toContain('invalid configuration');
      for (const name of names) expect(stderr).toContain(name);
      expect(stderr).not.toMatch(/\n\s+at /); // a list of problems, not a stack trace
    },
  );

  it('when the auth-service runs in production without a signing key, then it exits 1 saying how to make one', async () => {
    const { code, stderr } = await runMain('services/auth-service', {
      ...PRODUCTION_AUTH_WITHOUT_KEY,
      SESSION_KEYS: 'k'.repeat(40),
      ALLOWED_DOMAINS: 'example.com',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/signing key/i);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('when production lacks SESSION_KEYS and a signing key, then both are listed in one go', async () => {
    const { code, stderr } = await runMain('services/auth-service', PRODUCTION_AUTH_WITHOUT_KEY);
    expect(code).toBe(1);
    expect(stderr).toContain('SESSION_KEYS is required when NODE_ENV=production');
    expect(stderr).toMatch(/no signing key can sign now/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['gateway', 'PORT', {}],
    ['gateway', 'METRICS_PORT', { PORT: '0' }],
    ['services/api-service', 'PORT', {}],
  ])(
    'when the %s port set by %s is taken, then it exits 1 with one line naming that variable',
    async (workspace, variable, env) => {
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const { port } = taken.address() as AddressInfo;
      try {
        const { code, stderr } = await runMain(workspace, {
          HOST: '127.0.0.1',
          [variable]: String(port),
          ...env,
        });
        expect(code).toBe(1);
        expect(stderr.trim()).toMatch(
          new RegExp(
            `^[\\w-]+: ${variable} ${port} is in use by another program .*pick another with ${variable}=\\.\\.\\.$`,
          ),
        );
      } finally {
        taken.close();
      }
    },
  );
});
