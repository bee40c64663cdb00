import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Stores } from '../../src/db/open-stores.js';
import { newClientSecret, storedSecretHash } from '../../src/oauth/clients/client-secret.js';
import { buildAppOn, DATABASES, SAME_ORIGIN } from '../support/app-on-database.js';
import { basicAuth } from '../support/service-client.js';

type Harness = Awaited<ReturnType<typeof buildAppOn>>;

/**
 * The session and its user are read in one statement per request (SessionStore.getWithUser),
 * a client with one prepared statement: on either database, whatever another replica changes
 * in the shared state before a request is what that request sees. Each change is made through
 * the stores, as another replica or the CLI would make it.
 */
describe.each(DATABASES)('changes made elsewhere, seen by the next request (%s)', (database) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  const start = async () => (harness = await buildAppOn(database));
  const session = (h: Harness, cookie: string) =>
    request(h.app.callback()).get('/auth/session').set('Cookie', cookie);
  const token = (h: Harness, cookie: string) =>
    request(h.app.callback()).post('/auth/token').set(SAME_ORIGIN).set('Cookie', cookie);

  it('when the session is read, then its user comes with it: no second directory read', async () => {
    const h = await start();
    const { user, cookie } = await h.signIn('ada@example.com', ['admin']);
    const answer = await session(h, cookie).expect(200);
    expect(answer.body).toMatchObject({ sub: user.id, email: 'ada@example.com', roles: ['admin'] });
    expect((await token(h, cookie).expect(200)).body.scope).toBe('admin api');
    expect(h.counted.directoryReads).toBe(0);
  });

  it('when the user is disabled, then the next session and token requests are 401 and the session is over', async () => {
    const h = await start();
    const { user, cookie } = await h.signIn();
    await token(h, cookie).expect(200);
    await h.stores.directory.setDisabled(user.id, true);
    expect((await token(h, cookie).expect(401)).body.error).toBe('login_required');
    await h.stores.directory.setDisabled(user.id, false);
    expect((await session(h, cookie).expect(401)).body.error).toBe('login_required');
    expect(await h.stores.sessions.size()).toBe(0);
  });

  it('when the user is disabled between two session reads, then the second is refused', async () => {
    const h = await start();
    const { user, cookie } = await h.signIn();
    await session(h, cookie).expect(200);
    await h.stores.directory.setDisabled(user.id, true);
    expect((await session(h, cookie).expect(401)).body.error).toBe('login_required');
  });

  it('when the user is removed, then the next token request is 401', async () => {
    const h = await start();
    const { user, cookie } = await h.signIn();
    await token(h, cookie).expect(200);
    await h.stores.directory.remove(user.id);
    expect((await token(h, cookie).expect(401)).body.error).toBe('login_required');
  });

  it('when the user is given a role, then the next token carries it', async () => {
    const h = await start();
    const { user, cookie } = await h.signIn();
    expect((await token(h, cookie).expect(200)).body.scope).toBe('api');
    await h.stores.directory.setRoles(user.id, ['admin']);
    expect((await token(h, cookie).expect(200)).body.scope).toBe('admin api');
  });

  it.each([
    ['signed out there', (s: Stores, id: string) => s.sessions.destroy(id)],
    [
      'ended on the account page',
      (s: Stores, _: string, u: string, sid: string) => s.sessions.endBySid(u, sid),
    ],
    [
      'ended with every session of the user',
      (s: Stores, _: string, u: string) => s.sessions.endAllOfUser(u),
    ],
  ])('when the session was %s, then the next request is 401', async (_, end) => {
    const h = await start();
    const { user, sid, cookie } = await h.signIn();
    await token(h, cookie).expect(200);
    const id = cookie.split(';')[0]!.split('=')[1]!;
    await end(h.stores, id, user.id, sid);
    expect((await token(h, cookie).expect(401)).body.error).toBe('login_required');
    expect((await session(h, cookie).expect(401)).body.error).toBe('login_required');
  });

  it('when a client secret is rotated without overlap or the client removed, then the next request with the old one is 401 invalid_client', async () => {
    const h = await start();
    const secret = newClientSecret();
    await h.stores.clients.add(
      {
        clientId: 'billing',
        name: 'billing',
        type: 'confidential',
        secretHash: storedSecretHash(secret),
        grantId: randomUUID(),
        grantTypes: ['client_credentials'],
        scopes: ['api:read'],
        refreshIdleTtl: 0,
        refreshAbsoluteTtl: 0,
      },
      h.clock.now(),
    );
    const asClient = (withSecret: string) =>
      request(h.app.callback())
        .post('/auth/token')
        .type('form')
        .set('Authorization', basicAuth('billing', withSecret))
        .send({ grant_type: 'client_credentials' });
    await asClient(secret).expect(200);
    const rotated = newClientSecret();
    await h.stores.clients.replaceSecret('billing', storedSecretHash(rotated), null);
    expect((await asClient(secret).expect(401)).body.error).toBe('invalid_client');
    await asClient(rotated).expect(200);
    await h.stores.clients.remove('billing');
    expect((await asClient(rotated).expect(401)).body.error).toBe('invalid_client');
  });
});
