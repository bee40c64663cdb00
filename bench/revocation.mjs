#!/usr/bin/env node
/**
 * Revocation benchmark (issue 10): on loopback,
 *   1. GET /api/me with the revocation check on (the verifier following a feed of 10,000
 *      entries, none naming the token) against off, interleaved (bench/lib/interleaved.mjs);
 *      goal: on >= 0.95 x off;
 *   2. the cost of one feed poll of 10,000 entries: the auth-service route's time (SQLite
 *      read and JSON, in process), the response size, and the client's parse into the
 *      verifier's list (JSON.parse and the list's adds).
 * Uses the built services (`npm run build` first) and wrk when installed, else autocannon.
 * Run: `node bench/revocation.mjs` or `BENCH_ONLY=revocation npm run bench`.
 */
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import Koa from 'koa';
import { INTERLEAVED_DEFAULTS, measureInterleaved } from './lib/interleaved.mjs';
import { loadSettings, pickTool } from './lib/load.mjs';
import { runAsScript } from './lib/main.mjs';
import { freePort, loopbackUrl } from './lib/ports.mjs';
import { createScope, requireBuilt, waitUntilOk } from './lib/processes.mjs';
import { fixed, printTable, rateCells, verdict } from './lib/table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => pathToFileURL(join(root, path)).href;
const apiMain = join(root, 'services/api-service/dist/main.js');
const ISSUER = 'https://bench.local/auth';
const AUDIENCE = 'gatehouse-api';
const ENTRIES = 10_000;
const POLLS = 20;

export async function runRevocationBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, INTERLEAVED_DEFAULTS);
  requireBuilt(apiMain);
  const { openDatabase } = await import(
    dist('services/auth-service/dist/db/sqlite/open-database.js')
  );
  const { createSqliteRevocationStore } = await import(
    dist('services/auth-service/dist/db/sqlite/sqlite-revocation-store.js')
  );
  const { revocationFeedRoutes } = await import(
    dist('services/auth-service/dist/oauth/revocation-feed/revocation-feed-routes.js')
  );
  const { REVOCATIONS_PATH } = await import(dist('services/auth-service/dist/http/endpoints.js'));
  const { createRevocationList } = await import(dist('shared/dist/tokens/revocation-list.js'));

  const now = Date.now();
  const db = openDatabase(':memory:');
  const store = createSqliteRevocationStore(db, () => now);
  for (let i = 0; i < ENTRIES; i++) {
    await store.record({
      sid: `bench-session-${i}`,
      at: now,
      expiresAt: now + 3_600_000,
      reason: 'bench',
    });
  }
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'bench-es256';
  const token = await new SignJWT({ sid: 'not-revoked', roles: ['user'], scope: 'api' })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('bench-user')
    .setJti('bench-jti')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }],
  });

  // The feed route as the auth-service mounts it, timed in process; the JWKS beside it.
  const routeMs = [];
  const app = new Koa();
  app.use(async (ctx, next) => {
    if (ctx.path.endsWith('/jwks.json')) {
      ctx.type = 'application/json';
      ctx.body = jwks;
      return;
    }
    const started = process.hrtime.bigint();
    await next();
    routeMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  });
  app.use(revocationFeedRoutes({ revocations: store }).routes());
  const server = createServer(app.callback());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = loopbackUrl(server.address().port);
  const feedUrl = `${origin}${REVOCATIONS_PATH}`;

  const scope = createScope();
  scope.defer(() => new Promise((resolve) => server.close(resolve).closeAllConnections()));
  try {
    const poll = await measurePoll(feedUrl, routeMs, createRevocationList);
    const jwksUrl = `${origin}/auth/.well-known/jwks.json`;
    const on = await startApi(scope, { JWKS_URL: jwksUrl, REVOCATIONS_URL: feedUrl });
    const off = await startApi(scope, { JWKS_URL: jwksUrl, REVOCATION_CHECK: 'off' });
    const status = await (await fetch(`${on.url}/readyz`)).json();
    if (status.details?.revocations?.entries !== ENTRIES) {
      throw new Error(
        `the checking api-service holds ${status.details?.revocations?.entries} entries`,
      );
    }
    const auth = { authorization: `Bearer ${token}` };
    const rows = [
      { name: 'GET /api/me (check off)', url: `${off.url}/api/me`, headers: auth, pid: off.pid },
      { name: 'GET /api/me (check on, 10k)', url: `${on.url}/api/me`, headers: auth, pid: on.pid },
    ];
    const tool = options.tool ?? (await pickTool());
    const results = await measureInterleaved(rows, { tool, seconds: durationSeconds, connections });
    const ratio = results[1].rps / results[0].rps;
    const cpuRatio = results[0].cpuUsPerRequest / results[1].cpuUsPerRequest;
    if (options.print ?? true) {
      print(results, { tool, durationSeconds, connections, ratio, cpuRatio, poll });
    }
    return { tool, results, ratio, cpuRatio, poll };
  } finally {
    await scope.close();
    db.close();
  }
}

/** POLLS full reads of the feed from the start: route time, size, and the client's parse. */
async function measurePoll(feedUrl, routeMs, createRevocationList) {
  const parseMs = [];
  let bytes = 0;
  for (let i = 0; i < POLLS; i++) {
    const res = await fetch(`${feedUrl}?since=0`);
    const text = await res.text();
    bytes = Buffer.byteLength(text);
    const started = process.hrtime.bigint();
    const list = createRevocationList(100_000);
    const body = JSON.parse(text);
    for (const entry of body.entries) list.add(entry);
    parseMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (list.size !== ENTRIES) throw new Error(`parsed ${list.size} entries`);
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { routeMs: median(routeMs.slice(-POLLS)), parseMs: median(parseMs), bytes };
}

async function startApi(scope, env) {
  const port = await freePort();
  const child = scope.node(apiMain, [], {
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    PORT: String(port),
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    ...env,
  });
  await waitUntilOk(`${loopbackUrl(port)}/readyz`, { child });
  const url = loopbackUrl(port);
  if (env.REVOCATIONS_URL) {
    // Ready answers before the first poll lands: wait for the list, polled.
    for (let i = 0; i < 200; i++) {
      const status = await (await fetch(`${url}/readyz`)).json();
      if (status.details?.revocations?.current) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { url, pid: child.pid };
}

function print(results, { tool, durationSeconds, connections, ratio, cpuRatio, poll }) {
  printTable({
    title:
      `revocation benchmark (${tool}, ${connections} connections, ${durationSeconds} x 1 s ` +
      `interleaved slices a row, loopback)`,
    header: ['', 'req/s', 'p50 ms', 'p99 ms', 'CPU us/req', 'errors'],
    rows: results.map((r) => [
      r.name,
      ...rateCells(r),
      fixed(r.cpuUsPerRequest, 1),
      String(r.errors),
    ]),
    firstWidth: 32,
  });
  console.log(
    `goal check on >= 0.95 x off: ${verdict(ratio >= 0.95)} on req/s (${fixed(ratio, 3)}), ` +
      `${verdict(cpuRatio >= 0.95)} on server CPU per request (${fixed(cpuRatio, 3)})`,
  );
  console.log(
    `one feed poll of ${ENTRIES} entries (median of ${POLLS}): route ${fixed(poll.routeMs, 1)} ms ` +
      `(SQLite read + JSON), ${fixed(poll.bytes / 1024, 0)} KiB, client parse into the list ` +
      `${fixed(poll.parseMs, 1)} ms\n`,
  );
}

await runAsScript(import.meta.url, () => runRevocationBench());
