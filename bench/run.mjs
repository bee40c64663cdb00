#!/usr/bin/env node
/**
 * `npm run bench`: runs the gateway, api-service and token benchmarks in turn, each printing
 * its own table. Needs `npm run build` first, which the npm script does.
 *   BENCH_ONLY=gateway,api   runs only those (names: gateway, routes, forward-auth, api, tokens, refresh, revocation, stores, peers;
 *                            and compose, docker compose up's start-up, which runs only when named:
 *                            it needs a Docker engine and builds the images)
 *   BENCH_DURATION=2         seconds (slices) a row, to shorten the run
 *   BENCH_TIMEOUT=600        seconds after which the whole run is stopped
 * Everything runs on loopback; every child process is stopped at the end, on error, on
 * Ctrl-C and on the timeout.
 */
import { runApiBench } from './api.mjs';
import { runComposeStartupBench } from './compose-startup.mjs';
import { runForwardAuthBench } from './forward-auth.mjs';
import { runGatewayBench } from './gateway.mjs';
import { runAsScript } from './lib/main.mjs';
import { stopEverything } from './lib/processes.mjs';
import { runPeersBench } from './peers.mjs';
import { runRefreshBench } from './refresh.mjs';
import { runRevocationBench } from './revocation.mjs';
import { runRoutesBench } from './routes.mjs';
import { runStoresBench } from './stores.mjs';
import { runTokenBench } from './tokens.mjs';

const BENCHES = {
  gateway: runGatewayBench,
  routes: runRoutesBench,
  'forward-auth': runForwardAuthBench,
  api: runApiBench,
  tokens: runTokenBench,
  refresh: runRefreshBench,
  revocation: runRevocationBench,
  stores: runStoresBench,
  peers: runPeersBench,
  compose: runComposeStartupBench,
};
/** Run only when BENCH_ONLY names them: they need more than Node (a Docker engine). */
const OPT_IN = new Set(['compose']);

/** The benches BENCH_ONLY names, in their usual order; every name must be known. */
export function selectBenches(only = process.env.BENCH_ONLY) {
  if (!only) return Object.keys(BENCHES).filter((name) => !OPT_IN.has(name));
  const names = only
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(name in BENCHES));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(
      `BENCH_ONLY="${only}": unknown ${unknown.join(', ') || '(empty)'}; ` +
        `use a comma-separated list of ${Object.keys(BENCHES).join(', ')}`,
    );
  }
  return Object.keys(BENCHES).filter((name) => names.includes(name));
}

async function main() {
  const names = selectBenches();
  const timeoutSeconds = Number(process.env.BENCH_TIMEOUT ?? 600);
  const watchdog = setTimeout(async () => {
    console.error(`bench: still running after ${timeoutSeconds} s, stopping`);
    await stopEverything();
    process.exit(1);
  }, timeoutSeconds * 1000);
  watchdog.unref();
  const started = Date.now();
  let failed = 0;
  for (const name of names) {
    try {
      await BENCHES[name]();
    } catch (err) {
      failed += 1;
      console.error(`bench ${name} failed:`, err);
    }
  }
  console.log(`${names.join(', ')}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  return failed > 0 ? 1 : 0;
}

await runAsScript(import.meta.url, main);
