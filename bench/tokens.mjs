#!/usr/bin/env node
/**
 * Token issuance benchmark (issue 4): access tokens per second for one signed-in session, per
 * signing algorithm (ES256, EdDSA, RS256), measured two ways:
 *   1. the raw signer: the service's own issuer (key store + jose), a sequential in-process loop;
 *   2. POST /auth/token over HTTP against a real auth-service process (session lookup in the
 *      embedded database, same-origin check, directory read, signing), driven by autocannon,
 *      next to GET /auth/session on the same session (everything but the signing) as a baseline.
 * Loopback only: the provider's issuer points at a closed local port, so nothing leaves the host.
 * Uses the built services (`npm run build` first).
 * Run: `node bench/tokens.mjs` (BENCH_DURATION seconds per HTTP row, default 3;
 * BENCH_CONNECTIONS, default 10; BENCH_TOKENS raw tokens per algorithm, default 2000).
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'services/auth-service/dist');
const PUBLIC_URL = 'http://localhost:8080';
const SESSION_KEY = 'bench-session-key-0123456789abcdefghijkl';
const ALGS = ['ES256', 'EdDSA', 'RS256'];

/** Runs every row and returns the figures; prints the table unless `print` is false. */
export async function runTokenBench(options = {}) {
  const durationSeconds = options.durationSeconds ?? Number(process.env.BENCH_DURATION ?? 3);
  const connections = options.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 10);
  const tokens = options.tokens ?? Number(process.env.BENCH_TOKENS ?? 2000);
  const print = options.print ?? true;
  if (!existsSync(join(dist, 'main.js'))) {
    throw new Error(`${dist}/main.js is missing: run \`npm run build\` first`);
  }
  const results = [];
  for (const alg of ALGS) {
    const raw = await rawSigner(alg, tokens);
    const http = await overHttp(alg, durationSeconds, connections);
    results.push({ alg, rawPerSecond: raw, ...http });
  }
  if (print) printTable(results, { durationSeconds, connections, tokens });
  return { durationSeconds, connections, tokens, results };
}

/** Tokens a second from the issuer the service uses, one after another, for one user. */
async function rawSigner(alg, count) {
  const { openKeyStore } = await import(pathToFileURL(join(dist, 'keys/open-key-store.js')).href);
  const { createAccessTokenIssuer } = await import(
    pathToFileURL(join(dist, 'tokens/access-token-issuer.js')).href
  );
  const { loadConfig } = await import(pathToFileURL(join(dist, 'config.js')).href);
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  try {
    const config = loadConfig({ ...serviceEnv(alg, dataDir), PORT: '0' });
    const quiet = { info() {}, warn() {}, error() {} };
    const keyStore = openKeyStore({
      tokens: config.tokens,
      dataDir,
      production: false,
      now: Date.now,
      logger: quiet,
    });
    const issue = createAccessTokenIssuer({ tokens: config.tokens, keyStore, now: Date.now });
    const user = {
      id: randomBytes(16).toString('hex'),
      email: 'bench@example.com',
      name: 'Bench',
      roles: ['admin'],
    };
    for (let i = 0; i < Math.min(200, count); i += 1) await issue(user, 'sid'); // warm-up
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i += 1) await issue(user, 'sid');
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** POST /auth/token against a real auth-service process for one signed-in session. */
async function overHttp(alg, durationSeconds, connections) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(dist, 'main.js')], {
    env: { PATH: process.env.PATH, ...serviceEnv(alg, dataDir), PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child);
    const cookie = await signIn(dataDir);
    const headers = { origin: PUBLIC_URL, cookie };
    const first = await fetch(`${url}/auth/token`, { method: 'POST', headers });
    if (first.status !== 200)
      throw new Error(`POST /auth/token answered ${first.status}: ${await first.text()}`);
    const { default: autocannon } = await import('autocannon');
    const run = (duration, path = '/auth/token', method = 'POST') =>
      autocannon({ url: `${url}${path}`, method, headers, duration, connections });
    await run(1); // warm-up: JIT, keep-alive sockets
    const result = await run(durationSeconds);
    // The same session read without signing: what the HTTP path costs before any crypto.
    const session = await run(durationSeconds, '/auth/session', 'GET');
    return {
      sessionPerSecond: session.requests.average,
      httpPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.non2xx + result.errors,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) =>
      child.exitCode === null ? child.once('exit', resolve) : resolve(),
    );
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function serviceEnv(alg, dataDir) {
  return {
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'fatal',
    PUBLIC_URL,
    DATA_DIR: dataDir,
    JWT_ALG: alg,
    AUTH_RATE_LIMIT: '0',
    SESSION_KEYS: SESSION_KEY,
    GOOGLE_CLIENT_ID: 'bench',
    GOOGLE_CLIENT_SECRET: 'bench-secret',
    // Discovery never succeeds (a closed loopback port); POST /auth/token does not need it.
    GOOGLE_ISSUER: 'http://127.0.0.1:9',
  };
}

/** Writes a signed-in session for a directory user and returns the cookie a browser holds. */
async function signIn(dataDir) {
  const { openDatabase } = await import(pathToFileURL(join(dist, 'db/open-database.js')).href);
  const { createUserDirectory } = await import(
    pathToFileURL(join(dist, 'users/user-directory.js')).href
  );
  const { createSessionStore } = await import(
    pathToFileURL(join(dist, 'sessions/session-store.js')).href
  );
  const { SESSION_COOKIE } = await import(
    pathToFileURL(join(dist, 'sessions/session-middleware.js')).href
  );
  const db = openDatabase(dataDir);
  try {
    const user = createUserDirectory(db).preRegister('bench@example.com', ['admin'], Date.now());
    const sessions = createSessionStore(
      db,
      { idleTimeoutMs: 3_600_000, maxAgeMs: 86_400_000 },
      Date.now,
    );
    const id = randomBytes(16).toString('hex');
    await sessions.set(id, {
      userId: user.id,
      sid: randomBytes(16).toString('base64url'),
      signedInAt: Date.now(),
    });
    const signature = createHmac('sha1', SESSION_KEY)
      .update(`${SESSION_COOKIE}=${id}`)
      .digest('base64url');
    return `${SESSION_COOKIE}=${id}; ${SESSION_COOKIE}.sig=${signature}`;
  } finally {
    db.close();
  }
}

async function waitForHealth(url, child) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`auth-service exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('auth-service did not answer /healthz within 10 s');
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function printTable(results, { durationSeconds, connections, tokens }) {
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(8) : c.padStart(14))).join(' ');
  console.log(
    `\ntoken issuance, one session (raw: ${tokens} sequential tokens; HTTP: autocannon, ` +
      `${connections} connections, ${durationSeconds} s, loopback)`,
  );
  console.log(
    line([
      'alg',
      'raw tokens/s',
      'HTTP tokens/s',
      'HTTP p50 ms',
      'HTTP p99 ms',
      'non-2xx',
      'session req/s',
    ]),
  );
  for (const r of results) {
    console.log(
      line([
        r.alg,
        r.rawPerSecond.toFixed(0),
        r.httpPerSecond.toFixed(0),
        r.p50.toFixed(2),
        r.p99.toFixed(2),
        String(r.errors),
        r.sessionPerSecond.toFixed(0),
      ]),
    );
  }
  console.log('');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runTokenBench().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
