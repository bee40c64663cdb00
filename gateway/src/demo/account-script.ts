import { BROWSER_NAME_JS } from './browser-name.js';
import { SIGN_IN_FAILURES, UNKNOWN_SIGN_IN_FAILURE } from './sign-in-failures.js';

/**
 * The account page's browser script (served as /app.js; the CSP allows no inline code).
 * Reads GET /auth/account (401: the signed-out page with its sign-in button), gets an access
 * token for the session (POST /auth/token) and shows its claims and expiry, copies a fresh one
 * to the clipboard ("Copy access token", never into the page or a URL), lists the provider
 * accounts the user signs in with ("Unlink" each; the auth-service refuses the last one) and
 * a "Link <name>" form per configured provider, lists sessions and device grants with a
 * "Sign out" each, "Sign out everywhere" (POST /auth/logout with
 * everywhere=1), and for role `admin` the user list with "Disable". Every POST is same-origin
 * fetch with the cookie, except "Link <name>": a plain form POST, because the browser has to
 * navigate through the provider's sign-in; every value reaches the page through textContent
 * (or a DOM property), never as HTML;
 * every failure is written plainly into #error. A failed sign-in (`/?error=CODE`) is told in
 * words of ours for known codes only (sign-in-failures.ts), never by echoing the query. Opened
 * at an origin other than PUBLIC_URL's, it offers no sign-in, only a link to PUBLIC_URL. Dates
 * are the reader's local time (token `iat`/`exp` too), browsers are short names ("Chrome 131 on
 * Windows", the whole user agent in the tooltip), and a sign-out is confirmed in #notice.
 */
