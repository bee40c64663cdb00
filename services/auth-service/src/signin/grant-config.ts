import type { GrantConfig } from 'grant';
import { z } from 'zod';
import type { ProviderEndpoints } from './kinds/provider-kind.js';
import { GRANT_PREFIX } from '../http/endpoints.js';

const url = z.string().url();

/**
 * grant silently ignores keys it does not know, so a typo (`nounce: true`) would switch a
 * protection off without a word. This strict schema pins every safety setting to its only
 * acceptable value and refuses anything else, including `dynamic` (overrides from the query
 * string) and `callback`/`overrides`.
 */
const providerSchema = z
  .object({
    authorize_url: url,
    access_url: url,
    oauth: z.literal(2),
    key: z.string().min(1),
    secret: z.string().min(1),
    scope: z.array(z.string()).min(1),
    redirect_uri: url,
    response: z.tuple([z.literal('tokens')]),
    token_endpoint_auth_method: z.literal('client_secret_post'),
  })
  .strict();

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
  })
  .catchall(providerSchema)
  .strict();

export type ValidatedGrantConfig = z.infer<typeof grantConfigSchema>;

/**
 * grant's configuration for one discovered provider, under its id (`/auth/connect/<id>`), so
 * the redirect URI is the one registered. grant receives the back-channel token endpoint; the
 * browser gets the published authorization endpoint. With transport `session` and no
 * `callback`, grant hands the result to the next middleware in the same request: tokens never
 * travel in a URL or a cookie.
 */
export function buildGrantConfig(options: {
  id: string;
  endpoints: ProviderEndpoints;
  clientId: string;
  clientSecret: string;
  scope: readonly string[];
  redirectUri: string;
}): GrantConfig {
  const config: ValidatedGrantConfig = grantConfigSchema.parse({
    defaults: { prefix: GRANT_PREFIX, transport: 'session', state: true, nonce: true, pkce: true },
    [options.id]: {
      authorize_url: options.endpoints.authorizationEndpoint,
      access_url: options.endpoints.tokenEndpoint,
      oauth: 2,
      key: options.clientId,
      secret: options.clientSecret,
      scope: [...options.scope],
      redirect_uri: options.redirectUri,
      response: ['tokens'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  });
  return config as unknown as GrantConfig;
}
