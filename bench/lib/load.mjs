/**
 * Load generation: wrk when it is installed (a C client that leaves the CPU to the servers),
 * else autocannon from node_modules. Either way one call gives req/s, p50, p99 and errors.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openLoop } from './open-loop.mjs';
import { track } from './processes.mjs';

const execFileAsync = promisify(execFile);

/** 'wrk' when `wrk` is on PATH, else 'autocannon'; BENCH_TOOL overrides. */
export async function pickTool(env = process.env) {
  if (env.BENCH_TOOL) return env.BENCH_TOOL;
  try {
    await execFileAsync('wrk', ['--version'], { timeout: 5_000 });
    return 'wrk';
  } catch (err) {
    // wrk --version exits 1 after printing its version.
    return /wrk/.test(`${err.stdout ?? ''}${err.stderr ?? ''}`) ? 'wrk' : 'autocannon';
  }
}

/**
 * Drives `url` for `seconds` over `connections` keep-alive connections (`body`: the same on
 * every request, autocannon only). With `rate` (requests a second), the load is open-loop at
 * that rate instead (`openLoop`, GET only), whatever `tool` says.
 * Returns { rps, requests, p50, p99 (ms), errors (non-2xx + socket errors) }.
 */
export function load(
  tool,
  { url, method = 'GET', headers = {}, body, expectStatus, seconds, connections, rate },
) {
  if (rate !== undefined) {
    if (method !== 'GET' || body !== undefined || expectStatus !== undefined) {
      throw new Error('open-loop rows are GET only, answered 2xx');
    }
    return openLoop({ url, headers, rate, seconds, connections });
  }
  if (tool === 'wrk' && expectStatus === undefined)
    return loadWithWrk({ url, method, headers, seconds, connections });
  if (tool === 'autocannon')
    return loadWithAutocannon({ url, method, headers, body, expectStatus, seconds, connections });
  if (tool === 'wrk') throw new Error('expectStatus needs autocannon, which counts each status');
  throw new Error(`unknown load tool "${tool}": use wrk or autocannon (BENCH_TOOL)`);
}

async function loadWithWrk({ url, method, headers, seconds, connections }) {
  if (method !== 'GET')
    throw new Error(`wrk rows here are GET only, not ${method}: use autocannon`);
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  // The timeout bounds the run should wrk hang on a server that stopped answering.
  const running = execFileAsync('wrk', [...args, url], {
    maxBuffer: 1 << 20,
    timeout: (seconds + 10) * 1000,
    killSignal: 'SIGKILL',
  });
  track(running.child);
  const { stdout } = await running;
  const count = (pattern) => Number(pattern.exec(stdout)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const ms = (pct) => {
    const match = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(stdout);
    return match ? Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]] : NaN;
  };
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]),
    requests: count(/(\d+) requests in/),
    p50: ms(50),
    p99: ms(99),
    errors:
      count(/Non-2xx or 3xx responses:\s+(\d+)/) +
      (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

async function loadWithAutocannon({
  url,
  method,
  headers,
  body,
  expectStatus,
  seconds,
  connections,
}) {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({ url, method, headers, body, duration: seconds, connections });
  // With expectStatus, every answer of another status is an error (a 2xx included).
  const answers = Object.values(result.statusCodeStats ?? {}).reduce((n, s) => n + s.count, 0);
  const unexpected =
    expectStatus === undefined
      ? result.non2xx
      : answers - (result.statusCodeStats?.[expectStatus]?.count ?? 0);
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: unexpected + result.errors,
  };
}

/**
 * A bench's duration (BENCH_DURATION: seconds, or slices a row) and connection count
 * (BENCH_CONNECTIONS): from `options`, else the environment, else the bench's defaults.
 */
export function loadSettings(options, defaults, env = process.env) {
  const durationSeconds =
    options.durationSeconds ?? Number(env.BENCH_DURATION ?? defaults.durationSeconds);
  const connections = options.connections ?? Number(env.BENCH_CONNECTIONS ?? defaults.connections);
  for (const [name, value] of Object.entries({ durationSeconds, connections })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${name} must be a whole number >= 1 (BENCH_DURATION, BENCH_CONNECTIONS)`);
    }
  }
  return { durationSeconds, connections };
}
