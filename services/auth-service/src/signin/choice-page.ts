import { escapeHtml } from '@gatehouse/shared';
import { renderPage } from '../http/page.js';
import { LOGIN_PATH } from '../http/endpoints.js';

/** Remembers the provider of the last successful sign-in, to list it first next time. */
export const LAST_PROVIDER_COOKIE = 'gatehouse_last_provider';

/**
 * GET /auth/login's page when several providers are configured and none was named: one button
 * per provider (a link to `/auth/login?provider=ID&returnTo=...`), the last used first, then
 * PROVIDERS order. `returnTo` has been made safe already.
 */
export function renderChoicePage(options: {
  providers: readonly { id: string; name: string }[];
  lastUsed: string | undefined;
  returnTo: string;
}): string {
  const ordered = [...options.providers].sort(
    (a, b) => Number(b.id === options.lastUsed) - Number(a.id === options.lastUsed),
  );
  const buttons = ordered
    .map((provider) => {
      const query = new URLSearchParams({ provider: provider.id, returnTo: options.returnTo });
      const last = provider.id === options.lastUsed ? ' <small>(last used)</small>' : '';
      return `<li><a class="button" data-provider="${escapeHtml(provider.id)}" href="${LOGIN_PATH}?${escapeHtml(query.toString())}">Sign in with ${escapeHtml(provider.name)}</a>${last}</li>`;
    })
    .join('\n');
  return renderPage({
    title: 'Sign in',
    body: `<p>Choose how to sign in.</p>\n<ul class="providers">\n${buttons}\n</ul>`,
  });
}
