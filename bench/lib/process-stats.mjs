/**
 * What a long run watches in each service process: resident memory and open file descriptors
 * from Linux /proc (no endpoint needed, nothing made public), and the Node active-handle count
 * and heap from the service's own internal /metrics when it has one.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS of `pid` in bytes; NaN where there is no /proc or the process is gone. */
export function rssBytes(pid) {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? NaN : Number(kb) * 1024;
  } catch {
    return NaN;
  }
}

/** How many file descriptors `pid` has open (sockets, files, pipes); NaN without /proc. */
export function openFds(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

/** One value of a Prometheus text exposition (the first sample of `name`), or NaN. */
export function metricValue(text, name) {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : NaN;
}

/**
 * A snapshot of every service: `{ name, pid, rss, fds, handles, heapUsed }` (bytes, counts;
 * NaN for what a service cannot tell).
 */
export async function sampleServices(services) {
  return Promise.all(
    services.map(async ({ name, child, metricsUrl }) => {
      let text = '';
      if (metricsUrl) {
        const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) }).catch(
          () => undefined,
        );
        text = res?.ok ? await res.text() : '';
      }
      return {
        name,
        pid: child.pid,
        rss: rssBytes(child.pid),
        fds: openFds(child.pid),
        handles: metricValue(text, 'nodejs_active_handles_total'),
        heapUsed: metricValue(text, 'nodejs_heap_size_used_bytes'),
      };
    }),
  );
}
