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
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // One labelled pair per series, built on its first request: prom-client otherwise builds
  // and validates a label object and a closure per call, on every request of every service.
  // As many entries as series (methods Node parses, route patterns, statuses).
  const series = new Map<string, { inc(): void; observe(seconds: number): void }>();
  return {
    registry,
    observe(method, route, status, seconds) {
      const key = `${method} ${route} ${status}`;
      let labelled = series.get(key);
      if (labelled === undefined) {
        const labels = { method, route, status: String(status) };
        const counter = requests.labels(labels);
        const histogram = duration.labels(labels);
        labelled = { inc: () => counter.inc(), observe: (s) => histogram.observe(s) };
        series.set(key, labelled);
      }
      labelled.inc();
      labelled.observe(seconds);
    },
  };
}
