/**
 * The demo page. Markup, script and style are separate files so the CSP can forbid inline
 * code. Element ids are stable: the browser test drives them.
 */
export const DEMO_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Gatehouse</title>
    <link rel="stylesheet" href="/app.css" />
    <script src="/app.js" defer></script>
  </head>
  <body>
    <main>
      <h1>Gatehouse</h1>
      <p id="status" aria-live="polite">Checking your session…</p>
      <p class="actions">
        <a id="signin" class="button" href="/auth/login?returnTo=/" hidden>Sign in with Google</a>
        <button id="call-api" type="button" hidden>Call /api/me</button>
        <button id="signout" type="button" hidden>Sign out</button>
      </p>
      <pre id="api-result"></pre>
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
const result = $('api-result');

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

export const DEMO_CSS = `body { font-family: system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2129; }
main { max-width: 40rem; margin: 4rem auto; padding: 2rem; background: #fff; border-radius: 8px; }
.actions { display: flex; gap: 0.75rem; }
.button, button { font: inherit; padding: 0.5rem 1rem; border: 1px solid #c4c9d0; border-radius: 4px;
  background: #fff; color: inherit; text-decoration: none; cursor: pointer; }
[hidden] { display: none !important; }
pre { background: #f0f2f5; padding: 1rem; overflow-x: auto; min-height: 1rem; }
`;
