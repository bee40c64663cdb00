import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { freePort } from './support/free-port.js';
import { spawnStart } from './support/spawn-start.js';

/**
 * `npm start` when something is wrong from the first second: a taken port, a gateway that dies.
 * Each run is bounded; the runner is killed (with its services) if it ever hangs.
 */
const WAIT_MS = 15_000;
const cleanups: (() => void)[] = [];

afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

async function ports() {
  return {
    GATEWAY_PORT: String(await freePort()),
    AUTH_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    DEV_IDP_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
  };
}

/** Starts the runner; `until` sees its output so far and may act (kill a service). */
function runStart(
  env: Record<string, string>,
  until?: (output: string, runner: ChildProcess) => void,
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-start-fail-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const runner = spawnStart({ DATA_DIR: dataDir, ...env });
  let output = '';
  const pids: number[] = [];
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      for (const pid of pids) killGroup(pid);
      runner.kill('SIGKILL');
      reject(new Error(`npm start did not exit within ${WAIT_MS} ms; it printed:\n${output}`));
    }, WAIT_MS);
    const onData = (chunk: string) => {
      output += chunk;
      for (const [, pid] of output.matchAll(/started \(pid (\d+)\)/g)) {
        if (!pids.includes(Number(pid))) pids.push(Number(pid));
      }
      until?.(output, runner);
    };
    runner.stdout.setEncoding('utf8').on('data', onData);
    runner.stderr.setEncoding('utf8').on('data', onData);
    runner.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function killGroup(pid: number) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  return { server, port: (server.address() as AddressInfo).port };
}

describe('npm start when something is wrong at start', () => {
  it.each(['GATEWAY_PORT', 'AUTH_PORT', 'METRICS_PORT'])(
    'when the port set by %s is taken, then it says so once naming the variable, starts nothing and exits 1',
    async (variable) => {
      const { port } = await occupy();

      const { code, output } = await runStart({ ...(await ports()), [variable]: String(port) });

      expect(code).toBe(1);
      expect(output).toContain(
        `${variable} ${port} is in use by another program; pick another with ${variable}=...`,
      );
      expect(output.split(`${variable} ${port} is in use`)).toHaveLength(2);
      expect(output).not.toMatch(/started \(pid/);
      expect(output).not.toMatch(/\n\s+at /);
    },
  );

  it('when NODE_ENV=production has no Google client, then it refuses before starting anything', async () => {
    const { code, output } = await runStart({ ...(await ports()), NODE_ENV: 'production' });

    expect(code).toBe(1);
    expect(output).toMatch(/NODE_ENV=production needs a real Google client/);
    expect(output).not.toContain('DEV MODE');
    expect(output).not.toMatch(/started \(pid/);
  });

  it.each([
    [
      'GOOGLE_CLIENT_ID without its secret',
      { GOOGLE_CLIENT_ID: '123-abc.apps.googleusercontent.com', ALLOWED_EMAILS: 'a@b.example' },
      /auth: GOOGLE_CLIENT_SECRET is required/,
    ],
    [
      'an allowlist domain written as @example.com',
      { ALLOWED_DOMAINS: '@example.com' },
      /auth: ALLOWED_DOMAINS /,
    ],
  ])(
    'when .env has %s, then the auth-service loader refuses it before anything starts, exit 1',
    async (_case, env, problem) => {
      const { code, output } = await runStart({ ...(await ports()), ...env });

      expect(code).toBe(1);
      expect(output).toMatch(/npm start cannot start:/);
      expect(output).toMatch(problem);
      expect(output).not.toMatch(/started \(pid/);
      expect(output).not.toMatch(/\n\s+at /);
    },
  );

  it('when a service exits while the system is still starting, then the runner stops every service and exits 1', async () => {
    let killed = false;
    const { code, output } = await runStart(await ports(), (soFar) => {
      const match = soFar.match(/auth started \(pid (\d+)\)/);
      if (match && !killed && !/Gatehouse is ready/.test(soFar)) {
        killed = true;
        process.kill(Number(match[1]), 'SIGKILL');
      }
    });

    expect(killed).toBe(true);
    expect(code).toBe(1);
    expect(output).toMatch(
      /auth EXITED UNEXPECTEDLY \(signal SIGKILL\)\. It failed while Gatehouse was starting: stopping/,
    );
    expect(output).not.toMatch(/Gatehouse is ready/);
    for (const label of ['dev-idp', 'api', 'gateway']) expect(output).toContain(`${label} stopped`);
  });

  it('when .env has GOOGLE_CLIENT_SECERT and ALLOWED_EMAIL, then the runner warns once for each with the likely name and no service repeats it', async () => {
    let stopped = false;
    const { output } = await runStart(
      { ...(await ports()), GOOGLE_CLIENT_SECERT: 'x', ALLOWED_EMAIL: 'a@example.com' },
      (soFar, runner) => {
        if (!stopped && /Gatehouse is ready/.test(soFar)) {
          stopped = true;
          runner.kill('SIGINT');
        }
      },
    );

    expect(stopped).toBe(true);
    expect(output).toContain(
      'unknown variable ALLOWED_EMAIL is ignored: did you mean ALLOWED_EMAILS?',
    );
    expect(output).toContain(
      'unknown variable GOOGLE_CLIENT_SECERT is ignored: did you mean GOOGLE_CLIENT_SECRET?',
    );
    expect(output.match(/unknown variable/g)).toHaveLength(2);
  });

  it('when the gateway dies, then the runner says it stops the rest, stops every service and exits 1', async () => {
    let killed = false;
    const { code, output } = await runStart(await ports(), (soFar) => {
      const match = soFar.match(/gateway started \(pid (\d+)\)/);
      if (match && !killed && /Gatehouse is ready/.test(soFar)) {
        killed = true;
        process.kill(Number(match[1]), 'SIGKILL');
      }
    });

    expect(killed).toBe(true);
    expect(code).toBe(1);
    expect(output).toMatch(
      /gateway EXITED UNEXPECTEDLY \(signal SIGKILL\)\. Nothing can be reached without it: stopping/,
    );
    expect(output).not.toMatch(/gateway EXITED UNEXPECTEDLY[^\n]*keep running/);
    for (const label of ['dev-idp', 'auth', 'api']) expect(output).toContain(`${label} stopped`);
  });

  it('when .env names the dev-idp client and a typo domain, then the dev-mode lines say so and the example address is one the allowlist admits', async () => {
    let stopped = false;
    const { output } = await runStart(
      { ...(await ports()), GOOGLE_CLIENT_ID: 'gatehouse-dev', ALLOWED_DOMAINS: 'exmaple.com' },
      (soFar, runner) => {
        if (!stopped && /Gatehouse is ready/.test(soFar)) {
          stopped = true;
          runner.kill('SIGINT');
        }
      },
    );

    expect(stopped).toBe(true);
    expect(output).toContain("GOOGLE_CLIENT_ID is the dev-idp's own gatehouse-dev");
    expect(output).not.toContain('GOOGLE_CLIENT_ID unset');
    expect(output).toContain('(ALLOWED_DOMAINS=exmaple.com), e.g. developer@exmaple.com.');
  });
});
