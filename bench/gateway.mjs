#!/usr/bin/env node
/**
 * Gateway benchmark (issue 2). In one run, against the same tiny node:http upstream
 * (bench/gateway-upstream.mjs, a small JSON answer), on loopback, it measures GET /api/bench:
 *   1. direct to the upstream,
 *   2. through the built gateway as deployed (NODE_ENV=production, access log on, written to
 *      /dev/null, metrics on their internal port),
 *   3. the same gateway with the access log off (LOG_LEVEL=warn), to show what logging costs,
 *   4. through bench/minimal-proxy.mjs, the floor for any Node proxy here,
 *   5. through nginx with upstream keepalive, when `nginx` is installed.
 * Every server runs in its own process. Rows take turns in 1-second slices (req/s is their
 * mean, p50/p99 the medians of the slices), so background load falls on all rows alike.
 * Prints req/s, p50, p99, the ratio to direct, gateway / minimal proxy, and the gateway's p99
 * overhead over direct. Goal: >= 0.9 x the minimal proxy, p99 overhead < 3 ms. On Linux it also
 * prints the CPU time the serving process spent per request (from /proc), which stays
 * comparable when other work shares the machine and throughput figures swing.
 *
 * Uses gateway/dist (`npm run build` first) and wrk when installed, else autocannon.
 * Run: `node bench/gateway.mjs` (BENCH_DURATION slices a row, default 5; BENCH_CONNECTIONS, 50).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const gatewayMain = join(here, '../gateway/dist/main.js');
const PATH = '/api/bench';

/** Runs every row and returns the figures; prints the table unless `print` is false. */
export async function runGatewayBench(options = {}) {
  const durationSeconds = options.durationSeconds ?? Number(process.env.BENCH_DURATION ?? 5);
  const connections = options.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 50);
  const print = options.print ?? true;
  if (!existsSync(gatewayMain))
    throw new Error(`${gatewayMain} is missing: run \`npm run build\` first`);

  const cleanups = [];
  try {
    const upstreamPort = await freePort();
    const upstream = await startProcess(
      join(here, 'gateway-upstream.mjs'),
      [String(upstreamPort)],
      {},
      cleanups,
    );
    const direct = `http://127.0.0.1:${upstreamPort}`;
    await waitUntilOk(`${direct}${PATH}`);

    const rows = [{ name: 'direct', url: direct, pid: upstream.pid }];
    rows.push({ name: 'gateway', ...(await startGateway(direct, 'info', cleanups)) });
    rows.push({
      name: 'gateway, access log off',
      ...(await startGateway(direct, 'warn', cleanups)),
    });
    const minimalPort = await freePort();
    const minimalProxy = await startProcess(
      join(here, 'minimal-proxy.mjs'),
      [String(minimalPort), String(upstreamPort)],
      {},
      cleanups,
    );
    rows.push({
      name: 'minimal node:http proxy',
      url: `http://127.0.0.1:${minimalPort}`,
      pid: minimalProxy.pid,
    });
    const nginx = await startNginx(upstreamPort, cleanups);
    if (nginx) rows.push({ name: 'nginx', url: nginx.url, pid: nginx.pid });

    const tool = options.tool ?? ((await hasWrk()) ? 'wrk' : 'autocannon');
    for (const row of rows) {
      await waitUntilOk(`${row.url}${PATH}`);
      await load(tool, `${row.url}${PATH}`, 1, connections); // warm-up: JIT, keep-alive pools
    }
    const slices = rows.map(() => []);
    for (let i = 0; i < durationSeconds; i += 1) {
      for (const [index, row] of rows.entries()) {
        const cpuBefore = cpuMs(row.pid);
        const slice = await load(tool, `${row.url}${PATH}`, 1, connections);
        slice.cpuUsPerRequest = ((cpuMs(row.pid) - cpuBefore) * 1000) / slice.requests;
        slices[index].push(slice);
      }
    }
    const results = rows.map((row, index) => ({ name: row.name, ...summarise(slices[index]) }));
    for (const r of results) r.ratio = r.rps / results[0].rps;
    const gateway = results[1];
    const minimal = results.find((r) => r.name.startsWith('minimal'));
    const summary = {
      gatewayToMinimal: gateway.rps / minimal.rps,
      p99OverheadMs: gateway.p99 - results[0].p99,
      cpuGatewayToMinimal: minimal.cpuUsPerRequest / gateway.cpuUsPerRequest,
    };
    if (print)
      printTable(results, summary, { tool, durationSeconds, connections, nginx: Boolean(nginx) });
    return { tool, durationSeconds, connections, results, ...summary };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

async function startGateway(upstream, logLevel, cleanups) {
  const port = await freePort();
  const metricsPort = await freePort();
  const child = await startProcess(
    gatewayMain,
    [],
    {
      NODE_ENV: 'production',
      LOG_LEVEL: logLevel,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      PUBLIC_URL: 'https://bench.example',
      AUTH_SERVICE_URL: upstream,
      API_SERVICE_URL: upstream,
    },
    cleanups,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilOk(`${url}/healthz`);
  return { url, pid: child.pid };
}

/** Starts a Node script in its own process; its stdout (access logs) goes to /dev/null. */
async function startProcess(script, args, env, cleanups) {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(() => stop(child));
  return child;
}

/** nginx as a non-daemon in a temp prefix, one worker, keep-alive to the upstream. */
async function startNginx(upstreamPort, cleanups) {
  const binary = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) =>
    existsSync(p),
  );
  if (!binary) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-nginx-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const conf = `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
${process.getuid?.() === 0 ? 'user root;' : ''}
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream tiny { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://tiny;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  const child = spawn(
    binary,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  cleanups.push(() => stop(child));
  // With `user root`, the master only supervises; the one worker serves.
  await waitUntilOk(`http://127.0.0.1:${port}${PATH}`);
  return { url: `http://127.0.0.1:${port}`, pid: childPid(child.pid) ?? child.pid };
}

