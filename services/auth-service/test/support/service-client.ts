import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { newClientSecret, storedSecretHash } from '../../src/oauth/clients/client-secret.js';
import type { buildTokenApp } from './token-app.js';

type Harness = Awaited<ReturnType<typeof buildTokenApp>>;

/** The `Authorization: Basic` value of RFC 6749 section 2.3.1 (each part form-urlencoded). */
export function basicAuth(clientId: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/**
 * A confidential client registered straight in the harness's registry (as `npm run clients --
 * add` does), with the requests a service would send as it: Basic by default, or post.
 */
export async function serviceClient(
  harness: Harness,
  options: { clientId?: string; scopes?: string[] } = {},
) {
  const clientId = options.clientId ?? 'billing';
  const secret = newClientSecret();
  const client = await harness.oauth.clients.add(
    {
      clientId,
      name: clientId,
      type: 'confidential',
      secretHash: storedSecretHash(secret),
      grantId: randomUUID(),
      grantTypes: ['client_credentials'],
      scopes: options.scopes ?? ['api:read', 'api:write'],
      refreshIdleTtl: 0,
      refreshAbsoluteTtl: 0,
    },
    harness.clock.now(),
  );
  const server = harness.app.callback();
  /** A form POST to `path` authenticated with Basic, or with the secret in the form (post). */
  const post = (
    path: string,
    body: Record<string, string>,
    method: 'basic' | 'post' = 'basic',
    credentials = { clientId, secret },
  ) =>
    method === 'basic'
      ? request(server)
          .post(path)
          .type('form')
          .set('Authorization', basicAuth(credentials.clientId, credentials.secret))
          .send(body)
      : request(server)
          .post(path)
          .type('form')
          .send({ ...body, client_id: credentials.clientId, client_secret: credentials.secret });
  return {
    client,
    clientId,
    secret,
    server,
    post,
    token: (body: Record<string, string> = {}, method: 'basic' | 'post' = 'basic') =>
      post('/auth/token', { grant_type: 'client_credentials', ...body }, method),
    introspect: (token: string, method: 'basic' | 'post' = 'basic') =>
      post('/auth/introspect', { token }, method),
    revoke: (token: string, method: 'basic' | 'post' = 'basic') =>
      post('/auth/revoke', { token }, method),
  };
}
