#!/usr/bin/env node
/**
 * Forward-auth benchmark (issue 22). In one run, on loopback, with the gateway as deployed
 * (NODE_ENV=production, access log on, to /dev/null), warm key and token caches:
 *   1. a token route (Bearer verification, the `allow` policy, identity headers, the signed
 *      assertion, and forwarding to a tiny upstream),
 *   2. GET /auth/verify for the same route as nginx `auth_request` asks it (X-Original-URI
 *      from a trusted proxy): the same policy and assertion, answered without forwarding.
 * Goals: /auth/verify >= 5,000 answers/s on 2 cores, and at most 1.2 x the CPU per request of
 * the token route. Rows take turns in 1-second slices.
 * Run: `node bench/forward-auth.mjs` after `npm run build` (BENCH_DURATION, BENCH_CONNECTIONS).
 */
import { INTERLEAVED_DEFAULTS, measureInterleaved } from './lib/interleaved.mjs';
import { loadSettings, pickTool } from './lib/load.mjs';
import { runAsScript } from './lib/main.mjs';
import { createScope, requireBuilt } from './lib/processes.mjs';
import { startIssuer, startRoutedGateway } from './lib/routed-gateway.mjs';
import { MAINS, UPSTREAM_PATH as PATH, startTinyUpstreamProcess } from './lib/start.mjs';
import { fixed, printTable, rateCells, verdict } from './lib/table.mjs';

export async function runForwardAuthBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, INTERLEAVED_DEFAULTS);
  requireBuilt(MAINS.gateway);
  const scope = createScope();
  try {
    const upstream = await startTinyUpstreamProcess(scope);
    const issuer = await startIssuer(scope);
    const gateway = await startRoutedGateway(scope, {
      issuer,
      upstream: upstream.url,
      routes: `routes:
  - { name: secure, path: /secure, to: ${upstream.url}, strip_prefix: true, allow: { roles: [user] } }
`,
      env: { TRUSTED_PROXIES: '127.0.0.1' },
    });
    const gatewayUrl = gateway.url;
    const authorization = `Bearer ${issuer.token}`;
    const verifyUrl = `${gatewayUrl}/auth/verify`;
    // As nginx auth_request asks: the original request described by a trusted proxy.
    const asked = { authorization, 'x-original-uri': `/secure${PATH}`, 'x-original-method': 'GET' };
    const check = await fetch(verifyUrl, { headers: asked });
    if (check.status !== 200) throw new Error(`/auth/verify answered ${check.status}`);

    const rows = [
      {
        name: 'token route',
        url: `${gatewayUrl}/secure${PATH}`,
        headers: { authorization },
        pid: gateway.pid,
      },
      {
        name: 'GET /auth/verify',
        url: verifyUrl,
        headers: asked,
        pid: gateway.pid,
      },
    ];
    const tool = options.tool ?? (await pickTool());
    const results = await measureInterleaved(rows, { tool, seconds: durationSeconds, connections });
    const [tokenRow, verifyRow] = results;
    const summary = {
      verifyPerSecond: verifyRow.rps,
      verifyCpuToToken: verifyRow.cpuUsPerRequest / tokenRow.cpuUsPerRequest,
    };
    const settings = { tool, durationSeconds, connections };
    if (options.print ?? true) print(results, summary, settings);
    return { ...settings, results, ...summary };
  } finally {
    await scope.close();
  }
}

function print(results, summary, { tool, durationSeconds, connections }) {
  printTable({
    title:
      `forward-auth benchmark (${tool}, ${connections} connections, ${durationSeconds} x 1 s ` +
      `interleaved slices a row, loopback, access log on)`,
    header: ['', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU us/req'],
    rows: results.map((r) => [
      r.name,
      ...rateCells(r),
      String(r.errors),
      fixed(r.cpuUsPerRequest, 1),
    ]),
    firstWidth: 26,
  });
  const { verifyPerSecond, verifyCpuToToken } = summary;
  console.log(
    `/auth/verify: ${Math.round(verifyPerSecond)}/s (goal >= 5000: ${verdict(verifyPerSecond >= 5000)}); ` +
      `CPU per answer / token route: ${fixed(verifyCpuToToken, 2)} (goal <= 1.20: ${verdict(verifyCpuToToken <= 1.2)})\n`,
  );
}

await runAsScript(import.meta.url, () => runForwardAuthBench());