/** The first child process of `pid` (nginx's worker), from /proc; undefined elsewhere. */
function childPid(pid) {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.split(') ')[1]?.split(' ')[1]) === pid) return Number(entry);
    }
  } catch {
    // no /proc: CPU figures for nginx stay NaN
  }
  return undefined;
}

/** CPU time (user + system) a process has used, in ms; NaN where /proc is not available. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitUntilOk(url) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 within 10 s`);
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Mean req/s over the slices; p50 and p99 are the medians of the slices' percentiles. */
function summarise(slices) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    rps: slices.reduce((sum, s) => sum + s.rps, 0) / slices.length,
    p50: median(slices.map((s) => s.p50)),
    p99: median(slices.map((s) => s.p99)),
    errors: slices.reduce((sum, s) => sum + s.errors, 0),
    cpuUsPerRequest: median(slices.map((s) => s.cpuUsPerRequest)),
  };
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

function load(tool, url, seconds, connections) {
  return tool === 'wrk'
    ? loadWithWrk(url, seconds, connections)
    : loadWithAutocannon(url, seconds, connections);
}

async function loadWithWrk(url, seconds, connections) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url];
  const { stdout } = await promisify(execFile)('wrk', args, { maxBuffer: 1 << 20 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const errors =
    non2xx + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  const ms = (pct) => {
    const match = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(stdout);
    return match ? Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]] : NaN;
  };
  return { rps, requests, p50: ms(50), p99: ms(99), errors };
}

async function loadWithAutocannon(url, seconds, connections) {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({ url, duration: seconds, connections });
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
  };
}

function printTable(results, summary, { tool, durationSeconds, connections, nginx }) {
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(26) : c.padStart(10))).join(' ');
  console.log(
    `\ngateway benchmark (${tool}, ${connections} connections, ${durationSeconds} x 1 s interleaved slices a row, loopback, GET ${PATH})`,
  );
  console.log(line(['', 'req/s', 'p50 ms', 'p99 ms', 'x direct', 'errors', 'CPU us/req']));
  for (const r of results) {
    const cells = [
      r.name,
      r.rps.toFixed(0),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      r.ratio.toFixed(2),
    ];
    console.log(line([...cells, String(r.errors), r.cpuUsPerRequest.toFixed(0)]));
  }
  if (!nginx) console.log('(nginx not installed: `apt-get install nginx-light` adds its row)');
  const { gatewayToMinimal, p99OverheadMs, cpuGatewayToMinimal } = summary;
  console.log(`CPU per request, minimal proxy / gateway: ${cpuGatewayToMinimal.toFixed(2)}`);
  console.log(
    `gateway / minimal proxy throughput: ${gatewayToMinimal.toFixed(2)} (goal >= 0.90: ${gatewayToMinimal >= 0.9 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `gateway p99 overhead over direct: ${p99OverheadMs.toFixed(2)} ms (goal < 3 ms: ${p99OverheadMs < 3 ? 'met' : 'NOT met'})\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runGatewayBench().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