export const ACCOUNT_JS = `'use strict';
const $ = (id) => document.getElementById(id);
const status = $('status');
const errorBox = $('error');
const signin = $('signin');
const callApi = $('call-api');
const signout = $('signout');
const everywhere = $('signout-everywhere');
const resultBox = $('api-result');
const account = $('account');
const admin = $('admin');
const notice = $('notice');
const copyToken = $('copy-token');
const copyStatus = $('copy-status');
const JSON_HEADERS = { accept: 'application/json' };
const LINK_PATH = '/auth/account/identities/link';
const SIGN_IN_FAILURES = ${JSON.stringify(SIGN_IN_FAILURES)};

/** Our words for a known code in ?error=, a generic sentence for anything else. */
function signInFailure(code) {
  return Object.hasOwn(SIGN_IN_FAILURES, code)
    ? 'Sign-in failed: ' + SIGN_IN_FAILURES[code]
    : ${JSON.stringify(UNKNOWN_SIGN_IN_FAILURE)};
}

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = text === '';
}

/** A confirmation ("You are signed out."), until the next action. */
function showNotice(text) {
  notice.textContent = text;
  notice.hidden = text === '';
}

// The result panel is shown only while it has something to say.
function showResult(text) {
  resultBox.textContent = text;
  resultBox.hidden = text === '';
}

function show(signedIn, text) {
  status.textContent = text;
  if (signedIn) showNotice('');
  signin.hidden = signedIn;
  callApi.hidden = !signedIn;
  signout.hidden = !signedIn;
  everywhere.hidden = !signedIn;
  if (!signedIn) {
    account.hidden = true;
    admin.hidden = true;
  }
}

async function readJson(res) {
  try {
    return await res.json();
  } catch {
    return { error: 'invalid_response', status: res.status };
  }
}

/** "not_found: no such session of yours is active", or the HTTP status. */
function describeError(body, res) {
  if (body && typeof body.error === 'string') {
    return body.error + (body.error_description ? ': ' + body.error_description : '');
  }
  return 'HTTP ' + res.status;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** Claims holding seconds since 1970 (RFC 7519), shown as the reader's local time. */
const TIME_CLAIMS = ['iat', 'exp', 'nbf', 'auth_time'];

function readableClaims(claims) {
  const shown = { ...claims };
  for (const name of TIME_CLAIMS) {
    if (typeof shown[name] === 'number') {
      shown[name] = new Date(shown[name] * 1000).toLocaleString();
    }
  }
  return shown;
}

${BROWSER_NAME_JS}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined || text === '' ? '—' : String(text);
  if (className) td.className = className;
  row.append(td);
  return td;
}

/** A button whose click runs ACTIONS[action] with data (its data-* attributes). */
function actionCell(row, label, action, data) {
  const td = document.createElement('td');
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  Object.assign(button.dataset, data, { action });
  td.append(button);
  row.append(td);
}

function fill(tableId, items, render) {
  $(tableId).tBodies[0].replaceChildren(...items.map(render));
}

function renderIdentities(identities) {
  fill('identities', identities, (identity) => {
    const row = document.createElement('tr');
    const provider = cell(row, identity.provider_name);
    if (identity.current) {
      row.className = 'current';
      const mark = document.createElement('strong');
      mark.className = 'current-mark';
      mark.textContent = ' (this sign-in)';
      provider.append(mark);
    }
    cell(row, identity.email);
    cell(row, when(identity.linked_at));
    cell(row, when(identity.last_sign_in_at));
    actionCell(row, 'Unlink', 'unlink-identity', {
      provider: identity.provider,
      subject: identity.subject,
    });
    return row;
  });
}

/**
 * One "Link <name>" button per configured provider: a same-origin POST that marks this session
 * for linking and answers where the browser goes next (the provider's sign-in through
 * /auth/connect/ID), then a navigation there. Never a form: its redirects would have to be
 * allowed to end at any provider's origin (CSP form-action).
 */
function renderLinkForms(providers) {
  $('link-providers').replaceChildren(
    ...providers.map((provider) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link-provider';
      button.textContent = 'Link ' + provider.name;
      button.dataset.action = 'link-identity';
      button.dataset.provider = provider.id;
      return button;
    }),
  );
}

/** Starts linking a provider; the answer names where to go, which must be a connect path. */
async function startLink(provider) {
  showError('');
  try {
    const res = await fetch(LINK_PATH, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...JSON_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ provider }).toString(),
    });
    const body = await readJson(res);
    if (res.ok && typeof body.location === 'string' && body.location.startsWith('/auth/connect/')) {
      window.location.assign(body.location);
      return false;
    }
    showError('Could not link that account: ' + describeError(body, res));
  } catch (err) {
    showError('Could not link that account: ' + err.message);
  }
  return false;
}

function renderSessions(sessions) {
  fill('sessions', sessions, (session) => {
    const row = document.createElement('tr');
    row.dataset.id = session.id;
    const agent = cell(row, browserName(session.user_agent), 'agent');
    if (session.user_agent) agent.title = session.user_agent;
    if (session.current) {
      row.className = 'current';
      const mark = document.createElement('strong');
      mark.className = 'current-mark';
      mark.textContent = ' (this browser)';
      agent.append(mark);
    }
    cell(row, session.ip);
    cell(row, when(session.created_at));
    cell(row, when(session.last_used_at));
    actionCell(row, 'Sign out', 'end-session', { id: session.id });
    return row;
  });
}

function renderGrants(grants) {
  $('no-grants').hidden = grants.length > 0;
  $('grants').hidden = grants.length === 0;
  fill('grants', grants, (grant) => {
    const row = document.createElement('tr');
    row.dataset.id = grant.id;
    cell(row, grant.client_name + ' (' + grant.client_id + ')');
    cell(row, grant.ip);
    cell(row, when(grant.created_at));
    cell(row, when(grant.last_used_at));
    actionCell(row, 'Sign out', 'revoke-grant', { id: grant.id });
    return row;
  });
}

function renderUsers(users, me) {
  fill('users', users, (user) => {
    const row = document.createElement('tr');
    row.dataset.id = user.sub;
    cell(row, user.email);
    cell(row, user.name);
    cell(row, user.roles.join(', '));
    cell(row, (user.identities || []).map((identity) => identity.provider).join(', '));
    cell(row, user.disabled ? 'disabled' : 'active', 'user-status');
    cell(row, when(user.last_sign_in_at));
    if (user.disabled || user.sub === me) cell(row, '');
    else actionCell(row, 'Disable', 'disable-user', { id: user.sub });
    return row;
  });
}

/** The access token's claims: its payload, base64url JSON (shown, never trusted). */
function decodeClaims(jwt) {
  const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(payload), (ch) => ch.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * A fresh access token for the session ({access_token, expires_in}); its claims and expiry go
 * on the page, the token itself never does.
 */
async function getToken() {
  const res = await fetch('/auth/token', {
    method: 'POST',
    credentials: 'same-origin',
    headers: JSON_HEADERS,
  });
  const body = await readJson(res);
  if (!res.ok) throw new Error(describeError(body, res));
  const claims = decodeClaims(body.access_token);
  $('token-claims').textContent = JSON.stringify(readableClaims(claims), null, 2);
  const seconds = Math.round(claims.exp - Date.now() / 1000);
  $('token-expiry').textContent =
    'Expires ' + new Date(claims.exp * 1000).toLocaleString() + ' (in ' + seconds + ' s).';
  return body;
}

async function loadUsers(me) {
  const res = await fetch('/auth/admin/users', { credentials: 'same-origin', headers: JSON_HEADERS });
  const body = await readJson(res);
  if (!res.ok) {
    admin.hidden = true;
    showError('Could not list users: ' + describeError(body, res));
    return;
  }
  renderUsers(body.users, me);
  admin.hidden = false;
}

async function refresh() {
  const failed = new URLSearchParams(location.search).get('error');
  let body;
  try {
    const res = await fetch('/auth/account', { credentials: 'same-origin', headers: JSON_HEADERS });
    if (res.status === 401) {
      show(false, failed ? signInFailure(failed) : 'Not signed in.');
      return;
    }
    body = await readJson(res);
    if (!res.ok) {
      show(false, 'Could not load your account: ' + describeError(body, res));
      return;
    }
  } catch (err) {
    show(false, 'Could not reach the gateway: ' + err.message);
    return;
  }
  const user = body.user;
  show(true, 'Signed in as ' + (user.email || user.name || user.sub) + '.');
  // An auth-service from before several providers sends neither list.
  renderIdentities(body.identities || []);
  renderLinkForms(body.providers || []);
  renderSessions(body.sessions);
  renderGrants(body.grants);
  account.hidden = false;
  try {
    await getToken();
  } catch (err) {
    showError('Could not get an access token: ' + err.message);
  }
  if (user.roles.includes('admin')) await loadUsers(user.sub);
  else admin.hidden = true;
}

/** A same-origin POST; true when it succeeded, else the reason is shown and false returned. */
async function post(path, what, form) {
  showError('');
  const init = { method: 'POST', credentials: 'same-origin', headers: { ...JSON_HEADERS } };
  if (form) {
    init.headers['content-type'] = 'application/x-www-form-urlencoded';
    init.body = new URLSearchParams(form).toString();
  }
  try {
    const res = await fetch(path, init);
    if (res.ok) return true;
    showError('Could not ' + what + ': ' + describeError(await readJson(res), res));
  } catch (err) {
    showError('Could not ' + what + ': ' + err.message);
  }
  return false;
}

const ACTIONS = {
  'link-identity': ({ provider }) => startLink(provider),
  'end-session': ({ id }) =>
    post('/auth/account/sessions/' + encodeURIComponent(id) + '/end', 'sign out that session'),
  'revoke-grant': ({ id }) =>
    post('/auth/account/grants/' + encodeURIComponent(id) + '/revoke', 'sign out that device'),
  'disable-user': ({ id }) =>
    post('/auth/admin/users/' + encodeURIComponent(id) + '/disable', 'disable that user'),
  'unlink-identity': ({ provider, subject }) =>
    post('/auth/account/identities/unlink', 'unlink that account', { provider, subject }),
};

document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action]');
  const action = button && ACTIONS[button.dataset.action];
  if (!action) return;
  button.disabled = true;
  if (await action(button.dataset)) await refresh();
  else button.disabled = false;
});

callApi.addEventListener('click', async () => {
  showResult('Calling /api/me…');
  try {
    const token = (await getToken()).access_token;
    const apiRes = await fetch('/api/me', {
      headers: { ...JSON_HEADERS, authorization: 'Bearer ' + token },
    });
    showResult(JSON.stringify(await readJson(apiRes), null, 2));
  } catch (err) {
    showResult('Request failed: ' + err.message);
  }
});

// For curl and scripts without the CLI: a fresh token goes to the clipboard only, never into
// the page's text or a URL.
copyToken.addEventListener('click', async () => {
  copyStatus.textContent = '';
  showError('');
  try {
    if (!navigator.clipboard) {
      throw new Error('this browser allows copying only on https or localhost');
    }
    const { access_token: token, expires_in: expiresIn } = await getToken();
    await navigator.clipboard.writeText(token);
    const minutes = Math.max(1, Math.round(expiresIn / 60));
    copyStatus.textContent =
      'Copied. It expires in ' + minutes + (minutes === 1 ? ' minute' : ' minutes') + '; ' +
      'send it as "Authorization: Bearer <token>".';
  } catch (err) {
    showError('Could not copy the access token: ' + err.message);
  }
});

signout.addEventListener('click', async () => {
  const done = await post('/auth/logout', 'sign out');
  showResult('');
  await refresh();
  if (done) showNotice('You are signed out of this browser.');
});

everywhere.addEventListener('click', async () => {
  const done = await post('/auth/logout', 'sign out everywhere', { everywhere: '1' });
  if (done) showResult('');
  await refresh();
  if (done) {
    showNotice(
      'You are signed out everywhere: every browser and device of yours has to sign in again.',
    );
  }
});

/**
 * PUBLIC_URL's origin (the page's <meta>) when this page was opened at another one, such as
 * the listen address 127.0.0.1 while PUBLIC_URL says localhost; else undefined.
 */
function wrongOrigin() {
  const meta = document.querySelector('meta[name="gatehouse-public-url"]');
  const publicOrigin = meta && meta.content;
  return publicOrigin && publicOrigin !== location.origin ? publicOrigin : undefined;
}

const publicOrigin = wrongOrigin();
if (publicOrigin) {
  // Before any sign-in starts: its cookie would be set here and the callback would not see it.
  $('this-origin').textContent = location.origin;
  const link = $('public-url-link');
  link.href = publicOrigin + '/';
  link.textContent = publicOrigin + '/';
  $('wrong-origin').hidden = false;
  status.textContent = 'Not signed in at this address.';
} else {
  refresh();
}
`;
