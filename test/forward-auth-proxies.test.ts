import type { IncomingHttpHeaders } from 'node:http';
import { tempRoutesFile } from '../gateway/test/support/routes-file.js';
import { startUpstream, type TestUpstream } from '../gateway/test/support/upstream.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addressFetch } from './support/address-fetch.js';
import { CookieClient } from './support/cookie-client.js';
import { freePort } from './support/free-port.js';
import { startCaddy, startNginx, type FrontProxy } from './support/front-proxy.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

const NAVIGATION = { accept: 'text/html', 'sec-fetch-mode': 'navigate' };
const SCRIPT = { accept: 'application/json', 'sec-fetch-mode': 'cors' };
/** Sends headers as given (the global fetch always says `Sec-Fetch-Mode: cors`). */
const send = addressFetch('127.0.0.1');

describe.each([
  ['nginx (auth_request)', startNginx],
  ['Caddy (forward_auth)', startCaddy],
])('Gatehouse behind %s with deploy/forward-auth', (_, startProxy) => {
  let echo: TestUpstream;
  let system: RunningSystem;
  let proxy: FrontProxy;
  let file: ReturnType<typeof tempRoutesFile>;
  let token: string;

  beforeAll(async () => {
    echo = await startUpstream();
    file = tempRoutesFile(
      `routes:
  - { name: app, path: /app, to: ${echo.url}, auth: session }
  - { name: app-admin, path: /app/admin, to: ${echo.url}, auth: token, allow: { roles: [admin] } }
`,
    );
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    system = await startSystem({
      authEnv: { PUBLIC_URL: publicUrl },
      gatewayEnv: { PUBLIC_URL: publicUrl, TRUSTED_PROXIES: '127.0.0.1', ROUTES_FILE: file.path },
    });
    proxy = await startProxy({ port, gateway: system.url, app: echo.url });
    // A signed-in browser's access token, all through the other proxy.
    const browser = new CookieClient();
    await browser.request(`${proxy.url}/auth/login?returnTo=%2F`);
    const res = await browser.request(`${proxy.url}/auth/token`, {
      method: 'POST',
      headers: { origin: proxy.url },
    });
    token = res.json<{ access_token: string }>().access_token;
  });

  afterAll(async () => {
    await proxy?.close();
    await system?.close();
    await echo.close();
    file.remove();
  });

  const seen = (text: string) => JSON.parse(text) as { url: string; headers: IncomingHttpHeaders };

  it('when a token the route allows comes, then the app gets the request with the identity, and the spoofed identity is gone', async () => {
    const res = await send(`${proxy.url}/app/reports?y=1`, {
      headers: {
        ...SCRIPT,
        authorization: `Bearer ${token}`,
        'x-gatehouse-email': 'boss@example.com',
        'x-gatehouse-roles': 'admin',
        'X-Gatehouse-Assertion': 'forged',
        x_gatehouse_sub: 'boss',
      },
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    const { url, headers } = seen(text);
    expect(url).toBe('/app/reports?y=1');
    expect(headers['x-gatehouse-email']).toBe('developer@example.com');
    // No roles: no header (nginx), or an empty one (Caddy 2.6 copies empty values).
    expect(headers['x-gatehouse-roles'] ?? '').toBe('');
    expect(headers.x_gatehouse_sub).toBeUndefined();
    expect(headers['x-gatehouse-assertion']).toMatch(/^ey[^.]+\.[^.]+\.[^.]+$/);
  });

  it('when no credential comes and the caller sends its own identity headers, then 401 and the app never hears of it', async () => {
    const res = await send(`${proxy.url}/app/reports`, {
      headers: { ...SCRIPT, 'x-gatehouse-email': 'boss@example.com', 'x-gatehouse-sub': 'boss' },
    });
    expect(res.status).toBe(401);
  });

  it("when the route's policy refuses the token, then 403", async () => {
    const res = await send(`${proxy.url}/app/admin/users`, {
      headers: { ...SCRIPT, authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
  });

  it('when a forged token comes, then 401', async () => {
    const forged = `${token.slice(0, -4)}AAAA`;
    const res = await send(`${proxy.url}/app/reports`, {
      headers: { ...SCRIPT, authorization: `Bearer ${forged}` },
    });
    expect(res.status).toBe(401);
  });

  it('when a signed-out browser opens an app page, then it signs in and comes back to the same URL, and the app gets its identity but never the pass', async () => {
    const browser = new CookieClient(send);
    const landed = await browser.request(`${proxy.url}/app/page?x=1&y=%2F`, {
      headers: { ...NAVIGATION, cookie: 'theme=dark' },
    });
    expect(landed.hops[1]).toBe(
      `${proxy.url}/auth/pass?returnTo=${encodeURIComponent('/app/page?x=1&y=%2F')}`,
    );
    expect(landed.status).toBe(200);
    expect(landed.url).toBe(`${proxy.url}/app/page?x=1&y=%2F`);
    const { headers } = seen(landed.text);
    expect(headers['x-gatehouse-email']).toBe('developer@example.com');
    expect(browser.cookie(proxy.url, 'gatehouse')).toBeDefined();
    expect(headers.cookie ?? '').not.toContain('gatehouse=');
  });
});
