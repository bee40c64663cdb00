import { Router } from 'express';
import { DEMO_CSS, DEMO_HTML, DEMO_JS } from '../demo/demo-page.js';

/** GET `/`, `/app.js`, `/app.css`: the demo page, revalidated on every load. */
export function demoRoutes(): Router {
  const router = Router();
  const serve = (path: string, type: string, body: string) =>
    router.get(path, (_req, res) => {
      res.type(type).set('Cache-Control', 'no-cache').send(body);
    });
  serve('/', 'text/html; charset=utf-8', DEMO_HTML);
  serve('/app.js', 'text/javascript; charset=utf-8', DEMO_JS);
  serve('/app.css', 'text/css; charset=utf-8', DEMO_CSS);
  return router;
}
