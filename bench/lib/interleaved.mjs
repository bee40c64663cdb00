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
 * `rows`: [{ name, url, method?, headers?, body?, expectStatus?, pid }] (pid: the process whose
 * CPU a request costs; a body needs autocannon; `expectStatus`: the status every answer should
 * have instead of 2xx, autocannon only). `rate`: requests a second, open-loop (see `load`).
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
      expectStatus: row.expectStatus,
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

/**
 * Like measureInterleaved, for rows whose requests cannot repeat one fixed body (a refresh
 * token rotates on every use): `chains` concurrent loops each await `row.next(chain)` (one
 * request, which keeps its chain's state) for 1-second slices, `seconds` rounds over, rows
 * in turns. Returns the same figures; `errors` counts the `next` calls that threw.
 */
export async function measureInterleavedChains(rows, { seconds, chains }) {
  const slice = async (row) => {
    const latencies = [];
    let errors = 0;
    const deadline = Date.now() + 1000;
    await Promise.all(
      Array.from({ length: chains }, async (_, chain) => {
        while (Date.now() < deadline) {
          const started = performance.now();
          try {
            await row.next(chain);
            latencies.push(performance.now() - started);
          } catch {
            errors += 1;
          }
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    const requests = latencies.length;
    return { rps: requests, requests, p50: at(0.5), p99: at(0.99), errors };
  };
  for (const row of rows) await slice(row); // warm-up: JIT, keep-alive pools
  const slices = rows.map(() => []);
  for (let round = 0; round < seconds; round += 1) {
    for (const [index, row] of rows.entries()) {
      const cpuBefore = cpuMicros(row.pid);
      const measured = await slice(row);
      slices[index].push({ ...measured, cpuMicros: cpuMicros(row.pid) - cpuBefore });
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

/** The row's first answer is 2xx, or its `expectStatus` (a refusal measured on purpose). */
async function expectOk({ url, method = 'GET', headers = {}, body, expectStatus }) {
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(5_000) });
  const fine = expectStatus === undefined ? res.ok : res.status === expectStatus;
  if (!fine) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
}
