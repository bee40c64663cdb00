import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from './support/free-port.js';
import { spawnStart } from './support/spawn-start.js';

/**
 * The README quick start, as a process: `npm start` (scripts/start.mjs, on the built dist)
 * in dev mode on free ports with a throwaway DATA_DIR. The steps run in order and share one
 * runner, as a developer would use it: start, browse, lose a service, Ctrl-C.
 */
const LABELS = ['dev-idp', 'auth', 'api', 'gateway'] as const;
/** Each wait is bounded; the whole file takes about 2 s on a laptop. */
const WAIT_MS = 10_000;
const POLL_MS = 100;

let runner: ChildProcess | undefined;
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let output = '';
/** Set once the runner has exited, so every wait fails at once instead of at its deadline. */
let ended = false;
let gatewayUrl = '';
let dataDir = '';
const pids = new Map<string, number>();

/** Resolves with the match once the runner's stdout matches `pattern`. */
function waitForOutput(pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = output.match(pattern);
      if (!match) return;
      clearTimeout(timer);
      runner?.stdout?.off('data', check);
      resolve(match);
    };
    const fail = () => {
      runner?.stdout?.off('data', check);
      reject(new Error(`npm start never printed ${pattern}; it printed:\n${output}`));
    };
    const timer = setTimeout(fail, WAIT_MS);
    runner?.stdout?.on('data', check);
    check();
    void exited.then(() => {
      clearTimeout(timer);
      check();
      fail(); // no effect when check() resolved
    });
  });
}

/** Polls `url` until it answers `status`; returns that response's body. */
async function pollStatus(url: string, status: number): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  let last = 'no answer';
  while (Date.now() < deadline && !ended) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = await response.text();
      if (response.status === status) return body;
      last = `${response.status} ${body}`;
    } catch (error) {
      last = String(error);
    }
    await delay(POLL_MS);
  }
  throw new Error(`${url} never answered ${status}; last: ${last}; npm start printed:\n${output}`);
}

/** `promise`, or a failure naming `what` after WAIT_MS. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took over ${WAIT_MS} ms; npm start printed:\n${output}`)),
      WAIT_MS,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function pidOf(label: string): number {
  const pid = pids.get(label);
  if (pid === undefined) throw new Error(`npm start never printed the ${label} pid`);
  return pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

beforeAll(async () => {
  const [gateway, auth, api, devIdp] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  gatewayUrl = `http://localhost:${gateway}`;
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-start-'));
  runner = spawnStart({
    GATEWAY_PORT: String(gateway),
    AUTH_PORT: String(auth),
    API_PORT: String(api),
    DEV_IDP_PORT: String(devIdp),
    METRICS_PORT: '0',
    DATA_DIR: dataDir,
  });
  runner.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  runner.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const child = runner;
  exited = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      ended = true;
      resolve({ code, signal });
    }),
  );
});

afterAll(async () => {
  // On a failure part-way, nothing may outlive the test: the services run in their own
  // process groups, so a killed runner would leave them behind.
  if (runner && runner.exitCode === null && runner.signalCode === null) {
    for (const pid of pids.values()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    runner.kill('SIGKILL');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start as a process', () => {
  it('when it starts in dev mode, then it prints each service pid, labelled logs and the ready message', async () => {
    for (const label of LABELS) {
      const [, pid] = await waitForOutput(
        new RegExp(`\\[start\\]\\s+${label} started \\(pid (\\d+)\\)`),
      );
      pids.set(label, Number(pid));
    }
    await pollStatus(`${gatewayUrl}/readyz`, 200);
    await waitForOutput(new RegExp(`Gatehouse is ready: open ${gatewayUrl}`));

    for (const label of LABELS) expect(output).toMatch(new RegExp(`^\\[${label}\\]\\s+\\{`, 'm'));
    expect(output).toContain('DEV MODE');
  });

  it('when the browser opens the gateway, then it serves the demo page', async () => {
    const response = await fetch(`${gatewayUrl}/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('<title>Gatehouse</title>');
  });

  it('when discovery is asked through the gateway, then the auth-service answers with the public issuer', async () => {
    const response = await fetch(`${gatewayUrl}/auth/.well-known/openid-configuration`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ issuer: `${gatewayUrl}/auth` });
  });

  it('when the api-service dies, then the runner says so loudly, keeps running, and /readyz turns 503', async () => {
    process.kill(pidOf('api'), 'SIGKILL');

    await waitForOutput(/api EXITED UNEXPECTEDLY \(signal SIGKILL\)/);
    await pollStatus(`${gatewayUrl}/readyz`, 503);
    expect({ code: runner?.exitCode, signal: runner?.signalCode }).toEqual({
      code: null,
      signal: null,
    });
    for (const label of ['dev-idp', 'auth', 'gateway']) expect(isAlive(pidOf(label))).toBe(true);
  });

  it('when the runner gets SIGINT, then it stops every service and exits', async () => {
    runner?.kill('SIGINT');

    const { code } = await within(exited, 'exiting after SIGINT');

    // 1: a service (the api-service above) failed during the run.
    expect(code).toBe(1);
    for (const label of ['dev-idp', 'auth', 'gateway'])
      expect(output).toContain(`${label} stopped`);
    expect(pids.size).toBe(LABELS.length);
    expect([...pids].filter(([, pid]) => isAlive(pid))).toEqual([]);
  });
});
