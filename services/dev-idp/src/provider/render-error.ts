import type { ErrorOut, KoaContextWithOIDC } from 'oidc-provider';
import { errorPage } from '../html/error-page.js';

/**
 * oidc-provider's `renderError` for errors it cannot send back to a client's redirect URI
 * (an unknown client or redirect_uri): a plain page naming the OAuth error, with no
 * external assets (the library's default page loads a web font).
 */
export function renderError(ctx: KoaContextWithOIDC, out: ErrorOut): void {
  ctx.type = 'html';
  ctx.body = errorPage(out.error, out.error_description ?? '');
}
