import type { GrantConfig } from 'grant';
import { z } from 'zod';
import type { OpenIdProvider } from './provider/openid-provider.js';
import { GRANT_PREFIX } from '../http/endpoints.js';

const url = z.string().url();

/**
 * grant silently ignores keys it does not know, so a typo (`nounce: true`) would switch a
 * protection off without a word. This strict schema pins every safety setting to its only
 * acceptable value and refuses anything else, including `dynamic` (overrides from the query
 * string) and `callback`/`overrides`.
 */
const grantConfigSchema = z
  .object({
    defaults: z
      .object({
        prefix: z.literal(GRANT_PREFIX),
        transport: z.literal('session'),
        state: z.literal(true),
        nonce: z.literal(true),
        pkce: z.literal(true),
      })
      .strict(),
    google: z
      .object({
        authorize_url: url,
        access_url: url,
        oauth: z.literal(2),
        key: z.string().min(1),
        secret: z.string().min(1),
        scope: z.array(z.string()).refine((scope) => scope.includes('openid'), 'needs openid'),
        redirect_uri: url,
        response: z.tuple([z.literal('tokens')]),
        token_endpoint_auth_method: z.literal('client_secret_post'),
      })
      .strict(),
  })
  .strict();

export type ValidatedGrantConfig = z.infer<typeof grantConfigSchema>;

/**
 * grant's configuration from the discovered provider. The provider is called `google`
 * whatever the issuer, so the redirect URI stays the one registered. grant receives the
 * back-channel token endpoint; the browser gets the published authorization endpoint.
 * With transport `session` and no `callback`, grant hands the result to the next middleware
 * in the same request: tokens never travel in a URL or a cookie.
 */
export function buildGrantConfig(options: {
  provider: OpenIdProvider;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}): GrantConfig {
  const config: ValidatedGrantConfig = grantConfigSchema.parse({
    defaults: { prefix: GRANT_PREFIX, transport: 'session', state: true, nonce: true, pkce: true },
    google: {
      authorize_url: options.provider.authorizationEndpoint,
      access_url: options.provider.tokenEndpoint,
      oauth: 2,
      key: options.clientId,
      secret: options.clientSecret,
      scope: ['openid', 'email', 'profile'],
      redirect_uri: options.redirectUri,
      response: ['tokens'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  });
  return config as unknown as GrantConfig;
}
