#!/usr/bin/env node
/**
 * Soak (issue 13): the built services as real processes (bench/lib/system.mjs), mixed traffic
 * through the gateway for N minutes, and a signing-key rotation halfway with the keys CLI
 * against the auth-service's DATA_DIR. Simulated users (bench/lib/soak-traffic.mjs) sign in at
 * the dev-idp's form with a cookie-keeping client, fetch tokens, call /api/me with good,
 * mutated and missing tokens, hit the admin route, read the JWKS, and sign out.
 *
 * Reports requests, answers by kind (expected ones, and unexpected ones, which must be 0),
 * p50/p99 per HTTP exchange, and each service's RSS, open file descriptors and Node active
 * handles before traffic, after the warm-up and at the end (/proc, and each service's own
 * internal /metrics on its own port). Exits 1 on any unexpected answer, or when a service's RSS
 * grew more than --max-rss-growth-mb between the warm-up and the end.
 *
 * Run: `npm run soak -- --minutes 10` (options: --users N, default 8; --max-rss-growth-mb M,
 * default 96; --publish-delay S, the rotated key's KEY_PUBLISH_DELAY, default 660, the floor: the rotated
 * key signs only in runs longer than half the run plus that delay).
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { runAsScript } from './lib/main.mjs';
import { sampleServices } from './lib/process-stats.mjs';
import { createTally, simulateUser } from './lib/soak-traffic.mjs';
import { startSystem } from './lib/system.mjs';
import { createScope, track } from './lib/processes.mjs';
import { fixed, printTable } from './lib/table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keysCli = join(root, 'services/auth-service/dist/admin-cli/keys.js');
const MB = 1024 * 1024;

/** The command line, checked; throws with a usage line on anything else. */
export function soakOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '1' },
      users: { type: 'string', default: '8' },
      'max-rss-growth-mb': { type: 'string', default: '96' },
      'publish-delay': { type: 'string', default: '660' },
    },
  });
  const number = (name, min) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min) {
      throw new Error(
        `--${name} must be a number >= ${min} (got ${values[name]}); ` +
          'usage: npm run soak -- --minutes N [--users N] [--max-rss-growth-mb M] [--publish-delay S]',
      );
    }
    return value;
  };
  return {
    seconds: number('minutes', 0.25) * 60,
    users: Math.round(number('users', 1)),
    maxRssGrowth: number('max-rss-growth-mb', 0) * MB,
    publishDelay: Math.round(number('publish-delay', 1)),
  };
}

export async function runSoak(options) {
  const scope = createScope();
  try {
    const system = await startSystem(scope, root, {
      authEnv: { AUTH_RATE_LIMIT: '0', KEY_PUBLISH_DELAY: String(options.publishDelay) },
    });
    const samples = { start: await sampleServices(system.services) };
    const tally = createTally();
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    const running = () => elapsed() < options.seconds;
    // V8 grows its heaps and the allocator its arenas for a while under new load; growth is
    // judged from here on.
    const warmUp = Math.min(120, options.seconds / 3);
    const every = Math.max(10, options.seconds / 10);
    samples.series = [];
    const watcher = setInterval(async () => {
      samples.series.push({ at: elapsed(), stats: await sampleServices(system.services) });
    }, every * 1000);

    const users = Array.from({ length: options.users }, (_, i) =>
      simulateUser({
        publicUrl: system.publicUrl,
        issuer: system.issuer,
        email: `soak-${i + 1}@example.com`,
        tally,
        running,
      }),
    );
    const events = (async () => {
      await until(() => elapsed() >= warmUp);
      samples.warm = await sampleServices(system.services);
      await until(() => elapsed() >= options.seconds / 2);
      const rotation = await rotateKey(system.authEnv);
      console.log(`t=${Math.round(elapsed())} s: keys rotate: ${rotation}`);
      samples.rotation = rotation;
    })();
    await Promise.all([...users, events]);
    clearInterval(watcher);
    samples.end = await sampleServices(system.services);
    const report = { options, seconds: elapsed(), tally, samples };
    print(report);
    return verdict(report);
  } finally {
    await scope.close();
  }
}

