#!/usr/bin/env node
/**
 * Store benchmark (issue 8): POST /auth/token and GET /auth/session per second for one
 * signed-in session, with the state in the embedded SQLite database (one replica: SQLite
 * cannot be shared) and in PostgreSQL with one and two auth-service processes (the load split
 * evenly across both, figures summed). PostgreSQL is a throwaway local server
 * (test/postgres/postgres-server.mjs, Debian's binaries; durability off, as in the tests).
 * Every row's processes start first, then the rows are measured in turns, 1-second slices
 * `BENCH_DURATION` rounds over (bench/lib/interleaved.mjs's way), so load from elsewhere on
 * the machine falls on all rows alike; each row also gives its auth-service processes' CPU
 * time per request. Issue 26's goal, PostgreSQL x 1 at >= 0.8 x SQLite on each route, is
 * printed under the table. Loopback only. Run: `BENCH_ONLY=stores npm run bench`
 * (BENCH_DURATION slices a row and route, default 3; BENCH_CONNECTIONS, default 10, per
 * process).
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '../test/postgres/postgres-server.mjs';
import { load, loadSettings } from './lib/load.mjs';
import { startAuthProcess } from './lib/start.mjs';
import { runAsScript } from './lib/main.mjs';
import { BENCH_PUBLIC_URL as PUBLIC_URL, BENCH_SESSION_KEY } from './lib/auth-env.mjs';
import { signedInCookie } from './lib/session-cookie.mjs';
import { cpuMicros, createScope, requireBuilt } from './lib/processes.mjs';
import { fixed, printTable, verdict } from './lib/table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'services/auth-service/dist');
const ENCRYPTION_KEY = `bench:${randomBytes(32).toString('base64')}`;
const ROWS = [
  { store: 'sqlite', replicas: 1 },
  { store: 'postgres', replicas: 1 },
  { store: 'postgres', replicas: 2 },
];
/** Issue 26: PostgreSQL with one replica at this share of SQLite's req/s, on each route. */
const GOAL_RATIO = 0.8;
const ROUTES = [
  { name: 'token', path: '/auth/token', method: 'POST' },
  { name: 'session', path: '/auth/session', method: 'GET' },
];

export async function runStoresBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, {
    durationSeconds: 3,
    connections: 10,
  });
  requireBuilt(join(dist, 'main.js'));
  const pg = await startPostgres();
  const scope = createScope();
  let results;
  try {
    const started = [];
    for (const row of ROWS) {
      started.push({ ...row, ...(await start(scope, row, pg.url, connections)) });
    }
    results = await measureInTurns(started, durationSeconds);
  } finally {
    await scope.close();
    pg.close();
  }
  if (options.print ?? true) print(results, { durationSeconds, connections });
  return { durationSeconds, connections, results };
}

/**
 * Starts a row's auth-service processes on a database of its own, with a signed-in session,
 * and returns `slice(route, seconds)`, which loads every process at once (figures summed),
 * and the processes' pids.
 */
async function start(scope, { store, replicas }, pgUrl, connections) {
  const dataDir = scope.tempDir();
  // A database of its own per row, so rows never see each other's sessions or counters.
  const database = store === 'postgres' ? await freshDatabase(pgUrl) : undefined;
  const urls = [];
  const pids = [];
  for (let i = 0; i < replicas; i += 1) {
    const { url, pid } = await startAuthProcess(
      scope,
      dataDir,
      database ? { DATABASE_URL: database, KEY_ENCRYPTION_KEY: ENCRYPTION_KEY } : {},
      { timeoutMs: 20_000 },
    );
    urls.push(url);
    pids.push(pid);
  }
  const cookie = await signedInCookie(
    dist,
    { dataDir, database: database && { url: database, poolMax: 2, timeoutMs: 5000 } },
    BENCH_SESSION_KEY,
  );
  const headers = { origin: PUBLIC_URL, cookie };
  for (const url of urls) {
    const first = await fetch(`${url}/auth/token`, { method: 'POST', headers });
    if (first.status !== 200) throw new Error(`POST /auth/token answered ${first.status}`);
  }
  const slice = async ({ path, method }, seconds) => {
    const runs = await Promise.all(
      urls.map((url) =>
        load('autocannon', { url: `${url}${path}`, method, headers, seconds, connections }),
      ),
    );
    return {
      requests: runs.reduce((n, r) => n + r.requests, 0),
      rps: runs.reduce((n, r) => n + r.rps, 0),
      p99: Math.max(...runs.map((r) => r.p99)),
      errors: runs.reduce((n, r) => n + r.errors, 0),
    };
  };
  return { slice, pids };
}

/**
 * Each row and route warmed up, then measured in 1-second slices, rows and routes in turns,
 * `seconds` rounds over. Per row and route: mean req/s, median p99, errors, and the row's
 * auth-service CPU time per request over all its slices.
 */
async function measureInTurns(rows, seconds) {
  for (const row of rows) for (const route of ROUTES) await row.slice(route, 1);
  const cpuOf = (row) => row.pids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
  const slices = rows.map(() => ROUTES.map(() => []));
  for (let round = 0; round < seconds; round += 1) {
    for (const [r, row] of rows.entries()) {
      for (const [k, route] of ROUTES.entries()) {
        const before = cpuOf(row);
        const measured = await row.slice(route, 1);
        slices[r][k].push({ ...measured, cpu: cpuOf(row) - before });
      }
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return rows.map(({ store, replicas }, r) => ({
    store,
    replicas,
    ...Object.fromEntries(
      ROUTES.map(({ name }, k) => {
        const of = slices[r][k];
        const sum = (pick) => of.reduce((total, s) => total + pick(s), 0);
        return [
          name,
          {
            rps: sum((s) => s.rps) / of.length,
            p99: median(of.map((s) => s.p99)),
            errors: sum((s) => s.errors),
            cpuUsPerRequest: sum((s) => s.cpu) / sum((s) => s.requests),
          },
        ];
      }),
    ),
  }));
}

async function freshDatabase(adminUrl) {
  const { default: pg } = await import('pg');
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function print(results, { durationSeconds, connections }) {
  printTable({
    title: `auth-service state: SQLite against PostgreSQL (autocannon, ${connections} connections a process, ${durationSeconds} x 1 s slices in turns, loopback; CPU: the auth-service processes', us a request)`,
    header: [
      'store x replicas',
      'token req/s',
      'token p99 ms',
      'token CPU',
      'session req/s',
      'session p99 ms',
      'session CPU',
      'errors',
    ],
    rows: results.map((r) => [
      `${r.store} x ${r.replicas}`,
      fixed(r.token.rps),
      fixed(r.token.p99, 2),
      fixed(r.token.cpuUsPerRequest),
      fixed(r.session.rps),
      fixed(r.session.p99, 2),
      fixed(r.session.cpuUsPerRequest),
      String(r.token.errors + r.session.errors),
    ]),
    firstWidth: 18,
    width: 15,
  });
  const sqlite = results.find((r) => r.store === 'sqlite');
  const postgres = results.find((r) => r.store === 'postgres' && r.replicas === 1);
  for (const { name } of ROUTES) {
    const ratio = postgres[name].rps / sqlite[name].rps;
    console.log(
      `postgres x 1 / sqlite, ${name}: ${fixed(ratio, 2)} x (goal >= ${GOAL_RATIO}: ${verdict(ratio >= GOAL_RATIO)})`,
    );
  }
  console.log('');
}

await runAsScript(import.meta.url, () => runStoresBench());
