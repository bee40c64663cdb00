import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { SESSION_COOKIE } from '../../src/sessions/session-middleware.js';
import { buildTokenApp } from '../support/token-app.js';

/** Characters Node will send in a header value (visible ASCII, space, tab, obs-text). */
const headerChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\t', '\u00e9', '\u00ff'),
);
const cookieName = fc.oneof(
  fc.constantFrom(SESSION_COOKIE, `${SESSION_COOKIE}.sig`, `${SESSION_COOKIE.toUpperCase()}`, ''),
  fc.string({ unit: headerChar, maxLength: 12 }),
);
const cookieValue = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 40 }),
  fc.constantFrom('', '=', '"', '%', '%zz', 'a'.repeat(2000), '../../', '\u00ff\u00fe'),
);
const junkCookies = fc
  .array(fc.tuple(cookieName, cookieValue), { maxLength: 8 })
  .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('; '));

describe('session cookie parsing on hostile input', () => {
  let service: Awaited<ReturnType<typeof buildTokenApp>>;
  let server: ReturnType<typeof service.app.callback>;
  beforeAll(async () => {
    service = await buildTokenApp();
    server = service.app.callback();
  });

  it('when the Cookie header holds anything but a valid session, then 401 login_required, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(junkCookies, async (cookie) => {
        const response = await request(server).get('/auth/session').set('Cookie', cookie);
        expect(response.status).toBe(401);
        expect(response.body.error).toBe('login_required');
      }),
      { numRuns: 300 },
    );
  });

  it('when a forged signature or another session id is paired with a real cookie, then 401', async () => {
    const { cookie } = await service.signIn('grace@example.com');
    const [pair, sigPair] = cookie.split('; ') as [string, string];
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        fc.boolean(),
        async (other, forgeSignature) => {
          const forged = forgeSignature
            ? `${pair}; ${SESSION_COOKIE}.sig=${other}`
            : `${SESSION_COOKIE}=${other}; ${sigPair}`;
          fc.pre(forged !== cookie);
          const response = await request(server).get('/auth/session').set('Cookie', forged);
          expect(response.status).toBe(401);
          expect(response.body.error).toBe('login_required');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('when a valid session cookie arrives among junk cookies of other names, then the session is found', async () => {
    const { cookie } = await service.signIn('ada@example.com');
    const otherNames = fc
      .array(fc.tuple(fc.stringMatching(/^[A-Za-z0-9!#$&'*+.^_`|~-]{1,12}$/), cookieValue), {
        maxLength: 6,
      })
      .filter((pairs) => pairs.every(([name]) => !name.startsWith(SESSION_COOKIE)));
    await fc.assert(
      fc.asyncProperty(otherNames, otherNames, async (before, after) => {
        const header = [
          ...before.map(([n, v]) => `${n}=${v}`),
          cookie,
          ...after.map(([n, v]) => `${n}=${v}`),
        ].join('; ');
        const response = await request(server).get('/auth/session').set('Cookie', header);
        expect(response.status).toBe(200);
        expect(response.body.email).toBe('ada@example.com');
      }),
      { numRuns: 150 },
    );
  });
});
