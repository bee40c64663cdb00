import { z } from 'zod';

/** Where a provider's endpoints are, as the auth-service uses them. */
export interface ProviderEndpoints {
  /** The issuer exactly as published (OpenID); GitHub: its web origin. */
  issuer: string;
  /** Browser-facing: never rewritten to the back channel. */
  authorizationEndpoint: string;
  /** Server-to-server, already rewritten to the back channel when set. */
  tokenEndpoint: string;
  /** OpenID kinds only. */
  jwksUri: string | undefined;
  userinfoEndpoint: string | undefined;
  /** Published id_token algorithms (may be empty). */
  idTokenSigningAlgs: string[];
}

/**
 * An OpenID provider as the auth-service uses it, from its discovery document: the endpoints
 * of every kind, with a JWKS. Server-to-server endpoints are already rewritten to the back
 * channel (`<ID>_BACKCHANNEL_URL`) when set.
 */
export interface OpenIdProvider extends ProviderEndpoints {
  jwksUri: string;
}

/** The fields of an OpenID discovery document the auth-service needs. */
export const discoveryDocument = z.object({
  issuer: z.string().url(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
  userinfo_endpoint: z.string().url().optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
});

/** Google publishes `https://accounts.google.com` but may also issue `accounts.google.com`. */
export function acceptedIssuers(issuer: string): string[] {
  return issuer === 'https://accounts.google.com' ? [issuer, 'accounts.google.com'] : [issuer];
}

/**
 * Rewrites `url` to the back-channel origin when it lives on the issuer's origin (compose:
 * the browser reaches the dev-idp at localhost, the container at dev-idp).
 */
export function toBackchannel(url: string, issuer: string, backchannelUrl: string | undefined) {
  if (!backchannelUrl) return url;
  const target = new URL(url);
  if (target.origin !== new URL(issuer).origin) return url;
  const backchannel = new URL(backchannelUrl);
  target.protocol = backchannel.protocol;
  target.host = backchannel.host;
  return target.href;
}
