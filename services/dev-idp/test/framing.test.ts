import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningDevIdp } from '../src/server.js';
import { CookieJar } from './support/cookie-jar.js';
import {
  authorizationUrl,
  discover,
  locationOf,
  send,
  type Discovery,
} from './support/sign-in-flow.js';
import { startDevIdp } from './support/start-dev-idp.js';

const NAVIGATION = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('dev-idp pages and framing', () => {
  let idp: RunningDevIdp;
  let discovery: Discovery;

  beforeAll(async () => {
    idp = await startDevIdp();
    discovery = await discover(idp.issuer);
  });
  afterAll(() => idp.close());

  function expectNotFramable(page: Response): void {
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toMatch(/(^|;)\s*frame-ancestors 'none'/);
  }

  it('when the sign-in page is served, then it cannot be framed', async () => {
    const jar = new CookieJar();
    const { url } = authorizationUrl(discovery);
    const page = await send(jar, locationOf(await send(jar, url), url), { headers: NAVIGATION });
    expect(page.status).toBe(200);
    expectNotFramable(page);
  });

  it('when oidc-provider renders an error page (unknown client), then it cannot be framed', async () => {
    const { url } = authorizationUrl(discovery, { client_id: 'no-such-client' });
    const page = await send(new CookieJar(), url, { headers: NAVIGATION });
    expect(page.status).toBe(400);
    expectNotFramable(page);
  });

  it('when the shared error renderer answers a browser (unknown interaction), then the page cannot be framed', async () => {
    const page = await send(new CookieJar(), `${idp.issuer}/interaction/unknown`, {
      headers: NAVIGATION,
    });
    expect(page.status).toBeGreaterThanOrEqual(400);
    expectNotFramable(page);
  });
});
