import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import {
  request,
  signIn,
  startFakeGoogle,
  startTestAuthService,
  type TestAuthService,
} from '../support/test-app.js';

/** What the token endpoint answers instead of the fake Google, per test. */
let tokenAnswer: { status: number; type: string; body: string };

/** A long HTML error page, as a proxy or load balancer in front of a provider sends. */
const SECRET_TAIL = 'TAIL-THAT-MUST-NOT-BE-LOGGED';
const HTML_PAGE = `<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>\n\t<h1>Bad Gateway</h1>${'<p>upstream connect error or disconnect/reset before headers</p>'.repeat(80)}${SECRET_TAIL}</body></html>`;

let google: FakeGoogle;
let backchannel: Server;
let service: TestAuthService;

/**
 * The auth-service reaches the fake Google through a back channel that forwards everything but
 * the token endpoint, which answers `tokenAnswer` (grant exchanges the code there).
 */
beforeAll(async () => {
  google = await startFakeGoogle();
  backchannel = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/token') {
      res.writeHead(tokenAnswer.status, { 'content-type': tokenAnswer.type });
      res.end(tokenAnswer.body);
      return;
    }
    const upstream = await fetch(`${google.url}${req.url}`, { method: req.method });
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => backchannel.listen(0, '127.0.0.1', resolve));
  const { port } = backchannel.address() as AddressInfo;
  service = await startTestAuthService(google, {
    GOOGLE_BACKCHANNEL_URL: `http://127.0.0.1:${port}`,
  });
});
afterAll(async () => {
  backchannel.closeAllConnections();
  await new Promise((resolve) => backchannel.close(resolve));
  await google.close();
});

async function failedSignIn() {
  service.logs.length = 0;
  const callback = await signIn(request.agent(service.app.callback()), google);
  expect(callback.status).toBe(502);
  expect(callback.body.error).toBe('token_exchange_failed');
  return JSON.stringify(service.logs);
}

/** The error log line's description of the failure (never sent to the browser). */
function loggedDescription(): string {
  const failure = service.logs.find((line) => line.msg === 'request failed') as
    { err: { description: string } } | undefined;
  return failure?.err.description ?? '';
}

describe('a token endpoint answering with a non-JSON error', () => {
  it.each([
    ['text/html; charset=utf-8'],
    ['application/json'], // a lying content type: grant then passes the raw body through
  ])(
    'when it sends a long HTML page as %s, then the logs hold a bounded summary, not the page',
    async (type) => {
      tokenAnswer = { status: 502, type, body: HTML_PAGE };
      const logged = await failedSignIn();
      expect(logged).not.toContain(SECRET_TAIL);
      expect(logged).not.toContain(
        'upstream connect error or disconnect/reset before headers</p><p>upstream',
      );
      const described = loggedDescription();
      expect(described).toMatch(
        /^the provider did not complete the sign-in; token endpoint answered: /,
      );
      const summary = described.slice(described.indexOf('answered: ') + 'answered: '.length);
      expect(summary).toMatch(/^502 Bad Gateway Bad Gateway upstream connect error/);
      expect(summary.replace(/ \(unreachable\)$/, '').length).toBeLessThanOrEqual(
        100 + '...'.length,
      );
      const audit = service.logs.filter((line) => line.event === 'sign_in');
      expect(audit).toEqual([
        expect.objectContaining({ decision: 'denied', error: 'token_exchange_failed' }),
      ]);
    },
  );

  it('when it answers an empty 503, then the log says there were no details', async () => {
    tokenAnswer = { status: 503, type: 'text/plain', body: '' };
    await failedSignIn();
    expect(loggedDescription()).toMatch(/token endpoint answered: no details \(unreachable\)$/);
  });

  it('when it answers a provider OAuth error as JSON, then only the error word is logged', async () => {
    tokenAnswer = {
      status: 503,
      type: 'application/json',
      body: JSON.stringify({ error: 'temporarily_unavailable', error_description: SECRET_TAIL }),
    };
    const logged = await failedSignIn();
    expect(logged).not.toContain(SECRET_TAIL);
    expect(loggedDescription()).toMatch(
      /token endpoint answered: error=temporarily_unavailable \(temporarily_unavailable\)$/,
    );
  });
});

describe('a token endpoint refusing an altered code as a malformed request', () => {
  it('when it answers invalid_request, then 400 invalid_grant (start again) and no error-level log line', async () => {
    tokenAnswer = {
      status: 400,
      type: 'application/json',
      body: JSON.stringify({ error: 'invalid_request', error_description: 'Malformed auth code.' }),
    };
    service.logs.length = 0;
    const callback = await signIn(request.agent(service.app.callback()), google);
    expect(callback.status).toBe(400);
    expect(callback.body.error).toBe('invalid_grant');
    expect(callback.body.error_description).not.toMatch(/GOOGLE_CLIENT_ID/);
    expect(service.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });
});
