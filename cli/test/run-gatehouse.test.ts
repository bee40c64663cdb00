import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { CliDeps } from '../src/cli-deps.js';
import { runGatehouse } from '../src/run-gatehouse.js';

/** A terminal whose every request gets `answer`; records what was written. */
function terminal(answer: (url: string) => Response | Promise<Response>) {
  const home = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
  const stderr: string[] = [];
  const stdout: string[] = [];
  const deps: CliDeps = {
    env: { HOME: home, XDG_CONFIG_HOME: join(home, 'config') },
    fetch: async (input) => answer(String(input)),
    now: () => 0,
    sleep: async () => {},
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
  };
  return { deps, stderr, stdout };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

describe('runGatehouse failures', () => {
  it('when the server answers a JSON 404 to the metadata request, then login fails with one line and exit 1', async () => {
    const { deps, stderr } = terminal(() =>
      json(404, { error: 'not_found', error_description: 'no route' }),
    );
    const code = await runGatehouse(['login', '--server', 'http://other.example'], deps);
    expect(code).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toBe(
      'gatehouse: http://other.example is not a Gatehouse server, or not its public URL: ' +
        'http://other.example/.well-known/oauth-authorization-server/auth answered 404 ' +
        'not_found: no route',
    );
  });

  it('when a later request gets an OAuth error nobody handles, then it is one line naming the URL, exit 1', async () => {
    const { deps, stderr } = terminal((url) =>
      url.endsWith('/auth')
        ? json(200, {
            device_authorization_endpoint: 'http://app.example/auth/device_authorization',
            token_endpoint: 'http://app.example/auth/token',
            revocation_endpoint: 'http://app.example/auth/revoke',
          })
        : json(401, { error: 'invalid_client', error_description: 'unknown client' }),
    );
    const code = await runGatehouse(['login', '--server', 'http://app.example'], deps);
    expect(code).toBe(1);
    expect(stderr).toEqual([
      'gatehouse: http://app.example/auth/device_authorization answered 401 invalid_client: unknown client',
    ]);
  });

  it('when the server cannot be reached, then it is one line naming it, exit 1', async () => {
    const { deps, stderr } = terminal(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    });
    expect(await runGatehouse(['login'], deps)).toBe(1);
    expect(stderr).toEqual([
      'gatehouse: cannot reach the Gatehouse server at http://localhost:8080 (ECONNREFUSED)',
    ]);
  });

  it('when something unexpected throws, then it is still one line and exit 1, not a stack trace', async () => {
    const { deps, stderr } = terminal((url) =>
      url.endsWith('/auth')
        ? json(200, {
            device_authorization_endpoint: 'http://localhost:8080/auth/device_authorization',
            token_endpoint: 'http://localhost:8080/auth/token',
            revocation_endpoint: 'http://localhost:8080/auth/revoke',
          })
        : json(200, { device_code: 'd', user_code: 'BCDF-GHJK', verification_uri: 'x' }),
    );
    deps.sleep = () => Promise.reject(new RangeError('odd\n    at frame'));
    expect(await runGatehouse(['login'], deps)).toBe(1);
    expect(stderr.at(-1)).toBe('gatehouse: unexpected failure: odd');
  });
});
