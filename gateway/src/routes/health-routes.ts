import { Router } from 'express';
import type { ReadinessReport } from '@gatehouse/shared';

/**
 * `/healthz`: the gateway process answers. `/readyz`: every upstream is ready (503 with the
 * per-upstream report when not), so a load balancer stops sending traffic during an outage.
 */
export function healthRoutes(readiness: () => Promise<ReadinessReport>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const report = await readiness();
    res
      .status(report.ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(report);
  });
  return router;
}
