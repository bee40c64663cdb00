#!/usr/bin/env node
/**
 * Routes benchmark (issue 21). In one run, against the same tiny upstream, on loopback, with
 * the gateway as deployed (NODE_ENV=production, access log on, to /dev/null):
 *   1. direct to the upstream,
 *   2. a public route of ROUTES_FILE,
 *   3. a token route of the same gateway (Bearer verification with warm key and token caches,
 *      the `allow` policy, identity headers and the signed assertion),
 *   4. bench/minimal-proxy.mjs, the floor for any Node proxy,
 *   5. nginx with upstream keepalive, when installed.
 * Goals: public route >= 0.9 x the minimal proxy, token route >= 0.8 x the public route, p99
 * added over direct < 3 ms below saturation. Rows take turns in 1-second slices: first at
 * saturation (wrk or autocannon), then open-loop at half the public route's saturation rate
 * (BENCH_RATE_SHARE, default 0.5; `bench/lib/open-loop.mjs`), where the p99 goal is judged.
 * Run: `node bench/routes.mjs` after `npm run build` (BENCH_DURATION, BENCH_CONNECTIONS).
 */
import { startNginx } from './gateway.mjs';
import { INTERLEAVED_DEFAULTS, measureInterleaved } from './lib/interleaved.mjs';
import { loadSettings, pickTool } from './lib/load.mjs';
import { runAsScript } from './lib/main.mjs';
import { createScope, requireBuilt } from './lib/processes.mjs';
import { MAINS, UPSTREAM_PATH, startMinimalProxy, startTinyUpstreamProcess } from './lib/start.mjs';
import { startIssuer, startRoutedGateway } from './lib/routed-gateway.mjs';
import { fixed, printTable, rateCells, verdict } from './lib/table.mjs';

const PATH = UPSTREAM_PATH;

export async function runRoutesBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, INTERLEAVED_DEFAULTS);
  requireBuilt(MAINS.gateway);
  const scope = createScope();
  try {
    const upstream = await startTinyUpstreamProcess(scope);
    const direct = upstream.url;

    const issuer = await startIssuer(scope);
    const gateway = await startRoutedGateway(scope, {
      issuer,
      upstream: direct,
      routes: `routes:
  - { name: api, path: /api, to: ${direct}, auth: public }
  - { name: secure, path: /secure, to: ${direct}, strip_prefix: true, allow: { roles: [user] } }
`,
    });
    const gatewayUrl = gateway.url;

    const rows = [
      { name: 'direct', url: `${direct}${PATH}`, pid: upstream.pid },
      { name: 'public route', url: `${gatewayUrl}${PATH}`, pid: gateway.pid },
      {
        name: 'token route',
        url: `${gatewayUrl}/secure${PATH}`,
        headers: { authorization: `Bearer ${issuer.token}` },
        pid: gateway.pid,
      },
    ];
    const minimal = await startMinimalProxy(scope, upstream.port);
    rows.push({ name: 'minimal node:http proxy', url: `${minimal.url}${PATH}`, pid: minimal.pid });
    const nginx = await startNginx(scope, upstream.port);
    if (nginx) rows.push({ name: 'nginx', url: `${nginx.url}${PATH}`, pid: nginx.pid });

    const tool = options.tool ?? (await pickTool());
    const results = await measureInterleaved(rows, { tool, seconds: durationSeconds, connections });
    for (const r of results) r.ratio = r.rps / results[0].rps;
    const [directRow, publicRow, tokenRow] = results;
    const floor = results.find((r) => r.name.startsWith('minimal'));
    const nginxRow = results.find((r) => r.name === 'nginx');

    const share = options.rateShare ?? Number(process.env.BENCH_RATE_SHARE ?? 0.5);
    const rate = Math.max(1, Math.round(publicRow.rps * share));
    const paced = await measureInterleaved(rows, {
      tool,
      seconds: durationSeconds,
      connections,
      rate,
    });
    const [directPaced, publicPaced, tokenPaced] = paced;
    const summary = {
      publicToMinimal: publicRow.rps / floor.rps,
      publicToNginx: nginxRow ? publicRow.rps / nginxRow.rps : undefined,
      tokenToPublic: tokenRow.rps / publicRow.rps,
      publicP99OverheadMs: publicRow.p99 - directRow.p99,
      tokenP99OverheadMs: tokenRow.p99 - directRow.p99,
      rate,
      pacedPublicP99OverheadMs: publicPaced.p99 - directPaced.p99,
      pacedTokenP99OverheadMs: tokenPaced.p99 - directPaced.p99,
    };
    const settings = { tool, durationSeconds, connections };
    if (options.print ?? true) print(results, paced, summary, settings);
    return { ...settings, results, paced, ...summary };
  } finally {
    await scope.close();
  }
}

function print(results, paced, summary, { tool, durationSeconds, connections }) {
  printTable({
    title:
      `routes benchmark (${tool}, ${connections} connections, ${durationSeconds} x 1 s ` +
      `interleaved slices a row, loopback, access log on)`,
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
  const { publicToMinimal, publicToNginx, tokenToPublic } = summary;
  console.log(
    `public route / minimal proxy: ${fixed(publicToMinimal, 2)} (goal >= 0.90: ${verdict(publicToMinimal >= 0.9)})` +
      (publicToNginx === undefined ? '' : `; / nginx: ${fixed(publicToNginx, 2)}`),
  );
  console.log(
    `token route / public route: ${fixed(tokenToPublic, 2)} (goal >= 0.80: ${verdict(tokenToPublic >= 0.8)})`,
  );
  console.log(
    `p99 added over direct at saturation: public ${fixed(summary.publicP99OverheadMs, 2)} ms, ` +
      `token ${fixed(summary.tokenP99OverheadMs, 2)} ms`,
  );
  printTable({
    title:
      `the same rows open-loop at ${summary.rate} req/s (half the public route's saturation ` +
      `rate; latency from when each request was due; ${durationSeconds} x 1 s slices a row)`,
    header: ['', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU us/req'],
    rows: paced.map((r) => [
      r.name,
      ...rateCells(r),
      String(r.errors),
      fixed(r.cpuUsPerRequest, 1),
    ]),
    firstWidth: 26,
  });
  const worst = Math.max(summary.pacedPublicP99OverheadMs, summary.pacedTokenP99OverheadMs);
  console.log(
    `p99 added over direct at ${summary.rate} req/s: public ` +
      `${fixed(summary.pacedPublicP99OverheadMs, 2)} ms, token ` +
      `${fixed(summary.pacedTokenP99OverheadMs, 2)} ms (goal < 3 ms below saturation: ` +
      `${verdict(worst < 3)})\n`,
  );
}

await runAsScript(import.meta.url, () => runRoutesBench());
