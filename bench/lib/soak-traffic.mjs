/**
 * The soak's traffic: simulated users, each a browser with its own cookie jar, that sign in at
 * the dev-idp's form through the gateway, fetch access tokens, call the API with good, bad and
 * missing tokens, and sign out, over and over. Every answer is checked against what the
 * contract promises for that request; one that differs is an unexpected error, by kind.
 */
import { CookieClient } from './cookie-client.mjs';

/** Counts and latencies for a whole run. */
export function createTally() {
  const latencies = [];
  const expected = new Map();
  const unexpected = new Map();
  const bump = (map, kind) => map.set(kind, (map.get(kind) ?? 0) + 1);
  return {
    latencies,
    expected,
    unexpected,
    /** One HTTP exchange and how long it took. */
    exchange: (_label, _status, ms) => latencies.push(ms),
    /** An answer the contract promises (`kind` e.g. `me 200`, `bad token 401`). */
    ok: (kind) => bump(expected, kind),
    /** Anything else: a wrong status or error code, a failed connection, a timeout. */
    fail: (kind) => bump(unexpected, kind),
    /** Kids of the keys that signed the tokens seen, with how many each. */
    signers: new Map(),
  };
}

/** Weighted picks for what a signed-in user does next. */
const ACTIONS = [
  ['me', 45],
  ['token', 15],
  ['session', 10],
  ['bad token', 12],
  ['no token', 5],
  ['admin', 5],
  ['jwks', 8],
];
const TOTAL_WEIGHT = ACTIONS.reduce((sum, [, weight]) => sum + weight, 0);

function pickAction(random) {
  let roll = random() * TOTAL_WEIGHT;
  for (const [name, weight] of ACTIONS) {
    roll -= weight;
    if (roll < 0) return name;
  }
  return ACTIONS[0][0];
}

/**
 * One simulated user until `running()` turns false: sign in, `actions` requests, sign out.
 * `email` stays the same across cycles, as one person in one browser.
 */
export async function simulateUser({ publicUrl, issuer, email, tally, running, actions = 25 }) {
  const client = new CookieClient(tally.exchange);
  const origin = { origin: publicUrl };
  const check = async (kind, promise, accept) => {
    try {
      const res = await promise;
      const problem = accept(res);
      if (problem) tally.fail(`${kind}: ${problem}`);
      else tally.ok(`${kind} ${res.status}`);
      return problem ? undefined : res;
    } catch (err) {
      tally.fail(`${kind}: ${err.cause?.code ?? err.name ?? 'error'}`);
      return undefined;
    }
  };
  const errorOf = (res) => {
    try {
      return JSON.parse(res.text).error;
    } catch {
      return undefined;
    }
  };
  const expectStatus = (status, error) => (res) => {
    if (res.status !== status) return `${res.status} ${errorOf(res) ?? ''}`.trim();
    if (error !== undefined && errorOf(res) !== error) return `${res.status} ${errorOf(res)}`;
    return undefined;
  };

  while (running()) {
    const signedIn = await signIn(client, { publicUrl, issuer, email, check });
    if (!signedIn) continue;
    let token = await issueToken(client, publicUrl, origin, check, tally);
    for (let i = 0; i < actions && running() && token; i += 1) {
      const action = pickAction(Math.random);
      const api = (path, authorization) =>
        client.request(action, `${publicUrl}${path}`, {
          headers: authorization ? { authorization } : {},
        });
      switch (action) {
        case 'me':
          await check(
            'me',
            api('/api/me', `Bearer ${token}`),
            (res) =>
              expectStatus(200)(res) ??
              (JSON.parse(res.text).email === email ? undefined : 'wrong user'),
          );
          break;
        case 'token':
          token = (await issueToken(client, publicUrl, origin, check, tally)) ?? token;
          break;
        case 'session':
          await check(
            'session',
            client.request('session', `${publicUrl}/auth/session`),
            (res) =>
              expectStatus(200)(res) ??
              (JSON.parse(res.text).email === email ? undefined : 'wrong user'),
          );
          break;
        case 'bad token':
          await check(
            'bad token',
            api('/api/me', `Bearer ${mutate(token)}`),
            (res) =>
              expectStatus(401, 'invalid_token')(res) ??
              (/^Bearer .*error="invalid_token"/.test(res.headers.get('www-authenticate') ?? '')
                ? undefined
                : 'no invalid_token challenge'),
          );
          break;
        case 'no token':
          await check('no token', api('/api/me'), expectStatus(401));
          break;
        case 'admin':
          await check(
            'admin',
            api('/api/admin/stats', `Bearer ${token}`),
            expectStatus(403, 'insufficient_scope'),
          );
          break;
        case 'jwks':
          await check(
            'jwks',
            api('/auth/.well-known/jwks.json'),
            (res) =>
              expectStatus(200)(res) ?? (JSON.parse(res.text).keys?.length ? undefined : 'no keys'),
          );
          break;
      }
    }
    await check(
      'logout',
      client.request('logout', `${publicUrl}/auth/logout`, { method: 'POST', headers: origin }),
      expectStatus(204),
    );
    await check(
      'session after logout',
      client.request('session', `${publicUrl}/auth/session`),
      expectStatus(401),
    );
  }
}

/** The browser part of a sign-in: gateway, dev-idp form, callback, back on the demo page. */
async function signIn(client, { publicUrl, issuer, email, check }) {
  const page = await check(
    'sign-in page',
    client.request('sign-in', `${publicUrl}/auth/login?returnTo=/`),
    (res) =>
      res.status === 200 && res.url.startsWith(`${issuer}/`) && /<form/.test(res.text)
        ? undefined
        : `${res.status} at ${new URL(res.url).pathname}`,
  );
  if (!page) return false;
  const action = /<form[^>]*action="([^"]+)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
  const done = await check(
    'sign-in',
    client.request('sign-in', new URL(action ?? '/', page.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: issuer },
      body: new URLSearchParams({ email, name: 'Soak User' }).toString(),
    }),
    (res) =>
      res.status === 200 && res.url === `${publicUrl}/`
        ? undefined
        : `${res.status} at ${new URL(res.url).origin === publicUrl ? new URL(res.url).pathname : res.url}`,
  );
  return done !== undefined;
}

async function issueToken(client, publicUrl, origin, check, tally) {
  const res = await check(
    'token',
    client.request('token', `${publicUrl}/auth/token`, { method: 'POST', headers: origin }),
    (r) =>
      r.status === 200 && JSON.parse(r.text).token_type === 'Bearer' ? undefined : `${r.status}`,
  );
  if (!res) return undefined;
  const token = JSON.parse(res.text).access_token;
  const { kid } = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
  tally.signers.set(kid, (tally.signers.get(kid) ?? 0) + 1);
  return token;
}

/** A token that differs from `token`: one character of its header, payload or signature. */
function mutate(token) {
  const i = Math.floor(Math.random() * token.length);
  const replacement = token[i] === 'A' ? 'B' : 'A';
  const mutated = token.slice(0, i) + replacement + token.slice(i + 1);
  // A '.' replaced leaves two segments: still a bad token, which is the point.
  return mutated === token ? `${token}x` : mutated;
}
