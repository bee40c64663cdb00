/**
 * Rows measured in turns: every row gets a 1-second slice, then the next row, `seconds` rounds
 * over. Load from elsewhere on the machine then falls on all rows alike instead of skewing
 * whichever row ran when it happened. Each slice also reads the serving process's CPU time.
 */
import { load } from './load.mjs';
import { cpuMicros } from './processes.mjs';

/** Slices a row and connections, unless BENCH_DURATION / BENCH_CONNECTIONS say otherwise. */
export const INTERLEAVED_DEFAULTS = Object.freeze({ durationSeconds: 5, connections: 50 });

/**
 * `rows`: [{ name, url, method?, headers?, body?, pid }] (pid: the process whose CPU a request
 * costs; a body needs autocannon). `rate`: requests a second, open-loop (see `load`).
 * Returns, per row, { name, rps (mean of slices), p50 and p99 (medians of the slices'),
 * errors (sum), cpuUsPerRequest (the row's CPU time over its requests, all slices) }.
 */
export async function measureInterleaved(rows, { tool, seconds, connections, rate }) {
  const run = (row) =>
    load(tool, {
      url: row.url,
      method: row.method,
      headers: row.headers,
      body: row.body,
      seconds: 1,
      connections,
      rate,
    });
  for (const row of rows) {
    await expectOk(row);
    await run(row); // warm-up: JIT, keep-alive pools
  }
  const slices = rows.map(() => []);
  for (let round = 0; round < seconds; round += 1) {
    for (const [index, row] of rows.entries()) {
      const cpuBefore = cpuMicros(row.pid);
      const slice = await run(row);
      slices[index].push({ ...slice, cpuMicros: cpuMicros(row.pid) - cpuBefore });
    }
  }
  return rows.map((row, index) => ({ name: row.name, ...summarise(slices[index]) }));
}

function summarise(slices) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const sum = (pick) => slices.reduce((total, slice) => total + pick(slice), 0);
  return {
    rps: sum((s) => s.rps) / slices.length,
    p50: median(slices.map((s) => s.p50)),
    p99: median(slices.map((s) => s.p99)),
    errors: sum((s) => s.errors),
    // Pooled over all slices: a clock tick is 10 ms, so one slice alone reads coarsely.
    cpuUsPerRequest: sum((s) => s.cpuMicros) / sum((s) => s.requests),
  };
}

async function expectOk({ url, method = 'GET', headers = {}, body }) {
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
}
