import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DeviceBrowser } from './support/device-browser.js';
import { freePort } from './support/free-port.js';
import { gatehouse, runGatehouse } from './support/gatehouse-process.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

let system: RunningSystem;

beforeAll(async () => {
  // A 1 s poll interval keeps the real CLI process quick; the flow is the same at 5 s.
  system = await startSystem({ authEnv: { DEVICE_POLL_INTERVAL: '1' } });
});
afterAll(async () => {
  await system.close();
});

/** A fresh terminal: its own HOME and XDG config directory, pointed at the gateway. */
function terminal() {
  const home = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), GATEHOUSE_URL: system.url };
  return { env, file: join(home, 'config', 'gatehouse', 'credentials.json') };
}

/** `gatehouse login` approved (or denied) in the browser; returns the finished process. */
async function login(env: Record<string, string>, decision: 'approve' | 'deny' = 'approve') {
  const cli = runGatehouse(['login'], env);
  const [, uri] = await cli.stderrMatching(/open (\S+) and enter the code/);
  const [, code] = await cli.stderrMatching(/^\s+([A-Z]{4}-[A-Z]{4})$/m);
  const browser = new DeviceBrowser(system.url);
  // Typed as a person might: lower case, no dash.
  const page = await browser.enter(uri!, code!.toLowerCase().replace('-', ''));
  expect(page.status).toBe(200);
  expect(page.text).toContain('Gatehouse command line');
  expect(page.text).toContain('developer@example.com');
  expect((await browser.decide(code!, decision)).status).toBe(200);
  return { result: await cli.done, code: code!, browser, uri: uri! };
}

describe('gatehouse CLI against the running system', () => {
  it('when a person approves the printed code, then login stores a 0600 refresh token and token/whoami work', async () => {
    const { env, file } = terminal();
    const { result, uri } = await login(env);
    expect(uri).toBe(`${system.url}/auth/device`);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Signed in as developer@example.com');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);

    const token = await gatehouse(['token'], env);
    expect(token.code).toBe(0);
    const accessToken = token.stdout.trim();
    const jwks = createRemoteJWKSet(new URL(`${system.url}/auth/.well-known/jwks.json`));
    const { payload } = await jwtVerify(accessToken, jwks, {
      issuer: `${system.url}/auth`,
      audience: 'gatehouse-api',
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({ client_id: 'gatehouse-cli', email: 'developer@example.com' });
    const me = await fetch(`${system.url}/api/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);

    const whoami = await gatehouse(['whoami'], env);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toContain('developer@example.com');
  });

  it('when the cached access token is stale, then token refreshes and rotates the stored refresh token', async () => {
    const { env, file } = terminal();
    await login(env);
    const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...before, accessTokenExpiresAt: 0 }), { mode: 0o600 });
    const token = await gatehouse(['token'], env);
    expect(token.code).toBe(0);
    const after = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).toBe(token.stdout.trim());
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('when the person logs out, then the refresh token is revoked server-side and the file is gone', async () => {
    const { env, file } = terminal();
    await login(env);
    const { refreshToken } = JSON.parse(readFileSync(file, 'utf8')) as { refreshToken: string };
    const logout = await gatehouse(['logout'], env);
    expect(logout.code).toBe(0);
    expect(() => statSync(file)).toThrow();
    const refresh = await fetch(`${system.url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: 'gatehouse-cli',
      }),
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
    const token = await gatehouse(['token'], env);
    expect(token.code).toBe(1);
    expect(token.stderr).toContain('not signed in');
  });

  it('when the grant was revoked elsewhere, then token says to sign in again', async () => {
    const { env, file } = terminal();
    await login(env);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    await fetch(`${system.url}/auth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: String(stored.refreshToken), client_id: 'gatehouse-cli' }),
    });
    writeFileSync(file, JSON.stringify({ ...stored, accessTokenExpiresAt: 0 }), { mode: 0o600 });
    const token = await gatehouse(['token'], env);
    expect(token.code).toBe(1);
    expect(token.stdout).toBe('');
    expect(token.stderr).toMatch(/no longer valid .*revoked.*gatehouse login/);
  });

  it('when the person denies, then login fails with a clear message and stores nothing', async () => {
    const { env, file } = terminal();
    const { result } = await login(env, 'deny');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sign-in was denied');
    expect(() => statSync(file)).toThrow();
  });

  it('when the code was approved once, then entering it again is refused', async () => {
    const { env } = terminal();
    const { code, browser, uri } = await login(env);
    const again = await browser.enter(uri, code);
    expect(again.status).toBe(400);
    expect(again.text).toContain('not valid');
  });

  it('when the server cannot be reached, then login and token say so', async () => {
    const { env, file } = terminal();
    const down = `http://127.0.0.1:${await freePort()}`;
    const loginDown = await gatehouse(['login', '--server', down], env);
    expect(loginDown.code).toBe(1);
    expect(loginDown.stderr).toContain(`cannot reach the Gatehouse server at ${down}`);

    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({
        server: down,
        clientId: 'gatehouse-cli',
        tokenEndpoint: `${down}/auth/token`,
        revocationEndpoint: `${down}/auth/revoke`,
        refreshToken: 'x',
      }),
      { mode: 0o600 },
    );
    const token = await gatehouse(['token'], env);
    expect(token.code).toBe(1);
    expect(token.stderr).toContain(`cannot reach the Gatehouse server at ${down}`);
  });

  it('when the credentials file is unreadable or corrupt, then token names the file', async () => {
    const { env, file } = terminal();
    mkdirSync(file, { recursive: true }); // a directory where the file should be: EISDIR
    const unreadable = await gatehouse(['token'], env);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain(`cannot read ${file}`);

    const other = terminal();
    mkdirSync(join(other.file, '..'), { recursive: true });
    writeFileSync(other.file, '{not json', { mode: 0o600 });
    const corrupt = await gatehouse(['token'], other.env);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain(`${other.file} is not valid JSON`);
  });

  it('when a command is unknown, then usage and exit code 2', async () => {
    const { env } = terminal();
    const result = await gatehouse(['frobnicate'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: gatehouse');
  });
});
