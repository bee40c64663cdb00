/**
 * The smallest service per framework a team would write from docs/protecting-a-service.md,
 * as plain ESM files run from the temporary project (so they import the installed tarball,
 * never the repository). Each takes ISSUER from its environment and prints `listening PORT`.
 * `/me` needs a token; `/admin` also the role `admin`.
 */
export const TINY_SERVICES: Record<string, string> = {
  koa: `
import Koa from 'koa';
import { createTokenVerifier, silentLogger } from '@gatehouse/shared';
import { errorHandler, requestContext, requireAuth, requireRole } from '@gatehouse/shared/koa';

const verifier = createTokenVerifier({ issuer: process.env.ISSUER, audience: 'gatehouse-api' });
const app = new Koa();
app.use(requestContext({ logger: silentLogger() }));
app.use(errorHandler());
app.use(requireAuth(verifier));
app.use((ctx, next) => (ctx.path === '/admin' ? requireRole('admin')(ctx, next) : next()));
app.use((ctx) => {
  ctx.body = { sub: ctx.state.auth.sub };
});
const server = app.listen(0, '127.0.0.1', () => console.log('listening', server.address().port));
`,
  express: `
import express from 'express';
import { createTokenVerifier } from '@gatehouse/shared';
import { requireAuth, requireRole } from '@gatehouse/shared/express';

const verifier = createTokenVerifier({ issuer: process.env.ISSUER, audience: 'gatehouse-api' });
const app = express();
const me = (_req, res) => res.json({ sub: res.locals.auth.sub });
app.get('/me', requireAuth(verifier), me);
app.get('/admin', requireAuth(verifier), requireRole('admin'), me);
const server = app.listen(0, '127.0.0.1', () => console.log('listening', server.address().port));
`,
  fastify: `
import Fastify from 'fastify';
import { createTokenVerifier } from '@gatehouse/shared';
import { requireAuth, requireRole } from '@gatehouse/shared/fastify';

const verifier = createTokenVerifier({ issuer: process.env.ISSUER, audience: 'gatehouse-api' });
const app = Fastify();
const me = async (request) => ({ sub: request.auth.sub });
app.get('/me', { preHandler: requireAuth(verifier) }, me);
app.get('/admin', { preHandler: [requireAuth(verifier), requireRole('admin')] }, me);
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('listening', app.server.address().port);
`,
  node: `
import { createServer } from 'node:http';
import { createTokenVerifier } from '@gatehouse/shared';
import { createRequestVerifier, writeError } from '@gatehouse/shared/node';

const verifier = createTokenVerifier({ issuer: process.env.ISSUER, audience: 'gatehouse-api' });
const verifyRequest = createRequestVerifier(verifier);
const verifyAdmin = createRequestVerifier(verifier, { role: 'admin' });
const server = createServer(async (req, res) => {
  try {
    const claims = await (req.url === '/admin' ? verifyAdmin : verifyRequest)(req);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ sub: claims.sub }));
  } catch (err) {
    writeError(res, err, req);
  }
});
server.listen(0, '127.0.0.1', () => console.log('listening', server.address().port));
`,
};

/** Type-checked in the temporary project: the package's own types, as a team's tsc sees them. */
export const TYPED_USE = `
import { createTokenVerifier, type AccessTokenClaims } from '@gatehouse/shared';
import { createRequestVerifier } from '@gatehouse/shared/node';
import { requireAuth } from '@gatehouse/shared/express';
import { requireRole } from '@gatehouse/shared/fastify';
import { requireScope } from '@gatehouse/shared/koa';

const verifier = createTokenVerifier({ issuer: 'https://app.example.com/auth', audience: 'api' });
const verifyRequest = createRequestVerifier(verifier, { role: 'admin' });
export const guards = [requireAuth(verifier), requireRole('admin'), requireScope('api')];
export const sub = async (req: Parameters<typeof verifyRequest>[0]): Promise<string> => {
  const claims: AccessTokenClaims = await verifyRequest(req);
  return claims.sub;
};
`;
