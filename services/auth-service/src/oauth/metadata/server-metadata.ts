import { SIGNING_ALGS } from '../../keys/signing-alg.js';
import {
  ASSERTION_JWKS_PATH,
  DEVICE_AUTHORIZATION_PATH,
  INTROSPECTION_PATH,
  JWKS_PATH,
  REVOCATION_PATH,
  REVOCATIONS_PATH,
  TOKEN_PATH,
} from '../../http/endpoints.js';
import { ACCESS_TOKEN_CLAIMS } from '../../tokens/access-token-issuer.js';
import { BASE_SCOPE } from '../../tokens/scope-for-roles.js';
import { CLIENT_AUTH_METHODS, SECRET_AUTH_METHODS } from '../clients/authenticate-client.js';
import { issuerMetadata, type IssuerMetadata } from './issuer-metadata.js';

/**
 * This server's metadata: every endpoint the OAuth area serves (http/endpoints.ts), the
 * grants the token endpoint dispatches to, and how each endpoint authenticates clients
 * (clients/authenticate-client.ts). A new endpoint or grant is listed here.
 *
 * @example
 * const metadata = serverMetadata({ issuer, publicUrl, grantTypes: grants.types });
 */
export function serverMetadata(options: {
  issuer: string;
  publicUrl: string;
  grantTypes: readonly string[];
}): IssuerMetadata {
  return issuerMetadata({
    issuer: options.issuer,
    publicUrl: options.publicUrl,
    signingAlgs: SIGNING_ALGS,
    endpoints: {
      jwks_uri: JWKS_PATH,
      revocation_feed_uri: REVOCATIONS_PATH,
      assertion_jwks_uri: ASSERTION_JWKS_PATH,
      token_endpoint: TOKEN_PATH,
      device_authorization_endpoint: DEVICE_AUTHORIZATION_PATH,
      revocation_endpoint: REVOCATION_PATH,
      introspection_endpoint: INTROSPECTION_PATH,
    },
    // The OAuth grants the token endpoint dispatches to (the browser's session needs none).
    grantTypes: options.grantTypes,
    // Sign-in (/auth/login) is the browser's own, not an authorization endpoint for clients,
    // so no response type yields a code or token. RFC 8414 still requires the member, and
    // validators (Authlib) refuse `[]` as missing. `none` (OAuth 2.0 Multiple Response Type
    // Encoding Practices, section 4: nothing is issued) is the one registered value that is
    // true of this server; `code` would invite an authorization code flow it does not run
    // (no authorization_endpoint, no authorization_code grant).
    responseTypes: ['none'],
    endpointAuthMethods: {
      token: CLIENT_AUTH_METHODS,
      revocation: CLIENT_AUTH_METHODS,
      // Public clients cannot introspect (introspection/introspect-token.ts).
      introspection: SECRET_AUTH_METHODS,
    },
    scopes: [BASE_SCOPE],
    claims: ACCESS_TOKEN_CLAIMS,
  });
}
