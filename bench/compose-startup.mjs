#!/usr/bin/env node
/**
 * How long README's `docker compose up -d` takes, on a fresh project (no `.env`, new volume),
 * from the command until every service's health check passes, and where that time goes: for
 * each service, when compose created and started its container, when the service logged that
 * it listens, and when its first passing probe ran (Docker's own probe log). Rounds run one
 * after the other under throwaway project names; each is taken down with its volume.
 *
 * Goal: every service healthy within 10 s of `up -d` (median of the rounds). It is recorded
 * here, not asserted in test/compose-smoke/compose-stack.smoke.ts: on a shared 2-core machine
 * the time is set mostly by other load (Node start-up and compose's container creation), so a
 * timed test would fail on load rather than on our code. The load average is printed with it.
 *
 * Needs a Docker engine and compose (the v2 plugin or v1 `docker-compose`); images are built
 * first, from the cache when warm (NODE_IMAGE: the base, as in `.ci/run`). Opt-in:
 * `BENCH_ONLY=compose npm run bench`, or `node bench/compose-startup.mjs`; BENCH_ROUNDS, default 3.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runAsScript } from './lib/main.mjs';
import { freePort } from './lib/ports.mjs';
import { fixed, printTable, verdict } from './lib/table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const GOAL_MS = 10_000;
const HEALTHY_TIMEOUT_MS = 120_000;
const SERVICES = ['auth-service', 'api-service', 'dev-idp', 'gateway'];
const execFileAsync = promisify(execFile);

const composeCommand = () =>
  spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0
    ? ['docker', 'compose']
    : ['docker-compose'];

/** Runs the rounds and returns them; prints the table unless `print` is false. */
export async function runComposeStartupBench({
  rounds = Number(process.env.BENCH_ROUNDS ?? 3),
  print = true,
} = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-compose-bench-'));
  const emptyEnv = join(scratch, 'empty.env');
  writeFileSync(emptyEnv, '');
  const name = `gatehouse-bench-${randomBytes(4).toString('hex')}`;
  const base = await project(name, emptyEnv);
  try {
    await base.run('build');
    const results = [];
    for (let round = 0; round < rounds; round += 1) results.push(await measureRound(base));
    if (print) printResults(results);
    return results;
  } finally {
    await base.run('down', '-v', '--remove-orphans', '--rmi', 'local').catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One compose project on free ports, with only what a fresh clone has (no `.env`). */
async function project(name, emptyEnv) {
  const [gatewayPort, devIdpPort] = [await freePort(), await freePort()];
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.DOCKER_HOST && { DOCKER_HOST: process.env.DOCKER_HOST }),
    ...(process.env.NODE_IMAGE && { NODE_IMAGE: process.env.NODE_IMAGE }),
    GATEWAY_PORT: String(gatewayPort),
    PUBLIC_URL: `http://localhost:${gatewayPort}`,
    DEV_IDP_PORT: String(devIdpPort),
  };
  const command = composeCommand();
  const run = async (...args) => {
    const argv = [...command.slice(1), '--env-file', emptyEnv, '-p', name, ...args];
    return (await execFileAsync(command[0], argv, { cwd: root, env, maxBuffer: 64 << 20 })).stdout;
  };
  return { run };
}

async function measureRound(compose) {
  const load = loadavg()[0];
  const started = Date.now();
  await compose.run('up', '-d');
  const upReturned = Date.now() - started;
  const ids = (await compose.run('ps', '-q')).split('\n').filter(Boolean);
  let healthy;
  while (healthy === undefined && Date.now() - started < HEALTHY_TIMEOUT_MS) {
    const { stdout } = await execFileAsync('docker', [
      'inspect',
      '-f',
      '{{if .State.Health}}{{.State.Health.Status}}{{end}}',
      ...ids,
    ]);
    const states = stdout.split('\n').filter(Boolean);
    if (states.length === SERVICES.length && states.every((s) => s === 'healthy'))
      healthy = Date.now() - started;
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const services = {};
  for (const id of ids) {
    const times = await serviceTimes(id, started);
    services[times.service] = times;
  }
  await compose.run('down', '-v');
  return { load, upReturned, healthy, services };
}

/** Milliseconds after `started`: container created, started, service listening, first healthy probe. */
async function serviceTimes(id, started) {
  const [container] = JSON.parse((await execFileAsync('docker', ['inspect', id])).stdout);
  const at = (iso) => (iso ? Date.parse(iso) - started : NaN);
  const { stdout, stderr } = await execFileAsync('docker', ['logs', '--timestamps', id]);
  const listening = `${stdout}\n${stderr}`.split('\n').find((line) => /listening/i.test(line));
  const probe = (container.State.Health?.Log ?? []).find((entry) => entry.ExitCode === 0);
  return {
    service: container.Config.Labels['com.docker.compose.service'],
    created: at(container.Created),
    started: at(container.State.StartedAt),
    listening: at(listening?.split(' ')[0]),
    healthy: at(probe?.End),
  };
}

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
};
const seconds = (ms) => fixed(ms / 1000, 1);

function printResults(results) {
  printTable({
    title: `docker compose up -d on a fresh project, ${results.length} rounds (s after the command, median)`,
    header: ['service', 'created', 'started', 'listening', 'healthy'],
    rows: SERVICES.map((service) => [
      service,
      ...['created', 'started', 'listening', 'healthy'].map((key) =>
        seconds(median(results.map((r) => r.services[service]?.[key]))),
      ),
    ]),
    firstWidth: 14,
  });
  for (const [i, r] of results.entries()) {
    console.log(
      `round ${i + 1}: load ${r.load.toFixed(2)}, up -d returned ${seconds(r.upReturned)} s, ` +
        `all healthy ${seconds(r.healthy ?? NaN)} s`,
    );
  }
  const all = median(results.map((r) => r.healthy ?? Infinity));
  console.log(
    `goal: every service healthy within ${GOAL_MS / 1000} s of up -d (median ${seconds(all)} s): ` +
      `${verdict(all < GOAL_MS)} (recorded, not asserted: see the header)`,
  );
}

await runAsScript(import.meta.url, () => runComposeStartupBench());
