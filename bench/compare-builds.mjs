#!/usr/bin/env node
/**
 * This checkout's auth-service against another build of it, in one interleaved run
 * (bench/lib/interleaved.mjs): the Gatehouse rows of bench/peers.mjs (client_credentials,
 * introspection, device polling, refresh_token chains), each for both builds side by side, so
 * load from elsewhere on the machine falls on both alike. What a change did to the CPU per
 * request, measured without guessing from two runs minutes apart.
 * Run: `node bench/compare-builds.mjs OTHER_CHECKOUT` after `npx tsc -b` in both, e.g. a
 * worktree of the commit before (`git worktree add ../before HEAD~3 && cd ../before &&
 * npm ci && npx tsc -b`). BENCH_DURATION slices a row (default 5), BENCH_CONNECTIONS (50).
 */
import { join } from 'node:path';
import {
  INTERLEAVED_DEFAULTS,
  measureInterleaved,
  measureInterleavedChains,
} from './lib/interleaved.mjs';
import { loadSettings } from './lib/load.mjs';
import { runAsScript } from './lib/main.mjs';
import { createScope, requireBuilt } from './lib/processes.mjs';
import { MAINS } from './lib/start.mjs';
import { fixed, printTable } from './lib/table.mjs';
import { basic, devicePoll, refreshRow, startGatehouse, tokenFrom } from './peers.mjs';

const FORM = 'application/x-www-form-urlencoded';
const SERVICE = 'bench-service';
const CLI = 'gatehouse-cli';

/** Runs the rows for both builds; returns them in pairs (this build, then the other). */
export async function compareBuilds(otherRoot, options = {}) {
  const { durationSeconds, connections } = loadSettings(options, INTERLEAVED_DEFAULTS);
  const otherMain = join(otherRoot, 'services/auth-service/dist/main.js');
  requireBuilt(MAINS.auth);
  requireBuilt(otherMain);
  const scope = createScope();
  try {
    const builds = [
      ['this', await startGatehouse(scope, connections)],
      ['other', await startGatehouse(scope, connections, { main: otherMain })],
    ];
    const rows = [];
    const pairs = async (make) => {
      for (const [tag, server] of builds)
        rows.push({ pid: server.pid, ...(await make(tag, server)) });
    };
    const post = (server, path, body, authorization) => ({
      url: `${server.url}${path}`,
      method: 'POST',
      headers: { 'content-type': FORM, ...(authorization && { authorization }) },
      body,
    });
    await pairs((tag, s) => ({
      name: `${tag}: client_credentials`,
      ...post(s, '/auth/token', 'grant_type=client_credentials', basic(SERVICE)),
    }));
    await pairs(async (tag, s) => ({
      name: `${tag}: introspection`,
      ...post(
        s,
        '/auth/introspect',
        `token=${await tokenFrom(s, '/auth/token', SERVICE)}`,
        basic(SERVICE),
      ),
    }));
    await pairs(async (tag, s) => ({
      name: `${tag}: device poll`,
      ...post(
        s,
        '/auth/token',
        (await devicePoll(s, '/auth/device_authorization', '/auth/token', CLI)).body,
      ),
      expectStatus: 400,
    }));
    const fixedRows = await measureInterleaved(rows, {
      tool: 'autocannon',
      seconds: durationSeconds,
      connections,
    });
    const chains = await measureInterleavedChains(
      builds.map(([tag, s]) =>
        refreshRow(`${tag}: refresh_token`, s, '/auth/token', CLI, s.refreshTokens),
      ),
      { seconds: durationSeconds, chains: connections },
    );
    const results = [...fixedRows, ...chains];
    if (options.print ?? true) print(results, otherRoot, { durationSeconds, connections });
    return results;
  } finally {
    await scope.close();
  }
}

function print(results, otherRoot, { durationSeconds, connections }) {
  printTable({
    title:
      `This build against ${otherRoot} (autocannon, ${connections} connections, ` +
      `${durationSeconds} x 1 s interleaved slices a row; refresh: ${connections} chains)`,
    header: ['', 'req/s', 'CPU us/req', 'other/this CPU'],
    rows: results.map((r, index) => {
      const pair = results[index % 2 === 0 ? index + 1 : index - 1];
      return [
        r.name,
        String(Math.round(r.rps)),
        fixed(r.cpuUsPerRequest, 1),
        index % 2 === 0 ? fixed(pair.cpuUsPerRequest / r.cpuUsPerRequest, 2) : '',
      ];
    }),
    firstWidth: 30,
  });
}

await runAsScript(import.meta.url, () => {
  const other = process.argv[2];
  if (!other) throw new Error('usage: node bench/compare-builds.mjs OTHER_CHECKOUT');
  return compareBuilds(other);
});
