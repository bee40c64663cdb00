import type { Client } from '../clients/client.js';
import { escapeHtml } from '../html/escape-html.js';
import { renderPage } from '../html/page.js';
import { formatUserCode } from './user-code.js';

export const DEVICE_PATH = '/auth/device';

/** What the device page shows: the code entry, a request to confirm, or the outcome. */
export type DevicePageView =
  | { kind: 'enter'; problem?: string }
  | { kind: 'confirm'; userCode: string; client: Client; scope: string; email: string }
  | { kind: 'done'; approved: boolean };

/**
 * The /auth/device page (RFC 8628 section 3.3), in the style of the sign-in error pages. The
 * code entry is a GET form; approve and deny are a same-origin POST (app.ts's cross-site
 * guard), naming the user code again, so nothing is decided by a link.
 */
export function renderDevicePage(view: DevicePageView): string {
  const [title, body] = content(view);
  return renderPage({
    title,
    body: `${body}
<p class="actions"><a class="button" href="/">Home</a></p>`,
  });
}

function content(view: DevicePageView): [string, string] {
  switch (view.kind) {
    case 'enter':
      return [
        'Sign in a device',
        `${view.problem ? `<p role="alert">${escapeHtml(view.problem)}</p>\n` : ''}<p>Enter the code your terminal shows.</p>
<form method="get" action="${DEVICE_PATH}">
<input name="user_code" autocomplete="off" autocapitalize="characters" placeholder="BCDF-GHJK" required>
<button type="submit">Continue</button>
</form>`,
      ];
    case 'confirm':
      return [
        'Approve this sign-in?',
        `<p><strong>${escapeHtml(view.client.name)}</strong> (<code>${escapeHtml(view.client.clientId)}</code>) asks to act as <strong>${escapeHtml(view.email)}</strong> with scope <code>${escapeHtml(view.scope)}</code>.</p>
<p>Code <code id="user-code">${escapeHtml(formatUserCode(view.userCode))}</code>: approve only if your terminal shows the same code.</p>
<form method="post" action="${DEVICE_PATH}">
<input type="hidden" name="user_code" value="${escapeHtml(view.userCode)}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
      ];
    case 'done':
      return view.approved
        ? ['Device signed in', '<p>You can close this page and return to your terminal.</p>']
        : ['Sign-in denied', '<p>The device was not signed in. You can close this page.</p>'];
  }
}
