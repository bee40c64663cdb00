/**
 * Open-loop load at a fixed rate, for latency below saturation (wrk2 is not packaged here).
 * Request i is due at start + i / rate whatever happened to earlier ones, and its latency is
 * counted from when it was due, not from when a connection was free to send it, so a server
 * that falls behind shows it in p99 (no coordinated omission, unlike a closed-loop client).
 * Requests go over at most `connections` keep-alive connections.
 */
import { Agent, request } from 'node:http';

/**
 * Sends GET `url` (with `headers`) at `rate` requests a second for `seconds`.
 * Returns { rps (answered a second), requests, p50, p99 (ms, from when each was due), errors
 * (non-2xx and failed requests) }.
 */
export async function openLoop({ url, headers = {}, rate, seconds, connections }) {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  let sent = 0;
  let answered = 0;
  let errors = 0;
  const start = performance.now();
  try {
    await new Promise((resolve) => {
      const settle = (index, ok) => {
        latencies[index] = performance.now() - (start + (index * 1000) / rate);
        if (!ok) errors += 1;
        answered += 1;
        if (answered === total) resolve();
      };
      const fire = (index) => {
        const req = request(
          { host: target.hostname, port: target.port, path: target.pathname, headers, agent },
          (res) => {
            res.resume();
            res.on('end', () => settle(index, res.statusCode >= 200 && res.statusCode < 300));
            res.on('error', () => settle(index, false));
          },
        );
        req.on('error', () => settle(index, false));
        req.end();
      };
      // Every millisecond, send what has fallen due since the last tick.
      const tick = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
        while (sent < due) fire(sent++);
        if (sent === total) clearInterval(tick);
      }, 1);
    });
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - start) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { rps: total / elapsed, requests: total, p50: at(0.5), p99: at(0.99), errors };
}
