import { escapeHtml, PAGE_CSS } from '@gatehouse/shared';

/**
 * The demo page, grown into a small account page: who you are, your access token's claims,
 * the provider accounts you sign in with (link another, unlink one), your sessions and device
 * grants, sign-out of one or everywhere, and for an admin the user list. Markup, script (account-script.ts) and style are separate files so the CSP can forbid
 * inline code. Element ids are stable: the browser test drives them. With `devIdpUrl` (npm start's
 * dev mode) a banner says that sign-in runs against the local dev-idp, not Google.
 *
 * `publicUrl` goes into a `<meta>` for the script: a page opened at another origin (the listen
 * address 127.0.0.1 when PUBLIC_URL says localhost) would start a sign-in whose cookie the
 * callback on PUBLIC_URL's host never gets, so the script says so and links PUBLIC_URL instead.
 */
export function demoHtml(
  options: { publicUrl?: string | undefined; devIdpUrl?: string | undefined } = {},
): string {
  const banner = options.devIdpUrl
    ? `\n      <p id="dev-mode" class="banner">Development mode: "Sign in with Google" goes to the local dev-idp at ${escapeHtml(options.devIdpUrl)}, where any email can be typed. Set GOOGLE_CLIENT_ID for real Google.</p>`
    : '';
  const publicOrigin = options.publicUrl
    ? `\n    <meta name="gatehouse-public-url" content="${escapeHtml(new URL(options.publicUrl).origin)}" />`
    : '';
  return DEMO_TEMPLATE.replace('<!-- public-url -->', publicOrigin).replace(
    '<!-- dev-mode -->',
    banner,
  );
}

const DEMO_TEMPLATE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Gatehouse</title><!-- public-url -->
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/app.css" />
    <script src="/app.js" defer></script>
  </head>
  <body>
    <main>
      <h1>Gatehouse</h1><!-- dev-mode -->
      <p id="status" aria-live="polite">Checking your session…</p>
      <p id="error" class="error" role="alert" hidden></p>
      <p id="notice" class="notice" role="status" hidden></p>
      <p id="wrong-origin" class="error" role="alert" hidden>
        This page is open at <code id="this-origin"></code>, but Gatehouse's address (PUBLIC_URL)
        is <a id="public-url-link" href="/"></a>. Sign in there: the sign-in's cookie belongs to
        that address, so a sign-in started here cannot finish.
      </p>
      <p class="actions">
        <a id="signin" class="button" href="/auth/login?returnTo=/" hidden>Sign in with Google</a>
        <button id="call-api" type="button" hidden>Call /api/me</button>
        <button id="signout" type="button" hidden>Sign out</button>
        <button id="signout-everywhere" type="button" hidden>Sign out everywhere</button>
      </p>
      <pre id="api-result" hidden></pre>
      <section id="account" hidden>
        <h2>Your access token</h2>
        <p id="token-expiry" class="muted"></p>
        <p class="actions">
          <button id="copy-token" type="button">Copy access token</button>
          <span id="copy-status" role="status"></span>
        </p>
        <pre id="token-claims"></pre>
        <h2>Your sign-in accounts</h2>
        <table id="identities">
          <thead><tr><th>Provider</th><th>Email</th><th>Linked</th><th>Last sign-in</th><th></th></tr></thead>
          <tbody></tbody>
        </table>
        <h3>Link another account</h3>
        <p class="muted">Sign in with it once more here, and it becomes another way into this account.</p>
        <div id="link-providers" class="actions"></div>
        <h2>Your sessions</h2>
        <table id="sessions">
          <thead><tr><th>Browser</th><th>Address</th><th>Signed in</th><th>Last used</th><th></th></tr></thead>
          <tbody></tbody>
        </table>
        <h2>Your device grants</h2>
        <p id="no-grants" class="muted" hidden>No command-line or device sign-ins.</p>
        <table id="grants" hidden>
          <thead><tr><th>Client</th><th>Address</th><th>Signed in</th><th>Last used</th><th></th></tr></thead>
          <tbody></tbody>
        </table>
      </section>
      <section id="admin" hidden>
        <h2>Users</h2>
        <table id="users">
          <thead><tr><th>Email</th><th>Name</th><th>Roles</th><th>Signs in with</th><th>Status</th><th>Last sign-in</th><th></th></tr></thead>
          <tbody></tbody>
        </table>
      </section>
    </main>
  </body>
</html>
`;

/** The demo page's style: every Gatehouse page's (shared PAGE_CSS), wider, with tables. */
export const DEMO_CSS = `${PAGE_CSS}main { max-width: 60rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
tr.current td { background: #eef4ff; }
#link-providers { flex-wrap: wrap; }
td.agent { max-width: 18rem; overflow-wrap: anywhere; color: #555; }
.error { background: #fde8e8; border: 1px solid #e0a0a0; padding: 0.6rem 0.8rem; border-radius: 4px; }
.muted { color: #666; }
.notice { background: #e8f5e9; border: 1px solid #9ccc9f; padding: 0.6rem 0.8rem; border-radius: 4px; }
`;
