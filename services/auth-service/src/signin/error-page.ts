import type { ErrorResponse } from '@gatehouse/shared';

/** The look of every page the auth-service renders itself (error pages, the device page). */
export const PAGE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}code{color:#555}';

const TITLES: Record<number, string> = {
  400: 'Sign-in could not be completed',
  401: 'Sign-in failed',
  403: 'Access denied',
  502: 'The sign-in provider is not answering',
  503: 'Sign-in is not available yet',
};

/**
 * The HTML a browser sees for a failed request: what happened, the request id to quote to an
 * administrator, and a way back. Never a stack, token or code.
 */
export function renderErrorPage(body: ErrorResponse['body'], status: number): string {
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Request refused');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(body.error_description)}</p>
<p><code>${escapeHtml(body.error)}</code> &middot; request id <code>${escapeHtml(body.request_id)}</code></p>
<p><a href="/auth/login">Sign in again</a> &middot; <a href="/">Home</a></p>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}
