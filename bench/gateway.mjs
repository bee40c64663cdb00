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
 * Every server runs in its own process. Rows take turns in 1-second slices (bench/lib/
 * interleaved.mjs), so background load falls on all rows alike.
 * Prints req/s, p50, p99, the ratio to direct, gateway / minimal proxy, and the gateway's p99
 * overhead over direct. Goal: >= 0.9 x the minimal proxy, p99 overhead < 3 ms. On Linux it also
 * prints the CPU time the serving process spent per request (from /proc), which stays
 * comparable when other work shares the machine and throughput figures swing.
 *
 * Uses gateway/dist (`npm run build` first) and wrk when installed, else autocannon.
 * Run: `node bench/gateway.mjs` (BENCH_DURATION slices a row, default 5; BENCH_CONNECTIONS, 50).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTERLEAVED_DEFAULTS, measureInterleaved } from './lib/interleaved.mjs';
import { loadSettings, pickTool } from './lib/load.mjs';
import { runAsScript } from './lib/main.mjs';
import { freePort, loopbackUrl } from './lib/ports.mjs';
import { createScope, firstChildPid, requireBuilt, waitUntilOk } from './lib/processes.mjs';
import {
  MAINS,
  UPSTREAM_PATH,
  startGatewayProcess,
  startMinimalProxy,
  startTinyUpstreamProcess,
} from './lib/start.mjs';
import { fixed, printTable, rateCells, verdict } from './lib/table.mjs';

const PATH = UPSTREAM_PATH;

/** Runs every row and returns the figures; prints the table unless `print` is false. */
export async function runGatewayBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, INTERLEAVED_DEFAULTS);
  requireBuilt(MAINS.gateway);
  const scope = createScope();
  try {
    const upstream = await startTinyUpstreamProcess(scope);
    const direct = upstream.url;

    const rows = [{ name: 'direct', url: direct, pid: upstream.pid }];
    rows.push({ name: 'gateway', ...(await startGateway(scope, direct, 'info')) });
    rows.push({ name: 'gateway, access log off', ...(await startGateway(scope, direct, 'warn')) });
    const minimal = await startMinimalProxy(scope, upstream.port);
    rows.push({ name: 'minimal node:http proxy', url: minimal.url, pid: minimal.pid });
    const nginx = await startNginx(scope, upstream.port);
    if (nginx) rows.push({ name: 'nginx', ...nginx });

    const tool = options.tool ?? (await pickTool());
    const results = await measureInterleaved(
      rows.map((row) => ({ ...row, url: `${row.url}${PATH}` })),
      { tool, seconds: durationSeconds, connections },
    );
    for (const r of results) r.ratio = r.rps / results[0].rps;
    const gateway = results[1];
    const floor = results.find((r) => r.name.startsWith('minimal'));
    const summary = {
      gatewayToMinimal: gateway.rps / floor.rps,
      p99OverheadMs: gateway.p99 - results[0].p99,
      cpuGatewayToMinimal: floor.cpuUsPerRequest / gateway.cpuUsPerRequest,
    };
    const settings = { tool, durationSeconds, connections };
    if (options.print ?? true) print(results, summary, { ...settings, nginx: Boolean(nginx) });
    return { ...settings, results, ...summary };
  } finally {
    await scope.close();
  }
}

async function startGateway(scope, upstream, logLevel) {
  const { url, pid } = await startGatewayProcess(scope, {
    LOG_LEVEL: logLevel,
    PUBLIC_URL: 'https://bench.example',
    AUTH_SERVICE_URL: upstream,
    API_SERVICE_URL: upstream,
  });
  return { url, pid };
}

/** nginx as a non-daemon in a temp prefix, one worker, keep-alive to the upstream. */
export async function startNginx(scope, upstreamPort) {
  const binary = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) =>
    existsSync(p),
  );
  if (!binary) return undefined;
  const dir = scope.tempDir('gatehouse-nginx-');
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
  const confFile = join(dir, 'nginx.conf');
  writeFileSync(confFile, conf);
  const child = scope.spawn(binary, ['-p', dir, '-c', confFile, '-e', join(dir, 'error.log')]);
  await waitUntilOk(`${loopbackUrl(port)}${PATH}`, { child });
  // The master only supervises; the one worker serves, so its CPU is the figure.
  return { url: loopbackUrl(port), pid: firstChildPid(child.pid) ?? child.pid };
}

function print(results, summary, { tool, durationSeconds, connections, nginx }) {
  printTable({
    title:
      `gateway benchmark (${tool}, ${connections} connections, ${durationSeconds} x 1 s ` +
      `interleaved slices a row, loopback, GET ${PATH})`,
    header: ['', 'req/s', 'p50 ms', 'p99 ms', 'x direct', 'errors', 'CPU us/req'],
    rows: results.map((r) => [
      r.name,
      ...rateCells(r),
      fixed(r.ratio, 2),
      String(r.errors),
      fixed(r.cpuUsPerRequest, 1),
    ]),
    firstWidth: 26,
  });
  if (!nginx) console.log('(nginx not installed: `apt-get install nginx-light` adds its row)');
  const { gatewayToMinimal, p99OverheadMs, cpuGatewayToMinimal } = summary;
  console.log(`CPU per request, minimal proxy / gateway: ${fixed(cpuGatewayToMinimal, 2)}`);
  console.log(
    `gateway / minimal proxy throughput: ${fixed(gatewayToMinimal, 2)} (goal >= 0.90: ${verdict(gatewayToMinimal >= 0.9)})`,
  );
  console.log(
    `gateway p99 overhead over direct: ${fixed(p99OverheadMs, 2)} ms (goal < 3 ms: ${verdict(p99OverheadMs < 3)})\n`,
  );
}

await runAsScript(import.meta.url, () => runGatewayBench());
