import { escapeHtml } from '@gatehouse/shared';
import { page } from './page.js';

/** The page a browser sees when a sign-in cannot go on: the OAuth error code and why. */
export function errorPage(error: string, description: string): string {
  return page(
    'Sign-in error',
    `<h1>Sign-in error</h1>
<p id="error"><strong>${escapeHtml(error)}</strong></p>
<p id="error-description">${escapeHtml(description)}</p>`,
  );
}
