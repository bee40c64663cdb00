import { escapeHtml } from '@gatehouse/shared';
import { page } from '../html/page.js';

/**
 * The sign-in form. Element names and ids are a stable contract: headless-browser tests
 * fill `email` and `name`, may tick `unverified`, and press `#sign-in`.
 */
export function renderSignInPage(options: {
  action: string;
  clientName: string;
  email: string;
  name: string;
  unverified: boolean;
  problems?: readonly string[];
}): string {
  const problems = options.problems ?? [];
  const errors =
    problems.length === 0
      ? ''
      : `<ul class="error" id="problems">${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`;
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(options.clientName)}</strong></p>
${errors}
<form method="post" action="${escapeHtml(options.action)}" id="sign-in-form" autocomplete="off">
<label for="email">Email</label>
<input type="email" id="email" name="email" value="${escapeHtml(options.email)}" required>
<label for="name">Name</label>
<input type="text" id="name" name="name" value="${escapeHtml(options.name)}" required>
<label class="check"><input type="checkbox" id="unverified" name="unverified" value="1"${options.unverified ? ' checked' : ''}> email is NOT verified</label>
<button type="submit" id="sign-in">Sign in</button>
</form>`,
  );
}
