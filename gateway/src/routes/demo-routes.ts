import { FAVICON_PATHS, FAVICON_SVG } from '@gatehouse/shared';
import { Router } from 'express';
import { ACCOUNT_JS } from '../demo/account-script.js';
import { DEMO_CSS, demoHtml } from '../demo/demo-page.js';

/**
 * GET `/`, `/app.js`, `/app.css`: the demo (account) page, revalidated on every load; and the favicon
 * every browser asks for.
 */
export function demoRoutes(
  options: { publicUrl?: string | undefined; devIdpUrl?: string | undefined } = {},
): Router {
  const router = Router();
  const serve = (path: string, type: string, body: string, cache = 'no-cache') =>
    router.get(path, (_req, res) => {
      res.type(type).set('Cache-Control', cache).send(body);
    });
  serve('/', 'text/html; charset=utf-8', demoHtml(options));
  serve('/app.js', 'text/javascript; charset=utf-8', ACCOUNT_JS);
  serve('/app.css', 'text/css; charset=utf-8', DEMO_CSS);
  for (const path of FAVICON_PATHS)
    serve(path, 'image/svg+xml', FAVICON_SVG, 'public, max-age=86400');
  return router;
}
