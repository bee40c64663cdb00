import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Per-service Prometheus registry with the two HTTP metrics every service exports. */
export interface HttpMetrics {
  readonly registry: Registry;
  /** Records one finished request. `route` is the matched route pattern, never the raw path. */
  observe(method: string, route: string, status: number, seconds: number): void;
}

/**
 * @example
 * const metrics = createHttpMetrics('api-service');
 * metrics.observe('GET', '/api/me', 200, 0.004);
 * await metrics.registry.metrics(); // text exposition
 */
export function createHttpMetrics(
  service: string,
  options: { defaults?: boolean } = {},
): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry });
  // One labelled histogram per series, built on its first request: prom-client otherwise
  // builds and validates a label object and a closure per call, on every request of every
  // service. As many entries as series (methods Node parses, route patterns, statuses).
  const series = new Map<string, Series>();
  new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    // Counted in a plain number per request and added here, when the registry is read: each
    // prom-client call hashes and validates the labels, and the histogram already pays that.
    collect() {
      for (const entry of series.values()) {
        if (entry.uncounted === 0) continue;
        this.inc(entry.labels, entry.uncounted);
        entry.uncounted = 0;
      }
    },
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observe(method, route, status, seconds) {
      const key = `${method} ${route} ${status}`;
      let entry = series.get(key);
      if (entry === undefined) {
        const labels = { method, route, status: String(status) };
        entry = { labels, uncounted: 0, duration: duration.labels(labels) };
        series.set(key, entry);
      }
      entry.uncounted += 1;
      entry.duration.observe(seconds);
    },
  };
}

/** One method, route and status: its labels, requests not yet in the counter, its histogram. */
interface Series {
  readonly labels: { method: string; route: string; status: string };
  uncounted: number;
  readonly duration: { observe(seconds: number): void };
}
