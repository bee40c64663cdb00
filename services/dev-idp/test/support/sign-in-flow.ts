import { createHash, randomBytes } from 'node:crypto';
import { CookieJar } from './cookie-jar.js';

export const CLIENT_ID = 'gatehouse-dev';
export const CLIENT_SECRET = 'gatehouse-dev-secret';
export const REDIRECT_URI = 'http://localhost:8080/auth/connect/google/callback';

/** What the browser part of a sign-in yields: the redirect back to the client. */
export interface AuthorizationResult {
  callback: URL;
  verifier: string;
  jar: CookieJar;
}

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint: string;
  [key: string]: unknown;
}

export async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  return (await response.json()) as Discovery;
}

/** Builds an authorization URL the way a relying party (grant) does: state, nonce, PKCE S256. */
export function authorizationUrl(
  discovery: Discovery,
  overrides: Record<string, string | undefined> = {},
): { url: URL; verifier: string } {
  const verifier = randomBytes(32).toString('base64url');
  const params: Record<string, string | undefined> = {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'openid email profile',
    state: randomBytes(8).toString('base64url'),
    nonce: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...overrides,
  };
  const url = new URL(discovery.authorization_endpoint);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return { url, verifier };
}

/** One request with the jar's cookies, no redirect following. */
export async function send(jar: CookieJar, url: string | URL, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  const cookie = jar.header();
  if (cookie) headers.set('cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(response);
  return response;
}

/** Follows the redirect in `response`, relative to `base`. */
export function locationOf(response: Response, base: string | URL): URL {
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location, base);
}

/** Pulls the form action out of the sign-in page. */
export function formAction(html: string): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no form on the page');
  return action.replace(/&amp;/g, '&');
}

/**
 * Drives the browser part: authorize, the sign-in page, the form post, the resumed
 * authorization, up to the redirect to the client's redirect URI.
 */
export async function authorize(
  discovery: Discovery,
  form: { email?: string; name?: string; unverified?: boolean } = {},
  overrides: Record<string, string | undefined> = {},
): Promise<AuthorizationResult & { url: URL }> {
  const jar = new CookieJar();
  const { url, verifier } = authorizationUrl(discovery, overrides);
  const start = await send(jar, url);
  const pageUrl = locationOf(start, url);
  const page = await send(jar, pageUrl);
  const html = await page.text();
  const body = new URLSearchParams({
    email: form.email ?? 'developer@example.com',
    name: form.name ?? 'Dev Eloper',
  });
  if (form.unverified) body.set('unverified', '1');
  const posted = await send(jar, new URL(formAction(html), pageUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: pageUrl.origin },
    body,
  });
  let next = locationOf(posted, pageUrl);
  // The resumed authorization answers with the redirect to the client.
  while (next.origin === pageUrl.origin) {
    next = locationOf(await send(jar, next), next);
  }
  return { callback: next, verifier, jar, url };
}

/** Exchanges the code at the token endpoint with the client's secret. */
export async function exchangeCode(
  discovery: Discovery,
  code: string,
  verifier: string,
  auth: 'basic' | 'post' = 'basic',
  secret = CLIENT_SECRET,
): Promise<Response> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth === 'basic') {
    const credentials = `${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(secret)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  } else {
    body.set('client_id', CLIENT_ID);
    body.set('client_secret', secret);
  }
  return fetch(discovery.token_endpoint, { method: 'POST', headers, body });
}
