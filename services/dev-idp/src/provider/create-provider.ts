import Provider, { type Configuration } from 'oidc-provider';
import type { AccountStore } from '../accounts/account-store.js';
import { GRANTED_SCOPES, loadOrGrantConsent } from './auto-consent.js';
import type { DevKeys } from './generate-dev-keys.js';
import { createMemoryAdapter } from './memory-adapter.js';
import { renderError } from './render-error.js';
import { signInEveryTimePolicy } from './sign-in-policy.js';

/** Where oidc-provider sends the browser to sign in; served by `interactionRoutes`. */
export const INTERACTION_PATH = '/interaction';

/** What the provider is built from: the dev-idp's Config fits (config.ts). */
export interface ProviderSettings {
  readonly issuer: string;
  readonly trustProxy: boolean;
  readonly client: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly redirectUris: readonly string[];
  };
}

/**
 * The oidc-provider instance, configured to look like Google to a relying party:
 * authorization code flow only, PKCE S256 required, RS256 id_tokens that carry the email and
 * profile claims themselves, one static confidential client (secret via Basic or POST).
 */
export function createProvider(
  config: ProviderSettings,
  deps: { accounts: AccountStore; keys: DevKeys; now?: () => number },
): Provider {
  const { clientId, clientSecret, redirectUris } = config.client;
  const configuration: Configuration = {
    adapter: createMemoryAdapter(deps.now),
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: 'Gatehouse',
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        // Either method is accepted: oidc-provider treats Basic and POST secrets alike.
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [deps.keys.signingKey] },
    cookies: { keys: deps.keys.cookieKeys },
    findAccount: deps.accounts.findAccount,
    scopes: GRANTED_SCOPES.split(' '),
    claims: {
      // Google sends `hd` with every Workspace account's id_token, whatever the scopes.
      openid: ['sub', 'hd'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'picture'],
    },
    // Google's id_token carries email and profile claims even though an access token is
    // issued too; relying parties (and Gatehouse) read them from there, not from userinfo.
    conformIdTokenClaims: false,
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    subjectTypes: ['public'],
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    features: {
      // Only what Google offers a web client; the rest would only widen the surface.
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: true },
    },
    interactions: {
      policy: signInEveryTimePolicy(),
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
    },
    // Google's lifetimes where it has them (1 h tokens); a working day for the rest.
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 3600,
      IdToken: 3600,
      Interaction: 30 * 60,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    loadExistingGrant: loadOrGrantConsent,
    renderError,
  };
  const provider = new Provider(config.issuer, configuration);
  provider.proxy = config.trustProxy;
  return provider;
}
