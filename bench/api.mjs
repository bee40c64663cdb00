#!/usr/bin/env node
/**
 * api-service benchmark (issue 5): on loopback, against a local JWKS server, measures
 *   1. GET /api/ping, unauthenticated,
 *   2. GET /api/me with a valid ES256 token (verified-token cache on, the default),
 *   3. GET /api/me with the cache off (a second instance with TOKEN_CACHE_SIZE=0),
 * and prints req/s, p50, p99 and each row's ratio to /api/ping. Goal: /api/me >= 0.9 x ping.
 * Rows run interleaved in 1-second slices (bench/lib/interleaved.mjs).
 * "CPU us/req" is the api-service process's CPU time per request (Linux /proc): on a shared
 * machine it is the steadier measure of what verification costs.
 *
 * Uses the built services (`npm run build` first) and wrk when installed, else autocannon.
 * Run: `node bench/api.mjs` (BENCH_DURATION seconds per row, default 5; BENCH_CONNECTIONS, 50).
 * Access logs are off (LOG_LEVEL=warn) so the figures measure the service, not log piping.
 */
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { withLowS } from '../shared/dist/index.js';
import { INTERLEAVED_DEFAULTS, measureInterleaved } from './lib/interleaved.mjs';
import { loadSettings, pickTool } from './lib/load.mjs';
import { runAsScript } from './lib/main.mjs';
import { loopbackUrl } from './lib/ports.mjs';
import { createScope, requireBuilt } from './lib/processes.mjs';
import { MAINS, startOnFreePort } from './lib/start.mjs';
import { fixed, printTable, rateCells, verdict } from './lib/table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apiMain = join(root, 'services/api-service/dist/main.js');
const ISSUER = 'https://bench.local/auth';
const AUDIENCE = 'gatehouse-api';

/** Runs the three rows and returns their figures; prints the table unless `print` is false. */
export async function runApiBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, INTERLEAVED_DEFAULTS);
  requireBuilt(apiMain);
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'bench-es256';
  // Low-S, as the issuer hands ES256 tokens out: verifiers refuse the high-S twin (issue 20).
  const token = withLowS(
    await new SignJWT({
      email: 'bench@example.com',
      name: 'Bench',
      roles: ['user'],
      scope: 'api',
      sid: 's1',
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('bench-user')
      .setJti('bench-jti')
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(privateKey),
  );

  const scope = createScope();
  try {
    const jwksUrl = await startJwksServer(scope, {
      keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }],
    });
    const cached = await startApi(scope, jwksUrl, {});
    const uncached = await startApi(scope, jwksUrl, { TOKEN_CACHE_SIZE: '0' });
    const auth = { authorization: `Bearer ${token}` };
    const rows = [
      { name: 'GET /api/ping (no auth)', url: `${cached.url}/api/ping`, pid: cached.pid },
      {
        name: 'GET /api/me (token cache on)',
        url: `${cached.url}/api/me`,
        headers: auth,
        pid: cached.pid,
      },
      {
        name: 'GET /api/me (token cache off)',
        url: `${uncached.url}/api/me`,
        headers: auth,
        pid: uncached.pid,
      },
    ];
    const tool = options.tool ?? (await pickTool());
    const results = await measureInterleaved(rows, { tool, seconds: durationSeconds, connections });
    const base = results[0];
    for (const r of results) {
      r.ratio = r.rps / base.rps;
      r.cpuRatio = base.cpuUsPerRequest / r.cpuUsPerRequest;
    }
    if (options.print ?? true) print(results, { tool, durationSeconds, connections });
    return { tool, durationSeconds, connections, results };
  } finally {
    await scope.close();
  }
}

/** An in-process JWKS endpoint; the services fetch it once, then cache it. */
async function startJwksServer(scope, document) {
  const body = JSON.stringify(document);
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=300',
    });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  scope.defer(() => new Promise((resolve) => server.close(resolve).closeAllConnections()));
  return `${loopbackUrl(server.address().port)}/auth/.well-known/jwks.json`;
}

async function startApi(scope, jwksUrl, extraEnv) {
  const { url, pid } = await startOnFreePort(scope, MAINS.api, {
    readyPath: '/readyz',
    env: (port) => ({
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      PORT: String(port),
      JWKS_URL: jwksUrl,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      // This bench measures verification; bench/revocation.mjs measures the revocation check.
      REVOCATION_CHECK: 'off',
      ...extraEnv,
    }),
  });
  return { url, pid };
}

function print(results, { tool, durationSeconds, connections }) {
  printTable({
    title:
      `api-service benchmark (${tool}, ${connections} connections, ${durationSeconds} x 1 s ` +
      `interleaved slices a row, loopback)`,
    header: ['', 'req/s', 'p50 ms', 'p99 ms', 'x ping', 'CPU us/req', 'x ping', 'errors'],
    rows: results.map((r) => [
      r.name,
      ...rateCells(r),
      fixed(r.ratio, 2),
      fixed(r.cpuUsPerRequest, 1),
      fixed(r.cpuRatio, 2),
      String(r.errors),
    ]),
    firstWidth: 32,
  });
  const me = results[1];
  console.log(
    `goal /api/me >= 0.90 x ping: ${verdict(me.ratio >= 0.9)} on req/s (${fixed(me.ratio, 2)}), ` +
      `${verdict(me.cpuRatio >= 0.9)} on server CPU per request (${fixed(me.cpuRatio, 2)})\n`,
  );
}

await runAsScript(import.meta.url, () => runApiBench());
