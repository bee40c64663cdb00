import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../test/support/fake-google.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/sqlite/open-database.js';
import { createSqliteUserDirectory } from '../src/db/sqlite/sqlite-user-directory.js';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../src/sessions/session-middleware.js';
import { admitUser } from '../src/signin/admit-user.js';
import { SignInError } from '../src/signin/sign-in-error.js';
import {
  request,
  SESSION_KEY,
  setCookie,
  signIn,
  startFakeGoogle,
  startTestAuthService,
  type TestAuthService,
} from './support/test-app.js';

let google: FakeGoogle;
let service: TestAuthService;

beforeAll(async () => {
  google = await startFakeGoogle();
  service = await startTestAuthService(google, {
    ALLOWED_EMAILS: 'listed@gmail.com,rotation@gmail.com',
    ALLOWED_DOMAINS: '',
  });
});
afterAll(() => google.close());
beforeEach(() => google.reset());

const agent = () => request.agent(service.app.callback());

describe('admission', () => {
  it('when the email is in ALLOWED_EMAILS, then the user is admitted and created', async () => {
    google.nextLogin({ sub: 'g-1', email: 'listed@gmail.com', hd: undefined });
    expect((await signIn(agent(), google)).status).toBe(302);
    expect(await service.directory.findByEmail('listed@gmail.com')).toMatchObject({
      issuer: google.issuer,
      subject: 'g-1',
      registered: false,
    });
  });

  it('when a registered entry is claimed by a verified sign-in, then it keeps its roles and gains the subject', async () => {
    await service.directory.preRegister('ada@elsewhere.example', ['admin'], Date.now());
    google.nextLogin({ sub: 'ada-sub', email: 'ADA@elsewhere.example', hd: 'elsewhere.example' });
    const browser = agent();
    expect((await signIn(browser, google)).status).toBe(302);
    const session = await browser.get('/auth/session').expect(200);
    expect(session.body).toMatchObject({ email: 'ada@elsewhere.example', roles: ['admin'] });
    expect((await service.directory.findByEmail('ada@elsewhere.example'))!.subject).toBe('ada-sub');
  });

  it('when another subject presents a claimed email, then 403 (account_conflict)', async () => {
    await service.directory.preRegister('taken@elsewhere.example', [], Date.now());
    google.nextLogin({ sub: 'first', email: 'taken@elsewhere.example' });
    expect((await signIn(agent(), google)).status).toBe(302);
    google.nextLogin({ sub: 'second', email: 'taken@elsewhere.example' });
    const callback = await signIn(agent(), google);
    expect(callback.status).toBe(403);
    expect(callback.body.error_description).toContain('(account_conflict)');
  });

  it('when a known subject returns with an email another entry holds, then 403 (account_conflict), not a 500', async () => {
    await service.directory.preRegister('mover@elsewhere.example', [], Date.now());
    await service.directory.preRegister('holder@elsewhere.example', ['admin'], Date.now());
    google.nextLogin({ sub: 'mover', email: 'mover@elsewhere.example' });
    expect((await signIn(agent(), google)).status).toBe(302);
    google.nextLogin({ sub: 'mover', email: 'holder@elsewhere.example' });
    const callback = await signIn(agent(), google);
    expect(callback.status).toBe(403);
    expect(callback.body.error).toBe('access_denied');
    expect(callback.body.error_description).toContain('(account_conflict)');
    expect((await service.directory.findByIdentity('google', 'mover'))!.email).toBe(
      'mover@elsewhere.example',
    );
  });

  it('when an unverified email matches a registered entry, then it is not claimed', async () => {
    await service.directory.preRegister('claim-me@elsewhere.example', ['admin'], Date.now());
    google.nextLogin({
      sub: 'squatter',
      email: 'claim-me@elsewhere.example',
      email_verified: false,
    });
    expect((await signIn(agent(), google)).status).toBe(403);
    expect((await service.directory.findByEmail('claim-me@elsewhere.example'))!.subject).toBeNull();
  });

  it('when a user admitted by the allowlist is no longer listed, then the next sign-in is refused', async () => {
    const narrower = await startTestAuthService(google, {
      ALLOWED_EMAILS: '',
      ALLOWED_DOMAINS: '',
    });
    google.nextLogin({ sub: 'g-2', email: 'was-listed@gmail.com', hd: undefined });
    await narrower.directory.create(
      {
        provider: 'google',
        issuer: google.issuer,
        subject: 'g-2',
        email: 'was-listed@gmail.com',
        name: null,
        picture: null,
      },
      Date.now(),
    );
    const callback = await signIn(request.agent(narrower.app.callback()), google);
    expect(callback.status).toBe(403);
    expect(callback.body.error_description).toContain('(not_allowed)');
  });

  it('when an account is refused, then the audit line names its email, hd and the rule, and the development page says why', async () => {
    google.nextLogin({ sub: 'g-9', email: 'Stranger@Corp.example', hd: 'corp.example' });

    const callback = await signIn(agent(), google);

    expect(callback.status).toBe(403);
    expect(callback.body.error).toBe('access_denied');
    expect(callback.body.error_description).toContain(
      'stranger@corp.example is not in ALLOWED_EMAILS; ALLOWED_DOMAINS is empty',
    );
    const audit = service.logs.filter((line) => line.event === 'sign_in').at(-1);
    expect(audit).toMatchObject({
      decision: 'denied',
      reason: 'not_allowed',
      email: 'stranger@corp.example',
      hd: 'corp.example',
      rule: expect.stringContaining('ALLOWED_EMAILS'),
    });
  });

  it('when production refuses an account, then the page keeps the rule to itself and only the audit line has it', async () => {
    const refusal = await admissionRefusal({ explainRefusals: false });
    expect(refusal.description).toBe('this account is not allowed to sign in here (not_allowed)');
    expect(refusal.audit).toMatchObject({ email: 'x@other.example', hd: 'other.example' });
    expect(refusal.audit.rule).toBe(
      'x@other.example is not in ALLOWED_EMAILS; hd other.example is not in ALLOWED_DOMAINS=example.com; not registered with npm run users',
    );
  });
});

