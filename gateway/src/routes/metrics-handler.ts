import type { RequestListener } from 'node:http';
import { resolveRequestId, type HttpMetrics } from '@gatehouse/shared';

/**
 * The request listener of the internal metrics port (METRICS_PORT). Metrics are never routed
 * on the public port: they name routes, volumes and error rates an outsider should not see.
 */
export function metricsHandler(metrics: HttpMetrics): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/metrics') {
      metrics.registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
          res.end(body);
        },
        () => {
          res.writeHead(500).end();
        },
      );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        error: 'not_found',
        error_description: 'only /metrics is served here',
        request_id: resolveRequestId(req.headers['x-request-id']),
      }),
    );
  };
}
