#!/usr/bin/env node
/**
 * api-service benchmark (issue 5): on loopback, against a local JWKS server, measures
 *   1. GET /api/ping, unauthenticated,
 *   2. GET /api/me with a valid ES256 token (verified-token cache on, the default),
 *   3. GET /api/me with the cache off (a second instance with TOKEN_CACHE_SIZE=0),
 * and prints req/s, p50, p99 and each row's ratio to /api/ping. Goal: /api/me >= 0.9 x ping.
 * Rows run interleaved in 1-second slices (req/s is their mean, p50/p99 the slices' medians).
 * "CPU us/req" is the api-service process's CPU time per request (Linux /proc): on a shared
 * machine it is the steadier measure of what verification costs.
 *
 * Uses the built services (`npm run build` first) and wrk when installed, else autocannon.
 * Run: `node bench/api.mjs` (BENCH_DURATION seconds per row, default 5; BENCH_CONNECTIONS, 50).
 * Access logs are off (LOG_LEVEL=warn) so the figures measure the service, not log piping.
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apiMain = join(root, 'services/api-service/dist/main.js');
const ISSUER = 'https://bench.local/auth';
const AUDIENCE = 'gatehouse-api';

/** Runs the three rows and returns their figures; prints the table unless `print` is false. */
export async function runApiBench(options = {}) {
  const durationSeconds = options.durationSeconds ?? Number(process.env.BENCH_DURATION ?? 5);
  const connections = options.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 50);
  const print = options.print ?? true;
  if (!existsSync(apiMain)) throw new Error(`${apiMain} is missing: run \`npm run build\` first`);

  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'bench-es256';
  const jwks = await startJwksServer({
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }],
  });
  const token = await new SignJWT({
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
    .sign(privateKey);

  const children = [];
  try {
    const cached = await startApi(jwks.url, {}, children);
    const uncached = await startApi(jwks.url, { TOKEN_CACHE_SIZE: '0' }, children);
    const tool = options.tool ?? ((await hasWrk()) ? 'wrk' : 'autocannon');
    const auth = { authorization: `Bearer ${token}` };
    const rows = [
      {
        name: 'GET /api/ping (no auth)',
        url: cached.url,
        path: '/api/ping',
        headers: {},
        pid: cached.pid,
      },
      {
        name: 'GET /api/me (token cache on)',
        url: cached.url,
        path: '/api/me',
        headers: auth,
        pid: cached.pid,
      },
      {
        name: 'GET /api/me (token cache off)',
        url: uncached.url,
        path: '/api/me',
        headers: auth,
        pid: uncached.pid,
      },
    ].map(({ url, path, ...row }) => ({ ...row, url: `${url}${path}` }));
    for (const row of rows) {
      await expectOk(row.url, row.headers);
      await load(tool, row.url, row.headers, 1, connections); // warm-up: JIT, keep-alive sockets
    }
    // Rows take turns in 1-second slices, so load from elsewhere on the machine falls on all
    // of them alike instead of skewing whichever row ran when it happened.
    const slices = rows.map(() => []);
    for (let i = 0; i < durationSeconds; i += 1) {
      for (const [index, row] of rows.entries()) {
        const cpuBefore = cpuMicros(row.pid);
        const slice = await load(tool, row.url, row.headers, 1, connections);
        slice.cpuPerRequest = (cpuMicros(row.pid) - cpuBefore) / slice.requests;
        slices[index].push(slice);
      }
    }
    const results = rows.map((row, index) => ({ name: row.name, ...summarise(slices[index]) }));
    const base = results[0];
    for (const r of results) {
      r.ratio = r.rps / base.rps;
      r.cpuRatio = base.cpuPerRequest / r.cpuPerRequest;
    }
    if (print) printTable(results, { tool, durationSeconds, connections });
    return { tool, durationSeconds, connections, results };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await jwks.close();
  }
}

/**
 * The server's CPU time (user + system) in microseconds, from /proc on Linux; NaN elsewhere.
 * CPU per request is the figure that stays put when other work shares the machine.
 */
function cpuMicros(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return NaN;
  }
}

/** Mean req/s over the slices; p50 and p99 are the medians of the slices' percentiles. */
function summarise(slices) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const requests = slices.reduce((sum, s) => sum + s.requests, 0);
  return {
    cpuPerRequest: slices.reduce((sum, s) => sum + s.cpuPerRequest * s.requests, 0) / requests,
    rps: slices.reduce((sum, s) => sum + s.rps, 0) / slices.length,
    p50: median(slices.map((s) => s.p50)),
    p99: median(slices.map((s) => s.p99)),
    errors: slices.reduce((sum, s) => sum + s.errors, 0),
  };
}

async function startJwksServer(document) {
  const body = JSON.stringify(document);
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=300',
    });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/auth/.well-known/jwks.json`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startApi(jwksUrl, extraEnv, children) {
  const port = await freePort();
  const child = spawn(process.execPath, [apiMain], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      PORT: String(port),
      JWKS_URL: jwksUrl,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`api-service exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, pid: child.pid };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('api-service did not become ready within 10 s');
}

async function expectOk(url, headers) {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
}

async function hasWrk() {
  try {
    await promisify(execFile)('wrk', ['--version']);
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing its version.
    return /wrk/.test(String(err.stdout ?? '')) || /wrk/.test(String(err.stderr ?? ''));
  }
}

async function load(tool, url, headers, seconds, connections) {
  return tool === 'wrk'
    ? loadWithWrk(url, headers, seconds, connections)
    : loadWithAutocannon(url, headers, seconds, connections);
}

async function loadWithWrk(url, headers, seconds, connections) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const { stdout } = await promisify(execFile)('wrk', [...args, url], { maxBuffer: 1 << 20 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  const ms = (pct) => {
    const match = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(stdout);
    if (!match) return NaN;
    return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
  };
  return { rps, requests, p50: ms(50), p99: ms(99), errors: non2xx };
}

async function loadWithAutocannon(url, headers, seconds, connections) {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({ url, headers, duration: seconds, connections });
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
  };
}

function printTable(results, { tool, durationSeconds, connections }) {
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(32) : c.padStart(10))).join(' ');
  console.log(
    `\napi-service benchmark (${tool}, ${connections} connections, ${durationSeconds} x 1 s interleaved slices a row, loopback)`,
  );
  console.log(line(['', 'req/s', 'p50 ms', 'p99 ms', 'x ping', 'CPU us/req', 'x ping', 'non-2xx']));
  for (const r of results) {
    console.log(
      line([
        r.name,
        r.rps.toFixed(0),
        r.p50.toFixed(2),
        r.p99.toFixed(2),
        r.ratio.toFixed(2),
        r.cpuPerRequest.toFixed(1),
        r.cpuRatio.toFixed(2),
        String(r.errors),
      ]),
    );
  }
  const me = results[1];
  console.log(
    `goal /api/me >= 0.90 x ping: ${me.ratio >= 0.9 ? 'met' : 'NOT met'} on req/s (${me.ratio.toFixed(2)}), ` +
      `${me.cpuRatio >= 0.9 ? 'met' : 'NOT met'} on server CPU per request (${me.cpuRatio.toFixed(2)})\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runApiBench().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
