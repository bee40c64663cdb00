import type Router from '@koa/router';
import { createAuthRouter } from '../../http/auth-router.js';
import { sendCachedJson, strongEtag } from '../../http/cached-json.js';
import type { TokenConfig } from '../../tokens/token-config.js';
import type { KeyStore } from '../../keys/key-store.js';
import type { IssuerMetadata } from './issuer-metadata.js';
import {
  AUTHORIZATION_SERVER_METADATA_PATH,
  DISCOVERY_PATH,
  JWKS_PATH,
} from '../../http/endpoints.js';

/**
 * The public key set and the issuer metadata verifiers read. Enforces:
 * - public key members only (the store builds the set from public JWKs);
 * - one metadata document, byte for byte the same at the OpenID and the RFC 8414 location;
 * - `Cache-Control: public, max-age` below KEY_PUBLISH_DELAY, so a verifier that honours it
 *   holds a rotated key before that key signs anything;
 * - a strong ETag over the exact body, and 304 for a matching `If-None-Match`.
 */
export function wellKnownRoutes(options: {
  tokens: TokenConfig;
  keyStore: KeyStore;
  metadata: IssuerMetadata;
}): Router {
  const { tokens, keyStore } = options;
  const router = createAuthRouter();
  const metadata = JSON.stringify(options.metadata);
  const metadataEtag = strongEtag(metadata);

  router.get(JWKS_PATH, (ctx) => {
    const { body, etag } = keyStore.publication();
    sendCachedJson(ctx, body, etag, tokens.jwksMaxAge);
  });

  router.get([DISCOVERY_PATH, AUTHORIZATION_SERVER_METADATA_PATH], (ctx) => {
    sendCachedJson(ctx, metadata, metadataEtag, tokens.jwksMaxAge);
  });

  return router;
}
