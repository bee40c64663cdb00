#!/usr/bin/env node
/**
 * Gatehouse against a peer (issue 26): node-oidc-provider configured for the same grant and
 * algorithm (bench/lib/oidc-provider-peer.mjs), both as their own processes on loopback,
 * measured in the same interleaved run (bench/lib/interleaved.mjs), so load from elsewhere
 * falls on both alike. Rows, each ours then the peer's:
 *   - POST token endpoint, grant_type=client_credentials, Basic auth, ES256 JWT out;
 *   - RFC 7662 introspection, Basic auth, of an active token (ours: the JWT; the peer refuses
 *     to introspect JWTs, so its own opaque token);
 *   - grant_type=refresh_token for the public CLI client, rotating on every use on both
 *     sides, ES256 JWT out: BENCH_CONNECTIONS concurrent token chains, each presenting the
 *     successor it was just given (bench/lib/interleaved.mjs measureInterleavedChains);
 *   - device_code polling before the user decides: one device code polled as fast as the
 *     connections allow. The peer answers authorization_pending each time; ours answers
 *     slow_down (RFC 8628 section 3.5: polled sooner than the interval), which reads and
 *     updates the code exactly as authorization_pending does. Both are 400s, measured as such.
 * The browser session's token (POST /auth/token with the session cookie) has no counterpart
 * in node-oidc-provider, which issues tokens only through OAuth grants: bench/tokens.mjs
 * measures ours alone.
 * Goal: each of ours >= 1.5 x the peer's tokens (requests) a second.
 * Run: `node bench/peers.mjs` (BENCH_DURATION slices a row, default 5; BENCH_CONNECTIONS 50).
 */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  INTERLEAVED_DEFAULTS,
  measureInterleaved,
  measureInterleavedChains,
} from './lib/interleaved.mjs';
import { loadSettings } from './lib/load.mjs';
import { runAsScript } from './lib/main.mjs';
import { createScope, requireBuilt } from './lib/processes.mjs';
import { startAuthProcess, startOnFreePort } from './lib/start.mjs';
import { benchAuthEnv } from './lib/auth-env.mjs';
import { fixed, printTable, rateCells, verdict } from './lib/table.mjs';
import { families } from './refresh.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'services/auth-service/dist');
const CLIENT_ID = 'bench-service';
const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstu';
const GOAL = 1.5;
export const basic = (id) => `Basic ${Buffer.from(`${id}:${SECRET}`).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';
const OUR_CLI = 'gatehouse-cli';
const PEER_CLI = `${CLIENT_ID}-cli`;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Runs every row and returns the figures; prints the table unless `print` is false. */
export async function runPeersBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, INTERLEAVED_DEFAULTS);
  requireBuilt(join(dist, 'main.js'));
  const scope = createScope();
  try {
    const ours = await startGatehouse(scope, connections);
    const peer = await startPeer(scope);
    const post = (name, server, path, clientId, body) => ({
      name,
      url: `${server.url}${path}`,
      method: 'POST',
      headers: { authorization: basic(clientId), 'content-type': FORM },
      body,
      pid: server.pid,
    });
    const cc = 'grant_type=client_credentials';
    const rows = [
      post('gatehouse client_credentials', ours, '/auth/token', CLIENT_ID, cc),
      post('oidc-provider client_credentials', peer, '/token', CLIENT_ID, cc),
      post(
        'gatehouse introspection',
        ours,
        '/auth/introspect',
        CLIENT_ID,
        `token=${await tokenFrom(ours, '/auth/token', CLIENT_ID)}`,
      ),
      post(
        'oidc-provider introspection',
        peer,
        '/token/introspection',
        CLIENT_ID,
        `token=${await tokenFrom(peer, '/token', `${CLIENT_ID}-opaque`)}`,
      ),
    ];
    const ourPoll = await devicePoll(ours, '/auth/device_authorization', '/auth/token', OUR_CLI);
    const peerPoll = await devicePoll(peer, '/device/auth', '/token', PEER_CLI, 'api:read');
    const poll = (name, server, path, { body, error }) => ({
      name: `${name} (${error})`,
      url: `${server.url}${path}`,
      method: 'POST',
      headers: { 'content-type': FORM },
      body,
      expectStatus: 400,
      pid: server.pid,
    });
    rows.push(
      poll('gatehouse device poll', ours, '/auth/token', ourPoll),
      poll('oidc-provider device poll', peer, '/token', peerPoll),
    );
    const fixedBody = await measureInterleaved(rows, {
      tool: 'autocannon',
      seconds: durationSeconds,
      connections,
    });
    const refresh = await measureInterleavedChains(
      [
        refreshRow('gatehouse refresh_token', ours, '/auth/token', OUR_CLI, ours.refreshTokens),
        refreshRow(
          'oidc-provider refresh_token',
          peer,
          '/token',
          PEER_CLI,
          await peerTokens(peer, connections),
        ),
      ],
      { seconds: durationSeconds, chains: connections },
    );
    const results = [...fixedBody.slice(0, 4), ...refresh, ...fixedBody.slice(4)];
    for (const [index, r] of results.entries()) {
      const pair = results[index % 2 === 0 ? index + 1 : index - 1];
      r.ratio = r.rps / pair.rps;
      r.cpuRatio = pair.cpuUsPerRequest / r.cpuUsPerRequest;
    }
    if (options.print ?? true) print(results, { durationSeconds, connections });
    return { durationSeconds, connections, results };
  } finally {
    await scope.close();
  }
}

/**
 * The built auth-service on SQLite with one confidential client for client_credentials, and
 * `chains` refresh families of the CLI client (bench/refresh.mjs) for the refresh rows.
 * `main`: another build's dist/main.js to run instead of this checkout's (compare-builds.mjs).
 */
export async function startGatehouse(scope, chains, { main } = {}) {
  const dataDir = scope.tempDir();
  const refreshFamilies = await families(dataDir, chains);
  await refreshFamilies.stores.close();
  const { openStores } = await import(pathToFileURL(join(dist, 'db/open-stores.js')).href);
  const { storedSecretHash } = await import(
    pathToFileURL(join(dist, 'oauth/clients/client-secret.js')).href
  );
  const stores = await openStores({ dataDir });
  await stores.clients.add(
    {
      clientId: CLIENT_ID,
      name: CLIENT_ID,
      type: 'confidential',
      secretHash: storedSecretHash(SECRET),
      grantId: randomUUID(),
      grantTypes: ['client_credentials'],
      scopes: ['api:read', 'api:write'],
      refreshIdleTtl: 0,
      refreshAbsoluteTtl: 0,
    },
    Date.now(),
  );
  await stores.close();
  const { url, pid } = main
    ? await startOnFreePort(scope, main, {
        env: (port) => benchAuthEnv(dataDir, { PORT: String(port) }),
      })
    : await startAuthProcess(scope, dataDir);
  return { url, pid, refreshTokens: refreshFamilies.tokens };
}

/** `count` refresh tokens of the peer's CLI client (minted: see oidc-provider-peer.mjs). */
async function peerTokens(peer, count) {
  const res = await fetch(`${peer.url}/bench/refresh-tokens?n=${count}`, { method: 'POST' });
  if (res.status !== 200) throw new Error(`the peer minted no refresh tokens: ${res.status}`);
  return (await res.json()).refresh_tokens;
}

/** A chain row: each call refreshes its chain's token and keeps the successor. */
export function refreshRow(name, server, path, clientId, tokens) {
  const chains = [...tokens];
  return {
    name,
    pid: server.pid,
    async next(chain) {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: chains[chain],
          client_id: clientId,
        }),
      });
      const body = await res.json();
      if (res.status !== 200 || !body.refresh_token) {
        throw new Error(`${name}: ${res.status} ${body.error}`);
      }
      chains[chain] = body.refresh_token;
    },
  };
}

/**
 * A device code of the CLI client (`scope`: its default when absent) and the form that polls it, with the error a fast second
 * poll answers (what the load generator will get).
 */
export async function devicePoll(server, authorizePath, tokenPath, clientId, scope) {
  const started = await fetch(`${server.url}${authorizePath}`, {
    method: 'POST',
    headers: { 'content-type': FORM },
    body: new URLSearchParams({ client_id: clientId, ...(scope && { scope }) }),
  });
  const { device_code: deviceCode } = await started.json();
  if (!deviceCode) throw new Error(`${server.url}${authorizePath} answered ${started.status}`);
  const body = new URLSearchParams({
    grant_type: DEVICE_GRANT,
    device_code: deviceCode,
    client_id: clientId,
  }).toString();
  let error;
  for (let i = 0; i < 2; i += 1) {
    const res = await fetch(`${server.url}${tokenPath}`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body,
    });
    error = (await res.json()).error;
  }
  return { body, error };
}

async function startPeer(scope) {
  const { url, pid } = await startOnFreePort(
    scope,
    join(root, 'bench/lib/oidc-provider-peer.mjs'),
    {
      args: (port) => [String(port), CLIENT_ID, SECRET],
      readyPath: '/.well-known/openid-configuration',
    },
  );
  return { url, pid };
}

export async function tokenFrom(server, path, clientId) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: basic(clientId), 'content-type': FORM },
    body: 'grant_type=client_credentials',
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${server.url}${path} answered ${res.status}`);
  return body.access_token;
}

function print(results, { durationSeconds, connections }) {
  printTable({
    title:
      `Gatehouse and node-oidc-provider, same grant, ES256 (autocannon, ${connections} ` +
      `connections, ${durationSeconds} x 1 s interleaved slices a row, loopback; refresh rows: ` +
      `${connections} token chains over fetch)`,
    header: ['', 'req/s', 'p50 ms', 'p99 ms', 'x pair', 'CPU us/req', 'x pair', 'errors'],
    rows: results.map((r) => [
      r.name,
      ...rateCells(r),
      fixed(r.ratio, 2),
      fixed(r.cpuUsPerRequest, 1),
      fixed(r.cpuRatio, 2),
      String(r.errors),
    ]),
    firstWidth: 50,
  });
  for (const r of results.filter((_, index) => index % 2 === 0)) {
    console.log(
      `goal ${r.name} >= ${GOAL} x oidc-provider: ${verdict(r.ratio >= GOAL)} on req/s ` +
        `(${fixed(r.ratio, 2)}), ${verdict(r.cpuRatio >= GOAL)} on server CPU per request ` +
        `(${fixed(r.cpuRatio, 2)})`,
    );
  }
  console.log('');
}

await runAsScript(import.meta.url, () => runPeersBench());
