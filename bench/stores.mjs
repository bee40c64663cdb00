#!/usr/bin/env node
/**
 * Store benchmark (issue 8): POST /auth/token and GET /auth/session per second for one
 * signed-in session, with the state in the embedded SQLite database (one replica: SQLite
 * cannot be shared) and in PostgreSQL with one and two auth-service processes (the load split
 * evenly across both, figures summed). PostgreSQL is a throwaway local server
 * (test/postgres/postgres-server.mjs, Debian's binaries; durability off, as in the tests).
 * Loopback only. Run: `BENCH_ONLY=stores npm run bench` (BENCH_DURATION seconds a row,
 * default 3; BENCH_CONNECTIONS, default 10, per process).
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
import { createScope, requireBuilt } from './lib/processes.mjs';
import { fixed, printTable } from './lib/table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'services/auth-service/dist');
const ENCRYPTION_KEY = `bench:${randomBytes(32).toString('base64')}`;
const ROWS = [
  { store: 'sqlite', replicas: 1 },
  { store: 'postgres', replicas: 1 },
  { store: 'postgres', replicas: 2 },
];

export async function runStoresBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, {
    durationSeconds: 3,
    connections: 10,
  });
  requireBuilt(join(dist, 'main.js'));
  const pg = await startPostgres();
  const results = [];
  try {
    for (const row of ROWS) {
      const scope = createScope();
      try {
        results.push({
          ...row,
          ...(await measure(scope, row, pg.url, durationSeconds, connections)),
        });
      } finally {
        await scope.close();
      }
    }
  } finally {
    pg.close();
  }
  if (options.print ?? true) print(results, { durationSeconds, connections });
  return { durationSeconds, connections, results };
}

async function measure(scope, { store, replicas }, pgUrl, seconds, connections) {
  const dataDir = scope.tempDir();
  // A database of its own per row, so rows never see each other's sessions or counters.
  const database = store === 'postgres' ? await freshDatabase(pgUrl) : undefined;
  const urls = [];
  for (let i = 0; i < replicas; i += 1) {
    const { url } = await startAuthProcess(
      scope,
      dataDir,
      database ? { DATABASE_URL: database, KEY_ENCRYPTION_KEY: ENCRYPTION_KEY } : {},
      { timeoutMs: 20_000 },
    );
    urls.push(url);
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
  const all = async (path, method, s) => {
    const runs = await Promise.all(
      urls.map((url) =>
        load('autocannon', { url: `${url}${path}`, method, headers, seconds: s, connections }),
      ),
    );
    return {
      rps: runs.reduce((n, r) => n + r.rps, 0),
      p99: Math.max(...runs.map((r) => r.p99)),
      errors: runs.reduce((n, r) => n + r.errors, 0),
    };
  };
  await all('/auth/token', 'POST', 1); // warm-up
  const token = await all('/auth/token', 'POST', seconds);
  const session = await all('/auth/session', 'GET', seconds);
  return { token, session };
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
    title: `auth-service state: SQLite against PostgreSQL (autocannon, ${connections} connections a process, ${durationSeconds} s, loopback)`,
    header: [
      'store x replicas',
      'token req/s',
      'token p99 ms',
      'session req/s',
      'session p99 ms',
      'errors',
    ],
    rows: results.map((r) => [
      `${r.store} x ${r.replicas}`,
      fixed(r.token.rps),
      fixed(r.token.p99, 2),
      fixed(r.session.rps),
      fixed(r.session.p99, 2),
      String(r.token.errors + r.session.errors),
    ]),
    firstWidth: 18,
    width: 15,
  });
  console.log('');
}

await runAsScript(import.meta.url, () => runStoresBench());
