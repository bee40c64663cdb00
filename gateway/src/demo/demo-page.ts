import { PAGE_CSS } from '@gatehouse/shared';
import { escapeHtml } from './escape-html.js';

/**
 * The demo page. Markup, script and style are separate files so the CSP can forbid inline
 * code. Element ids are stable: the browser test drives them. With `devIdpUrl` (npm start's
 * dev mode) a banner says that sign-in runs against the local dev-idp, not Google.
 */
export function demoHtml(options: { devIdpUrl?: string | undefined } = {}): string {
  const banner = options.devIdpUrl
    ? `\n      <p id="dev-mode" class="banner">Development mode: "Sign in with Google" goes to the local dev-idp at ${escapeHtml(options.devIdpUrl)}, where any email can be typed. Set GOOGLE_CLIENT_ID for real Google.</p>`
    : '';
  return DEMO_TEMPLATE.replace('<!-- dev-mode -->', banner);
}

const DEMO_TEMPLATE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Gatehouse</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/app.css" />
    <script src="/app.js" defer></script>
  </head>
  <body>
    <main>
      <h1>Gatehouse</h1><!-- dev-mode -->
      <p id="status" aria-live="polite">Checking your session…</p>
      <p class="actions">
        <a id="signin" class="button" href="/auth/login?returnTo=/" hidden>Sign in with Google</a>
        <button id="call-api" type="button" hidden>Call /api/me</button>
        <button id="signout" type="button" hidden>Sign out</button>
      </p>
      <pre id="api-result" hidden></pre>
    </main>
  </body>
</html>
`;

/**
 * Browser script: shows the session (GET /auth/session), gets an access token for it
 * (POST /auth/token, same-origin, cookie included) and calls GET /api/me with it; signs out
 * with POST /auth/logout. Output goes through textContent only, never as HTML.
 */
export const DEMO_JS = `'use strict';
const $ = (id) => document.getElementById(id);
const status = $('status');
const signin = $('signin');
const callApi = $('call-api');
const signout = $('signout');
const resultBox = $('api-result');
// The result panel is shown only while it has something to say.
const result = {
  set textContent(text) {
    resultBox.textContent = text;
    resultBox.hidden = text === '';
  },
};

function show(signedIn, text) {
  status.textContent = text;
  signin.hidden = signedIn;
  callApi.hidden = !signedIn;
  signout.hidden = !signedIn;
}

async function readJson(res) {
  try {
    return await res.json();
  } catch {
    return { error: 'invalid_response', status: res.status };
  }
}

async function refresh() {
  const failed = new URLSearchParams(location.search).get('error');
  try {
    const res = await fetch('/auth/session', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (!res.ok) {
      show(false, failed ? 'Sign-in failed: ' + failed : 'Not signed in.');
      return;
    }
    const body = await readJson(res);
    const user = body.user || body;
    show(true, 'Signed in as ' + (user.email || user.name || user.sub || 'unknown user') + '.');
  } catch (err) {
    show(false, 'Could not reach the gateway: ' + err.message);
  }
}

callApi.addEventListener('click', async () => {
  result.textContent = 'Calling /api/me…';
  try {
    const tokenRes = await fetch('/auth/token', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    const token = await readJson(tokenRes);
    if (!tokenRes.ok) {
      result.textContent = JSON.stringify(token, null, 2);
      return;
    }
    const apiRes = await fetch('/api/me', {
      headers: { accept: 'application/json', authorization: 'Bearer ' + token.access_token },
    });
    result.textContent = JSON.stringify(await readJson(apiRes), null, 2);
  } catch (err) {
    result.textContent = 'Request failed: ' + err.message;
  }
});

signout.addEventListener('click', async () => {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => {});
  result.textContent = '';
  await refresh();
});

refresh();
`;

/** The demo page's style is every Gatehouse page's (shared PAGE_CSS). */
export const DEMO_CSS = PAGE_CSS;
