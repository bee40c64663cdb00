#!/usr/bin/env node
/**
 * Gatehouse against a peer (issue 26): node-oidc-provider configured for the same grant and
 * algorithm (bench/lib/oidc-provider-peer.mjs), both as their own processes on loopback,
 * measured in the same interleaved run (bench/lib/interleaved.mjs), so load from elsewhere
 * falls on both alike. Rows, each ours then the peer's:
 *   - POST token endpoint, grant_type=client_credentials, Basic auth, ES256 JWT out;
 *   - RFC 7662 introspection, Basic auth, of an active token (ours: the JWT; the peer refuses
 *     to introspect JWTs, so its own opaque token).
 * Goal: each of ours >= 1.5 x the peer's tokens (requests) a second.
 * Run: `node bench/peers.mjs` (BENCH_DURATION slices a row, default 5; BENCH_CONNECTIONS 50).
 */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchAuthEnv } from './lib/auth-env.mjs';
import { INTERLEAVED_DEFAULTS, measureInterleaved } from './lib/interleaved.mjs';
import { loadSettings } from './lib/load.mjs';
import { runAsScript } from './lib/main.mjs';
import { freePort, loopbackUrl } from './lib/ports.mjs';
import { createScope, requireBuilt, waitUntilOk } from './lib/processes.mjs';
import { fixed, printTable, rateCells, verdict } from './lib/table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'services/auth-service/dist');
const CLIENT_ID = 'bench-service';
const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstu';
const GOAL = 1.5;
const basic = (id) => `Basic ${Buffer.from(`${id}:${SECRET}`).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';

/** Runs every row and returns the figures; prints the table unless `print` is false. */
export async function runPeersBench(options = {}) {
  const { durationSeconds, connections } = loadSettings(options, INTERLEAVED_DEFAULTS);
  requireBuilt(join(dist, 'main.js'));
  const scope = createScope();
  try {
    const ours = await startGatehouse(scope);
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
    const results = await measureInterleaved(rows, {
      tool: 'autocannon',
      seconds: durationSeconds,
      connections,
    });
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

/** The built auth-service on SQLite with one confidential client for client_credentials. */
async function startGatehouse(scope) {
  const dataDir = scope.tempDir();
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
  const port = await freePort();
  const child = scope.node(
    join(dist, 'main.js'),
    [],
    benchAuthEnv(dataDir, { PORT: String(port) }),
  );
  await waitUntilOk(`${loopbackUrl(port)}/healthz`, { child });
  return { url: loopbackUrl(port), pid: child.pid };
}

async function startPeer(scope) {
  const port = await freePort();
  const child = scope.node(join(root, 'bench/lib/oidc-provider-peer.mjs'), [
    String(port),
    CLIENT_ID,
    SECRET,
  ]);
  await waitUntilOk(`${loopbackUrl(port)}/.well-known/openid-configuration`, { child });
  return { url: loopbackUrl(port), pid: child.pid };
}

async function tokenFrom(server, path, clientId) {
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
      `connections, ${durationSeconds} x 1 s interleaved slices a row, loopback)`,
    header: ['', 'req/s', 'p50 ms', 'p99 ms', 'x pair', 'CPU us/req', 'x pair', 'errors'],
    rows: results.map((r) => [
      r.name,
      ...rateCells(r),
      fixed(r.ratio, 2),
      fixed(r.cpuUsPerRequest, 1),
      fixed(r.cpuRatio, 2),
      String(r.errors),
    ]),
    firstWidth: 34,
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
