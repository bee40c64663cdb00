import { escapeHtml } from '@gatehouse/shared';
import type { ErrorResponse } from '@gatehouse/shared';
import { renderPage } from '../http/page.js';

const TITLES: Record<number, string> = {
  400: 'Sign-in could not be completed',
  401: 'Sign-in failed',
  403: 'Access denied',
  502: 'The sign-in provider is not answering',
  503: 'Sign-in is not available yet',
};

/**
 * The HTML a browser sees for a failed request: what happened, the request id to quote to an
 * administrator, and a way back, in the demo page's look (shared PAGE_CSS). Never a stack,
 * token or code.
 */
export function renderErrorPage(body: ErrorResponse['body'], status: number): string {
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Request refused');
  return renderPage({
    title,
    body: `<p>${escapeHtml(body.error_description)}</p>
<p><code>${escapeHtml(body.error)}</code> &middot; request id <code>${escapeHtml(body.request_id)}</code></p>
<p class="actions"><a class="button" href="/auth/login">Sign in again</a> <a class="button" href="/">Home</a></p>`,
  });
}
