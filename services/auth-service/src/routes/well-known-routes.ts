import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import { createAuthRouter } from './auth-router.js';
import type { Context } from 'koa';
import type { TokenConfig } from '../config/token-env.js';
import type { KeyStore } from '../keys/key-store.js';

const JWKS_PATH = '/auth/.well-known/jwks.json';
const DISCOVERY_PATH = '/auth/.well-known/openid-configuration';

/**
 * The public key set and the issuer metadata verifiers read. Enforces:
 * - public key members only (the store builds the set from public JWKs);
 * - `Cache-Control: public, max-age` below KEY_PUBLISH_DELAY, so a verifier that honours it
 *   holds a rotated key before that key signs anything;
 * - a strong ETag over the exact body, and 304 for a matching `If-None-Match`.
 */
export function wellKnownRoutes(options: { tokens: TokenConfig; keyStore: KeyStore }): Router {
  const { tokens, keyStore } = options;
  const router = createAuthRouter();
  let metadata: { algorithms: string; body: string; etag: string } | undefined;

  router.get(JWKS_PATH, (ctx) => {
    const { body, etag } = keyStore.publication();
    respond(ctx, body, etag, tokens.jwksMaxAge);
  });

  router.get(DISCOVERY_PATH, (ctx) => {
    const algorithms = keyStore.publication().algorithms;
    if (metadata?.algorithms !== algorithms.join()) {
      const body = JSON.stringify({
        issuer: tokens.issuer,
        jwks_uri: `${tokens.issuer}/.well-known/jwks.json`,
        // Access tokens are the only JWTs we sign; the OIDC member is what generic verifiers
        // and libraries look up to learn the algorithms.
        id_token_signing_alg_values_supported: algorithms,
        access_token_signing_alg_values_supported: algorithms,
        subject_types_supported: ['public'],
        claims_supported: CLAIMS,
      });
      metadata = { algorithms: algorithms.join(), body, etag: strongEtag(body) };
    }
    respond(ctx, metadata.body, metadata.etag, tokens.jwksMaxAge);
  });

  return router;
}

const CLAIMS = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'jti',
  'client_id',
  'sid',
  'email',
  'name',
  'roles',
  'scope',
];

function respond(ctx: Context, body: string, etag: string, maxAge: number): void {
  ctx.set('Cache-Control', `public, max-age=${maxAge}`);
  ctx.set('ETag', etag);
  ctx.type = 'application/json';
  ctx.status = 200;
  // koa's `fresh` compares If-None-Match with the ETag just set (weak comparison, RFC 9110).
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.body = body;
}

function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}