async function admissionRefusal(policy: { explainRefusals: boolean }) {
  try {
    await admitUser({
      directory: createSqliteUserDirectory(openDatabase(mkdtempSync(join(tmpdir(), 'admit-')))),
      policy: { allowedEmails: ['me@example.com'], allowedDomains: ['example.com'], ...policy },
      provider: { allowedEmails: [], allowedDomains: [] },
      identity: {
        provider: 'google',
        issuer: 'https://accounts.google.com',
        subject: 's',
        email: 'x@other.example',
        emailVerified: true,
        name: null,
        picture: null,
        domain: 'other.example',
        groups: [],
      },
      linkByEmail: false,
      now: 0,
    });
  } catch (err) {
    if (err instanceof SignInError) return err;
    throw err;
  }
  throw new Error('admitted');
}

describe('Google issuer and secure cookies', () => {
  it.each(['https://accounts.google.com', 'accounts.google.com'])(
    'when Google signs with iss %j, then it is accepted; and the cookie is Secure behind https',
    async (iss) => {
      const fakeGoogle = await startFakeGoogle({ issuer: 'https://accounts.google.com' });
      try {
        const secure = await startTestAuthService(fakeGoogle, {
          PUBLIC_URL: 'https://app.example.com',
        });
        fakeGoogle.misbehave({ iss });
        const app = secure.app.callback();
        const https = { 'X-Forwarded-Proto': 'https', Accept: 'application/json' };
        const login = await request(app).get('/auth/login').set(https).expect(302);
        const cookies = ['', '.sig']
          .map((suffix) => setCookie(login, `${SECURE_SESSION_COOKIE}${suffix}`)!.split(';')[0])
          .join('; ');
        const connect = await request(app)
          .get('/auth/connect/google')
          .set(https)
          .set('Cookie', cookies)
          .expect(302);
        expect(connect.headers.location).toMatch(/^https:\/\/accounts\.google\.com\/authorize\?/);
        const callback = new URL(await fakeGoogle.authorize(connect.headers.location!));
        const done = await request(app)
          .get(`${callback.pathname}${callback.search}`)
          .set(https)
          .set('Cookie', cookies);
        expect(done.status).toBe(302);
        expect(setCookie(done, SECURE_SESSION_COOKIE)).toMatch(/; secure/i);
      } finally {
        await fakeGoogle.close();
      }
    },
  );
});

describe('session key rotation', () => {
  it('when a new key is prepended to SESSION_KEYS, then sessions signed with the old key still verify', async () => {
    const browser = agent();
    google.nextLogin({ sub: 'rot-1', email: 'rotation@gmail.com', hd: undefined });
    const callback = await signIn(browser, google);
    const cookies = ['', '.sig']
      .map((suffix) => setCookie(callback, `${SESSION_COOKIE}${suffix}`)!.split(';')[0])
      .join('; ');
    // Same database, new process configuration: newest key first, old one still listed.
    service.app.keys = [`new-${SESSION_KEY}`, SESSION_KEY];
    const response = await request(service.app.callback())
      .get('/auth/session')
      .set('Cookie', cookies)
      .expect(200);
    expect(response.body.email).toBe('rotation@gmail.com');
    service.app.keys = [`new-${SESSION_KEY}`];
    await request(service.app.callback()).get('/auth/session').set('Cookie', cookies).expect(401);
    service.app.keys = [SESSION_KEY];
  });
});