/** `npm run keys -- rotate` as an operator runs it: same DATA_DIR and token settings. */
async function rotateKey(authEnv) {
  const run = promisify(execFile)(process.execPath, [keysCli, 'rotate'], {
    env: { PATH: process.env.PATH, ...authEnv },
    timeout: 30_000,
  });
  track(run.child);
  const { stdout } = await run;
  return stdout.trim();
}

async function until(condition) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 200));
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function print({ options, seconds, tally, samples }) {
  const sorted = Float64Array.from(tally.latencies).sort();
  const unexpected = [...tally.unexpected.values()].reduce((a, b) => a + b, 0);
  console.log('');
  console.log(
    `soak: ${fixed(seconds)} s, ${options.users} users, ${sorted.length} requests ` +
      `(${fixed(sorted.length / seconds)} req/s), p50 ${fixed(percentile(sorted, 50), 2)} ms, ` +
      `p99 ${fixed(percentile(sorted, 99), 2)} ms, unexpected ${unexpected}`,
  );
  console.log(`key rotation: ${samples.rotation ?? 'did not run'}`);
  console.log(
    `tokens by signing key: ${[...tally.signers].map(([kid, n]) => `${kid} ${n}`).join(', ')}`,
  );
  printTable({
    title: 'answers by kind',
    header: ['kind', 'count'],
    rows: [
      ...[...tally.expected].sort().map(([kind, n]) => [kind, String(n)]),
      ...[...tally.unexpected].sort().map(([kind, n]) => [`UNEXPECTED ${kind}`, String(n)]),
    ],
    firstWidth: 44,
    width: 10,
  });
  printTable({
    title: 'RSS MB over time',
    header: ['t s', ...samples.start.map((s) => s.name)],
    rows: samples.series.map(({ at, stats }) => [
      fixed(at),
      ...stats.map((s) => fixed(s.rss / MB, 1)),
    ]),
    firstWidth: 6,
    width: 13,
  });
  const cell = (s, key, unit = 1) =>
    Number.isNaN(s[key]) ? 'n/a' : fixed(s[key] / unit, unit === 1 ? 0 : 1);
  printTable({
    title:
      'processes (RSS and heap used in MB, open fds, Node active handles): ' +
      'start (s), after warm-up (w), end (e)',
    header: [
      'service',
      'RSS start',
      'RSS warm',
      'RSS end',
      'heap s/w/e',
      'fds s/w/e',
      'handles s/w/e',
    ],
    rows: samples.start.map((start, i) => {
      const warm = samples.warm?.[i] ?? start;
      const end = samples.end[i];
      return [
        start.name,
        cell(start, 'rss', MB),
        cell(warm, 'rss', MB),
        cell(end, 'rss', MB),
        [start, warm, end].map((s) => cell(s, 'heapUsed', MB)).join('/'),
        [start, warm, end].map((s) => cell(s, 'fds')).join('/'),
        [start, warm, end].map((s) => cell(s, 'handles')).join('/'),
      ];
    }),
    firstWidth: 14,
    width: 15,
  });
}

/** 0 when every answer was expected and no RSS grew past the bound after warm-up, else 1. */
export function verdict({ options, tally, samples }) {
  const problems = [];
  const unexpected = [...tally.unexpected.values()].reduce((a, b) => a + b, 0);
  if (unexpected > 0) problems.push(`${unexpected} unexpected answers`);
  if (tally.latencies.length === 0) problems.push('no requests were made');
  for (const [i, end] of samples.end.entries()) {
    // The dev-idp is a development stand-in whose in-memory store keeps every interaction and
    // userinfo token for their lifetime (an hour): reported above, not bounded.
    if (end.name === 'dev-idp') continue;
    const warm = samples.warm?.[i] ?? samples.start[i];
    const growth = end.rss - warm.rss;
    if (growth > options.maxRssGrowth) {
      problems.push(
        `${end.name} RSS grew ${fixed(growth / MB, 1)} MB after warm-up (bound ${fixed(options.maxRssGrowth / MB)} MB)`,
      );
    }
  }
  console.log(problems.length === 0 ? 'soak: PASS' : `soak: FAIL: ${problems.join('; ')}`);
  return problems.length === 0 ? 0 : 1;
}

await runAsScript(import.meta.url, () => runSoak(soakOptions(process.argv.slice(2))));
