import { createServer, type RequestListener } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import request from 'supertest';
import * as expressAdapter from '../../src/express/index.js';
import * as fastifyAdapter from '../../src/fastify/index.js';
import {
  silentLogger,
  TokenError,
  type AccessTokenClaims,
  type TokenVerifier,
} from '../../src/index.js';
import * as koaAdapter from '../../src/koa/index.js';
import { createRequestVerifier, writeError } from '../../src/node/index.js';

/** Token strings stand for verifier outcomes, so every adapter meets the same cases. */
const verifier: Pick<TokenVerifier, 'verify'> = {
  async verify(token) {
    const claims = (roles: string[], scope: string) =>
      ({ sub: 'user-1', roles, scope, iss: 'i', aud: 'a', exp: 1, iat: 0, jti: 'j' }) as const;
    if (token === 'reader') return claims([], 'api reports:read') as AccessTokenClaims;
    if (token === 'admin') return claims(['admin'], 'admin api') as AccessTokenClaims;
    if (token === 'narrow-admin') return claims(['admin'], 'api') as AccessTokenClaims;
    if (token === 'keys-down') {
      throw new TokenError('keys_unavailable', 'the signing keys could not be obtained');
    }
    if (token === 'bug') throw new RangeError('unexpected');
    throw new TokenError('bad_signature', 'the token signature is invalid');
  },
};

function koaApp(): RequestListener {
  const app = new Koa<koaAdapter.AuthState>();
  app.use(koaAdapter.requestContext({ logger: silentLogger() }));
  app.use(koaAdapter.errorHandler());
  app.use(koaAdapter.requireAuth(verifier));
  app.use(async (ctx, next) => {
    if (ctx.path === '/admin') return koaAdapter.requireRole('admin')(ctx, next);
    if (ctx.path === '/write') return koaAdapter.requireScope('reports:write')(ctx, next);
    return next();
  });
  app.use((ctx) => {
    ctx.body = { sub: ctx.state.auth.sub };
  });
  return app.callback();
}

function expressApp(): RequestListener {
  const { requireAuth, requireRole, requireScope } = expressAdapter;
  const app = express();
  const me: express.RequestHandler = (_req, res) => void res.json({ sub: res.locals.auth!.sub });
  app.get('/me', requireAuth(verifier), me);
  app.get('/admin', requireAuth(verifier), requireRole('admin'), me);
  app.get('/write', requireAuth(verifier), requireScope('reports:write'), me);
  return app;
}

async function fastifyApp(): Promise<RequestListener> {
  const { requireAuth, requireRole, requireScope } = fastifyAdapter;
  const app = Fastify();
  const me = async (req: { auth?: AccessTokenClaims }) => ({ sub: req.auth!.sub });
  app.get('/me', { preHandler: requireAuth(verifier) }, me);
  app.get('/admin', { preHandler: [requireAuth(verifier), requireRole('admin')] }, me);
  app.get('/write', { preHandler: [requireAuth(verifier), requireScope('reports:write')] }, me);
  await app.ready();
  return (req, res) => app.routing(req, res);
}

function nodeApp(): RequestListener {
  const guards = {
    '/me': createRequestVerifier(verifier),
    '/admin': createRequestVerifier(verifier, { role: 'admin' }),
    '/write': createRequestVerifier(verifier, { scope: 'reports:write' }),
  };
  return async (req, res) => {
    try {
      const claims = await guards[req.url as keyof typeof guards](req);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ sub: claims.sub }));
    } catch (err) {
      writeError(res, err, req);
    }
  };
}

const INVALID = 'Bearer realm="gatehouse", error="invalid_token", error_description="';
const cases: [string, string, string | undefined, number, string, string | undefined][] = [
  ['a reader token on /me', '/me', 'reader', 200, '', undefined],
  ['no Authorization header', '/me', undefined, 401, 'unauthorized', 'Bearer realm="gatehouse"'],
  ['a forged token', '/me', 'forged', 401, 'invalid_token', INVALID],
  ['a token the verifier trips over', '/me', 'bug', 401, 'invalid_token', INVALID],
  ['no usable keys', '/me', 'keys-down', 503, 'temporarily_unavailable', undefined],
  [
    'a reader on an admin route',
    '/admin',
    'reader',
    403,
    'insufficient_scope',
    'Bearer realm="gatehouse", error="insufficient_scope", error_description="the admin role is required"',
  ],
  ['an admin on an admin route', '/admin', 'admin', 200, '', undefined],
  [
    'an admin role without the admin scope (a narrow grant) on an admin route',
    '/admin',
    'narrow-admin',
    403,
    'insufficient_scope',
    'Bearer realm="gatehouse", error="insufficient_scope", error_description="the admin role is required"',
  ],
  [
    'an admin without the scope',
    '/write',
    'admin',
    403,
    'insufficient_scope',
    'Bearer realm="gatehouse", error="insufficient_scope", error_description="the reports:write scope is required", scope="reports:write"',
  ],
];

describe.each([
  ['koa', async () => koaApp()],
  ['express', async () => expressApp()],
  ['fastify', fastifyApp],
  ['node:http', async () => nodeApp()],
])('the %s adapter', (_name, build) => {
  let server: ReturnType<typeof createServer>;
  beforeAll(async () => {
    server = createServer(await build());
  });
  afterAll(() => void server.close());

  it.each(cases)(
    'when %s is sent, then it answers as every adapter does',
    async (_case, path, token, status, error, challenge) => {
      const req = request(server).get(path).set('X-Request-Id', 'request-0001');
      const res = await (token === undefined ? req : req.set('Authorization', `Bearer ${token}`));
      expect(res.status).toBe(status);
      if (status === 200) {
        expect(res.body).toEqual({ sub: 'user-1' });
        return;
      }
      expect(res.body).toEqual({
        error,
        error_description: expect.any(String),
        request_id: 'request-0001',
      });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
      if (challenge === undefined) expect(res.headers['www-authenticate']).toBeUndefined();
      else expect(res.headers['www-authenticate']).toContain(challenge);
      if (status === 503) expect(res.headers['retry-after']).toBe('5');
    },
  );
});
