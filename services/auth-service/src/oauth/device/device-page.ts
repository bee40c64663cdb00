import { escapeHtml } from '@gatehouse/shared';
import type { Client } from '../clients/client.js';
import { renderPage } from '../../http/page.js';
import { formatUserCode } from './user-code.js';
import { DEVICE_PATH } from '../../http/endpoints.js';

/** The approval form's "my device shows this code" box; approve is refused without it. */
export const CODE_MATCHES = 'code_matches';

/** The code box's id, which its `<label for>` names, so a screen reader announces the label. */
export const CODE_ENTRY_ID = 'user-code-entry';

/** The request to confirm: who asks for what, and the code to compare with the device's. */
export interface ConfirmView {
  kind: 'confirm';
  userCode: string;
  client: Client;
  scope: string;
  email: string;
  problem?: string;
}

/** What the device page shows: the code entry, a request to confirm, or the outcome. */
export type DevicePageView =
  { kind: 'enter'; problem?: string } | ConfirmView | { kind: 'done'; approved: boolean };

/**
 * The /auth/device page (RFC 8628 section 3.3), in the style of the sign-in error pages. The
 * code entry is a GET form; approve and deny are a same-origin POST (app.ts's cross-site
 * guard), naming the user code again, so nothing is decided by a link. Approving also needs
 * the box "my device shows this code" ticked (RFC 8628 section 5.4): a code that came in a
 * link (`verification_uri_complete`) looks just like a typed one, so every approval asks.
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
        `${problemLine(view.problem)}<form method="get" action="${DEVICE_PATH}">
<p><label for="${CODE_ENTRY_ID}">Enter the code your terminal shows</label></p>
<input id="${CODE_ENTRY_ID}" name="user_code" autocomplete="off" autocapitalize="characters" placeholder="BCDF-GHJK" required>
<button type="submit">Continue</button>
</form>`,
      ];
    case 'confirm':
      return [
        'Approve this sign-in?',
        `${problemLine(view.problem)}<p><strong>${escapeHtml(view.client.name)}</strong> (<code>${escapeHtml(view.client.clientId)}</code>) asks to act as <strong>${escapeHtml(view.email)}</strong> with scope <code>${escapeHtml(view.scope)}</code>.</p>
<p>Code <code id="user-code">${escapeHtml(formatUserCode(view.userCode))}</code>: approve only if your terminal or device shows the same code. If you did not start this sign-in yourself, deny it.</p>
<form method="post" action="${DEVICE_PATH}">
<input type="hidden" name="user_code" value="${escapeHtml(view.userCode)}">
<p><label><input type="checkbox" name="${CODE_MATCHES}" value="yes" required> My device shows <code>${escapeHtml(formatUserCode(view.userCode))}</code></label></p>
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form>`,
      ];
    case 'done':
      return view.approved
        ? ['Device signed in', '<p>You can close this page and return to your terminal.</p>']
        : ['Sign-in denied', '<p>The device was not signed in. You can close this page.</p>'];
  }
}

function problemLine(problem: string | undefined): string {
  return problem ? `<p role="alert">${escapeHtml(problem)}</p>\n` : '';
}
