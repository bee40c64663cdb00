#!/usr/bin/env node
/**
 * Refresh grant benchmark (issue 9): refresh grants a second for one client (gatehouse-cli) on
 * SQLite, measured two ways:
 *   1. rotation alone: the service's refresh-token module over its SQLite store (hash lookup,
 *      conditional update and insert in one transaction), a sequential in-process loop;
 *   2. POST /auth/token grant_type=refresh_token over HTTP against a real auth-service process
 *      (form parsing, client lookup, rotation, directory read, ES256 signing), driven by
 *      `chains` concurrent token chains: every refresh rotates, so each chain presents the
 *      successor it was just given (a fixed-body load generator would only measure reuse).
 * Loopback only; uses the built services (`npm run build` first).
 * Run: `node bench/refresh.mjs` (BENCH_DURATION seconds for the HTTP row, default 3;
 * BENCH_CONNECTIONS chains, default 10; BENCH_REFRESHES in-process rotations, default 5000).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadSettings } from './lib/load.mjs';
import { startAuthProcess } from './lib/start.mjs';
import { runAsScript } from './lib/main.mjs';
import { cpuMicros, createScope, requireBuilt } from './lib/processes.mjs';
import { fixed, printTable } from './lib/table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'services/auth-service/dist');
const CLIENT_ID = 'gatehouse-cli';

const load = (path) => import(pathToFileURL(join(dist, path)).href);

/** Runs both rows and returns the figures; prints the table unless `print` is false. */
export async function runRefreshBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, {
    durationSeconds: 3,
    connections: 10,
  });
  const refreshes = options.refreshes ?? Number(process.env.BENCH_REFRESHES ?? 5000);
  requireBuilt(join(dist, 'main.js'));
  const scope = createScope();
  try {
    const rotationPerSecond = await rotationAlone(scope, refreshes);
    const http = await overHttp(scope, durationSeconds, connections);
    const result = { durationSeconds, connections, refreshes, rotationPerSecond, ...http };
    if (options.print ?? true) print(result);
    return result;
  } finally {
    await scope.close();
  }
}

/** Where the bench's token requests come from, as the account page would list them. */
const BENCH_SOURCE = { ip: '127.0.0.1', userAgent: 'bench/refresh' };

/** Opens a DATA_DIR's stores and starts `count` refresh families for one user (bench/peers.mjs too). */
export async function families(dataDir, count) {
  const { openStores } = await load('db/open-stores.js');
  const { createRefreshTokens } = await load('oauth/refresh/refresh-tokens.js');
  const stores = await openStores({ dataDir });
  const client = await stores.clients.find(CLIENT_ID);
  const user = await stores.directory.preRegister('bench@example.com', ['admin'], Date.now());
  const refresh = createRefreshTokens({ store: stores.refreshTokens, now: Date.now });
  const tokens = [];
  for (let i = 0; i < count; i += 1) {
    tokens.push(
      (await refresh.issue({ client, userId: user.id, scope: 'api', from: BENCH_SOURCE })).token,
    );
  }
  return { stores, client, refresh, tokens };
}

async function rotationAlone(scope, count) {
  const { stores, client, refresh, tokens } = await families(scope.tempDir(), 1);
  try {
    let token = tokens[0];
    const step = async () => {
      const outcome = await refresh.rotate(token, client, BENCH_SOURCE);
      if (!outcome.ok) throw new Error(`rotation refused: ${outcome.reason}`);
      token = outcome.token;
    };
    for (let i = 0; i < Math.min(500, count); i += 1) await step(); // warm-up
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i += 1) await step();
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await stores.close();
  }
}

async function overHttp(scope, durationSeconds, chains) {
  const dataDir = scope.tempDir();
  const { stores, tokens } = await families(dataDir, chains);
  await stores.close();
  const { url, child } = await startAuthProcess(scope, dataDir);
  const refreshOnce = async (chain) => {
    const started = process.hrtime.bigint();
    const res = await fetch(`${url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens[chain],
        client_id: CLIENT_ID,
      }),
    });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`refresh answered ${res.status}: ${body.error}`);
    tokens[chain] = body.refresh_token;
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const run = async (seconds) => {
    const latencies = [];
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      tokens.map(async (_, chain) => {
        while (Date.now() < deadline) latencies.push(await refreshOnce(chain));
      }),
    );
    latencies.sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    return { perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
  };
  await run(1); // warm-up: JIT, keep-alive sockets
  const cpuBefore = cpuMicros(child.pid);
  const result = await run(durationSeconds);
  // The server's CPU per refresh: steadier than refreshes/s on a shared machine.
  const cpuPerRefresh = (cpuMicros(child.pid) - cpuBefore) / (result.perSecond * durationSeconds);
  return { httpPerSecond: result.perSecond, p50: result.p50, p99: result.p99, cpuPerRefresh };
}

function print(r) {
  printTable({
    title:
      `refresh grants, one client (${CLIENT_ID}), SQLite (rotation: ${r.refreshes} sequential; ` +
      `HTTP: ${r.connections} concurrent token chains, ${r.durationSeconds} s, loopback, ES256)`,
    header: ['row', 'refreshes/s', 'p50 ms', 'p99 ms', 'CPU us/req'],
    rows: [
      ['rotation alone (in-process)', fixed(r.rotationPerSecond), '', '', ''],
      [
        'POST /auth/token refresh_token',
        fixed(r.httpPerSecond),
        fixed(r.p50, 2),
        fixed(r.p99, 2),
        fixed(r.cpuPerRefresh, 1),
      ],
    ],
    firstWidth: 32,
    width: 12,
  });
  console.log('');
}

await runAsScript(import.meta.url, () => runRefreshBench());
