/**
 * Starting what the benchmarks measure, each as its own process on a free loopback port and
 * only returned once it answers: the one place for the lines every bench used to repeat (free
 * port, spawn, wait until it answers 2xx, then its URL and pid).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAuthEnv, benchNodeOptions } from './auth-env.mjs';
import { freePort, loopbackUrl } from './ports.mjs';
import { waitUntilOk } from './processes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAINS = Object.freeze({
  gateway: join(root, 'gateway/dist/main.js'),
  auth: join(root, 'services/auth-service/dist/main.js'),
  api: join(root, 'services/api-service/dist/main.js'),
});
/** The path the tiny upstream and every proxy row in front of it are asked for. */
export const UPSTREAM_PATH = '/api/bench';

/**
 * Runs node `script` in `scope` on a free port (`args` and `env` are functions of the port)
 * and waits until `readyPath` answers 2xx. Returns { port, url, pid, child }.
 *
 * @example
 * const peer = await startOnFreePort(scope, 'bench/lib/oidc-provider-peer.mjs', {
 *   args: (port) => [String(port)], readyPath: '/.well-known/openid-configuration' });
 */
export async function startOnFreePort(
  scope,
  script,
  { args = () => [], env = () => ({}), readyPath = '/healthz', timeoutMs } = {},
) {
  const port = await freePort();
  const child = scope.node(script, args(port), await env(port));
  const url = loopbackUrl(port);
  await waitUntilOk(`${url}${readyPath}`, { child, timeoutMs });
  return { port, url, pid: child.pid, child };
}

/** bench/gateway-upstream.mjs, the small JSON upstream of the gateway and routes benches. */
export const startTinyUpstreamProcess = (scope) =>
  startOnFreePort(scope, join(root, 'bench/gateway-upstream.mjs'), {
    args: (port) => [String(port)],
    readyPath: UPSTREAM_PATH,
  });

/** bench/minimal-proxy.mjs in front of the upstream on `upstreamPort`: the Node.js floor. */
export const startMinimalProxy = (scope, upstreamPort) =>
  startOnFreePort(scope, join(root, 'bench/minimal-proxy.mjs'), {
    args: (port) => [String(port), String(upstreamPort)],
    readyPath: UPSTREAM_PATH,
  });

/**
 * The built gateway in production mode with its own metrics port, plus `env`;
 * BENCH_GATEWAY_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles it.
 */
export const startGatewayProcess = (scope, env) =>
  startOnFreePort(scope, MAINS.gateway, {
    env: async (port) => ({
      NODE_ENV: 'production',
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      ...benchNodeOptions('BENCH_GATEWAY_NODE_OPTIONS'),
      ...env,
    }),
  });

/** The built auth-service on `dataDir` with the benches' environment (bench/lib/auth-env.mjs). */
export const startAuthProcess = (scope, dataDir, extra = {}, { timeoutMs } = {}) =>
  startOnFreePort(scope, MAINS.auth, {
    env: (port) => benchAuthEnv(dataDir, { PORT: String(port), ...extra }),
    timeoutMs,
  });
