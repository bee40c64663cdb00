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
    // grant joins scopes with commas unless told otherwise, for names it does not know.
    scope_delimiter: z.literal(' '),
    redirect_uri: url,
    response: z.tuple([z.literal('tokens')]),
    token_endpoint_auth_method: z.literal('client_secret_post'),
    // Added to the authorization request; only this one is ever needed (buildGrantConfig).
    custom_params: z
      .object({ prompt: z.literal('consent') })
      .strict()
      .optional(),
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
  // Every other key is a provider, held to providerSchema (itself strict).
  .catchall(providerSchema);

export type ValidatedGrantConfig = z.infer<typeof grantConfigSchema>;

/**
 * grant's configuration for one discovered provider, under its id (`/auth/connect/<id>`), so
 * the redirect URI is the one registered. grant receives the back-channel token endpoint; the
 * browser gets the published authorization endpoint. With transport `session` and no
 * `callback`, grant hands the result to the next middleware in the same request: tokens never
 * travel in a URL or a cookie. `promptConsent` adds `prompt=consent` to the authorization
 * request (the kind's `promptsConsent`: `offline_access` needs it, OpenID Core 11).
 */
export function buildGrantConfig(options: {
  id: string;
  endpoints: ProviderEndpoints;
  clientId: string;
  clientSecret: string;
  scope: readonly string[];
  redirectUri: string;
  promptConsent?: boolean;
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
      scope_delimiter: ' ',
      redirect_uri: options.redirectUri,
      response: ['tokens'],
      token_endpoint_auth_method: 'client_secret_post',
      ...(options.promptConsent && { custom_params: { prompt: 'consent' } }),
    },
  });
  return config as unknown as GrantConfig;
}

/**
 * Why grant cannot take `id` as a provider name, or undefined when it can. grant sets
 * `provider[name] = true` on every provider, so a name equal to one of its settings
 * (`callback`, `dynamic`, `key`, ...) would change that setting, and it switches on per-provider
 * quirks by name (Basic auth for `reddit`, a JSON body for `notion`, ...), even as a substring
 * for some. These are grant 5.4's (config/reserved.json, lib/flow/oauth2.js, lib/flow/oauth1.js).
 */
export function grantNameProblem(id: string): string | undefined {
  if (GRANT_SETTINGS.has(id)) return `"${id}" is one of grant's settings`;
  if (GRANT_QUIRKS.has(id) || GRANT_QUIRK_SUBSTRINGS.test(id)) {
    return `"${id}" makes grant treat the provider as the service of that name`;
  }
  return undefined;
}

const GRANT_SETTINGS: ReadonlySet<string> = new Set([
  'defaults',
  'oauth',
  'origin',
  'prefix',
  'state',
  'nonce',
  'pkce',
  'response',
  'transport',
  'callback',
  'overrides',
  'dynamic',
  'protocol',
  'host',
  'path',
  'key',
  'secret',
  'scope',
  'subdomain',
  'name',
]);

const GRANT_QUIRKS: ReadonlySet<string> = new Set([
  'apple',
  'basecamp',
  'concur',
  'etsy',
  'flickr',
  'freelancer',
  'freshbooks',
  'getpocket',
  'goodreads',
  'instagram',
  'intuit',
  'linkedin',
  'notion',
  'optimizely',
  'qq',
  'ravelry',
  'sellsy',
  'smartsheet',
  'surveymonkey',
  'tiktok',
  'trello',
  'tripit',
  'unsplash',
  'untappd',
  'visualstudio',
  'wechat',
  'withings',
  'yammer',
]);

const GRANT_QUIRK_SUBSTRINGS =
  /autodesk|ebay|fitbit|homeaway|hootsuite|notion|reddit|trustpilot|twitter/;
