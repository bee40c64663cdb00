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
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load, loadSettings } from './lib/load.mjs';
import { startAuthProcess } from './lib/start.mjs';
import { runAsScript } from './lib/main.mjs';
import {
  BENCH_PUBLIC_URL as PUBLIC_URL,
  BENCH_SESSION_KEY,
  benchAuthEnv,
} from './lib/auth-env.mjs';
import { signedInCookie } from './lib/session-cookie.mjs';
import { createScope, requireBuilt } from './lib/processes.mjs';
import { fixed, printTable } from './lib/table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'services/auth-service/dist');
const ALGS = ['ES256', 'EdDSA', 'RS256'];

/** Runs every row and returns the figures; prints the table unless `print` is false. */
export async function runTokenBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, {
    durationSeconds: 3,
    connections: 10,
  });
  const tokens = options.tokens ?? Number(process.env.BENCH_TOKENS ?? 2000);
  requireBuilt(join(dist, 'main.js'));
  const results = [];
  for (const alg of ALGS) {
    const scope = createScope();
    try {
      const raw = await rawSigner(scope, alg, tokens);
      const http = await overHttp(scope, alg, durationSeconds, connections);
      results.push({ alg, rawPerSecond: raw, ...http });
    } finally {
      await scope.close();
    }
  }
  if (options.print ?? true) print(results, { durationSeconds, connections, tokens });
  return { durationSeconds, connections, tokens, results };
}

/** Tokens a second from the issuer the service uses, one after another, for one user. */
async function rawSigner(scope, alg, count) {
  const { openKeyStore } = await import(pathToFileURL(join(dist, 'keys/open-key-store.js')).href);
  const { createAccessTokenIssuer } = await import(
    pathToFileURL(join(dist, 'tokens/access-token-issuer.js')).href
  );
  const { loadConfig } = await import(pathToFileURL(join(dist, 'config.js')).href);
  const dataDir = scope.tempDir();
  const config = loadConfig(benchAuthEnv(dataDir, { JWT_ALG: alg, PORT: '0' }));
  const quiet = { info() {}, warn() {}, error() {} };
  const { createDirectoryKeyRepository } = await import(
    pathToFileURL(join(dist, 'keys/directory-key-repository.js')).href
  );
  const keyStore = await openKeyStore({
    tokens: config.tokens,
    repository: createDirectoryKeyRepository(dataDir),
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
  const request = { user, sid: 'sid', clientId: 'gatehouse-web', registered: 'first-party' };
  for (let i = 0; i < Math.min(200, count); i += 1) await issue(request); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await issue(request);
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * POST /auth/token against a real auth-service process for one signed-in session. Driven by
 * autocannon whatever is installed: the requests are POSTs, and these figures have always been
 * autocannon's, so they stay comparable from run to run.
 */
async function overHttp(scope, alg, durationSeconds, connections) {
  const dataDir = scope.tempDir();
  const { url } = await startAuthProcess(scope, dataDir, { JWT_ALG: alg });
  const cookie = await signedInCookie(dist, { dataDir }, BENCH_SESSION_KEY);
  const headers = { origin: PUBLIC_URL, cookie };
  const first = await fetch(`${url}/auth/token`, { method: 'POST', headers });
  if (first.status !== 200) {
    throw new Error(`POST /auth/token answered ${first.status}: ${await first.text()}`);
  }
  const run = (seconds, path = '/auth/token', method = 'POST') =>
    load('autocannon', { url: `${url}${path}`, method, headers, seconds, connections });
  await run(1); // warm-up: JIT, keep-alive sockets
  const result = await run(durationSeconds);
  // The same session read without signing: what the HTTP path costs before any crypto.
  const session = await run(durationSeconds, '/auth/session', 'GET');
  return {
    sessionPerSecond: session.rps,
    httpPerSecond: result.rps,
    p50: result.p50,
    p99: result.p99,
    errors: result.errors,
  };
}

function print(results, { durationSeconds, connections, tokens }) {
  printTable({
    title:
      `token issuance, one session (raw: ${tokens} sequential tokens; HTTP: autocannon, ` +
      `${connections} connections, ${durationSeconds} s, loopback)`,
    header: [
      'alg',
      'raw tokens/s',
      'HTTP tokens/s',
      'HTTP p50 ms',
      'HTTP p99 ms',
      'errors',
      'session req/s',
    ],
    rows: results.map((r) => [
      r.alg,
      fixed(r.rawPerSecond),
      fixed(r.httpPerSecond),
      fixed(r.p50, 2),
      fixed(r.p99, 2),
      String(r.errors),
      fixed(r.sessionPerSecond),
    ]),
    firstWidth: 8,
    width: 14,
  });
  console.log('');
}

await runAsScript(import.meta.url, () => runTokenBench());
